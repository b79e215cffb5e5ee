// The rules of a survey response (docs/protocol.md §10.4) and the aggregation the analyst's
// browser computes from decrypted responses: distributions, mean, % favourable, by group, with
// small-cell suppression, and the change from the previous iteration. Pure: no I/O.
import { ARUSHA_FACTOR_IDS, type ArushaFactorId as ArushaFactor } from './arusha';
import type { FieldIssue } from './result';
import { SURVEY_GROUPS, type LocalizedText, type SurveyDefinition, type SurveyGroup, type SurveyIterationSummary, type SurveyQuestion } from './wire/surveys';

export type SurveyAnswerValue = number | string | string[];
export type SurveyResponseBody = { v: 1; group: SurveyGroup; language: string; answers: { q: string; a: SurveyAnswerValue }[] };

/** Free text is capped so that a response stays well under the size limit. */
export const SURVEY_TEXT_MAX = 2000;
/** Default small-cell threshold: a breakdown with fewer respondents is shown as "fewer than 5". */
export const SUPPRESS_BELOW = 5;

export function localized(text: LocalizedText, lang: string): string {
  return text.byLang?.[lang] ?? text.byLang?.[lang.split('-')[0] ?? ''] ?? text.default;
}

/**
 * Checks a response against the questionnaire of its group: every required question answered,
 * every answer within its scale or options, nothing unknown. The respondent's client runs it before
 * sealing (the server cannot see inside); the analyst's browser runs it again after decryption.
 */
export function checkSurveyResponse(definition: SurveyDefinition, body: unknown): FieldIssue[] {
  return checkWith(definition, body, indexQuestionnaire);
}

function checkWith(definition: SurveyDefinition, body: unknown, indexOf: (q: Questionnaire) => QuestionnaireIndex): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ field: '(response)', message: 'is not an object' }];
  const b = body as Record<string, unknown>;
  if (b.v !== 1) issues.push({ field: 'v', message: 'must be 1' });
  const questionnaire = definition.questionnaires.find((q) => q.group === b.group);
  if (!questionnaire) return [...issues, { field: 'group', message: `must be one of ${definition.questionnaires.map((q) => q.group).join(', ')}` }];
  if (typeof b.language !== 'string' || b.language.length > 35) issues.push({ field: 'language', message: 'must be a language tag' });
  if (!Array.isArray(b.answers)) return [...issues, { field: 'answers', message: 'must be a list' }];
  const { byId, options } = indexOf(questionnaire);
  const seen = new Set<string>();
  for (const [i, raw] of (b.answers as unknown[]).entries()) {
    const answer = raw as { q?: unknown; a?: unknown } | null;
    const q = typeof answer?.q === 'string' ? byId.get(answer.q) : undefined;
    if (!q) {
      issues.push({ field: `answers.${i}.q`, message: 'is not a question of this questionnaire' });
      continue;
    }
    if (seen.has(q.id)) issues.push({ field: `answers.${i}.q`, message: `answers "${q.id}" twice` });
    seen.add(q.id);
    const problem = checkAnswer(q, options.get(q.id)!, answer?.a);
    if (problem) issues.push({ field: `answers.${i}.a`, message: `${q.id}: ${problem}` });
  }
  for (const q of questionnaire.questions) {
    if (q.required && !seen.has(q.id)) issues.push({ field: `answers`, message: `${q.id}: this question needs an answer` });
  }
  return issues;
}

type Questionnaire = SurveyDefinition['questionnaires'][number];
type QuestionnaireIndex = { byId: Map<string, SurveyQuestion>; options: Map<string, Set<string>> };
function indexQuestionnaire(questionnaire: Questionnaire): QuestionnaireIndex {
  return {
    byId: new Map(questionnaire.questions.map((q) => [q.id, q])),
    options: new Map(questionnaire.questions.map((q) => [q.id, new Set(q.options?.map((o) => o.id) ?? [])])),
  };
}
/**
 * The analyst's browser checks every decrypted response of an iteration (10,000 and more) against
 * one definition, so aggregateSurvey builds each questionnaire's lookups once per call, not once
 * per response.
 */
function indexOnce(): (q: Questionnaire) => QuestionnaireIndex {
  const built = new Map<Questionnaire, QuestionnaireIndex>();
  return (q) => {
    let index = built.get(q);
    if (!index) built.set(q, (index = indexQuestionnaire(q)));
    return index;
  };
}

function checkAnswer(q: SurveyQuestion, options: ReadonlySet<string>, a: unknown): string | null {
  switch (q.kind) {
    case 'agreement-5':
      return Number.isInteger(a) && (a as number) >= 1 && (a as number) <= 5 ? null : 'must be a whole number from 1 (strongly disagree) to 5 (strongly agree)';
    case 'single':
      return typeof a === 'string' && options.has(a) ? null : 'must be one of the options';
    case 'multiple':
      if (!Array.isArray(a) || a.length === 0) return 'must be a non-empty list of options';
      if (!a.every((x) => typeof x === 'string' && options.has(x))) return 'lists something that is not an option';
      return new Set(a).size === a.length ? null : 'lists an option twice';
    case 'text':
      return typeof a === 'string' && a.trim().length > 0 && a.length <= SURVEY_TEXT_MAX ? null : `must be text of 1–${SURVEY_TEXT_MAX} characters`;
  }
}

