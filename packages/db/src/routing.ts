import type { Priority, RoutingRule, RuleSetReferences } from '@sauti/core';
import type { Queryable } from './pool';

export type RuleRow = {
  id: string; name: string; context_id: string | null; channel: 'public' | 'internal' | null; category_id: string | null;
  region_ids: string[] | null; urgent: boolean | null; target_unit_id: string | null; priority: Priority;
  acknowledge_days: number | null; feedback_days: number | null; is_default: boolean;
};

/** A routing_rules row (as pg returns it, or as to_jsonb renders it: the same names and JSON-safe types). */
export const ruleFromRow = (r: RuleRow): RoutingRule => ({
  id: r.id, name: r.name, contextId: r.context_id, channel: r.channel, categoryId: r.category_id, regionIds: r.region_ids,
  urgent: r.urgent, targetUnitId: r.target_unit_id, priority: r.priority, acknowledgeDays: r.acknowledge_days,
  feedbackDays: r.feedback_days, isDefault: r.is_default,
});

export async function listRoutingRules(db: Queryable): Promise<RoutingRule[]> {
  const { rows } = await db.query<RuleRow>('SELECT * FROM routing_rules ORDER BY position');
  return rows.map(ruleFromRow);
}

/** Replaces the whole ordered rule set (the caller validated it) inside its transaction. */
export async function replaceRoutingRules(tx: Queryable, rules: readonly RoutingRule[]): Promise<void> {
  await tx.query('DELETE FROM routing_rules');
  for (const [position, r] of rules.entries()) {
    await tx.query(
      `INSERT INTO routing_rules (id, position, name, context_id, channel, category_id, region_ids, urgent, target_unit_id, priority,
                                  acknowledge_days, feedback_days, is_default)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [r.id, position, r.name, r.contextId, r.channel, r.categoryId, r.regionIds, r.urgent, r.targetUnitId, r.priority, r.acknowledgeDays, r.feedbackDays, r.isDefault],
    );
  }
}

/** What a rule may refer to: contexts with their categories and regions, and units. */
export async function routingReferences(db: Queryable): Promise<RuleSetReferences> {
  const [contexts, categories, regions, units] = await Promise.all([
    db.query<{ id: string; channel: 'public' | 'internal' }>('SELECT id, channel FROM contexts'),
    db.query<{ context_id: string; id: string }>('SELECT context_id, id FROM context_categories'),
    db.query<{ context_id: string; id: string }>('SELECT context_id, id FROM context_regions'),
    db.query<{ id: string }>('SELECT id FROM units'),
  ]);
  return {
    contexts: new Map(contexts.rows.map((c) => [c.id, {
      channel: c.channel,
      categoryIds: categories.rows.filter((x) => x.context_id === c.id).map((x) => x.id),
      regionIds: regions.rows.filter((x) => x.context_id === c.id).map((x) => x.id),
    }])),
    unitIds: new Set(units.rows.map((u) => u.id)),
  };
}
