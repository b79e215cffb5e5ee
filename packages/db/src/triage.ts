import { randomUUID } from 'node:crypto';
import type { AssignmentCandidate, Priority, RoutingRule } from '@sauti/core';
import { notificationRequestCtes } from './notifications';
import { OUTBOX_CHANNEL } from './outbox';
import type { Queryable } from './pool';
import { ruleFromRow, type RuleRow } from './routing';

export type CaseForTriage = {
  id: string; contextId: string; channel: 'public' | 'internal'; categoryId: string; regionId: string | null; urgent: boolean;
  assigneeId: string | null; triaged: boolean; receivedAt: Date; acknowledgeDays: number; excluded: string[];
};

type CaseRow = {
  id: string; context_id: string; channel: 'public' | 'internal'; category_id: string; region_id: string | null; urgent: boolean;
  assignee_id: string | null; received_at: Date; acknowledge_days: number; excluded_recipient_ids: string[]; triaged_at: Date | null;
};

const CASE_COLUMNS = `c.id, c.context_id, c.channel, c.category_id, c.region_id, c.urgent, c.assignee_id, c.received_at,
            x.acknowledge_days, c.excluded_recipient_ids, c.triaged_at`;

const caseFromRow = (r: CaseRow): CaseForTriage => ({
  id: r.id, contextId: r.context_id, channel: r.channel, categoryId: r.category_id, regionId: r.region_id, urgent: r.urgent,
  assigneeId: r.assignee_id,
  triaged: r.triaged_at !== null,
  receivedAt: r.received_at, acknowledgeDays: r.acknowledge_days, excluded: r.excluded_recipient_ids,
});

/** Locks the case row for the rest of the transaction, so that two workers cannot both assign it. */
export async function lockCaseForTriage(tx: Queryable, caseId: string): Promise<CaseForTriage | null> {
  const { rows } = await tx.query<CaseRow>(
    `SELECT ${CASE_COLUMNS}
       FROM cases c JOIN contexts x ON x.id = c.context_id WHERE c.id = $1 FOR UPDATE OF c`,
    [caseId],
  );
  return rows[0] ? caseFromRow(rows[0]) : null;
}

/** What listAssignmentCandidates reads about one recipient (the open-case count and the counter as text). */
type CandidateRow = { id: string; status: string; holds: boolean; open_cases: number; last_assigned_at: Date | null; assignment_version: string };

const candidateFromRow = (c: CaseForTriage, r: CandidateRow): ClaimableCandidate => ({
  userId: r.id,
  active: r.status === 'active',
  holdsKeyWrap: r.holds,
  excludedByReporter: c.excluded.includes(r.id),
  openCases: r.open_cases,
  lastAssignedAt: r.last_assigned_at,
  version: r.assignment_version,
});

/**
 * Every recipient of the case's context (optionally only members of one unit), with what
 * assignment needs to know about them. Recused people have no key wrap, so they are not eligible.
 * A plain read, no row locks: triage then locks only the person it chooses (lockAssignee), so
 * triages over different people never wait on each other. `version` is the person's assignment
 * counter as read, bumped by every assignment to them.
 */
export type ClaimableCandidate = AssignmentCandidate & { version: string };

export async function listAssignmentCandidates(tx: Queryable, c: CaseForTriage, unitId: string | null = null): Promise<ClaimableCandidate[]> {
  const { rows } = await tx.query<CandidateRow>(
    `SELECT u.id, u.status, (w.case_id IS NOT NULL) AS holds, u.last_assigned_at, u.assignment_version, u.open_cases
       FROM context_recipients r
       JOIN staff_users u ON u.id = r.user_id
       LEFT JOIN case_key_wraps w ON w.case_id = $1 AND w.recipient_id = u.id
      WHERE r.context_id = $2 AND ($3::uuid IS NULL OR u.unit_id = $3::uuid)
      ORDER BY u.id`,
    [c.id, c.contextId, unitId],
  );
  return rows.map((r) => candidateFromRow(c, r));
}

export type TriageRead = { case: CaseForTriage; rules: RoutingRule[] };

/**
 * What triage routes on, in one round trip and without locks: the case and the routing rules in
 * order. Null when the case does not exist. assignLeastLoaded then chooses and writes in one statement.
 */
export async function readForTriage(db: Queryable, caseId: string): Promise<TriageRead | null> {
  // Named statements (here and in assignLeastLoaded): each connection parses and plans them once.
  const { rows } = await db.query<CaseRow & { rules: RuleRow[] }>({
    name: 'sauti_triage_read',
    text: `SELECT ${CASE_COLUMNS},
                  (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.position), '[]') FROM routing_rules r) AS rules
             FROM cases c JOIN contexts x ON x.id = c.context_id WHERE c.id = $1`,
    values: [caseId],
  });
  const row = rows[0];
  return row ? { case: caseFromRow(row), rules: row.rules.map(ruleFromRow) } : null;
}

export type LeastLoadedOutcome =
  | { kind: 'assigned'; userId: string }
  /** Another triage got there first. */
  | { kind: 'triaged' }
  /** Nobody is active, holds the case's key wrap, is in the unit and not excluded. */
  | { kind: 'nobody_eligible' }
  /** Everyone tied for the fewest open cases was being claimed, or was given a case meanwhile; nothing was written. */
  | { kind: 'busy' };

