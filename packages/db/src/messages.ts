import type { Queryable } from './pool';

/** One message of a case's dialogue as stored; the author's name only for staff readers. */
export type MessageRecord = { id: string; author: 'reporter' | 'staff'; authorUserId: string | null; authorName: string | null; body: Buffer; createdAt: Date };

/** A page of a case's messages, oldest first; `older` is the id to pass as `before` for the page before it, null when there is none. */
export type MessagePage = { messages: MessageRecord[]; older: string | null };

/** A page holds at most `limit` messages and stops early past `maxBytes` of ciphertext (never below one message). */
export type MessagePageLimits = { limit: number; maxBytes: number };

/**
 * The newest messages of a case before `before` (a message id of the same case; none: the newest
 * page). Returns null when `before` is not a message of this case. Ordered by (created_at, id), the
 * order every reader shows, so pages neither overlap nor skip.
 */
export async function listMessagePage(db: Queryable, caseId: string, before: string | null, limits: MessagePageLimits): Promise<MessagePage | null> {
  if (before !== null) {
    const { rowCount } = await db.query('SELECT 1 FROM messages WHERE id = $1 AND case_id = $2', [before, caseId]);
    if (rowCount !== 1) return null;
  }
  const { rows } = await db.query<{ id: string; author: 'reporter' | 'staff'; author_user_id: string | null; display_name: string | null; body: Buffer; created_at: Date }>(
    `SELECT m.id, m.author, m.author_user_id, u.display_name, m.body, m.created_at
       FROM messages m LEFT JOIN staff_users u ON u.id = m.author_user_id
      WHERE m.case_id = $1
        AND ($2::uuid IS NULL OR (m.created_at, m.id) < (SELECT b.created_at, b.id FROM messages b WHERE b.id = $2))
      ORDER BY m.created_at DESC, m.id DESC
      LIMIT $3`,
    [caseId, before, limits.limit + 1],
  );
  const page: MessageRecord[] = [];
  let bytes = 0;
  for (const m of rows) {
    if (page.length === limits.limit || (page.length > 0 && bytes + m.body.length > limits.maxBytes)) break;
    bytes += m.body.length;
    page.push({ id: m.id, author: m.author, authorUserId: m.author_user_id, authorName: m.display_name, body: m.body, createdAt: m.created_at });
  }
  const older = page.length < rows.length ? page[page.length - 1]!.id : null;
  return { messages: page.reverse(), older };
}
