import { randomUUID } from 'node:crypto';
import {
  fail,
  matchRoutingRule,
  ok,
  validateRoutingRules,
  type Result,
  type RoutingRule,
} from '@sauti/core';
import { appendAudit, enqueueOutbox, listIntakeContexts, listRoutingRules, replaceRoutingRules, retryFailedNotifications, routingReferences, setLegalHold, withTransaction, type Db } from '@sauti/db';

/** Replaces the ordered rule set, or refuses it whole with every problem named. */
export async function saveRoutingRules(pool: Db, actorId: string, rules: RoutingRule[]): Promise<Result<{ rules: RoutingRule[] }>> {
  const issues = validateRoutingRules(rules, await routingReferences(pool));
  if (issues.length > 0) return fail('invalid', 'The routing rules are inconsistent; nothing was changed. See issues.', issues);
  await withTransaction(pool, async (tx) => {
    await replaceRoutingRules(tx, rules);
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.routing_rules_changed', details: { rules: rules.length } });
  });
  return ok({ rules: await listRoutingRules(pool) });
}

/** Where a combination would go and why — the rules, the unit, and who would be eligible. */
export async function dryRunRouting(
  pool: Db,
  input: { contextId: string; categoryId: string; regionId: string | null; urgent: boolean },
): Promise<Result<Record<string, unknown>>> {
  const [context] = await listIntakeContexts(pool, input.contextId);
  if (!context) return fail('invalid', 'There is no open context with this id.', [{ field: 'contextId', message: 'is not an open context' }]);
  const decision = matchRoutingRule(await listRoutingRules(pool), { ...input, channel: context.channel });
  const unitId = decision.rule?.targetUnitId ?? null;
  const unit = unitId ? (await pool.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [unitId])).rows[0]?.name ?? null : null;
  const eligible = unitId
    ? (await pool.query<{ id: string }>('SELECT id FROM staff_users WHERE unit_id = $1 AND id = ANY($2::uuid[])', [unitId, context.recipients.map((r) => r.id)])).rows.map((r) => r.id)
    : context.recipients.map((r) => r.id);
  return ok({
    rule: decision.rule ? { id: decision.rule.id, name: decision.rule.name } : null,
    unit: unitId ? { id: unitId, name: unit } : null,
    priority: decision.rule?.priority ?? (input.urgent ? 'high' : 'normal'),
    acknowledgeDays: decision.rule?.acknowledgeDays ?? context.acknowledgeDays,
    feedbackDays: decision.rule?.feedbackDays ?? context.feedbackDays,
    eligibleRecipientIds: eligible,
    explanation: [
      ...decision.explanation,
      eligible.length > 0
        ? `${eligible.length} recipient(s) could be assigned (the least loaded, unless the reporter excludes them)`
        : 'nobody in the target unit receives this context: the case would escalate to the unit supervisor, then to admins',
    ],
    // The same reasoning as data, for clients that show it in the reader's language.
    steps: [...decision.steps, eligible.length > 0 ? { kind: 'eligible', count: eligible.length } : { kind: 'escalate' }],
  });
}

export async function changeLegalHold(pool: Db, actorId: string, caseId: string, hold: boolean): Promise<Result<{ caseId: string; legalHold: boolean }>> {
  return withTransaction(pool, async (tx) => {
    if (!(await setLegalHold(tx, caseId, hold))) return fail('not_found', 'There is no case with this id.');
    await appendAudit(tx, { actorType: 'staff', actorId, action: hold ? 'case.legal_hold_placed' : 'case.legal_hold_lifted', caseId });
    return ok({ caseId, legalHold: hold });
  });
}

/** Failed notifications go back to pending; a digest request per person goes through the outbox. */
export async function retryNotifications(pool: Db, actorId: string): Promise<{ people: number }> {
  return withTransaction(pool, async (tx) => {
    const users = await retryFailedNotifications(tx);
    for (const userId of users) {
      await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: randomUUID(), payload: { userId } });
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.notifications_retried', details: { people: users.length } });
    return { people: users.length };
  });
}
