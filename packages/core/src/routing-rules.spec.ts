import { matchRoutingRule, routingRuleSchema, validateRoutingRules, type RoutingRule, type RuleSetReferences } from './routing-rules';

const CTX = '11111111-1111-4111-8111-111111111111';
const UNIT = '22222222-2222-4222-8222-222222222222';
let next = 0;
const rule = (name: string, over: Partial<RoutingRule> = {}): RoutingRule => ({
  id: `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`, name, contextId: null, channel: null, categoryId: null,
  regionIds: null, urgent: null, targetUnitId: null, priority: 'normal', acknowledgeDays: null, feedbackDays: null, isDefault: false, ...over,
});
const refs: RuleSetReferences = {
  contexts: new Map([[CTX, { channel: 'public', categoryIds: ['bribery', 'other'], regionIds: ['namanga'] }]]),
  unitIds: new Set([UNIT]),
};
const input = { contextId: CTX, channel: 'public' as const, categoryId: 'bribery', regionId: 'namanga', urgent: true };

describe('routing rules', () => {
  it('when several rules match, then the first one wins and the explanation says why the others did not', () => {
    const rules = [rule('procurement', { categoryId: 'other' }), rule('urgent bribery', { categoryId: 'bribery', urgent: true, priority: 'critical' }), rule('default', { isDefault: true })];
    const decision = matchRoutingRule(rules, input);
    expect(decision.rule?.name).toBe('urgent bribery');
    expect(decision.explanation).toEqual([
      '"procurement" does not match: categoryId is "bribery", the rule wants "other"',
      '"urgent bribery" matches: first match wins',
    ]);
    expect(decision.steps).toEqual([
      { kind: 'mismatch', rule: 'procurement', field: 'categoryId', value: 'bribery', wants: 'other' },
      { kind: 'match', rule: 'urgent bribery', isDefault: false },
    ]);
  });

  it('when a rule names several regions, then a report from any of them matches, and one from elsewhere is told which the rule wants', () => {
    const border = rule('border posts', { regionIds: ['busia', 'namanga'] });
    expect(matchRoutingRule([border], input).rule?.name).toBe('border posts');
    expect(matchRoutingRule([rule('busia only', { regionIds: ['busia'] })], input).steps[0]).toEqual({
      kind: 'mismatch', rule: 'busia only', field: 'regionId', value: 'namanga', wants: ['busia'],
    });
    // A report without a region never matches a rule that asks for regions.
    expect(matchRoutingRule([border], { ...input, regionId: null }).rule).toBeNull();
  });

  it('when a rule names a region its context does not have, or one twice, then the issue names that entry', () => {
    expect(validateRoutingRules([rule('a', { contextId: CTX, regionIds: ['namanga', 'malaba'] }), rule('default', { isDefault: true })], refs)).toEqual([
      { field: 'rules.0.regionIds.1', message: '"malaba" is not a region of the rule\'s context' },
    ]);
    expect(routingRuleSchema.safeParse({ id: CTX, name: 'twice', regionIds: ['a', 'a'] }).success).toBe(false);
  });

  it('when a client still sends one "regionId", then it is read as a list of one', () => {
    const parsed = routingRuleSchema.parse({ id: CTX, name: 'old client', regionId: 'namanga' });
    expect(parsed.regionIds).toEqual(['namanga']);
    expect(routingRuleSchema.parse({ id: CTX, name: 'any region', regionId: null }).regionIds).toBeNull();
  });

  it('when only the default matches, then it is chosen', () => {
    expect(matchRoutingRule([rule('x', { urgent: false }), rule('default', { isDefault: true })], input).rule?.name).toBe('default');
  });

  it('when the rule set is consistent, then it has no issues', () => {
    expect(validateRoutingRules([rule('a', { contextId: CTX, categoryId: 'bribery', targetUnitId: UNIT }), rule('default', { isDefault: true })], refs)).toEqual([]);
  });

  it('when the default is missing, not last, or has conditions, then the set is refused', () => {
    expect(validateRoutingRules([rule('a')], refs)).toContainEqual({ field: 'rules', message: 'needs exactly one default rule (found 0), placed last' });
    const notLast = validateRoutingRules([rule('default', { isDefault: true }), rule('a', { urgent: true })], refs);
    expect(notLast.map((i) => i.field)).toContain('rules.0.isDefault');
    expect(validateRoutingRules([rule('default', { isDefault: true, urgent: true })], refs)).toContainEqual({ field: 'rules.0', message: 'the default rule must not have conditions' });
  });

  it('when a rule names unknown things or can never match, then each is named', () => {
    const issues = validateRoutingRules([
      rule('a', { contextId: CTX, categoryId: 'tax', channel: 'internal' }),
      rule('b', { targetUnitId: '33333333-3333-4333-8333-333333333333', urgent: true }),
      rule('c', { urgent: true }),
      rule('default', { isDefault: true }),
    ], refs);
    expect(issues.map((i) => i.field)).toEqual(['rules.0.categoryId', 'rules.0.channel', 'rules.1.targetUnitId', 'rules.2']);
  });
});
