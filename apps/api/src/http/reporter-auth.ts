import { touchReporterSession } from '@sauti/db';
import type { RequestHandler, Response } from 'express';
import type { ApiDeps } from '../deps';
import { tokenDigest } from '../services/reporter';
import { AppError } from './errors';

/**
 * §5 bearer authentication for reporters: a live session token slides its idle expiry and sets
 * `res.locals.reporterCaseId` and `res.locals.reporterTokenDigest`. The token itself is kept nowhere.
 */
export function requireReporter(deps: Pick<ApiDeps, 'pool' | 'config'>): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
    if (!match?.[1]) throw new AppError(401, 'Sign in with your receipt first (missing or malformed Authorization: Bearer token).');
    const digest = tokenDigest(match[1]);
    const caseId = await touchReporterSession(deps.pool, digest, deps.config.REPORTER_SESSION_IDLE_SECONDS);
    if (!caseId) throw new AppError(401, 'Your session has ended. Enter your receipt again to continue.');
    res.locals.reporterCaseId = caseId;
    res.locals.reporterTokenDigest = digest;
    next();
  };
}

/** The case of the signed-in reporter; only valid behind requireReporter. */
export const reporterCaseId = (res: Response): string => res.locals.reporterCaseId as string;
export const reporterTokenDigest = (res: Response): Buffer => res.locals.reporterTokenDigest as Buffer;
