import type { Pool } from 'pg';
import { withTransaction, type Queryable } from './pool';

/** Every kind of event the outbox carries; packages/jobs maps each to a queue. */
export const OUTBOX_TOPICS = ['case.received', 'notification.requested', 'case.reporter_message', 'staff.invite', 'audit.checkpoint', 'survey.invitation'] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

/** The Postgres channel an insert into the outbox notifies, so that the relay wakes at once. */
export const OUTBOX_CHANNEL = 'sauti_outbox';

export type OutboxEvent = { id: string; topic: string; aggregateId: string; payload: Record<string, unknown> };

/** Adds an event to the outbox and wakes the relay when the transaction commits. */
export async function enqueueOutbox(
  tx: Queryable,
  event: { id: string; topic: OutboxTopic; aggregateId: string; payload?: Record<string, unknown> },
): Promise<void> {
  // One round trip: the insert and the wake-up (delivered at commit) in one statement.
  await tx.query(
    `WITH event AS (INSERT INTO outbox (id, topic, aggregate_id, payload) VALUES ($1, $2, $3, $4) RETURNING 1)
     SELECT pg_notify($5, '') FROM event`,
    [event.id, event.topic, event.aggregateId, JSON.stringify(event.payload ?? {}), OUTBOX_CHANNEL],
  );
}

/**
 * Publishes committed, unpublished events in order. Rows are locked with SKIP LOCKED so several
 * relays can run; `publish` must be idempotent per event id (BullMQ jobId = event id), because a
 * crash between publish and commit publishes the event again.
 */
export async function relayOutboxBatch(pool: Pool, publish: (events: OutboxEvent[]) => Promise<void>, limit = 200): Promise<number> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string; topic: string; aggregate_id: string; payload: Record<string, unknown> }>(
      `SELECT id, topic, aggregate_id, payload FROM outbox
        WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return 0;
    await publish(rows.map((r) => ({ id: r.id, topic: r.topic, aggregateId: r.aggregate_id, payload: r.payload })));
    await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
    return rows.length;
  });
}

export async function countUnpublished(pool: Queryable): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
  return Number(rows[0]?.n ?? 0);
}
