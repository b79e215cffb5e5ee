import { withTransaction, type Db, type Queryable } from './pool';

/**
 * Integrity monitoring (issue 14): every figure is computed here, in SQL, over statistics_cases —
 * routing metadata and lifecycle times, one row per case, never ciphertext — refreshed by the
 * worker. Grouping expressions come from fixed maps, never from input.
 */

export type StatisticsWhere = {
  /** Cases received in [from, toExclusive). */
  from: Date;
  toExclusive: Date;
  channel?: string | undefined;
  unitId?: string | undefined;
  contextId?: string | undefined;
};

/** One-way groupings; each yields one key per case (factor may yield several, 'none' when unmapped). */
export type StatisticsGroup = 'channel' | 'category' | 'factor' | 'region' | 'unit' | 'context' | 'identity' | 'status' | 'outcome' | 'age' | 'reengagement';

/** Which rollup rows a grouping reads, and the key it groups by. */
const GROUPS: Record<StatisticsGroup, { dimension: string; key: string; join?: string; extra?: string }> = {
  channel: { dimension: 'status', key: 'd.channel' },
  unit: { dimension: 'status', key: "COALESCE(d.unit_id::text, 'none')" },
  context: { dimension: 'status', key: 'd.context_id::text' },
  status: { dimension: 'status', key: 'd.key' },
  category: { dimension: 'category', key: 'd.key' },
  region: { dimension: 'region', key: 'd.key' },
  identity: { dimension: 'identity', key: 'd.key' },
  reengagement: { dimension: 'reengagement', key: 'd.key' },
  outcome: { dimension: 'outcome', key: 'd.key' },
  factor: { dimension: 'category', key: "COALESCE(f.factor, 'none')", join: 'LEFT JOIN category_factors f ON f.context_id = d.context_id AND f.category_id = d.category' },
  // Open cases only, by whole days since receipt (UTC).
  age: {
    dimension: 'status',
    extra: "d.key <> 'closed'",
    key: `CASE WHEN current_date - d.day <= 7 THEN '0-7' WHEN current_date - d.day <= 30 THEN '8-30' WHEN current_date - d.day <= 90 THEN '31-90'
               WHEN current_date - d.day <= 180 THEN '91-180' ELSE '181+' END`,
  },
};

/** Rollup rows of one dimension in the period and filters; $1..$n parameters. */
function rollupWhere(w: StatisticsWhere, dimension: string, extra: string[] = []): { sql: string; params: unknown[] } {
  const params: unknown[] = [dimension, utcDate(w.from), utcDate(w.toExclusive)];
  const parts = ['d.dimension = $1', 'd.day >= $2::date', 'd.day < $3::date', ...extra];
  const add = (column: string, value: string | undefined, cast = '') => {
    if (value === undefined) return;
    params.push(value);
    parts.push(`${column} = $${params.length}${cast}`);
  };
  add('d.channel', w.channel);
  add('d.unit_id', w.unitId, '::uuid');
  add('d.context_id', w.contextId, '::uuid');
  return { sql: parts.join(' AND '), params };
}

const utcDate = (d: Date) => d.toISOString().slice(0, 10);

export type KeyCount = { key: string; n: number };
export type CrossCount = { row: string; column: string; n: number };

/** Cases per key of one grouping. */
export async function countCasesBy(db: Queryable, w: StatisticsWhere, group: StatisticsGroup): Promise<KeyCount[]> {
  const g = GROUPS[group];
  const { sql, params } = rollupWhere(w, g.dimension, g.extra ? [g.extra] : []);
  // The factor join is made after summing per (context, category), over a few rows, not per day.
  const query = g.join
    ? `SELECT ${g.key} AS key, sum(d.n) AS n FROM (SELECT d.context_id, d.key AS category, sum(d.n) AS n FROM statistics_daily d WHERE ${sql} GROUP BY 1, 2) d ${g.join} GROUP BY 1 ORDER BY 1`
    : `SELECT ${g.key} AS key, sum(d.n) AS n FROM statistics_daily d WHERE ${sql} GROUP BY 1 ORDER BY 1`;
  const { rows } = await db.query<{ key: string; n: string }>(query, params);
  return rows.map((r) => ({ key: r.key, n: Number(r.n) }));
}

