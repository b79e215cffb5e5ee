import { acknowledgementDueAt, chooseAssignee, matchRoutingRule, type AssignmentDecision, type RoutingRule } from '@sauti/core';
import {
  appendAudit,
  assignCase,
  assignLeastLoaded,
  claimLockedAssignee,
  listAssignmentCandidates,
  listEscalationTargets,
  listRoutingRules,
  lockAssignee,
  lockCaseForTriage,
  readForTriage,
  releaseAssignee,
  requestNotification,
  withTransaction,
  type CaseForTriage,
  type ClaimableCandidate,
  type Db,
  type LeastLoadedOutcome,
  type Queryable,
} from '@sauti/db';

export type TriageOutcome = 'assigned' | 'escalated' | 'already_triaged' | 'nobody_eligible' | 'missing';

const MAX_ROUNDS = 1_000;
const DEADLOCK = '40P01';
const PASSING_ROUNDS = 4;

/** Routing (first matching rule → unit, priority, deadlines) and what the case row and the audit entry record of it. */
function routeCase(rules: readonly RoutingRule[], c: CaseForTriage) {
  const rule = matchRoutingRule(rules, {
    contextId: c.contextId, channel: c.channel, categoryId: c.categoryId, regionId: c.regionId, urgent: c.urgent,
  }).rule;
  const unitId = rule?.targetUnitId ?? null;
  const acknowledgeDueAt = acknowledgementDueAt(c.receivedAt, { acknowledgeDays: rule?.acknowledgeDays ?? c.acknowledgeDays, feedbackDays: 90 });
  const base = { caseId: c.id, acknowledgeDueAt, unitId, priority: rule?.priority ?? (c.urgent ? 'high' : 'normal'), ruleId: rule?.id ?? null, feedbackDays: rule?.feedbackDays ?? null } as const;
  const routed = { ruleId: rule?.id ?? null, rule: rule?.name ?? null, unitId, priority: base.priority };
  return { unitId, base, routed };
}

/**
 * Routes a received case (first matching routing rule → unit, priority, deadlines), assigns it to
 * the least-loaded eligible holder in that unit, or escalates to the unit's supervisor, then to
 * admins — never to someone the reporter excluded. A redelivered or concurrent job changes nothing
 * the second time.
 *
 * Usually two round trips: one read without locks (readForTriage), then one statement that reads
 * the open-case counts of the eligible people, claims one of those tied for the fewest whom no
 * concurrent triage is claiming, and writes the assignment (assignLeastLoaded). When all of them are
 * being claimed right now, it tries again after a pause of a few milliseconds; after a few rounds,
 * every other statement waits for one of them instead (a claim is one statement, so the wait is
 * short) and then reads the counts again. Nobody eligible (escalation) goes to triageWithLocks.
 */
export async function triageCase(pool: Db, caseId: string): Promise<TriageOutcome> {
  const read = await readForTriage(pool, caseId);
  if (!read) return 'missing';
  if (read.case.triaged) return 'already_triaged';
  const { base, routed } = routeCase(read.rules, read.case);
  // Waiting triages spread over the tied people: which one a case waits for comes from its id.
  const spread = Number.parseInt(caseId.slice(0, 6), 16);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // The first rounds pass over people being claimed, with a pause of a few milliseconds between
    // them (their claims commit meanwhile, and a statement that waited would mostly find the count
    // grown); later rounds alternate with waiting for one person, so every triage gets its turn.
    const waiting = round >= PASSING_ROUNDS && round % 2 === 1;
    let outcome: LeastLoadedOutcome;
    try {
      outcome = await assignLeastLoaded(pool, { ...base, routed, notificationKind: 'new_case', wait: waiting ? spread + round : undefined });
    } catch (error) {
      if ((error as { code?: string }).code === DEADLOCK) continue; // nothing was written; count again
      throw error;
    }
    if (outcome.kind === 'assigned') return 'assigned';
    if (outcome.kind === 'triaged') return 'already_triaged';
    if (outcome.kind === 'nobody_eligible') break;
    if (round < PASSING_ROUNDS) await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 2));
  }
  return triageWithLocks(pool, caseId);
}

/**
 * The path that may wait: one transaction under the case's row lock. Taken when nobody is eligible
 * (escalation), or if a case could not be claimed in MAX_ROUNDS statements.
 */
