export const CASE_STATUSES = ['received', 'acknowledged', 'in_progress', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CHANNELS = ['public', 'internal'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Cases that still count against an investigator's workload. */
export function isOpen(status: CaseStatus): boolean {
  return status !== 'closed';
}
