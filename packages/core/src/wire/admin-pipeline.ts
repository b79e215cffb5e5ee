import { z } from 'zod';
import type { RoutingRule, RoutingStep } from '../routing-rules';
import type { IsoDate } from './common';

/** Admin: routing rules and their dry run, legal hold, failed notifications and job queues. */

export const legalHoldSchema = z.strictObject({ hold: z.boolean({ error: 'must be true or false' }) });

/** GET and PUT /api/v1/admin/routing-rules. */
export type RoutingRuleSet = { rules: RoutingRule[] };

/** POST /api/v1/admin/routing-rules/dry-run → 200: where a combination would go and why. */
export type DryRunAnswer = {
  rule: { id: string; name: string } | null;
  unit: { id: string; name: string | null } | null;
  priority: string;
  acknowledgeDays: number;
  feedbackDays: number;
  eligibleRecipientIds: string[];
  explanation: string[];
  steps: (RoutingStep | { kind: 'eligible'; count: number } | { kind: 'escalate' })[];
};

/** PUT /api/v1/admin/cases/:id/legal-hold → 200. */
export type LegalHoldAnswer = { caseId: string; legalHold: boolean };

export type FailedNotification = { id: string; userId: string; email: string; kind: string; attempts: number; lastError: string | null; failedAt: IsoDate };
export type FailedNotifications = { items: FailedNotification[] };
/** POST /api/v1/admin/notifications/retry → 200. */
export type NotificationRetry = { people: number };

export type QueueCounts = Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>;
export type QueueList = { items: { name: string; counts: Partial<QueueCounts> }[] };
export type FailedJob = { id: string | undefined; name: string; attemptsMade: number; failedReason: string; failedAt: IsoDate | null };
export type FailedJobs = { items: FailedJob[] };
export type JobRetried = { retried: true };
