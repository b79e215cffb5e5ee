import {
  ARUSHA_FACTORS,
  coarsestNeeded,
  fail,
  may,
  ok,
  OUTCOMES,
  protectCounts,
  protectedShare,
  type BreakdownDimension,
  type CategoryFactorList,
  type CategoryFactorsRequest,
  type Granularity,
  type Indicator,
  type ProtectedCount,
  type Result,
  type StatisticsFilter,
  type StatisticsPeriod,
  type StatisticsRow,
  type StatisticsSummary,
  type StatisticsTable,
  type TransparencyFigures,
} from '@sauti/core';
import {
  appendAudit,
  countCases,
  countCasesBy,
  countCasesOverTime,
  countOutcomesBy,
  existingCategories,
  listCategoryFactors,
  periodFigures,
  replaceCategoryFactors,
  setStatisticsAllUnits,
  statisticsLabels,
  statisticsRefreshedAt,
  statisticsScopeOf,
  withStatisticsMemory,
  withTransaction,
  type Db,
  type KeyCount,
  type PeriodFigures,
  type Queryable,
  type StatisticsWhere,
} from '@sauti/db';

/**
 * Integrity monitoring (issue 14). Every figure leaves here small-cell protected; every view is
 * audited (who looked at which breakdown with which filters) before it is answered.
 */

const DAY_MS = 86_400_000;
type Who = { userId: string; roles: readonly string[] };

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** The period asked for, by default the last twelve calendar months up to today (UTC). */
export function resolvePeriod(filter: Pick<StatisticsFilter, 'from' | 'to'>, now = new Date()): { period: StatisticsPeriod; previous: StatisticsPeriod; from: Date; toExclusive: Date; prevFrom: Date } {
  const to = filter.to ?? utcDay(now);
  const defaultFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  const from = filter.from ?? utcDay(defaultFrom <= new Date(`${to}T00:00:00Z`) ? defaultFrom : new Date(`${to}T00:00:00Z`));
  const fromDate = new Date(`${from}T00:00:00Z`);
  const toExclusive = new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY_MS);
  const length = toExclusive.getTime() - fromDate.getTime();
  const prevFrom = new Date(fromDate.getTime() - length);
  return {
    period: { from, to }, previous: { from: utcDay(prevFrom), to: utcDay(new Date(fromDate.getTime() - DAY_MS)) },
    from: fromDate, toExclusive, prevFrom,
  };
}

type Access = { unitId: string | null };

/** Who may see what: analysts, supervisors and admins; a person scoped to a unit sees only it. */
async function authorise(db: Queryable, who: Who, filter: StatisticsFilter, dimension: BreakdownDimension | 'summary'): Promise<Result<Access>> {
  if (!may(who.roles, 'viewStatistics')) return fail('forbidden', 'Statistics are for analysts, supervisors and administrators.');
  const scope = await statisticsScopeOf(db, who.userId);
  if (!scope) return fail('forbidden', 'Statistics are for active staff accounts.');
  if (scope.allUnits) return ok({ unitId: filter.unitId ?? null });
  if (dimension === 'unit') {
    return fail('forbidden', 'A breakdown by unit needs statistics of every unit; you see your own unit only. An administrator can grant every unit.', [
      { field: 'dimension', message: 'unit is not available to you' },
    ]);
  }
  if (filter.unitId && filter.unitId !== scope.unitId) {
    return fail('forbidden', 'You may see the statistics of your own unit only. An administrator can grant every unit.', [{ field: 'unitId', message: 'is not your unit' }]);
  }
  return ok({ unitId: scope.unitId });
}

function whereOf(filter: StatisticsFilter, access: Access, from: Date, toExclusive: Date): StatisticsWhere {
  return { from, toExclusive, channel: filter.channel, contextId: filter.contextId, unitId: access.unitId ?? undefined };
}