// Who is eligible and how many open cases each has (kept in staff_users.open_cases by a trigger on
// cases), as of the statement's snapshot; then the people tied for the fewest, in the order
// rankAssignees (@sauti/core) prefers them: the one who waited longest for a case (never counts as
// longest), then the smallest id.
const TIED_CTES = `
  c AS (SELECT id, context_id, excluded_recipient_ids FROM cases WHERE id = $1 AND triaged_at IS NULL FOR UPDATE),
  recipients AS (SELECT u.id, u.status, u.open_cases, u.last_assigned_at
                   FROM c JOIN context_recipients r ON r.context_id = c.context_id JOIN staff_users u ON u.id = r.user_id
                  WHERE $2::uuid IS NULL OR u.unit_id = $2::uuid),
  eligible AS (SELECT e.id, e.open_cases AS open, e.last_assigned_at
                 FROM recipients e, c
                WHERE e.status = 'active' AND NOT (e.id = ANY (c.excluded_recipient_ids))
                  AND EXISTS (SELECT 1 FROM case_key_wraps k WHERE k.case_id = c.id AND k.recipient_id = e.id)),
  tied AS (SELECT *, row_number() OVER (ORDER BY last_assigned_at NULLS FIRST, id) - 1 AS n
             FROM eligible WHERE open = (SELECT min(open) FROM eligible))`;

// Only once the person is locked (pick): assigns the case — the trigger on cases then does the
// person's bookkeeping (open-case count, assignment counter, last_assigned_at) — appends the audit
// entry and asks for their notification.
const WRITE_CTES = `
  assigned AS (UPDATE cases k SET assignee_id = pick.id, triaged_at = now(), acknowledge_due_at = $3, unit_id = $2, priority = $4,
                      routing_rule_id = $5, feedback_days = $6
                 FROM pick WHERE k.id = $1 RETURNING pick.id AS user_id, pick.open),
  audit AS (INSERT INTO audit_events (at, actor_type, actor_id, action, case_id, details)
            SELECT $7, 'system', NULL, 'case.assigned', $1,
                   $8::jsonb || jsonb_build_object('assigneeId', user_id,
                                  'reason', format('fewest open cases (%s) among %s eligible', open, (SELECT count(*) FROM eligible)))
              FROM assigned),
  ${notificationRequestCtes('assigned', { id: '$9::uuid', kind: '$10', eventId: '$11::uuid' })}`;

const RESULT = `SELECT (SELECT user_id FROM assigned) AS user_id, EXISTS (SELECT 1 FROM c) AS untriaged,
                       (SELECT count(*) FROM eligible)::int AS eligible, (SELECT count(pg_notify($12, '')) FROM event) AS woke`;

// Passes over people another triage is claiming right now (SKIP LOCKED). A person's open-case count
// (staff_users.open_cases, kept by a trigger on cases) must not have grown since this statement's
// snapshot: if it did, a case was given to them since (the lock re-reads the row, so the check sees
// the newest count). The others' counts only grow, so the person is still among the least loaded.
const ASSIGN_PASSING = `WITH ${TIED_CTES},
  pick AS (SELECT u.id, t.open FROM staff_users u JOIN tied t ON t.id = u.id
            WHERE u.open_cases <= t.open
            ORDER BY t.n LIMIT 1 FOR NO KEY UPDATE OF u SKIP LOCKED),
  ${WRITE_CTES}
  ${RESULT}`;

// Waits for exactly one of the tied people ($13 picks which, modulo how many are tied, so that
// waiting triages spread over them). One person per waiting statement: a row locked and then found
// changed stays locked until the statement ends, so waiting for several in different orders could deadlock.
const ASSIGN_WAITING = `WITH ${TIED_CTES},
  target AS (SELECT * FROM tied WHERE n = $13::int % greatest((SELECT count(*) FROM tied), 1)),
  pick AS (SELECT u.id, t.open FROM staff_users u JOIN target t ON t.id = u.id
            WHERE u.open_cases <= t.open
            FOR NO KEY UPDATE OF u),
  ${WRITE_CTES}
  ${RESULT}`;

/**
 * Triage's assignment in one statement, so atomic like a transaction: among the recipients of the
 * case's context (in `unitId` when routing names one) who are active, hold the case's key wrap and
 * are not excluded by the reporter, takes one of those with the fewest open cases — as this
 * statement sees them, and checked under the person's row lock to be still current — and only if
 * the case is still not triaged, assigns it, appends the audit entry (`routed` plus who and why) and asks for
 * the person's notification. `wait`: a number (any) to wait for one of the tied people instead of
 * passing over those being claimed.
 */
export async function assignLeastLoaded(
  db: Queryable,
  input: {
    caseId: string; unitId: string | null; acknowledgeDueAt: Date; priority: Priority; ruleId: string | null; feedbackDays: number | null;
    routed: Record<string, unknown>; notificationKind: string; wait?: number;
  },
): Promise<LeastLoadedOutcome> {
  const waiting = input.wait !== undefined;
  const { rows } = await db.query<{ user_id: string | null; untriaged: boolean; eligible: number }>({
    name: waiting ? 'sauti_triage_assign_waiting' : 'sauti_triage_assign',
    text: waiting ? ASSIGN_WAITING : ASSIGN_PASSING,
    values: [
      input.caseId, input.unitId, input.acknowledgeDueAt, input.priority, input.ruleId, input.feedbackDays,
      new Date().toISOString(), JSON.stringify(input.routed), randomUUID(), input.notificationKind, randomUUID(), OUTBOX_CHANNEL,
      ...(waiting ? [input.wait] : []),
    ],
  });
  const r = rows[0]!;
  if (r.user_id) return { kind: 'assigned', userId: r.user_id };
  if (!r.untriaged) return { kind: 'triaged' };
  if (r.eligible === 0) return { kind: 'nobody_eligible' };
  return { kind: 'busy' };
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

/** Keeps the person lockAssignee locked until the transaction ends (assigning the case then does their bookkeeping, by trigger). */
export async function claimLockedAssignee(tx: Queryable): Promise<void> {
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

