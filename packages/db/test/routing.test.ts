import { randomUUID } from 'node:crypto';
import type { RoutingRule } from '@sauti/core';
import { listRoutingRules, replaceRoutingRules, routingReferences, withTransaction } from '@sauti/db';
import { useDatabase } from './harness';

/** Routing rules: the ordered rule set, replaced whole in a transaction, and what rules may refer to. */
describe('routing (real Postgres)', () => {
  const db = useDatabase();

  const rule = (over: Partial<RoutingRule>): RoutingRule => ({
    id: randomUUID(), name: 'rule', contextId: null, channel: null, categoryId: null, regionIds: null, urgent: null,
    targetUnitId: null, priority: 'normal', acknowledgeDays: null, feedbackDays: null, isDefault: false, ...over,
  });

  it('when a rule set is stored, then it is read back field for field in the given order', async () => {
    const rules = [
      rule({ name: 'urgent bribery at Namanga', contextId: db.org.contextId, channel: 'public', categoryId: 'bribery-extortion', regionIds: ['namanga'], urgent: true, targetUnitId: db.org.unitId, priority: 'critical', acknowledgeDays: 1, feedbackDays: 30 }),
      rule({ name: 'internal, not urgent', channel: 'internal', urgent: false, priority: 'low' }),
      rule({ name: 'default', targetUnitId: db.org.unitId, isDefault: true, acknowledgeDays: 7, feedbackDays: 90 }),
    ];
    await withTransaction(db.pool, (tx) => replaceRoutingRules(tx, rules));
    expect(await listRoutingRules(db.pool)).toEqual(rules);
  });

  it('when the rule set is replaced by a reordered, shorter one, then the old rules are gone and the new order holds', async () => {
    const a = rule({ name: 'a' });
    const b = rule({ name: 'b' });
    const c = rule({ name: 'c', isDefault: true });
    await withTransaction(db.pool, (tx) => replaceRoutingRules(tx, [a, b, c]));
    await withTransaction(db.pool, (tx) => replaceRoutingRules(tx, [c, a]));
    expect((await listRoutingRules(db.pool)).map((r) => r.name)).toEqual(['c', 'a']);
    await withTransaction(db.pool, (tx) => replaceRoutingRules(tx, []));
    expect(await listRoutingRules(db.pool)).toEqual([]);
  });

  it('when a replacement fails halfway (a rule the database refuses), then the previous rule set is intact', async () => {
    const kept = [rule({ name: 'kept 1' }), rule({ name: 'kept 2', isDefault: true })];
    await withTransaction(db.pool, (tx) => replaceRoutingRules(tx, kept));
    const bad = [rule({ name: 'fine' }), rule({ name: 'no such unit', targetUnitId: randomUUID() })];
    await expect(withTransaction(db.pool, (tx) => replaceRoutingRules(tx, bad))).rejects.toThrow();
    expect(await listRoutingRules(db.pool)).toEqual(kept);
    const zeroDays = [rule({ name: 'zero days', acknowledgeDays: 0 })];
    await expect(withTransaction(db.pool, (tx) => replaceRoutingRules(tx, zeroDays))).rejects.toThrow();
    expect(await listRoutingRules(db.pool)).toEqual(kept);
  });

  it('when the caller throws after replacing, then the previous rule set is intact', async () => {
    const kept = [rule({ name: 'before' })];
    await withTransaction(db.pool, (tx) => replaceRoutingRules(tx, kept));
    await expect(withTransaction(db.pool, async (tx) => {
      await replaceRoutingRules(tx, [rule({ name: 'after' })]);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await listRoutingRules(db.pool)).toEqual(kept);
  });

  it('when the references are read, then each context carries its channel, categories and regions, and every unit is known', async () => {
    const refs = await routingReferences(db.pool);
    const ctx = refs.contexts.get(db.org.contextId);
    expect(ctx).toBeDefined();
    expect(ctx!.channel).toBe('public');
    expect([...ctx!.categoryIds].sort()).toEqual(['bribery-extortion', 'other']);
    expect(ctx!.regionIds).toEqual(['namanga']);
    expect(refs.unitIds.has(db.org.unitId)).toBe(true);
    expect(refs.unitIds.has(randomUUID())).toBe(false);
    expect(refs.contexts.has(randomUUID())).toBe(false);
  });
});
