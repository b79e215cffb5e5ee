import type { CaseStatus } from '@sauti/core';
import type { Queryable } from './pool';

/** When a case is due next: acknowledgement while received, feedback while open, nothing once closed. */
const DUE_AT = `CASE WHEN c.status = 'received' THEN c.acknowledge_due_at
                    WHEN c.status IN ('acknowledged', 'in_progress') THEN c.feedback_due_at END`;

export type StaffCaseSummaryRecord = {
  id: string; reference: string; status: CaseStatus; channel: string; categoryId: string; regionId: string | null; language: string;
  urgent: boolean; contextId: string; assigneeId: string | null; unitId: string | null; receivedAt: Date; acknowledgeDueAt: Date | null;
  acknowledgedAt: Date | null; feedbackDueAt: Date | null; closedAt: Date | null; outcome: string | null; dueAt: Date | null;
  overdue: boolean; unreadMessages: number;
  /** The routing priority triage set (a rule may raise it above the reporter's urgency). */
  priority: string;
  /** Operator-written names, so a holder sees "Bribery" and "Namanga", not ids. */
  contextName: string; categoryName: string | null; regionName: string | null; assigneeName: string | null;
  /** How the report reached Sauti: web, hotline, walk_in or letter. */
  intakeChannel: string;
};

type SummaryRow = {
  id: string; reference: string; status: CaseStatus; channel: string; category_id: string; region_id: string | null; language: string;
  urgent: boolean; context_id: string; assignee_id: string | null; unit_id: string | null; received_at: Date; acknowledge_due_at: Date | null;
  acknowledged_at: Date | null; feedback_due_at: Date | null; closed_at: Date | null; outcome: string | null; due_at: Date | null;
  overdue: boolean; unread: string; total?: string;
  priority: string; context_name: string; category_name: string | null; region_name: string | null; assignee_name: string | null;
  intake_channel: string;
};

const summary = (r: SummaryRow): StaffCaseSummaryRecord => ({
  id: r.id, reference: r.reference, status: r.status, channel: r.channel, categoryId: r.category_id, regionId: r.region_id,
  language: r.language, urgent: r.urgent, contextId: r.context_id, assigneeId: r.assignee_id, unitId: r.unit_id, receivedAt: r.received_at,
  acknowledgeDueAt: r.acknowledge_due_at, acknowledgedAt: r.acknowledged_at, feedbackDueAt: r.feedback_due_at, closedAt: r.closed_at,
  outcome: r.outcome, dueAt: r.due_at, overdue: r.overdue, unreadMessages: Number(r.unread),
  priority: r.priority, contextName: r.context_name, categoryName: r.category_name, regionName: r.region_name, assigneeName: r.assignee_name,
  intakeChannel: r.intake_channel,
});

/** Cases the user holds a key wrap for, with the unit of the assignee and unread reporter messages. */
const HELD_CASES = `
  SELECT c.id, c.reference, c.status, c.channel, c.category_id, c.region_id, c.language, c.urgent, c.context_id, c.assignee_id,
         au.unit_id, c.received_at, c.acknowledge_due_at, c.acknowledged_at, c.feedback_due_at, c.closed_at, c.outcome,
         ${DUE_AT} AS due_at, coalesce(${DUE_AT} < now(), false) AS overdue,
         c.priority, c.intake_channel, cx.name AS context_name, au.display_name AS assignee_name,
         (SELECT cc.label FROM context_categories cc WHERE cc.context_id = c.context_id AND cc.id = c.category_id) AS category_name,
         (SELECT cr.label FROM context_regions cr WHERE cr.context_id = c.context_id AND cr.id = c.region_id) AS region_name,
         CASE c.priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END AS priority_rank,
         (SELECT count(*) FROM messages m WHERE m.case_id = c.id AND m.author = 'reporter'
             AND m.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)) AS unread
    FROM case_key_wraps w
    JOIN cases c ON c.id = w.case_id
    JOIN contexts cx ON cx.id = c.context_id
    LEFT JOIN staff_users au ON au.id = c.assignee_id
    LEFT JOIN case_reads r ON r.case_id = c.id AND r.user_id = $1
   WHERE w.recipient_id = $1`;

export type CaseListFilter = {
  status?: CaseStatus; unitId?: string; assignee?: { kind: 'user'; userId: string } | { kind: 'none' }; category?: string;
  channel?: string; overdue?: boolean; sort: 'priority' | 'due' | 'received'; page: number; pageSize: number;
};

const ORDER: Record<CaseListFilter['sort'], string> = {
  priority: 'priority_rank ASC, urgent DESC, overdue DESC, due_at ASC NULLS LAST, received_at ASC, id',
  due: 'due_at ASC NULLS LAST, received_at ASC, id',
  received: 'received_at DESC, id',
};