const FIXED_LABELS: Record<string, Record<string, string>> = {
  identity: { anonymous: 'Anonymous', confidential: 'Confidential (identity given)' },
  status: { received: 'Received', acknowledged: 'Acknowledged', in_progress: 'In progress', closed: 'Closed' },
  age: { '0-7': '0–7 days', '8-30': '8–30 days', '31-90': '31–90 days', '91-180': '91–180 days', '181+': 'over 180 days' },
  reengagement: { returned: 'Reporter came back', not_returned: 'Reporter did not come back' },
  outcome: {
    substantiated: 'Substantiated', partly_substantiated: 'Partly substantiated', unsubstantiated: 'Not substantiated',
    referred_prosecution: 'Referred to prosecution', referred: 'Referred to another authority', not_actionable: 'No action possible', withdrawn: 'Withdrawn',
  },
  factor: Object.fromEntries(ARUSHA_FACTORS.map((f) => [f.id, f.name])),
  channel: { public: 'Public web', internal: 'Internal (staff)', hotline: 'Telephone (recorded by staff)', walk_in: 'In person (recorded by staff)', letter: 'Letter (recorded by staff)' },
};
/** Rows that always appear, in this order, even when empty (so a zero is a fact, not an absence). */
const FIXED_ORDER: Partial<Record<BreakdownDimension, readonly string[]>> = {
  identity: ['anonymous', 'confidential'],
  status: ['received', 'acknowledged', 'in_progress', 'closed'],
  age: ['0-7', '8-30', '31-90', '91-180', '181+'],
  reengagement: ['returned', 'not_returned'],
  outcome: OUTCOMES,
  factor: [...ARUSHA_FACTORS.map((f) => f.id), 'none'],
};

async function labeller(db: Queryable, dimension: string): Promise<(key: string) => string> {
  const dynamic = dimension === 'category' || dimension === 'region' || dimension === 'unit' || dimension === 'context' ? await statisticsLabels(db, dimension) : null;
  return (key) => {
    if (key === 'none') return dimension === 'factor' ? 'No factor mapped' : dimension === 'unit' ? 'No unit' : 'Not given';
    return dynamic?.get(key) ?? FIXED_LABELS[dimension]?.[key] ?? key;
  };
}

/** Keys in a stable order: the fixed ones first (all of them), then any others found, sorted. */
function orderedKeys(dimension: string, found: readonly string[]): string[] {
  const fixed = FIXED_ORDER[dimension as BreakdownDimension] ?? [];
  return [...fixed, ...[...new Set(found)].filter((k) => !fixed.includes(k)).sort()];
}

function bucketLabel(key: string, g: Granularity): string {
  const [y, m] = key.split('-');
  if (g === 'year') return y!;
  if (g === 'quarter') return `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}`;
  return `${y}-${m}`;
}

