import { z } from 'zod';
import type { FieldIssue } from './result';
import { uuidV4 } from './wire/common';
import { safeText } from './wire/text';

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** EU Directive 2019/1937 art. 9: acknowledge within 7 days; feedback within 3 months, 6 in duly justified cases. */
export const MAX_ACKNOWLEDGE_DAYS = 7;
export const MAX_FEEDBACK_DAYS = 183;

export type RoutingRule = {
  id: string;
  name: string;
  contextId: string | null;
  channel: 'public' | 'internal' | null;
  categoryId: string | null;
  /** Offices or border posts, any of which matches (issue 13); null matches any region. */
  regionIds: string[] | null;
  urgent: boolean | null;
  targetUnitId: string | null;
  priority: Priority;
  acknowledgeDays: number | null;
  feedbackDays: number | null;
  isDefault: boolean;
};

export type RoutingInput = { contextId: string; channel: 'public' | 'internal'; categoryId: string; regionId: string | null; urgent: boolean };

/** One step of the reasoning, structured so that a client can say it in the reader's language. */
export type RoutingStep =
  | { kind: 'mismatch'; rule: string; field: (typeof CONDITIONS)[number]; value: string | boolean | null; wants: string | boolean | string[] | null }
  | { kind: 'match'; rule: string; isDefault: boolean }
  | { kind: 'no_match' };

export type RoutingDecision = { rule: RoutingRule | null; explanation: string[]; steps: RoutingStep[] };

const CONDITIONS = ['contextId', 'channel', 'categoryId', 'regionId', 'urgent'] as const;
type Condition = (typeof CONDITIONS)[number];

/** What a rule asks of one input field; the region condition is the rule's list of regions. */
const wanted = (rule: RoutingRule, c: Condition): string | boolean | string[] | null => (c === 'regionId' ? rule.regionIds : rule[c]);

function conditionHolds(rule: RoutingRule, c: Condition, input: RoutingInput): boolean {
  const wants = wanted(rule, c);
  if (wants === null) return true;
  if (Array.isArray(wants)) return input.regionId !== null && wants.includes(input.regionId);
  return wants === input[c];
}

/** First match wins, in list order. Explains each rule it passed over, for the dry run. */
export function matchRoutingRule(rules: readonly RoutingRule[], input: RoutingInput): RoutingDecision {
  const explanation: string[] = [];
  const steps: RoutingStep[] = [];
  for (const rule of rules) {
    const mismatch = CONDITIONS.find((c) => !conditionHolds(rule, c, input));
    if (mismatch) {
      explanation.push(`"${rule.name}" does not match: ${mismatch} is ${JSON.stringify(input[mismatch])}, the rule wants ${JSON.stringify(wanted(rule, mismatch))}`);
      steps.push({ kind: 'mismatch', rule: rule.name, field: mismatch, value: input[mismatch], wants: wanted(rule, mismatch) });
      continue;
    }
    explanation.push(`"${rule.name}" matches${rule.isDefault ? ' (default rule)' : ''}: first match wins`);
    steps.push({ kind: 'match', rule: rule.name, isDefault: rule.isDefault });
    return { rule, explanation, steps };
  }
  explanation.push('no rule matches: the case goes to every recipient of its context, with the context deadlines');
  steps.push({ kind: 'no_match' });
  return { rule: null, explanation, steps };
}

const regionList = z
  .array(safeText({ max: 64, what: 'a region id' }), { error: 'must be a list of region ids' })
  .min(1, { error: 'must name at least one region, or be null for any region' })
  .max(100, { error: 'lists too many regions' })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'names a region twice' });

/** A rule as sent before rules took several regions (`regionId`) is read as a list of one. */
const legacyRegion = (v: unknown): unknown => {
  if (v === null || typeof v !== 'object' || !('regionId' in v) || 'regionIds' in v) return v;
  const { regionId, ...rest } = v as { regionId: unknown };
  return { ...rest, regionIds: typeof regionId === 'string' ? [regionId] : regionId };
};

