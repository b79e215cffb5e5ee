import { countSweepRecoveredNotifications, requestNotification, withTransaction } from '@sauti/db';
import { seedOrganisation } from '../../../test/helpers/fixtures';
import { waitFor } from '../../../test/helpers/wait';
import { startHarness, type WorkerHarness } from './harness';

/**
 * Issue 17: a notification requested while its person's digest job is running used to be dropped
 * by the queue (same job id) and wait for the sweep. Here the sweep never runs: the request must be
 * sent by a follow-up digest.
 */
describe('digest race (notify processor, real Redis, Postgres and SMTP)', () => {
  let h: WorkerHarness;
  let userId: string;

  beforeAll(async () => {
    h = await startHarness();
    const org = await seedOrganisation(h.pool, { investigators: 1, withCustodian: false });
    userId = org.investigators[0]!.id;
    h.run('notify');
  });
  afterAll(() => h.stop());

  const pending = async () =>
    (await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE sent_at IS NULL')).rows[0]!.n;

  it('when a request arrives while the digest job is sending, then a follow-up digest sends it without the sweep', async () => {
    const hold = h.holdMail();
    await withTransaction(h.pool, (tx) => requestNotification(tx, userId, 'new_case', '00000000-0000-4000-8000-000000000001'));
    await hold.entered; // the digest job has claimed the first request and is sending it

    await withTransaction(h.pool, (tx) => requestNotification(tx, userId, 'new_case', '00000000-0000-4000-8000-000000000002'));
    // The relay hands the second request to the queue while the first job is still active.
    await waitFor('the second request to reach the queue', async () => {
      const { rows } = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      return rows[0]!.n === 0;
    }, 10_000);
    expect(await h.queues.notify.getJobCounts('active')).toEqual({ active: 1 });
    expect(h.mail).toHaveLength(0);

    hold.release();
    await waitFor('both notifications to be sent', async () => (await pending()) === 0, 20_000);

    const { rows } = await h.pool.query<{ id: string; digest_id: string }>('SELECT id, digest_id FROM notifications ORDER BY id');
    expect(rows).toHaveLength(2);
    // Two digests, one e-mail each: the second request did not ride on the first, already claimed digest.
    expect(rows[0]!.digest_id).not.toBe(rows[1]!.digest_id);
    await waitFor('two e-mails', async () => h.mail.length === 2, 5_000);
    const digests = h.mail.map((m) => /X-Sauti-Digest: ([0-9a-f-]{36})/i.exec(m.raw)?.[1]);
    expect(new Set(digests)).toEqual(new Set(rows.map((r) => r.digest_id)));
    expect(await countSweepRecoveredNotifications(h.pool)).toBe(0);
  });

  it('when requests arrive while a digest waits, then they join it: one e-mail', async () => {
    const before = h.mail.length;
    const digestsBefore = (await h.pool.query<{ n: number }>('SELECT count(DISTINCT digest_id)::int AS n FROM notifications')).rows[0]!.n;
    await h.pauseRelay(); // the requests wait in the outbox, then reach the queue in one batch
    for (let i = 0; i < 3; i++) await withTransaction(h.pool, (tx) => requestNotification(tx, userId, 'case_activity'));
    await h.resumeRelay();
    await waitFor('the three requests to be sent', async () => (await pending()) === 0, 20_000);
    const digestsAfter = (await h.pool.query<{ n: number }>('SELECT count(DISTINCT digest_id)::int AS n FROM notifications')).rows[0]!.n;
    expect(digestsAfter - digestsBefore).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // a second e-mail would arrive in this time
    expect(h.mail.length - before).toBe(1);
  });
});