export async function triageWithLocks(pool: Db, caseId: string): Promise<TriageOutcome> {
  return withTransaction(pool, async (tx) => {
    const c = await lockCaseForTriage(tx, caseId);
    if (!c) return 'missing';
    if (c.triaged) return 'already_triaged';
    const { unitId, base, routed } = routeCase(await listRoutingRules(tx), c);

    const decision = await chooseAndClaimAssignee(tx, c, unitId);
    if (decision.kind === 'assigned') {
      await assignCase(tx, { ...base, userId: decision.userId });
      await appendAudit(tx, { actorType: 'system', action: 'case.assigned', caseId, details: { assigneeId: decision.userId, reason: decision.reason, ...routed } });
      await requestNotification(tx, decision.userId, 'new_case');
      return 'assigned';
    }

    const [target] = await listEscalationTargets(tx, unitId, c.excluded);
    if (target) {
      await assignCase(tx, { ...base, userId: target.userId });
      await appendAudit(tx, {
        actorType: 'system', action: 'case.escalated', caseId,
        details: { assigneeId: target.userId, to: target.role, reason: decision.reason, ...routed },
      });
      await requestNotification(tx, target.userId, 'escalation');
      return 'escalated';
    }
    await assignCase(tx, { ...base, userId: null });
    await appendAudit(tx, { actorType: 'system', action: 'case.unassigned', caseId, details: { reason: `${decision.reason}; no supervisor or admin to escalate to`, ...routed } });
    return 'nobody_eligible';
  });
}

const fewestOpenCases = (candidates: readonly ClaimableCandidate[]) =>
  Math.min(...candidates.filter((x) => x.active && x.holdsKeyWrap && !x.excludedByReporter).map((x) => x.openCases));

/**
 * Chooses the least-loaded eligible person and locks only them, for the rest of the transaction.
 * Among the people tied for the fewest open cases, the first one no concurrent triage is claiming
 * right now (SKIP LOCKED) is taken — under a burst, concurrent triages spread over the tied people
 * instead of all queueing for one; when all of them are being claimed, it waits for the
 * least-loaded (never passing to someone with more open cases, which would unlevel the load).
 * A person whose assignment counter moved since the read (someone was given a case meanwhile) is
 * kept only if a fresh read, taken while holding them, still shows them with the fewest open cases.
 * Exclusions are never bypassed: only eligible candidates are ever chosen.
 */
async function chooseAndClaimAssignee(tx: Queryable, c: CaseForTriage, unitId: string | null): Promise<AssignmentDecision> {
  let candidates = await listAssignmentCandidates(tx, c, unitId);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const best = chooseAssignee(candidates);
    if (best.kind !== 'assigned') return best;

    // Only people tied with the least-loaded are alternatives: taking someone with more open cases
    // because the least-loaded is being claimed would leave the load uneven.
    const fewest = fewestOpenCases(candidates);
    const busy = new Set<string>();
    let pick: AssignmentDecision = best;
    let version: string | null = null;
    while (pick.kind === 'assigned' && (version = await lockAssignee(tx, pick.userId, { wait: false })) === null) {
      busy.add(pick.userId);
      pick = chooseAssignee(candidates.filter((x) => !busy.has(x.userId) && x.openCases === fewest));
    }
    if (pick.kind !== 'assigned') {
      pick = best; // everyone eligible is being claimed: queue for the least-loaded
      version = await lockAssignee(tx, best.userId, { wait: true });
      if (version === null) { // the person was deleted meanwhile
        candidates = await listAssignmentCandidates(tx, c, unitId);
        continue;
      }
    }
    const userId = pick.userId;
    const reason = busy.size === 0 ? pick.reason : `${pick.reason}, ${busy.size} less-loaded being assigned by concurrent triages`;
    if (version === candidates.find((x) => x.userId === userId)?.version) {
      await claimLockedAssignee(tx);
      return { kind: 'assigned', userId, reason };
    }
    // Assigned to since the read: while holding them, read again (a new snapshot sees it).
    candidates = await listAssignmentCandidates(tx, c, unitId);
    const fresh = candidates.find((x) => x.userId === userId);
    if (fresh && fresh.active && fresh.holdsKeyWrap && !fresh.excludedByReporter && fresh.openCases <= fewestOpenCases(candidates)) {
      await claimLockedAssignee(tx);
      return { kind: 'assigned', userId, reason: `fewest open cases (${fresh.openCases}) on a fresh read` };
    }
    await releaseAssignee(tx);
  }
  throw new Error(`triage could not claim an assignee in ${MAX_ROUNDS} rounds`);
}