const routingRuleObject = z.strictObject({
  id: uuidV4,
  name: safeText({ max: 120, what: 'a name' }),
  contextId: uuidV4.nullable().default(null),
  channel: z.enum(['public', 'internal'], { error: 'must be "public", "internal" or null' }).nullable().default(null),
  categoryId: safeText({ max: 64, what: 'a category id' }).nullable().default(null),
  regionIds: regionList.nullable().default(null),
  urgent: z.boolean({ error: 'must be true, false or null' }).nullable().default(null),
  targetUnitId: uuidV4.nullable().default(null),
  priority: z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` }).default('normal'),
  acknowledgeDays: z.number().int().min(1).max(MAX_ACKNOWLEDGE_DAYS, { error: `must be at most ${MAX_ACKNOWLEDGE_DAYS} (the legal limit)` }).nullable().default(null),
  feedbackDays: z.number().int().min(1).max(MAX_FEEDBACK_DAYS, { error: `must be at most ${MAX_FEEDBACK_DAYS} (six months, the legal limit)` }).nullable().default(null),
  isDefault: z.boolean().default(false),
});
export const routingRuleSchema = z.preprocess(legacyRegion, routingRuleObject);

export const routingRuleSetSchema = z.strictObject({ rules: z.array(routingRuleSchema).max(500, { error: 'at most 500 rules' }) });

export const routingDryRunSchema = z.strictObject({
  contextId: uuidV4,
  categoryId: z.string().min(1).max(64),
  regionId: safeText({ max: 64, what: 'a region id' }).nullable().default(null),
  urgent: z.boolean().default(false),
});

export type RuleSetReferences = {
  contexts: Map<string, { channel: 'public' | 'internal'; categoryIds: string[]; regionIds: string[] }>;
  unitIds: Set<string>;
};

/** Refuses a rule set that cannot work as written; each problem names the rule. */
export function validateRoutingRules(rules: readonly RoutingRule[], refs: RuleSetReferences): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (i: number, field?: string) => `rules.${i}${field ? `.${field}` : ''}`;
  const ids = new Set<string>();
  const seenConditions = new Map<string, number>();
  const defaults = rules.map((r, i) => (r.isDefault ? i : -1)).filter((i) => i >= 0);

  if (rules.length > 0 && defaults.length !== 1) {
    issues.push({ field: 'rules', message: `needs exactly one default rule (found ${defaults.length}), placed last` });
  }
  rules.forEach((rule, i) => {
    if (ids.has(rule.id)) issues.push({ field: at(i, 'id'), message: 'is used by another rule' });
    ids.add(rule.id);
    if (rule.isDefault) {
      if (i !== rules.length - 1) issues.push({ field: at(i, 'isDefault'), message: `the default rule must be last; rules after it could never match` });
      if (CONDITIONS.some((c) => wanted(rule, c) !== null)) issues.push({ field: at(i), message: 'the default rule must not have conditions' });
    }
    const context = rule.contextId ? refs.contexts.get(rule.contextId) : undefined;
    if (rule.contextId && !context) issues.push({ field: at(i, 'contextId'), message: 'is not a context of this deployment' });
    if (context) {
      if (rule.categoryId && !context.categoryIds.includes(rule.categoryId)) issues.push({ field: at(i, 'categoryId'), message: 'is not a category of the rule\'s context' });
      for (const [k, region] of (rule.regionIds ?? []).entries()) {
        if (!context.regionIds.includes(region)) issues.push({ field: at(i, `regionIds.${k}`), message: `"${region}" is not a region of the rule's context` });
      }
      if (rule.channel && rule.channel !== context.channel) issues.push({ field: at(i, 'channel'), message: `can never match: the rule's context is ${context.channel}` });
    }
    if (!rule.contextId && (rule.categoryId || rule.regionIds)) {
      const known = [...refs.contexts.values()];
      if (rule.categoryId && !known.some((c) => c.categoryIds.includes(rule.categoryId!))) issues.push({ field: at(i, 'categoryId'), message: 'is not a category of any context' });
      for (const [k, region] of (rule.regionIds ?? []).entries()) {
        if (!known.some((c) => c.regionIds.includes(region))) issues.push({ field: at(i, `regionIds.${k}`), message: `"${region}" is not a region of any context` });
      }
    }
    if (rule.targetUnitId && !refs.unitIds.has(rule.targetUnitId)) issues.push({ field: at(i, 'targetUnitId'), message: 'is not a unit of this deployment' });
    const key = JSON.stringify(CONDITIONS.map((c) => { const v = wanted(rule, c); return Array.isArray(v) ? [...v].sort() : v; }));
    const earlier = seenConditions.get(key);
    if (earlier !== undefined && !rule.isDefault) {
      issues.push({ field: at(i), message: `has the same conditions as rule ${earlier} ("${rules[earlier]!.name}"), so it can never match` });
    }
    seenConditions.set(key, i);
  });
  return issues;
}
