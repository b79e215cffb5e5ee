import { acknowledgementDueAt, chooseAssignee, matchRoutingRule } from '@sauti/core';
import {
  appendAudit,
  assignCase,
  claimAssignee,
  listAssignmentCandidates,
  listEscalationTargets,
  listRoutingRules,
  lockCaseForTriage,
  requestNotification,
  withTransaction,
  type Db,
} from '@sauti/db';

export type TriageOutcome = 'assigned' | 'escalated' | 'already_triaged' | 'nobody_eligible' | 'missing';

/**
 * Routes a received case (first matching routing rule → unit, priority, deadlines), assigns it to
 * the least-loaded eligible holder in that unit, or escalates to the unit's supervisor, then to
 * admins — never to someone the reporter excluded. One transaction under the case's row lock: a
 * redelivered or concurrent job changes nothing the second time.
 */
export async function triageCase(pool: Db, caseId: string): Promise<TriageOutcome> {
  return withTransaction(pool, async (tx) => {
    const c = await lockCaseForTriage(tx, caseId);
    if (!c) return 'missing';
    if (c.triaged) return 'already_triaged';

    const routing = matchRoutingRule(await listRoutingRules(tx), {
      contextId: c.contextId, channel: c.channel, categoryId: c.categoryId, regionId: c.regionId, urgent: c.urgent,
    });
    const rule = routing.rule;
    const unitId = rule?.targetUnitId ?? null;
    const dueAt = acknowledgementDueAt(c.receivedAt, { acknowledgeDays: rule?.acknowledgeDays ?? c.acknowledgeDays, feedbackDays: 90 });
    const base = { caseId, acknowledgeDueAt: dueAt, unitId, priority: rule?.priority ?? (c.urgent ? 'high' : 'normal'), ruleId: rule?.id ?? null, feedbackDays: rule?.feedbackDays ?? null } as const;
    const routed = { ruleId: rule?.id ?? null, rule: rule?.name ?? null, unitId, priority: base.priority };

    // Least-loaded without locking everyone: choose on a plain read, then claim the chosen person;
    // a claim fails only when someone was assigned to them meanwhile, and the next read sees it.
    let decision;
    for (let attempt = 0; ; attempt++) {
      const candidates = await listAssignmentCandidates(tx, c, unitId);
      decision = chooseAssignee(candidates);
      if (decision.kind !== 'assigned') break;
      const chosen = decision.userId;
      if (await claimAssignee(tx, chosen, candidates.find((x) => x.userId === chosen)!.version)) break;
      if (attempt >= 50) throw new Error('triage could not claim an assignee after 50 attempts');
    }
    if (decision.kind === 'assigned') {
      await assignCase(tx, { ...base, userId: decision.userId }, { claimed: true });
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
