import { randomUUID } from 'node:crypto';
import { enqueueOutbox, OUTBOX_CHANNEL } from './outbox';
import { withTransaction, type Db, type Queryable } from './pool';

/** Returns false when a notification with this id already exists. */
export async function createNotification(tx: Queryable, n: { id: string; userId: string; kind: string }): Promise<boolean> {
  const { rowCount } = await tx.query('INSERT INTO notifications (id, user_id, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
    n.id, n.userId, n.kind,
  ]);
  return rowCount === 1;
}

/**
 * A notification request as SQL: CTEs `n` (the notification, for the person in `source`'s user_id
 * column) and, only if it is new, `event` (its outbox event). The statement wakes the relay with
 * `SELECT pg_notify(…) FROM event`. requestNotification and triage's one-statement assignment
 * (assignLeastLoaded) both write a request through this.
 */
export const notificationRequestCtes = (source: string, p: { id: string; kind: string; eventId: string }): string =>
  `n AS (INSERT INTO notifications (id, user_id, kind) SELECT ${p.id}, user_id, ${p.kind} FROM ${source} ON CONFLICT (id) DO NOTHING RETURNING id, user_id),
   event AS (INSERT INTO outbox (id, topic, aggregate_id, payload)
             SELECT ${p.eventId}, 'notification.requested', n.id, jsonb_build_object('userId', n.user_id::text) FROM n RETURNING 1)`;

/** Asks, inside the caller's transaction, for a (digested, content-free) e-mail to a person. */
export async function requestNotification(tx: Queryable, userId: string, kind: string, id: string = randomUUID()): Promise<void> {
  // One round trip (the notification, and only if it is new, its outbox event and the relay's
  // wake-up): what createNotification + enqueueOutbox do.
  await tx.query(
    `WITH who AS (SELECT $2::uuid AS user_id), ${notificationRequestCtes('who', { id: '$1::uuid', kind: '$3', eventId: '$4::uuid' })}
     SELECT pg_notify($5, '') FROM event`,
    [id, userId, kind, randomUUID(), OUTBOX_CHANNEL],
  );
}

/** Asks for a digest of whatever is pending for a person, without a new notification (an admin's retry, the sweep). */
export async function requestDigest(tx: Queryable, userId: string): Promise<void> {
  await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: randomUUID(), payload: { userId } });
}

/** The first key of the advisory locks that serialise one person's digests (the second is a hash of their id). */
const DIGEST_LOCK_SPACE = 0x5d16;

export type Digest = { digestId: string; email: string; kinds: string[]; notificationIds: string[] };

/**
 * Claims a person's pending notifications into one digest. When an earlier attempt claimed a digest
 * but could not send it, that digest is resumed (a retry sends the same digest, not a second one)
 * and takes in whatever became pending meanwhile, so that nothing waits for a later job.
 * Returns null when there is nothing to send or the person is not active.
 */
export async function claimDigest(pool: Db, userId: string, newDigestId: string): Promise<Digest | null> {
  return withTransaction(pool, async (tx) => {
    // Digests for one person are serialised by a transaction advisory lock, not by locking their
    // staff row: triage claims that row for every assignment, and a digest must not hold it up.
    const { rows: user } = await tx.query<{ email: string; status: string }>(
      'SELECT email, status FROM staff_users, pg_advisory_xact_lock($2, hashtext($1::uuid::text)) WHERE id = $1::uuid',
      [userId, DIGEST_LOCK_SPACE],
    );
    if (!user[0] || user[0].status !== 'active') return null;
    // One statement: resume a digest claimed but never sent (a retry sends the same digest), else
    // start `newDigestId`; take in whatever is pending; return the digest's notifications. The
    // final read cannot see the rows `claimed` changes (one snapshot), so it adds them.
    const { rows } = await tx.query<{ digest_id: string; id: string; kind: string }>(
      `WITH d AS (SELECT coalesce((SELECT digest_id FROM notifications
                                    WHERE user_id = $1 AND digest_id IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL LIMIT 1), $2::uuid) AS id),
            claimed AS (UPDATE notifications SET digest_id = (SELECT id FROM d)
                         WHERE user_id = $1 AND digest_id IS NULL AND sent_at IS NULL AND failed_at IS NULL RETURNING id, kind, created_at)
       SELECT (SELECT id FROM d) AS digest_id, x.id, x.kind
         FROM (SELECT id, kind, created_at FROM notifications
                WHERE user_id = $1 AND digest_id = (SELECT id FROM d) AND sent_at IS NULL AND failed_at IS NULL
               UNION ALL SELECT id, kind, created_at FROM claimed) x
        ORDER BY x.created_at, x.id`,
      [userId, newDigestId],
    );
    if (rows.length === 0) return null;
    return { digestId: rows[0]!.digest_id, email: user[0].email, kinds: rows.map((r) => r.kind), notificationIds: rows.map((r) => r.id) };
  });
}