export async function statisticsBreakdown(
  pool: Db, who: Who, filter: StatisticsFilter, dimension: BreakdownDimension, by: 'category' | 'factor' | null, threshold: number,
): Promise<Result<StatisticsTable>> {
  const access = await authorise(pool, who, filter, dimension);
  if (!access.ok) return access;
  const { period, from, toExclusive } = resolvePeriod(filter);
  const where = whereOf(filter, access.value, from, toExclusive);
  await appendAudit(pool, { actorType: 'staff', actorId: who.userId, action: 'statistics.viewed', details: { view: 'breakdown', dimension, by, filters: { ...filter, ...period } } });

  let rows: StatisticsRow[];
  let columns: StatisticsRow[] = [{ key: 'cases', label: 'Cases' }];
  let matrix: number[][];
  let granularity: Granularity | null = null;
  let overlapping = false;
  let distinctTotal: number | null = null;

  if (dimension === 'time') {
    const series = {
      month: await countCasesOverTime(pool, where, 'month'),
      quarter: await countCasesOverTime(pool, where, 'quarter'),
      year: await countCasesOverTime(pool, where, 'year'),
    };
    granularity = coarsestNeeded({ month: series.month.map((x) => x.n), quarter: series.quarter.map((x) => x.n), year: series.year.map((x) => x.n) }, threshold);
    const chosen = series[granularity];
    rows = chosen.map((x) => ({ key: x.key, label: bucketLabel(x.key, granularity!) }));
    matrix = chosen.map((x) => [x.n]);
  } else if (dimension === 'outcome' && by) {
    const counts = await countOutcomesBy(pool, where, by);
    const label = await labeller(pool, by);
    const rowKeys = by === 'factor' ? orderedKeys('factor', counts.map((c) => c.row)) : orderedKeys(by, counts.map((c) => c.row));
    const outcomeLabel = await labeller(pool, 'outcome');
    columns = OUTCOMES.map((o) => ({ key: o, label: outcomeLabel(o) }));
    rows = rowKeys.map((k) => ({ key: k, label: label(k) }));
    matrix = rowKeys.map((r) => OUTCOMES.map((o) => counts.find((c) => c.row === r && c.column === o)?.n ?? 0));
    if (by === 'factor') {
      overlapping = true;
      distinctTotal = await countCases(pool, where, 'closed');
    }
  } else {
    const counts: KeyCount[] = await countCasesBy(pool, where, dimension);
    const label = await labeller(pool, dimension);
    const keys = orderedKeys(dimension, counts.map((c) => c.key)).filter((k) => dimension !== 'outcome' || k !== 'none' || counts.some((c) => c.key === k));
    rows = keys.map((k) => ({ key: k, label: label(k) }));
    matrix = keys.map((k) => [counts.find((c) => c.key === k)?.n ?? 0]);
    if (dimension === 'factor') {
      overlapping = true;
      distinctTotal = await countCases(pool, where);
    }
  }

  const flat = matrix.flat();
  const width = columns.length;
  let cells: ProtectedCount[][];
  let total: ProtectedCount;
  if (overlapping) {
    // Cells overlap (a case counts under each factor of its category), so they do not add up to
    // the total: each cell and the distinct total are protected as counts of their own, and the
    // cells among themselves as one table (their shown sum is not published).
    const own = protectCounts(flat, threshold);
    cells = rows.map((_, i) => own.cells.slice(i * width, (i + 1) * width));
    // When a mapping gives each category one factor the cells do add up to the total, so the total
    // is withheld whenever the cells' own sum had to be.
    total = own.total.value === null ? own.total : protectCounts([distinctTotal ?? 0], threshold).total;
  } else {
    const p = protectCounts(flat, threshold);
    cells = rows.map((_, i) => p.cells.slice(i * width, (i + 1) * width));
    total = p.total;
  }
  const asOf = await statisticsRefreshedAt(pool);
  return ok({
    dimension, by, period, granularity, rows, columns, cells, total, overlapping, threshold, scope: { unitId: access.value.unitId }, asOf: asOf?.toISOString() ?? null,
  });
}

const round = (x: number | null, digits = 1) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

function quantile(value: number | null, n: number, threshold: number): number | null {
  return n >= threshold ? round(value) : null;
}

function indicators(f: PeriodFigures, threshold: number) {
  return {
    received: protectCounts([f.received], threshold).total,
    anonymousShare: protectedShare(f.anonymous, f.received, threshold),
    acknowledgedInTimeShare: protectedShare(f.acknowledgedInTime, f.acknowledgementDecided, threshold),
    feedbackInTimeShare: protectedShare(f.feedbackInTime, f.feedbackDecided, threshold),
    reengagedShare: protectedShare(f.reengaged, f.received, threshold),
    ack: { median: quantile(f.daysToAcknowledge.median, f.acknowledged, threshold), p90: quantile(f.daysToAcknowledge.p90, f.acknowledged, threshold) },
    fb: { median: quantile(f.daysToFeedback.median, f.fedBack, threshold), p90: quantile(f.daysToFeedback.p90, f.fedBack, threshold) },
    close: { median: quantile(f.daysToClose.median, f.closed, threshold), p90: quantile(f.daysToClose.p90, f.closed, threshold) },
  };
}

const pair = (value: number | null, previous: number | null): Indicator => ({ value: round(value, 4), previous: round(previous, 4) });

