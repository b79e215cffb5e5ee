import type { BreakdownDimension, StatisticsFilter, StatisticsSummary, StatisticsTable, TransparencyFigures } from '@sauti/core';
import { paths } from './paths';
import type { ApiAnswer, Transport } from './transport';

/**
 * Integrity monitoring (docs/staff-api.md, "Statistics"): aggregated, small-cell protected figures
 * for analysts, supervisors and admins. No keys and no content: any staff transport will do.
 */

export type BreakdownRequest = StatisticsFilter & { dimension: BreakdownDimension; by?: 'category' | 'factor' };

function query(q: Record<string, string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')).toString();
  return qs ? `?${qs}` : '';
}

export function summary(t: Transport, filter: StatisticsFilter = {}): Promise<ApiAnswer<StatisticsSummary>> {
  return t.call('GET', `${paths.staff.statisticsSummary}${query(filter)}`);
}

export function breakdown(t: Transport, request: BreakdownRequest): Promise<ApiAnswer<StatisticsTable>> {
  return t.call('GET', `${paths.staff.statisticsBreakdown}${query(request)}`);
}

/** Public: 404 unless the deployment publishes transparency figures. */
export function transparency(t: Transport): Promise<ApiAnswer<TransparencyFigures>> {
  return t.call('GET', paths.transparency);
}
