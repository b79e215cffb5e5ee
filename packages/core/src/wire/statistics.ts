import { z } from 'zod';
import { ARUSHA_FACTOR_IDS } from '../arusha';
import type { Granularity, ProtectedCount } from '../suppression';
import { uuidV4, type IsoDate } from './common';

/**
 * Integrity monitoring (issue 14): counts over routing metadata and the case lifecycle, never
 * ciphertext; every count small-cell protected (packages/core/src/suppression.ts).
 * GET /api/v1/staff/statistics/summary and …/breakdown; admin mapping of categories to Arusha
 * factors; the optional public transparency figures.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .regex(DAY, { error: 'must be a date YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'is not a calendar date' });

/** Channel values are whatever intake records (public, internal, and any added later). */
const channel = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, { error: 'must be a channel name such as public or internal' });

/** The filters every view takes. Unknown query parameters are refused. */
export const statisticsFilterSchema = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    channel: channel.optional(),
    unitId: uuidV4.optional(),
    contextId: uuidV4.optional(),
  })
  .superRefine((f, ctx) => {
    const today = new Date().toISOString().slice(0, 10);
    if (f.from && f.from > today) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is in the future' });
    if (f.to && f.to > today) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is in the future' });
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is before from: the period is reversed' });
    if (f.from && f.from < '2000-01-01') ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be 2000-01-01 or later' });
  });
export type StatisticsFilter = z.infer<typeof statisticsFilterSchema>;

/** One-way breakdowns, the time series and the open backlog by age. */
export const BREAKDOWN_DIMENSIONS = ['channel', 'category', 'factor', 'region', 'unit', 'context', 'identity', 'status', 'time', 'age', 'outcome', 'reengagement'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
/** Outcomes may be crossed with one of these. */
export const OUTCOME_CROSSES = ['category', 'factor'] as const;

export const breakdownQuerySchema = z
  .strictObject({
    dimension: z.enum(BREAKDOWN_DIMENSIONS, { error: `must be one of: ${BREAKDOWN_DIMENSIONS.join(', ')}` }),
    by: z.enum(OUTCOME_CROSSES, { error: `must be one of: ${OUTCOME_CROSSES.join(', ')}` }).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    channel: z.string().optional(),
    unitId: z.string().optional(),
    contextId: z.string().optional(),
  })
  .superRefine((q, ctx) => {
    if (q.by && q.dimension !== 'outcome') ctx.addIssue({ code: 'custom', path: ['by'], message: 'is only for dimension=outcome' });
  });

export type StatisticsScope = { unitId: string | null };
export type StatisticsPeriod = { from: string; to: string };

export type StatisticsRow = { key: string; label: string };

/** GET /api/v1/staff/statistics/breakdown: one table; the only margin of a two-way table is its grand total. */
export type StatisticsTable = {
  dimension: BreakdownDimension;
  by: 'category' | 'factor' | null;
  period: StatisticsPeriod;
  /** For dimension=time: the bucket size chosen so that no non-empty bucket is a small cell. */
  granularity: Granularity | null;
  rows: StatisticsRow[];
  columns: StatisticsRow[];
  /** rows × columns. */
  cells: ProtectedCount[][];
  total: ProtectedCount;
  /** For dimension=factor: a case counts under every factor of its category, so cells may add up to more than the total. */
  overlapping: boolean;
  threshold: number;
  scope: StatisticsScope;
  asOf: IsoDate | null;
};

/** A share (0..1) or a number of days; null when suppressed or when nothing is measured yet. */
export type Indicator = { value: number | null; previous: number | null };

/** GET /api/v1/staff/statistics/summary: the headline tiles, with the same figures for the previous period of equal length. */
export type StatisticsSummary = {
  period: StatisticsPeriod;
  previousPeriod: StatisticsPeriod;
  received: { value: ProtectedCount; previous: ProtectedCount };
  anonymousShare: Indicator;
  acknowledgedInTimeShare: Indicator;
  feedbackInTimeShare: Indicator;
  daysToAcknowledge: { median: Indicator; p90: Indicator };
  daysToFeedback: { median: Indicator; p90: Indicator };
  daysToClose: { median: Indicator; p90: Indicator };
  reengagedShare: Indicator;
  openBacklog: ProtectedCount;
  threshold: number;
  scope: StatisticsScope;
  asOf: IsoDate | null;
};

/** Admin: the Arusha factors of each category of each context. */
export const categoryFactorsSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        contextId: uuidV4,
        categoryId: z.string().min(1).max(64),
        factors: z.array(z.enum(ARUSHA_FACTOR_IDS, { error: `must be one of: ${ARUSHA_FACTOR_IDS.join(', ')}` })).max(10),
      }),
    )
    .max(2000),
});
export type CategoryFactorsRequest = z.infer<typeof categoryFactorsSchema>;
export type CategoryFactorRow = { contextId: string; contextName: string; categoryId: string; categoryLabel: string; factors: string[] };
/** GET and PUT /api/v1/admin/category-factors. */
export type CategoryFactorList = { items: CategoryFactorRow[]; factors: { id: string; name: string }[] };

/** GET /api/v1/transparency (404 unless the deployment turned it on): this calendar year so far. */
export type TransparencyFigures = {
  year: number;
  received: ProtectedCount;
  acknowledgedInTimeShare: number | null;
  feedbackInTimeShare: number | null;
  threshold: number;
  asOf: IsoDate | null;
};
