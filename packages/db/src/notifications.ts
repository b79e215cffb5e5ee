import type { Queryable } from './pool';

/** Returns false when a notification with this id already exists. */
export async function createNotification(tx: Queryable, n: { id: string; userId: string; kind: string }): Promise<boolean> {
  const { rowCount } = await tx.query('INSERT INTO notifications (id, user_id, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
    n.id, n.userId, n.kind,
  ]);
  return rowCount === 1;
}

export type PendingNotification = { id: string; kind: string; email: string; status: string; sentAt: Date | null };

export async function getNotification(db: Queryable, id: string): Promise<PendingNotification | null> {
  const { rows } = await db.query<{ id: string; kind: string; email: string; status: string; sent_at: Date | null }>(
    `SELECT n.id, n.kind, u.email, u.status, n.sent_at FROM notifications n JOIN staff_users u ON u.id = n.user_id WHERE n.id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, kind: r.kind, email: r.email, status: r.status, sentAt: r.sent_at } : null;
}

export async function markNotificationSent(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE notifications SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [id]);
}

/** Records a failed attempt (error class only, never message content) so admins can see it. */
export async function markNotificationFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query('UPDATE notifications SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [id, error.slice(0, 200)]);
}

export async function findCaseAssignee(db: Queryable, caseId: string): Promise<string | null> {
  const { rows } = await db.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
  return rows[0]?.assignee_id ?? null;
}
