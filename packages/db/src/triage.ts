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
 * A plain read, no row locks: triage then locks only the person it chooses (lockAssignee), so
 * triages over different people never wait on each other. `version` is the person's assignment
 * counter as read, bumped by every assignment to them.
 */
export type ClaimableCandidate = AssignmentCandidate & { version: string };

export async function listAssignmentCandidates(tx: Queryable, c: CaseForTriage, unitId: string | null = null): Promise<ClaimableCandidate[]> {
  const { rows } = await tx.query<{ id: string; status: string; holds: boolean; open_cases: string; last_assigned_at: Date | null; assignment_version: string }>(
    `SELECT u.id, u.status, (w.case_id IS NOT NULL) AS holds, u.last_assigned_at, u.assignment_version,
            (SELECT count(*) FROM cases o WHERE o.assignee_id = u.id AND o.status <> 'closed') AS open_cases
       FROM context_recipients r
       JOIN staff_users u ON u.id = r.user_id
       LEFT JOIN case_key_wraps w ON w.case_id = $1 AND w.recipient_id = u.id
      WHERE r.context_id = $2 AND ($3::uuid IS NULL OR u.unit_id = $3::uuid)
      ORDER BY u.id`,
    [c.id, c.contextId, unitId],
  );
  return rows.map((r) => ({
    userId: r.id,
    active: r.status === 'active',
    holdsKeyWrap: r.holds,
    excludedByReporter: c.excluded.includes(r.id),
    openCases: Number(r.open_cases),
    lastAssignedAt: r.last_assigned_at,
    version: r.assignment_version,
  }));
}

const CLAIM = 'claim_assignee';

/**
 * Locks one person (FOR NO KEY UPDATE: reports being accepted meanwhile still pass their foreign-key
 * checks) inside a savepoint, and returns their assignment counter as it is now. `wait: false` skips
 * a person another triage is claiming right now and returns null (SKIP LOCKED). The lock is either
 * kept with claimLockedAssignee or dropped with releaseAssignee — a triage never holds one person
 * while it waits for another, so triages cannot deadlock over people.
 */
export async function lockAssignee(tx: Queryable, userId: string, options: { wait: boolean }): Promise<string | null> {
  await tx.query(`SAVEPOINT ${CLAIM}`);
  const { rows } = await tx.query<{ assignment_version: string }>(
    `SELECT assignment_version FROM staff_users WHERE id = $1 FOR NO KEY UPDATE${options.wait ? '' : ' SKIP LOCKED'}`,
    [userId],
  );
  if (!rows[0]) {
    await releaseAssignee(tx);
    return null;
  }
  return rows[0].assignment_version;
}

/** Drops the lock lockAssignee took (rolling back to its savepoint releases the row lock). */
export async function releaseAssignee(tx: Queryable): Promise<void> {
  await tx.query(`ROLLBACK TO SAVEPOINT ${CLAIM}`);
  await tx.query(`RELEASE SAVEPOINT ${CLAIM}`);
}

/** Keeps the person lockAssignee locked until the transaction ends, and records the assignment on them. */
export async function claimLockedAssignee(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE staff_users SET last_assigned_at = now(), assignment_version = assignment_version + 1 WHERE id = $1', [userId]);
  await tx.query(`RELEASE SAVEPOINT ${CLAIM}`);
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

