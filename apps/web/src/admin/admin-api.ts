import { cryptoWorker } from '../crypto/worker-client';
import type { AdminAnswer, AdminMethod } from './admin-protocol';

export type Issue = { field: string; message: string };
export type Problem = { status: number; error: string; issues: Issue[] };

/** A 4xx answer as the screens show it: the server's sentence and its field issues. */
export function problemOf(answer: AdminAnswer): Problem {
  const body = (answer.body ?? {}) as { error?: unknown; issues?: unknown };
  return {
    status: answer.status,
    error: typeof body.error === 'string' ? body.error : '',
    issues: Array.isArray(body.issues) ? (body.issues as Issue[]).filter((i) => typeof i?.field === 'string' && typeof i.message === 'string') : [],
  };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Calls the admin API through the worker (which holds the CSRF token). Throws only for a lost session or an outage. */
export async function admin<T>(method: AdminMethod, path: string, body?: unknown): Promise<Outcome<T>> {
  const answer = await cryptoWorker().call('adminRequest', { method, path: `/api/v1/admin${path}`, body });
  if (answer.status >= 200 && answer.status < 300) return { ok: true, value: answer.body as T };
  return { ok: false, problem: problemOf(answer) };
}

/** The message for one field, when the server named it (e.g. "rules.2.categoryId"). */
export function issueFor(problem: Problem | null, field: string): string | null {
  const found = problem?.issues.filter((i) => i.field === field).map((i) => i.message);
  return found && found.length > 0 ? found.join('; ') : null;
}

export type StaffRow = {
  id: string; email: string; displayName: string; unitId: string | null; unitName: string | null; roles: string[]; status: string;
  createdAt: string; activatedAt: string | null;
};
export type UnitRow = { id: string; name: string; supervisorId: string | null; members: number };
export type ListItem = { id: string; label: string };
export type PersonRef = { id: string; displayName: string; status: string; hasKey: boolean };
export type ContextRow = {
  id: string; slug: string; name: string; description: string; channel: 'public' | 'internal'; active: boolean; position: number;
  maxExclusions: number; acknowledgeDays: number; feedbackDays: number; retentionDays: number; reminderDaysBefore: number;
  questions: unknown[]; categories: ListItem[]; regions: ListItem[]; recipients: PersonRef[]; custodians: PersonRef[];
};
export type RuleRow = {
  id: string; name: string; contextId: string | null; channel: 'public' | 'internal' | null; categoryId: string | null; regionId: string | null;
  urgent: boolean | null; targetUnitId: string | null; priority: 'low' | 'normal' | 'high' | 'critical'; acknowledgeDays: number | null;
  feedbackDays: number | null; isDefault: boolean;
};
