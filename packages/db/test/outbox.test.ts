import { Client } from 'pg';
import { countUnpublished, enqueueOutbox, OUTBOX_CHANNEL, relayOutboxBatch, withTransaction, type OutboxEvent } from '@sauti/db';
import { randomUUID } from 'node:crypto';
import { useDatabase } from './harness';

describe('outbox (real Postgres)', () => {
  const db = useDatabase();

  it('when an event is enqueued in a transaction that rolls back, then nothing is published', async () => {
    await expect(withTransaction(db.pool, async (tx) => {
      await enqueueOutbox(tx, { id: randomUUID(), topic: 'case.received', aggregateId: randomUUID() });
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await countUnpublished(db.pool)).toBe(0);
  });

  it('when an event commits, then the relay channel is notified and the batch publishes it once', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const notified = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.channel)));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    const id = randomUUID();
    await withTransaction(db.pool, (tx) => enqueueOutbox(tx, { id, topic: 'notification.requested', aggregateId: randomUUID(), payload: { userId: 'u' } }));
    expect(await notified).toBe(OUTBOX_CHANNEL);
    await listener.end();

    const seen: OutboxEvent[] = [];
    expect(await relayOutboxBatch(db.pool, async (events) => void seen.push(...events))).toBe(1);
    expect(seen).toEqual([expect.objectContaining({ id, topic: 'notification.requested', payload: { userId: 'u' } })]);
    expect(await relayOutboxBatch(db.pool, async (events) => void seen.push(...events))).toBe(0);
    expect(await countUnpublished(db.pool)).toBe(0);
  });

  it('when publishing fails, then the events stay in the outbox for the next attempt', async () => {
    const id = randomUUID();
    await enqueueOutbox(db.pool, { id, topic: 'case.received', aggregateId: randomUUID() });
    await expect(relayOutboxBatch(db.pool, async () => {
      throw new Error('redis away');
    })).rejects.toThrow('redis away');
    expect(await countUnpublished(db.pool)).toBe(1);
    const seen: string[] = [];
    expect(await relayOutboxBatch(db.pool, async (events) => void seen.push(...events.map((e) => e.id)))).toBe(1);
    expect(seen).toEqual([id]);
  });
});