// --- aggregation -------------------------------------------------------------------------------

export type Breakdown = 'all' | SurveyGroup;
export const BREAKDOWNS: readonly Breakdown[] = ['all', ...SURVEY_GROUPS];

/** One cell: null figures when suppressed (fewer than the threshold answered). */
export type Cell = {
  n: number;
  suppressed: boolean;
  /** Counts per option (agreement: "1".."5"); null when suppressed or for free text. */
  distribution: Record<string, number> | null;
  /** Agreement questions: mean on 1–5. */
  mean: number | null;
  /** Agreement questions: share of 4 and 5, in percent. */
  favourable: number | null;
};

export type QuestionResult = { id: string; factor: ArushaFactor; kind: SurveyQuestion['kind']; text: LocalizedText; cells: Partial<Record<Breakdown, Cell>> };
export type FactorResult = { factor: ArushaFactor; cells: Partial<Record<Breakdown, Cell>> };
export type IterationResults = {
  total: number;
  malformed: number;
  groups: Record<Breakdown, number>;
  questions: QuestionResult[];
  factors: FactorResult[];
  threshold: number;
};

type Tally = { n: number; counts: Record<string, number>; sum: number; fav: number; scored: number };
const emptyTally = (): Tally => ({ n: 0, counts: {}, sum: 0, fav: 0, scored: 0 });

