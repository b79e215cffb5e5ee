import type { AssignmentCandidate } from '@sauti/core';
import type { Queryable } from './pool';

export type CaseForTriage = {
  id: string; contextId: string; channel: 'public' | 'internal'; categoryId: string; regionId: string | null; urgent: boolean;
  assigneeId: string | null; triaged: boolean; receivedAt: Date; acknowledgeDays: number; excluded: string[];
};

/** Locks the case row for the rest of the transaction, so that two workers cannot both assign it. */
export async function lockCaseForTriage(tx: Queryable, caseId: string): Promise<CaseForTriage | null> {
  const { rows } = await tx.query<{
    id: string; context_id: string; channel: 'public' | 'internal'; category_id: string; region_id: string | null; urgent: boolean;
    assignee_id: string | null; received_at: Date; acknowledge_days: number; excluded_recipient_ids: string[]; triaged_at: Date | null;
  }>(
    `SELECT c.id, c.context_id, c.channel, c.category_id, c.region_id, c.urgent, c.assignee_id, c.received_at,
            x.acknowledge_days, c.excluded_recipient_ids, c.triaged_at
       FROM cases c JOIN contexts x ON x.id = c.context_id WHERE c.id = $1 FOR UPDATE OF c`,
    [caseId],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id, contextId: r.context_id, channel: r.channel, categoryId: r.category_id, regionId: r.region_id, urgent: r.urgent,
        assigneeId: r.assignee_id,
        triaged: r.triaged_at !== null,
        receivedAt: r.received_at, acknowledgeDays: r.acknowledge_days, excluded: r.excluded_recipient_ids,
      }
    : null;
}

/**
 * Every recipient of the case's context (optionally only members of one unit), with what
 * assignment needs to know about them. Recused people have no key wrap, so they are not eligible.
 * NO KEY UPDATE serialises concurrent triages over the same people (their open-case counts) without
 * blocking the foreign-key checks of reports being accepted meanwhile.
 */
export async function listAssignmentCandidates(tx: Queryable, c: CaseForTriage, unitId: string | null = null): Promise<AssignmentCandidate[]> {
  const { rows } = await tx.query<{ id: string; status: string; holds: boolean; open_cases: string; last_assigned_at: Date | null }>(
    `SELECT u.id, u.status, (w.case_id IS NOT NULL) AS holds, u.last_assigned_at,
            (SELECT count(*) FROM cases o WHERE o.assignee_id = u.id AND o.status <> 'closed') AS open_cases
       FROM context_recipients r
       JOIN staff_users u ON u.id = r.user_id
       LEFT JOIN case_key_wraps w ON w.case_id = $1 AND w.recipient_id = u.id
      WHERE r.context_id = $2 AND ($3::uuid IS NULL OR u.unit_id = $3::uuid)
      ORDER BY u.id
      FOR NO KEY UPDATE OF u`,
    [c.id, c.contextId, unitId],
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

/**
 * Who a case escalates to when no holder is eligible: the unit's supervisor, then admins — active,
 * and never someone the reporter excluded. They may hold no key wrap: they become responsible for
 * finding a reader (a holder grants, or the case is referred), and can see metadata only.
 */
export async function listEscalationTargets(tx: Queryable, unitId: string | null, excluded: string[]): Promise<{ userId: string; role: 'supervisor' | 'admin' }[]> {
  const { rows } = await tx.query<{ id: string; role: 'supervisor' | 'admin' }>(
    `SELECT u.id, 'supervisor' AS role, 0 AS rank FROM units un JOIN staff_users u ON u.id = un.supervisor_id
      WHERE un.id = $1::uuid AND u.status = 'active' AND NOT (u.id = ANY($2::uuid[]))
     UNION ALL
     SELECT u.id, 'admin', 1 FROM staff_users u
      WHERE 'admin' = ANY(u.roles) AND u.status = 'active' AND NOT (u.id = ANY($2::uuid[]))
     ORDER BY rank, id`,
    [unitId, excluded],
  );
  return rows.map((r) => ({ userId: r.id, role: r.role }));
}

