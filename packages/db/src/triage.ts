import type { AssignmentCandidate } from '@sauti/core';
import type { Queryable } from './pool';

export type CaseForTriage = {
  id: string; contextId: string; assigneeId: string | null; receivedAt: Date; acknowledgeDays: number; excluded: string[];
};

/** Locks the case row for the rest of the transaction, so that two workers cannot both assign it. */
export async function lockCaseForTriage(tx: Queryable, caseId: string): Promise<CaseForTriage | null> {
  const { rows } = await tx.query<{
    id: string; context_id: string; assignee_id: string | null; received_at: Date; acknowledge_days: number; excluded_recipient_ids: string[];
  }>(
    `SELECT c.id, c.context_id, c.assignee_id, c.received_at, x.acknowledge_days, c.excluded_recipient_ids
       FROM cases c JOIN contexts x ON x.id = c.context_id WHERE c.id = $1 FOR UPDATE OF c`,
    [caseId],
  );
  const r = rows[0];
  return r
    ? { id: r.id, contextId: r.context_id, assigneeId: r.assignee_id, receivedAt: r.received_at, acknowledgeDays: r.acknowledge_days, excluded: r.excluded_recipient_ids }
    : null;
}

/** Every recipient of the case's context, with what assignment needs to know about them. */
export async function listAssignmentCandidates(tx: Queryable, c: CaseForTriage): Promise<AssignmentCandidate[]> {
  const { rows } = await tx.query<{ id: string; status: string; holds: boolean; open_cases: string; last_assigned_at: Date | null }>(
    `SELECT u.id, u.status, (w.case_id IS NOT NULL) AS holds, u.last_assigned_at,
            (SELECT count(*) FROM cases o WHERE o.assignee_id = u.id AND o.status <> 'closed') AS open_cases
       FROM context_recipients r
       JOIN staff_users u ON u.id = r.user_id
       LEFT JOIN case_key_wraps w ON w.case_id = $1 AND w.recipient_id = u.id
      WHERE r.context_id = $2
      ORDER BY u.id
      FOR UPDATE OF u`,
    [c.id, c.contextId],
  );
  return rows.map((r) => ({
    userId: r.id,
    active: r.status === 'active',
    holdsKeyWrap: r.holds,
    excludedByReporter: c.excluded.includes(r.id),
    openCases: Number(r.open_cases),
    lastAssignedAt: r.last_assigned_at,
  }));
}

export async function assignCase(tx: Queryable, input: { caseId: string; userId: string; acknowledgeDueAt: Date }): Promise<void> {
  await tx.query('UPDATE cases SET assignee_id = $2, triaged_at = now(), acknowledge_due_at = $3 WHERE id = $1', [
    input.caseId, input.userId, input.acknowledgeDueAt,
  ]);
  await tx.query('UPDATE staff_users SET last_assigned_at = now() WHERE id = $1', [input.userId]);
}

export async function markUntriageable(tx: Queryable, input: { caseId: string; acknowledgeDueAt: Date }): Promise<void> {
  await tx.query('UPDATE cases SET triaged_at = now(), acknowledge_due_at = $2 WHERE id = $1', [input.caseId, input.acknowledgeDueAt]);
}
