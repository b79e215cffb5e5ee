/** Errors as values: use cases return these; the HTTP layer alone maps them to status codes. */
export type DomainErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'too_large'
  | 'unavailable';

export type FieldIssue = { field: string; message: string };

/**
 * `reason`, when set, is a stable machine-readable name of what went wrong (e.g. "totp_reused"),
 * so that a client can say it in its reader's language instead of showing the English message.
 */
export type DomainError = { code: DomainErrorCode; message: string; issues?: FieldIssue[]; reason?: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: DomainErrorCode, message: string, issues?: FieldIssue[], reason?: string): Result<T> => ({
  ok: false,
  error: { code, message, ...(issues ? { issues } : {}), ...(reason ? { reason } : {}) },
});
