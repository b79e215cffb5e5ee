import { fail, matchRoutingRule, ok, validateRoutingRules, type DryRunAnswer, type Result, type RoutingRule, type RoutingRuleSet } from '@sauti/core';
import { appendAudit, listIntakeContexts, listRoutingRules, replaceRoutingRules, routingReferences, withTransaction, type Db } from '@sauti/db';

export async function listRules(pool: Db): Promise<RoutingRuleSet> {
  return { rules: await listRoutingRules(pool) };
}

/** Replaces the ordered rule set, or refuses it whole with every problem named. */
export async function saveRoutingRules(pool: Db, actorId: string, rules: RoutingRule[]): Promise<Result<RoutingRuleSet>> {
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
): Promise<Result<DryRunAnswer>> {
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