function toCell(t: Tally, threshold: number, kind: SurveyQuestion['kind'] | 'factor'): Cell {
  const suppressed = t.n < threshold;
  if (suppressed) return { n: t.n, suppressed, distribution: null, mean: null, favourable: null };
  const scaled = kind === 'agreement-5' || kind === 'factor';
  return {
    n: t.n,
    suppressed,
    distribution: kind === 'text' || kind === 'factor' ? null : { ...t.counts },
    mean: scaled && t.scored > 0 ? round(t.sum / t.scored, 2) : null,
    favourable: scaled && t.scored > 0 ? round((100 * t.fav) / t.scored, 1) : null,
  };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Aggregates decrypted responses. A response that fails checkSurveyResponse is counted as
 * malformed and left out of every figure. Each breakdown (all respondents, each group) of each
 * question and factor is suppressed when fewer than `threshold` respondents are in it.
 */
export function aggregateSurvey(definition: SurveyDefinition, bodies: readonly unknown[], threshold = SUPPRESS_BELOW): IterationResults {
  const questions = new Map<string, { q: SurveyQuestion; tallies: Map<Breakdown, Tally> }>();
  for (const qn of definition.questionnaires) {
    for (const q of qn.questions) {
      if (!questions.has(q.id)) questions.set(q.id, { q, tallies: new Map() });
    }
  }
  const factorTallies = new Map<ArushaFactor, Map<Breakdown, Tally>>();
  const groups: Record<Breakdown, number> = { all: 0, officials: 0, 'private_sector': 0 };
  let malformed = 0;
  const indexOf = indexOnce();
  for (const body of bodies) {
    if (checkWith(definition, body, indexOf).length > 0) {
      malformed++;
      continue;
    }
    const r = body as SurveyResponseBody;
    groups.all++;
    groups[r.group]++;
    const factorsTouched = new Map<ArushaFactor, { sum: number; fav: number; scored: number }>();
    for (const { q: id, a } of r.answers) {
      const entry = questions.get(id);
      if (!entry) continue;
      for (const b of ['all', r.group] as Breakdown[]) {
        const t = entry.tallies.get(b) ?? emptyTally();
        entry.tallies.set(b, t);
        t.n++;
        for (const key of Array.isArray(a) ? a : entry.q.kind === 'text' ? [] : [String(a)]) t.counts[key] = (t.counts[key] ?? 0) + 1;
        if (entry.q.kind === 'agreement-5' && typeof a === 'number') {
          t.sum += a;
          t.scored++;
          if (a >= 4) t.fav++;
        }
      }
      if (entry.q.kind === 'agreement-5' && typeof a === 'number') {
        const f = factorsTouched.get(entry.q.factor) ?? { sum: 0, fav: 0, scored: 0 };
        f.sum += a;
        f.scored++;
        if (a >= 4) f.fav++;
        factorsTouched.set(entry.q.factor, f);
      }
    }
    for (const [factor, f] of factorsTouched) {
      const map = factorTallies.get(factor) ?? new Map<Breakdown, Tally>();
      factorTallies.set(factor, map);
      for (const b of ['all', r.group] as Breakdown[]) {
        const t = map.get(b) ?? emptyTally();
        map.set(b, t);
        t.n++;
        t.sum += f.sum;
        t.fav += f.fav;
        t.scored += f.scored;
      }
    }
  }
  const cellsOf = (tallies: Map<Breakdown, Tally>, kind: SurveyQuestion['kind'] | 'factor') => {
    const cells: Partial<Record<Breakdown, Cell>> = {};
    for (const b of BREAKDOWNS) cells[b] = toCell(tallies.get(b) ?? emptyTally(), threshold, kind);
    // Complementary suppression: with the total shown, one hidden group would be the total minus
    // the others, so when exactly one group is hidden (and not empty) the other groups are hidden too.
    const hidden = SURVEY_GROUPS.filter((g) => cells[g]!.suppressed && cells[g]!.n > 0);
    if (hidden.length === 1) {
      for (const g of SURVEY_GROUPS) cells[g] = { ...cells[g]!, suppressed: true, distribution: null, mean: null, favourable: null };
    }
    return cells;
  };
  return {
    total: bodies.length,
    malformed,
    groups,
    threshold,
    questions: [...questions.values()].map(({ q, tallies }) => ({ id: q.id, factor: q.factor, kind: q.kind, text: q.text, cells: cellsOf(tallies, q.kind) })),
    factors: ARUSHA_FACTOR_IDS.filter((f) => factorTallies.has(f)).map((factor) => ({ factor, cells: cellsOf(factorTallies.get(factor)!, 'factor') })),
  };
}

export type FactorChange = {
  factor: ArushaFactor;
  breakdown: Breakdown;
  previous: number | null;
  current: number | null;
  /** Percentage points of favourable answers; null when either side is suppressed or absent. */
  change: number | null;
  /** Two-proportion z-test on favourable answers at the 5 % level; null when not computable. */
  significant: boolean | null;
};

/** What an analyst's browser computes for one iteration, with the previous one to compare. */
export type IterationReport = {
  iteration: SurveyIterationSummary;
  results: IterationResults;
  previous: { iteration: SurveyIterationSummary; results: IterationResults } | null;
  changes: FactorChange[];
  undecryptable: number;
};

/** Change of % favourable per factor and breakdown, iteration N against N − 1. */
export function compareIterations(previous: IterationResults, current: IterationResults): FactorChange[] {
  const out: FactorChange[] = [];
  const factors = ARUSHA_FACTOR_IDS.filter((f) => current.factors.some((x) => x.factor === f) || previous.factors.some((x) => x.factor === f));
  for (const factor of factors) {
    for (const breakdown of BREAKDOWNS) {
      const p = previous.factors.find((x) => x.factor === factor)?.cells[breakdown];
      const c = current.factors.find((x) => x.factor === factor)?.cells[breakdown];
      const pv = p && !p.suppressed ? p.favourable : null;
      const cv = c && !c.suppressed ? c.favourable : null;
      let change: number | null = null;
      let significant: boolean | null = null;
      if (pv !== null && cv !== null && p && c) {
        change = round(cv - pv, 1);
        significant = twoProportionSignificant(pv / 100, p.n, cv / 100, c.n);
      }
      out.push({ factor, breakdown, previous: pv, current: cv, change, significant });
    }
  }
  return out;
}

/** |z| > 1.96 for two independent proportions (pooled standard error). */
export function twoProportionSignificant(p1: number, n1: number, p2: number, n2: number): boolean | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return p1 !== p2;
  return Math.abs((p2 - p1) / se) > 1.96;
}

const csvCell = (v: string | number | null): string => {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  // Operator texts starting like a formula are neutralised for spreadsheets (CSV injection).
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The aggregates as CSV (never a response): one row per question or factor and breakdown.
 * Suppressed cells read "<threshold" in the n column and leave every figure empty.
 */
export function surveyResultsCsv(results: IterationResults, lang = 'en', changes: FactorChange[] = []): string {
  const rows: (string | number | null)[][] = [['level', 'id', 'factor', 'text', 'breakdown', 'n', 'mean', 'favourable_percent', 'distribution', 'change_points', 'significant']];
  for (const f of results.factors) {
    for (const b of BREAKDOWNS) {
      const c = f.cells[b]!;
      const ch = changes.find((x) => x.factor === f.factor && x.breakdown === b);
      rows.push(['factor', f.factor, f.factor, null, b, c.suppressed ? `<${results.threshold}` : c.n, c.mean, c.favourable, null, ch?.change ?? null, ch?.significant === null || ch === undefined ? null : ch.significant ? 'yes' : 'no']);
    }
  }
  for (const q of results.questions) {
    for (const b of BREAKDOWNS) {
      const c = q.cells[b]!;
      const dist = c.distribution ? Object.entries(c.distribution).map(([k, v]) => `${k}:${v}`).join(' ') : null;
      rows.push(['question', q.id, q.factor, localized(q.text, lang), b, c.suppressed ? `<${results.threshold}` : c.n, c.mean, c.favourable, dist, null, null]);
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
