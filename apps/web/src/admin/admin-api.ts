import { cryptoWorker } from '../crypto/worker-client';
import type { AdminAnswer, AdminMethod } from '../crypto/protocol';

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

/**
 * Calls the admin API through the worker (which holds the CSRF token and prefixes the admin API's
 * path). `path` is below the prefix, e.g. "/units". Throws only for a lost session or an outage.
 */
export async function admin<T>(method: AdminMethod, path: string, body?: unknown): Promise<Outcome<T>> {
  const answer = await cryptoWorker().call('adminRequest', { method, path, body });
  if (answer.status >= 200 && answer.status < 300) return { ok: true, value: answer.body as T };
  return { ok: false, problem: problemOf(answer) };
}

/** The message for one field, when the server named it (e.g. "rules.2.categoryId"). */
export function issueFor(problem: Problem | null, field: string): string | null {
  const found = problem?.issues.filter((i) => i.field === field).map((i) => i.message);
  return found && found.length > 0 ? found.join('; ') : null;
}

/** The admin API's rows, as the server sends them (one definition, in @sauti/core's wire types). */
export type { ContextRow, ListItem, PersonRef, StaffRow, UnitRow } from '@sauti/core';
export type { RoutingRule as RuleRow } from '@sauti/core';
