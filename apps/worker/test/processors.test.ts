import { randomUUID } from 'node:crypto';
import { countSweepRecoveredNotifications, enqueueOutbox, requestNotification, withTransaction } from '@sauti/db';
import type { Job } from 'bullmq';
import { giveOpenCases, seedOrganisation } from '../../../test/helpers/fixtures';
import { waitFor } from '../../../test/helpers/wait';
import { startHarness, type WorkerHarness } from './harness';

/** The worker's processors on a queue prefix of their own (real Redis), real Postgres and a real SMTP sink. */
describe('worker processors', () => {
  let h: WorkerHarness;
  let org: Awaited<ReturnType<typeof seedOrganisation>>;

  beforeAll(async () => {
    h = await startHarness();
    org = await seedOrganisation(h.pool, { investigators: 2 });
    h.run('triage', 'notify', 'activity', 'maintenance');
  });
  afterAll(() => h.stop());

  /** An untriaged, unassigned case (opaque filler content). */
  async function receivedCase(): Promise<string> {
    const before = new Set((await h.pool.query<{ id: string }>('SELECT id FROM cases')).rows.map((r) => r.id));
    await giveOpenCases(h.pool, org.contextId, org.investigators[0]!.id, 1);
    const id = (await h.pool.query<{ id: string }>('SELECT id FROM cases')).rows.map((r) => r.id).find((x) => !before.has(x))!;
    await h.pool.query('UPDATE cases SET triaged_at = NULL, assignee_id = NULL WHERE id = $1', [id]);
    // Each investigator holds a key wrap, as the reporter's browser would have sealed (opaque here).
    await h.pool.query('INSERT INTO case_key_wraps (case_id, recipient_id, sealed_key) SELECT $1, unnest($2::uuid[]), $3', [
      id, org.investigators.map((p) => p.id), Buffer.alloc(112, 3),
    ]);
    return id;
  }

  const finished = (job: Job | undefined) => waitFor(`job ${job?.id} to finish`, async () => {
    const state = await job!.getState();
    if (state !== 'completed' && state !== 'failed') return null;
    return h.queues[job!.queueName as keyof typeof h.queues].getJob(job!.id!);
  }, 20_000);

  it('when a case.received event is relayed, then triage assigns the case once, audits it and requests one notification', async () => {
    const caseId = await receivedCase();
    const eventId = randomUUID();
    await withTransaction(h.pool, (tx) => enqueueOutbox(tx, { id: eventId, topic: 'case.received', aggregateId: caseId }));
    const job = await waitFor('the triage job', async () => h.queues.triage.getJob(eventId));
    expect((await finished(job))!.returnvalue).toBe('assigned');
    const { rows } = await h.pool.query<{ assignee_id: string; n: number }>(
      `SELECT c.assignee_id, (SELECT count(*)::int FROM audit_events a WHERE a.case_id = c.id AND a.action = 'case.assigned') AS n FROM cases c WHERE c.id = $1`, [caseId]);
    expect(org.investigators.map((p) => p.id)).toContain(rows[0]!.assignee_id);
    expect(rows[0]!.n).toBe(1);
    await waitFor('the new_case e-mail', async () => (await h.pool.query(`SELECT 1 FROM notifications WHERE user_id = $1 AND kind = 'new_case' AND sent_at IS NOT NULL`, [rows[0]!.assignee_id])).rowCount === 1);

    // A redelivered event (new job id, same case) changes nothing.
    const again = await h.queues.triage.add('case.received', { eventId: randomUUID(), caseId });
    expect((await finished(again))!.returnvalue).toBe('already_triaged');
  });

  it('when a triage job carries an invalid payload or a missing case, then it fails for good on the first attempt', async () => {
    const invalid = await h.queues.triage.add('case.received', { caseId: 'not-a-uuid' });
    const missing = await h.queues.triage.add('case.received', { eventId: randomUUID(), caseId: randomUUID() });
    for (const job of [await finished(invalid), await finished(missing)]) {
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
    }
  });

  it('when a reporter writes, then the assignee gets a content-free activity e-mail', async () => {
    const caseId = await receivedCase();
    await h.pool.query('UPDATE cases SET assignee_id = $2, triaged_at = now() WHERE id = $1', [caseId, org.investigators[1]!.id]);
    const before = h.mail.length;
    await withTransaction(h.pool, (tx) => enqueueOutbox(tx, { id: randomUUID(), topic: 'case.reporter_message', aggregateId: caseId }));
    await waitFor('the activity e-mail', async () => h.mail.length > before);
    const mail = h.mail.at(-1)!;
    expect(mail.to).toEqual([org.investigators[1]!.email]);
    expect(mail.raw).toMatch(/There is something new for you in Sauti/);
    expect(mail.raw).not.toContain(caseId);
  });

  it('when a notification was left pending by a lost job, then the sweep re-requests it, counts it, and it is sent', async () => {
    const person = org.investigators[1]!.id;
    // Written without an outbox event: as if the digest job had been lost with Redis's data.
    await withTransaction(h.pool, (tx) => requestNotification(tx, person, 'deadline_reminder'));
    await h.pool.query(`DELETE FROM outbox WHERE published_at IS NULL`);
    await h.pool.query(`UPDATE notifications SET created_at = now() - interval '10 minutes' WHERE sent_at IS NULL`);
    const counter = await countSweepRecoveredNotifications(h.pool);
    const sweep = await h.queues.maintenance.add('sweep', {});
    const done = await finished(sweep);
    expect(done!.returnvalue).toEqual(expect.objectContaining({ staleDigests: 1, recoveredNotifications: 1 }));
    expect(await countSweepRecoveredNotifications(h.pool)).toBe(counter + 1);
    await waitFor('the recovered notification to be sent', async () =>
      (await h.pool.query('SELECT 1 FROM notifications WHERE sent_at IS NULL')).rowCount === 0);
    expect(h.logs.some((l) => l.includes('sweep re-requested stale notifications'))).toBe(true);
  });
});