export async function listHeldCases(db: Queryable, userId: string, f: CaseListFilter): Promise<{ total: number; items: StaffCaseSummaryRecord[] }> {
  const { rows } = await db.query<SummaryRow>(
    `SELECT *, count(*) OVER () AS total FROM (${HELD_CASES}) held
      WHERE ($2::text IS NULL OR status = $2)
        AND ($3::uuid IS NULL OR unit_id = $3)
        AND ($4::text IS NULL OR ($4 = 'none' AND assignee_id IS NULL) OR ($4 = 'user' AND assignee_id = $5::uuid))
        AND ($6::text IS NULL OR category_id = $6)
        AND ($7::text IS NULL OR channel = $7)
        AND ($8::boolean IS NULL OR overdue = $8)
      ORDER BY ${ORDER[f.sort]}
      LIMIT $9 OFFSET $10`,
    [
      userId, f.status ?? null, f.unitId ?? null, f.assignee?.kind ?? null, f.assignee?.kind === 'user' ? f.assignee.userId : null,
      f.category ?? null, f.channel ?? null, f.overdue ?? null, f.pageSize, (f.page - 1) * f.pageSize,
    ],
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && f.page > 1) {
    const count = await db.query<{ n: string }>('SELECT count(*) AS n FROM case_key_wraps WHERE recipient_id = $1', [userId]);
    total = Number(count.rows[0]?.n ?? 0);
  }
  return { total, items: rows.map(summary) };
}

export type StaffCaseDetailRecord = StaffCaseSummaryRecord & {
  report: Buffer; excludedRecipientIds: string[]; feedbackDays: number; identityCiphertext: Buffer | null; identityDisclosedAt: Date | null;
  sealedKey: Buffer;
};

