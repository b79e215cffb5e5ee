import { randomUUID } from 'node:crypto';
import { countUnpublished, enqueueOutbox, withTransaction } from '@sauti/db';
import { waitFor } from '../../../test/helpers/wait';
import { startHarness, type WorkerHarness } from './harness';

describe('outbox relay (real Postgres and Redis)', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startHarness({ relay: false });
  });
  afterAll(() => h.stop());

  it('when events wait in the outbox, then the relay makes each one job keyed by its event id, and a re-publish adds none', async () => {
    const caseId = randomUUID();
    const eventId = randomUUID();
    await withTransaction(h.pool, (tx) => enqueueOutbox(tx, { id: eventId, topic: 'case.received', aggregateId: caseId }));
    await withTransaction(h.pool, (tx) => enqueueOutbox(tx, { id: randomUUID(), topic: 'staff.invite', aggregateId: randomUUID() }));
    expect(await countUnpublished(h.pool)).toBe(2);

    await h.resumeRelay();
    const job = await waitFor('the triage job', async () => h.queues.triage.getJob(eventId));
    expect(job!.data).toEqual({ eventId, caseId });
    await waitFor('the outbox to drain', async () => (await countUnpublished(h.pool)) === 0, 10_000, async () => `${await countUnpublished(h.pool)} unpublished`);
    expect(await h.queues.invite.getJobCounts('waiting')).toEqual({ waiting: 1 });

    // A relay that crashed between publishing and committing publishes the same event again.
    await h.pool.query('UPDATE outbox SET published_at = NULL WHERE id = $1', [eventId]);
    await waitFor('the re-publish', async () => (await countUnpublished(h.pool)) === 0, 10_000);
    expect(await h.queues.triage.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });
});