/** Closed cases per (category or factor, outcome). */
export async function countOutcomesBy(db: Queryable, w: StatisticsWhere, by: 'category' | 'factor'): Promise<CrossCount[]> {
  const { sql, params } = rollupWhere(w, 'outcome');
  const row = by === 'factor' ? "COALESCE(f.factor, 'none')" : 'd.category';
  const join = by === 'factor' ? 'LEFT JOIN category_factors f ON f.context_id = d.context_id AND f.category_id = d.category' : '';
  // Summed per (context, category, outcome) first; the factor join then runs over a few rows.
  const { rows } = await db.query<{ row: string; col: string; n: string }>(
    `SELECT ${row} AS row, d.outcome AS col, sum(d.n) AS n
       FROM (SELECT d.context_id, d.key2 AS category, d.key AS outcome, sum(d.n) AS n FROM statistics_daily d WHERE ${sql} GROUP BY 1, 2, 3) d ${join}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  return rows.map((r) => ({ row: r.row, column: r.col, n: Number(r.n) }));
}

/** Distinct cases in the period (the total of an overlapping factor breakdown, or of closed or open cases). */
export async function countCases(db: Queryable, w: StatisticsWhere, only?: 'closed' | 'open'): Promise<number> {
  const { sql, params } = rollupWhere(w, 'status', only === 'closed' ? ["d.key = 'closed'"] : only === 'open' ? ["d.key <> 'closed'"] : []);
  const { rows } = await db.query<{ n: string | null }>(`SELECT sum(d.n) AS n FROM statistics_daily d WHERE ${sql}`, params);
  return Number(rows[0]?.n ?? 0);
}

export type Bucket = 'month' | 'quarter' | 'year';

/** Cases received per calendar bucket (UTC), with every bucket of the period present, empty ones as 0. */
export async function countCasesOverTime(db: Queryable, w: StatisticsWhere, bucket: Bucket): Promise<KeyCount[]> {
  const { sql, params } = rollupWhere(w, 'status');
  const unit = `'${bucket}'`; // from the fixed Bucket union
  const step = { month: '1 month', quarter: '3 months', year: '1 year' }[bucket];
  const { rows } = await db.query<{ key: string; n: string }>(
    `WITH counted AS (
       SELECT date_trunc(${unit}, d.day) AS b, sum(d.n) AS n FROM statistics_daily d WHERE ${sql} GROUP BY 1
     ), buckets AS (
       SELECT generate_series(date_trunc(${unit}, $2::date), $3::date - 1, interval '${step}') AS b
     )
     SELECT to_char(b.b, 'YYYY-MM-DD') AS key, COALESCE(c.n, 0) AS n FROM buckets b LEFT JOIN counted c ON c.b = b.b ORDER BY b.b`,
    params,
  );
  return rows.map((r) => ({ key: r.key, n: Number(r.n) }));
}

/** The lifecycle figures of one period, as raw counts and day quantiles (protection is the caller's). */
export type PeriodFigures = {
  received: number;
  anonymous: number;
  /** Cases whose acknowledgement is settled: acknowledged, or not and past the deadline. */
  acknowledgementDecided: number;
  acknowledgedInTime: number;
  feedbackDecided: number;
  feedbackInTime: number;
  reengaged: number;
  acknowledged: number;
  fedBack: number;
  closed: number;
  daysToAcknowledge: { median: number | null; p90: number | null };
  daysToFeedback: { median: number | null; p90: number | null };
  daysToClose: { median: number | null; p90: number | null };
};

type Histogram = Map<string, Map<number, number>>;

/** percentile_cont over a histogram of whole days: linear interpolation between order statistics. */
export function histogramPercentile(hist: Map<number, number> | undefined, p: number): number | null {
  if (!hist || hist.size === 0) return null;
  const values = [...hist.entries()].sort((x, y) => x[0] - y[0]);
  const total = values.reduce((sum, [, n]) => sum + n, 0);
  const at = (rank: number): number => {
    let seen = 0;
    for (const [v, n] of values) {
      seen += n;
      if (rank < seen) return v;
    }
    return values[values.length - 1]![0];
  };
  const h = (total - 1) * p;
  const lo = at(Math.floor(h));
  const hi = at(Math.ceil(h));
  return lo + (hi - lo) * (h - Math.floor(h));
}

/** Durations (whole days) of the cases of one period: whole months from the rollup, the rest case by case. */
async function durationHistogram(db: Queryable, w: StatisticsWhere): Promise<Histogram> {
  const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const firstWhole = w.from.getTime() === monthStart(w.from).getTime() ? w.from : new Date(Date.UTC(w.from.getUTCFullYear(), w.from.getUTCMonth() + 1, 1));
  const endWhole = monthStart(w.toExclusive);
  const hist: Histogram = new Map();
  const add = (kind: string, days: number, n: number) => {
    const k = hist.get(kind) ?? new Map<number, number>();
    k.set(days, (k.get(days) ?? 0) + n);
    hist.set(kind, k);
  };
  const filters = (alias: string, params: unknown[]) => {
    const parts: string[] = [];
    const f = (column: string, value: string | undefined, cast = '') => {
      if (value === undefined) return;
      params.push(value);
      parts.push(`${alias}.${column} = $${params.length}${cast}`);
    };
    f('channel', w.channel);
    f('unit_id', w.unitId, '::uuid');
    f('context_id', w.contextId, '::uuid');
    return parts.map((x) => ` AND ${x}`).join('');
  };
  const edges: [Date, Date][] = [];
  if (firstWhole < endWhole) {
    const params: unknown[] = [utcDate(firstWhole), utcDate(endWhole)];
    const extra = filters('d', params);
    const { rows } = await db.query<{ kind: string; days: number; n: string }>(
      `SELECT d.kind, d.days, sum(d.n) AS n FROM statistics_durations d WHERE d.month >= $1::date AND d.month < $2::date${extra} GROUP BY 1, 2`, params,
    );
    for (const r of rows) add(r.kind, r.days, Number(r.n));
    if (w.from < firstWhole) edges.push([w.from, firstWhole]);
    if (endWhole < w.toExclusive) edges.push([endWhole, w.toExclusive]);
  } else {
    edges.push([w.from, w.toExclusive]);
  }
  for (const [from, to] of edges) {
    const params: unknown[] = [from, to];
    const extra = filters('s', params);
    const { rows } = await db.query<{ kind: string; days: number; n: string }>(
      `SELECT v.kind, v.days, count(*) AS n FROM statistics_cases s
         CROSS JOIN LATERAL (VALUES ('ack', round(s.ack_minutes / 1440.0)::integer), ('feedback', round(s.feedback_minutes / 1440.0)::integer),
                                    ('close', round(s.close_minutes / 1440.0)::integer)) AS v(kind, days)
        WHERE s.received_at >= $1 AND s.received_at < $2 AND v.days IS NOT NULL${extra} GROUP BY 1, 2`,
      params,
    );
    for (const r of rows) add(r.kind, r.days, Number(r.n));
  }
  return hist;
}

/** The figures of one period: counts from the daily rollup, medians and 90th percentiles (whole days) from the duration histogram. */
async function oneFigures(db: Queryable, w: StatisticsWhere): Promise<PeriodFigures> {
  const { sql, params } = rollupWhere(w, 'flag');
  const counts = await db.query<{ dimension: string; key: string; n: string }>(
    `SELECT 'flag' AS dimension, d.key, sum(d.n) AS n FROM statistics_daily d WHERE ${sql} GROUP BY 2
     UNION ALL
     SELECT 'status', '', sum(d.n) FROM statistics_daily d WHERE ${sql.replace('d.dimension = $1', "d.dimension = 'status'")}`,
    params,
  );
  const flag = (k: string) => Number(counts.rows.find((x) => x.dimension === 'flag' && x.key === k)?.n ?? 0);
  const hist = await durationHistogram(db, w);
  const measured = (kind: string) => [...(hist.get(kind)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const q = (kind: string) => ({ median: histogramPercentile(hist.get(kind), 0.5), p90: histogramPercentile(hist.get(kind), 0.9) });
  return {
    received: Number(counts.rows.find((x) => x.dimension === 'status')?.n ?? 0), anonymous: flag('anonymous'),
    acknowledgementDecided: flag('ack_decided'), acknowledgedInTime: flag('ack_in_time'), feedbackDecided: flag('fb_decided'), feedbackInTime: flag('fb_in_time'),
    reengaged: flag('reengaged'), acknowledged: measured('ack'), fedBack: measured('feedback'), closed: measured('close'),
    daysToAcknowledge: q('ack'), daysToFeedback: q('feedback'), daysToClose: q('close'),
  };
}

/** The figures of a period and, when `previousFrom` is given, of the period from there to its start. */
export async function periodFigures(db: Queryable, w: StatisticsWhere, previousFrom?: Date): Promise<{ current: PeriodFigures; previous: PeriodFigures }> {
  const current = await oneFigures(db, w);
  const previous = await oneFigures(db, { ...w, from: previousFrom ?? w.from, toExclusive: w.from });
  return { current, previous };
}

/** Labels of the keys a breakdown shows (category and region labels as their contexts name them). */
export async function statisticsLabels(db: Queryable, kind: 'category' | 'region' | 'unit' | 'context'): Promise<Map<string, string>> {
  const sql = {
    category: 'SELECT id AS key, min(label) AS label FROM context_categories GROUP BY id',
    region: 'SELECT id AS key, min(label) AS label FROM context_regions GROUP BY id',
    unit: 'SELECT id::text AS key, name AS label FROM units',
    context: 'SELECT id::text AS key, name AS label FROM contexts',
  }[kind];
  const { rows } = await db.query<{ key: string; label: string }>(sql);
  return new Map(rows.map((r) => [r.key, r.label]));
}

/**
 * Runs statistics queries in one transaction with room to sort in memory: the medians and
 * percentiles sort up to a year of cases, which would spill to disk with the default work_mem.
 */
export async function withStatisticsMemory<T>(pool: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query("SET LOCAL work_mem = '64MB'");
    return fn(tx);
  });
}

/** The worker's refresh: concurrent, so the dashboard keeps reading the previous picture meanwhile. */
export async function refreshStatistics(db: Queryable): Promise<void> {
  await db.query('REFRESH MATERIALIZED VIEW CONCURRENTLY statistics_cases');
  await db.query('REFRESH MATERIALIZED VIEW CONCURRENTLY statistics_daily');
  await db.query('REFRESH MATERIALIZED VIEW CONCURRENTLY statistics_durations');
  await db.query('UPDATE statistics_refreshes SET refreshed_at = now()');
}

export async function statisticsRefreshedAt(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ refreshed_at: Date }>('SELECT refreshed_at FROM statistics_refreshes');
  return rows[0]?.refreshed_at ?? null;
}

/** Which units' figures a person may see: null = every unit. */
export async function statisticsScopeOf(db: Queryable, userId: string): Promise<{ allUnits: boolean; unitId: string | null } | null> {
  const { rows } = await db.query<{ unit_id: string | null; roles: string[]; statistics_all_units: boolean }>(
    "SELECT unit_id, roles, statistics_all_units FROM staff_users WHERE id = $1 AND status = 'active'", [userId],
  );
  const r = rows[0];
  if (!r) return null;
  const allUnits = r.roles.includes('admin') || r.unit_id === null || r.statistics_all_units;
  return { allUnits, unitId: allUnits ? null : r.unit_id };
}

export async function setStatisticsAllUnits(db: Queryable, userId: string, allUnits: boolean): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE staff_users SET statistics_all_units = $2 WHERE id = $1', [userId, allUnits]);
  return rowCount === 1;
}

export type CategoryFactorRecord = { contextId: string; contextName: string; categoryId: string; categoryLabel: string; factors: string[] };

/** Every category of every context with its Arusha factors. */
export async function listCategoryFactors(db: Queryable): Promise<CategoryFactorRecord[]> {
  const { rows } = await db.query<{ context_id: string; context_name: string; category_id: string; label: string; factors: string[] }>(
    `SELECT x.id AS context_id, x.name AS context_name, c.id AS category_id, c.label,
            COALESCE(array_agg(f.factor ORDER BY f.factor) FILTER (WHERE f.factor IS NOT NULL), '{}') AS factors
       FROM context_categories c JOIN contexts x ON x.id = c.context_id
       LEFT JOIN category_factors f ON f.context_id = c.context_id AND f.category_id = c.id
      GROUP BY x.id, x.name, x.position, c.id, c.label, c.position
      ORDER BY x.position, x.name, c.position, c.id`,
  );
  return rows.map((r) => ({ contextId: r.context_id, contextName: r.context_name, categoryId: r.category_id, categoryLabel: r.label, factors: r.factors }));
}

/** Replaces the factors of each given (context, category); categories not given keep theirs. */
export async function replaceCategoryFactors(tx: Queryable, items: { contextId: string; categoryId: string; factors: readonly string[] }[]): Promise<void> {
  for (const item of items) {
    await tx.query('DELETE FROM category_factors WHERE context_id = $1 AND category_id = $2', [item.contextId, item.categoryId]);
    if (item.factors.length > 0) {
      await tx.query(
        'INSERT INTO category_factors (context_id, category_id, factor) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING',
        [item.contextId, item.categoryId, [...new Set(item.factors)]],
      );
    }
  }
}

/** The (context, category) pairs that exist, to refuse a mapping of a category that does not. */
export async function existingCategories(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ context_id: string; id: string }>('SELECT context_id, id FROM context_categories');
  return new Set(rows.map((r) => `${r.context_id}/${r.id}`));
}
