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

export type DomainError = { code: DomainErrorCode; message: string; issues?: FieldIssue[] };

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: DomainErrorCode, message: string, issues?: FieldIssue[]): Result<T> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});