export async function markDigestSent(db: Queryable, digestId: string): Promise<void> {
  await db.query('UPDATE notifications SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE digest_id = $1', [digestId]);
}

/** Records a failed attempt (error code only, never content); `final` makes it visible as failed to admins. */
export async function markDigestFailed(db: Queryable, digestId: string, error: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE notifications SET attempts = attempts + 1, last_error = $2, failed_at = CASE WHEN $3 THEN now() ELSE failed_at END WHERE digest_id = $1`,
    [digestId, error.slice(0, 200), final],
  );
}

/**
 * The safety net for lost digest jobs: asks again for a digest for every person with notifications
 * pending longer than `olderThanSeconds`, and counts those notifications in
 * operational_counters.sweep_recovered_notifications (read by /metrics), so that operators see when
 * the first line — the digest job — ever misses one. Returns the people and the notifications.
 */
export async function requestStaleDigests(pool: Db, olderThanSeconds: number): Promise<{ users: number; notifications: number }> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ user_id: string; n: number }>(
      `SELECT user_id, count(*)::int AS n FROM notifications
        WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < now() - make_interval(secs => $1)
        GROUP BY user_id ORDER BY user_id`,
      [olderThanSeconds],
    );
    for (const r of rows) await requestDigest(tx, r.user_id);
    const notifications = rows.reduce((sum, r) => sum + r.n, 0);
    if (notifications > 0) {
      await tx.query(`UPDATE operational_counters SET value = value + $1 WHERE name = 'sweep_recovered_notifications'`, [notifications]);
    }
    return { users: rows.length, notifications };
  });
}

/** How many notifications the sweep has had to re-request since the database was created (a monotonic counter). */
export async function countSweepRecoveredNotifications(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM operational_counters WHERE name = 'sweep_recovered_notifications'`);
  return Number(rows[0]?.value ?? 0);
}

export type FailedNotificationRecord = { id: string; userId: string; email: string; kind: string; attempts: number; lastError: string | null; failedAt: Date };

export async function listFailedNotifications(db: Queryable): Promise<FailedNotificationRecord[]> {
  const { rows } = await db.query<{ id: string; user_id: string; email: string; kind: string; attempts: number; last_error: string | null; failed_at: Date }>(
    `SELECT n.id, n.user_id, u.email, n.kind, n.attempts, n.last_error, n.failed_at
       FROM notifications n JOIN staff_users u ON u.id = n.user_id WHERE n.failed_at IS NOT NULL ORDER BY n.failed_at DESC LIMIT 500`,
  );
  return rows.map((r) => ({ id: r.id, userId: r.user_id, email: r.email, kind: r.kind, attempts: r.attempts, lastError: r.last_error, failedAt: r.failed_at }));
}

/** An admin's "try again": failed notifications go back to pending (a new digest will carry them). */
export async function retryFailedNotifications(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    'UPDATE notifications SET failed_at = NULL, digest_id = NULL WHERE failed_at IS NOT NULL AND sent_at IS NULL RETURNING user_id',
  );
  return [...new Set(rows.map((r) => r.user_id))];
}

export async function findCaseAssignee(db: Queryable, caseId: string): Promise<string | null> {
  const { rows } = await db.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
  return rows[0]?.assignee_id ?? null;
}
