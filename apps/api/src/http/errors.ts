import type { DomainError, FieldIssue, Result } from '@sauti/core';
import { isDatabaseUnavailable } from '@sauti/db';
import type { Logger } from '@sauti/log';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Argon2Busy } from '../auth';
import { formatBytes } from '../format';

/** The one error type the HTTP layer throws; everything else becomes a generic 500 or a 503. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: FieldIssue[],
    readonly headers: Record<string, string> = {},
    /** A stable name of the failure for clients to translate (DomainError.reason). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const STATUS_OF: Record<DomainError['code'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
};

export function fromDomainError(error: DomainError): AppError {
  return new AppError(STATUS_OF[error.code], error.message, error.issues, {}, error.reason);
}

/** The value of a service's result, or the error it names as an HTTP answer. */
export function orThrow<T>(result: Result<T>): T {
  if (!result.ok) throw fromDomainError(result.error);
  return result.value;
}

const UNAVAILABLE_MESSAGE =
  'Sauti cannot reach its database right now, so nothing was saved. Please try again in a few minutes.';

/** Maps body-parser failures, AppErrors and outages to clear 4xx/503 answers; never leaks internals. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const e = error as { type?: string; status?: number; limit?: number; message?: string };
    let answer: AppError;
    if (error instanceof AppError) answer = error;
    else if (error instanceof Argon2Busy) {
      answer = new AppError(503, `Sauti is checking many passwords right now and could not check yours in time. Wait ${error.retryAfterSeconds} seconds and try again.`, undefined, {
        'Retry-After': String(error.retryAfterSeconds),
      });
    }    else if (e.type === 'entity.too.large') {
      answer = new AppError(413, `The request body is larger than the limit of ${formatBytes(e.limit ?? 0)}.`);
    } else if (e.type === 'entity.parse.failed') {
      answer = new AppError(400, 'The request body is not valid JSON.');
    } else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      answer = new AppError(415, 'The request body must be UTF-8 encoded JSON.');
    } else if (e.type === 'request.aborted') {
      answer = new AppError(400, 'The request was aborted before its body was complete.');
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      answer = new AppError(e.status, 'The request could not be read.');
    } else if (isDatabaseUnavailable(error)) {
      log.warn({ err: { type: (error as Error).name, code: (error as { code?: string }).code } }, 'database unavailable');
      answer = new AppError(503, UNAVAILABLE_MESSAGE, undefined, { 'Retry-After': '30' });
    } else {
      // Unknown: log the class and stack only (no bodies); answer generically.
      log.error({ err: { type: (error as Error)?.name, stack: (error as Error)?.stack } }, 'unhandled error');
      answer = new AppError(500, 'Something went wrong on our side. Nothing you sent was shown to anyone; please try again.');
    }
    for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
    res.status(answer.status).json({ error: answer.message, ...(answer.issues ? { issues: answer.issues } : {}), ...(answer.reason ? { reason: answer.reason } : {}) });
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError(404, 'There is nothing at this address.'));
};
