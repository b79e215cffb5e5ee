import type { Queryable } from './pool';
import { withTransaction, type Db } from './pool';

/** Returns false when a notification with this id already exists. */
export async function createNotification(tx: Queryable, n: { id: string; userId: string; kind: string }): Promise<boolean> {
  const { rowCount } = await tx.query('INSERT INTO notifications (id, user_id, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
    n.id, n.userId, n.kind,
  ]);
  return rowCount === 1;
}

export type Digest = { digestId: string; email: string; kinds: string[]; notificationIds: string[] };

/**
 * Claims a person's pending notifications into one digest, or returns the digest that an earlier
 * attempt claimed but could not send (so a retry sends the same digest, not a second one).
 * Returns null when there is nothing to send or the person is not active.
 */
export async function claimDigest(pool: Db, userId: string, newDigestId: string): Promise<Digest | null> {
  return withTransaction(pool, async (tx) => {
    const { rows: user } = await tx.query<{ email: string; status: string }>('SELECT email, status FROM staff_users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
    if (!user[0] || user[0].status !== 'active') return null;
    const { rows: unsent } = await tx.query<{ digest_id: string }>(
      'SELECT digest_id FROM notifications WHERE user_id = $1 AND digest_id IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL LIMIT 1',
      [userId],
    );
    const digestId = unsent[0]?.digest_id ?? newDigestId;
    if (!unsent[0]) {
      await tx.query('UPDATE notifications SET digest_id = $2 WHERE user_id = $1 AND digest_id IS NULL AND sent_at IS NULL AND failed_at IS NULL', [userId, digestId]);
    }
    const { rows } = await tx.query<{ id: string; kind: string }>('SELECT id, kind FROM notifications WHERE digest_id = $1 ORDER BY created_at', [digestId]);
    if (rows.length === 0) return null;
    return { digestId, email: user[0].email, kinds: rows.map((r) => r.kind), notificationIds: rows.map((r) => r.id) };
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

/** People with notifications waiting longer than `olderThanSeconds` — a safety net for lost digest jobs. */
export async function usersWithStalePendingNotifications(db: Queryable, olderThanSeconds: number): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM notifications
      WHERE sent_at IS NULL AND failed_at IS NULL AND created_at < now() - make_interval(secs => $1)`,
    [olderThanSeconds],
  );
  return rows.map((r) => r.user_id);
}

export type FailedNotification = { id: string; userId: string; email: string; kind: string; attempts: number; lastError: string | null; failedAt: Date };

export async function listFailedNotifications(db: Queryable): Promise<FailedNotification[]> {
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