export async function statisticsSummary(pool: Db, who: Who, filter: StatisticsFilter, threshold: number): Promise<Result<StatisticsSummary>> {
  const access = await authorise(pool, who, filter, 'summary');
  if (!access.ok) return access;
  const { period, previous, from, toExclusive, prevFrom } = resolvePeriod(filter);
  await appendAudit(pool, { actorType: 'staff', actorId: who.userId, action: 'statistics.viewed', details: { view: 'summary', filters: { ...filter, ...period } } });
  const figures = await withStatisticsMemory(pool, (tx) => periodFigures(tx, whereOf(filter, access.value, from, toExclusive), prevFrom));
  const now = indicators(figures.current, threshold);
  const before = indicators(figures.previous, threshold);
  const open = await countCases(pool, whereOf(filter, access.value, from, toExclusive), 'open');
  const asOf = await statisticsRefreshedAt(pool);
  return ok({
    period, previousPeriod: previous,
    received: { value: now.received, previous: before.received },
    anonymousShare: pair(now.anonymousShare, before.anonymousShare),
    acknowledgedInTimeShare: pair(now.acknowledgedInTimeShare, before.acknowledgedInTimeShare),
    feedbackInTimeShare: pair(now.feedbackInTimeShare, before.feedbackInTimeShare),
    daysToAcknowledge: { median: pair(now.ack.median, before.ack.median), p90: pair(now.ack.p90, before.ack.p90) },
    daysToFeedback: { median: pair(now.fb.median, before.fb.median), p90: pair(now.fb.p90, before.fb.p90) },
    daysToClose: { median: pair(now.close.median, before.close.median), p90: pair(now.close.p90, before.close.p90) },
    reengagedShare: pair(now.reengagedShare, before.reengagedShare),
    openBacklog: protectCounts([open], threshold).total,
    threshold, scope: { unitId: access.value.unitId }, asOf: asOf?.toISOString() ?? null,
  });
}

/** The public transparency figures: this calendar year, every unit, protected like everything else. */
export async function transparencyFigures(pool: Db, threshold: number, now = new Date()): Promise<TransparencyFigures> {
  const year = now.getUTCFullYear();
  const f = (await withStatisticsMemory(pool, (tx) => periodFigures(tx, { from: new Date(Date.UTC(year, 0, 1)), toExclusive: new Date(Date.UTC(year + 1, 0, 1)) }))).current;
  const asOf = await statisticsRefreshedAt(pool);
  return {
    year, received: protectCounts([f.received], threshold).total,
    acknowledgedInTimeShare: round(protectedShare(f.acknowledgedInTime, f.acknowledgementDecided, threshold), 4),
    feedbackInTimeShare: round(protectedShare(f.feedbackInTime, f.feedbackDecided, threshold), 4),
    threshold, asOf: asOf?.toISOString() ?? null,
  };
}

export async function categoryFactorList(pool: Db): Promise<CategoryFactorList> {
  return { items: await listCategoryFactors(pool), factors: ARUSHA_FACTORS.map((f) => ({ id: f.id, name: f.name })) };
}

export async function saveCategoryFactors(pool: Db, actorId: string, input: CategoryFactorsRequest): Promise<Result<CategoryFactorList>> {
  const known = await existingCategories(pool);
  const unknown = input.items.flatMap((item, i) => (known.has(`${item.contextId}/${item.categoryId}`) ? [] : [{ field: `items.${i}.categoryId`, message: 'is not a category of this context' }]));
  if (unknown.length > 0) return fail('invalid', 'Some categories do not exist in the context named; see issues.', unknown);
  await withTransaction(pool, async (tx) => {
    await replaceCategoryFactors(tx, input.items);
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.category_factors_updated', details: { items: input.items.map((i) => ({ contextId: i.contextId, categoryId: i.categoryId, factors: i.factors })) } });
  });
  return ok(await categoryFactorList(pool));
}

export async function setStatisticsScope(pool: Db, actorId: string, userId: string, allUnits: boolean): Promise<Result<{ id: string; allUnits: boolean }>> {
  return withTransaction(pool, async (tx) => {
    if (!(await setStatisticsAllUnits(tx, userId, allUnits))) return fail('not_found', 'There is no staff member with this id.');
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.statistics_scope_set', details: { userId, allUnits } });
    return ok({ id: userId, allUnits });
  });
}
