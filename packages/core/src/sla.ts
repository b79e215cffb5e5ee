const DAY_MS = 86_400_000;

export type SlaPolicy = { acknowledgeDays: number; feedbackDays: number };

/** EU Directive 2019/1937 art. 9: acknowledge within 7 days, feedback within 3 months. */
export const DEFAULT_SLA: SlaPolicy = { acknowledgeDays: 7, feedbackDays: 90 };

export function acknowledgementDueAt(receivedAt: Date, policy: SlaPolicy): Date {
  return new Date(receivedAt.getTime() + policy.acknowledgeDays * DAY_MS);
}

export function feedbackDueAt(acknowledgedAt: Date, policy: SlaPolicy): Date {
  return new Date(acknowledgedAt.getTime() + policy.feedbackDays * DAY_MS);
}