/** The case as its holder sees it; null when the user holds no wrap (the caller answers 404). */
export async function getHeldCase(db: Queryable, userId: string, caseId: string): Promise<StaffCaseDetailRecord | null> {
  const { rows } = await db.query<SummaryRow & {
    report: Buffer; excluded_recipient_ids: string[]; feedback_days: number; identity_ciphertext: Buffer | null;
    identity_disclosed_at: Date | null; sealed_key: Buffer;
  }>(
    `SELECT held.*, c.report, c.excluded_recipient_ids, COALESCE(c.feedback_days, x.feedback_days) AS feedback_days, c.identity_ciphertext, c.identity_disclosed_at, w.sealed_key
       FROM (${HELD_CASES} AND c.id = $2) held
       JOIN cases c ON c.id = held.id
       JOIN contexts x ON x.id = c.context_id
       JOIN case_key_wraps w ON w.case_id = c.id AND w.recipient_id = $1`,
    [userId, caseId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ...summary(r), report: r.report, excludedRecipientIds: r.excluded_recipient_ids, feedbackDays: r.feedback_days,
    identityCiphertext: r.identity_ciphertext, identityDisclosedAt: r.identity_disclosed_at, sealedKey: r.sealed_key,
  };
}

export async function markCaseRead(db: Queryable, caseId: string, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO case_reads (case_id, user_id, last_read_at) VALUES ($1, $2, now())
     ON CONFLICT (case_id, user_id) DO UPDATE SET last_read_at = now()`,
    [caseId, userId],
  );
}

export type CaseMessageRow = { id: string; author: 'reporter' | 'staff'; authorUserId: string | null; authorName: string | null; body: Buffer; createdAt: Date };

export async function listCaseMessages(db: Queryable, caseId: string): Promise<CaseMessageRow[]> {
  const { rows } = await db.query<{ id: string; author: 'reporter' | 'staff'; author_user_id: string | null; display_name: string | null; body: Buffer; created_at: Date }>(
    `SELECT m.id, m.author, m.author_user_id, u.display_name, m.body, m.created_at
       FROM messages m LEFT JOIN staff_users u ON u.id = m.author_user_id WHERE m.case_id = $1 ORDER BY m.created_at, m.id`,
    [caseId],
  );
  return rows.map((m) => ({ id: m.id, author: m.author, authorUserId: m.author_user_id, authorName: m.display_name, body: m.body, createdAt: m.created_at }));
}

export type CaseNoteRow = { id: string; caseId: string; authorUserId: string; authorName: string; body: Buffer; createdAt: Date };

export async function listCaseNotes(db: Queryable, caseId: string): Promise<CaseNoteRow[]> {
  const { rows } = await db.query<{ id: string; case_id: string; author_user_id: string; display_name: string; body: Buffer; created_at: Date }>(
    `SELECT n.id, n.case_id, n.author_user_id, u.display_name, n.body, n.created_at
       FROM case_notes n JOIN staff_users u ON u.id = n.author_user_id WHERE n.case_id = $1 ORDER BY n.created_at, n.id`,
    [caseId],
  );
  return rows.map((n) => ({ id: n.id, caseId: n.case_id, authorUserId: n.author_user_id, authorName: n.display_name, body: n.body, createdAt: n.created_at }));
}

/** Inserts unless the id exists; null when it did (the caller decides 200 or 409). */
export async function insertNote(db: Queryable, n: { id: string; caseId: string; authorUserId: string; body: Buffer }): Promise<Date | null> {
  const { rows } = await db.query<{ created_at: Date }>(
    `INSERT INTO case_notes (id, case_id, author_user_id, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING created_at`,
    [n.id, n.caseId, n.authorUserId, n.body],
  );
  return rows[0]?.created_at ?? null;
}

export async function findNote(db: Queryable, id: string): Promise<{ caseId: string; authorUserId: string; body: Buffer; createdAt: Date } | null> {
  const { rows } = await db.query<{ case_id: string; author_user_id: string; body: Buffer; created_at: Date }>(
    'SELECT case_id, author_user_id, body, created_at FROM case_notes WHERE id = $1', [id]);
  const n = rows[0];
  return n ? { caseId: n.case_id, authorUserId: n.author_user_id, body: n.body, createdAt: n.created_at } : null;
}

export async function findMessageAuthor(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ author_user_id: string | null }>('SELECT author_user_id FROM messages WHERE id = $1', [id]);
  return rows[0]?.author_user_id ?? null;
}

export type StaffStatusRecord = { status: CaseStatus; at: Date; actorId: string | null; outcome: string | null; reasonId: string | null; reason: Buffer | null };

export async function listStaffStatusHistory(db: Queryable, caseId: string): Promise<StaffStatusRecord[]> {
  const { rows } = await db.query<{ status: CaseStatus; at: Date; actor_id: string | null; outcome: string | null; reason_id: string | null; reason: Buffer | null }>(
    'SELECT status, at, actor_id, outcome, reason_id, reason FROM case_status_history WHERE case_id = $1 ORDER BY id',
    [caseId],
  );
  return rows.map((h) => ({ status: h.status, at: h.at, actorId: h.actor_id, outcome: h.outcome, reasonId: h.reason_id, reason: h.reason }));
}

export type LockedCaseState = {
  id: string; status: CaseStatus; acknowledgedAt: Date | null; feedbackDueAt: Date | null; closedAt: Date | null;
  outcome: string | null; feedbackDays: number; assigneeId: string | null; excluded: string[];
};

/** Locks the case row for a status change or reassignment in the caller's transaction. */
export async function lockCaseState(tx: Queryable, caseId: string): Promise<LockedCaseState | null> {
  const { rows } = await tx.query<{
    id: string; status: CaseStatus; acknowledged_at: Date | null; feedback_due_at: Date | null; closed_at: Date | null; outcome: string | null;
    feedback_days: number; assignee_id: string | null; excluded_recipient_ids: string[];
  }>(
    `SELECT c.id, c.status, c.acknowledged_at, c.feedback_due_at, c.closed_at, c.outcome, COALESCE(c.feedback_days, x.feedback_days) AS feedback_days, c.assignee_id, c.excluded_recipient_ids
       FROM cases c JOIN contexts x ON x.id = c.context_id WHERE c.id = $1 FOR UPDATE OF c`,
    [caseId],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id, status: r.status, acknowledgedAt: r.acknowledged_at, feedbackDueAt: r.feedback_due_at, closedAt: r.closed_at,
        outcome: r.outcome, feedbackDays: r.feedback_days, assigneeId: r.assignee_id, excluded: r.excluded_recipient_ids,
      }
    : null;
}

/** Aggregate counts for analysts: no ids, no content. */
export async function caseStatistics(db: Queryable): Promise<{ byStatus: Record<string, number>; byCategory: Record<string, number>; overdue: number; unassigned: number }> {
  const [status, category, other] = await Promise.all([
    db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM cases GROUP BY status'),
    db.query<{ category_id: string; n: string }>('SELECT category_id, count(*) AS n FROM cases GROUP BY category_id'),
    db.query<{ overdue: string; unassigned: string }>(
      `SELECT count(*) FILTER (WHERE coalesce(${DUE_AT} < now(), false)) AS overdue,
              count(*) FILTER (WHERE c.assignee_id IS NULL AND c.status <> 'closed') AS unassigned FROM cases c`),
  ]);
  return {
    byStatus: Object.fromEntries(status.rows.map((r) => [r.status, Number(r.n)])),
    byCategory: Object.fromEntries(category.rows.map((r) => [r.category_id, Number(r.n)])),
    overdue: Number(other.rows[0]?.overdue ?? 0),
    unassigned: Number(other.rows[0]?.unassigned ?? 0),
  };
}
