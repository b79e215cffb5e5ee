import { timingSafeEqual } from 'node:crypto';
import { touchReporterSession, touchStaffSession } from '@sauti/db';
import type { RequestHandler, Response } from 'express';
import { STAFF_IDLE_SECONDS, tokenDigest, type ReporterPrincipal, type StaffPrincipal } from '../auth';
import type { ApiDeps } from '../deps';
import { readStaffCookie } from './cookies';
import { AppError } from './errors';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SIGN_IN_FIRST = 'Sign in first: this needs a staff session.';

/**
 * Authenticates the staff session cookie and, for unsafe methods, the X-CSRF-Token header; sets
 * res.locals.staff. app.ts mounts it once per prefix (/api/v1/staff, /api/v1/admin), so a
 * request touches its session once.
 */
export function requireStaff(deps: Pick<ApiDeps, 'pool' | 'config'>): RequestHandler {
  return async (req, res, next) => {
    const cookie = readStaffCookie(req, deps.config.PUBLIC_URL);
    if (!cookie) throw new AppError(401, SIGN_IN_FIRST);
    const digest = tokenDigest(cookie);
    const session = await touchStaffSession(deps.pool, digest, STAFF_IDLE_SECONDS);
    if (!session) throw new AppError(401, 'Your session has ended (30 minutes without activity, 12 hours in all, or signed out). Sign in again.');
    if (UNSAFE.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      const token = typeof header === 'string' ? header : '';
      if (!token || !timingSafeEqual(tokenDigest(token), session.csrfDigest)) {
        throw new AppError(401, 'This request lacks the X-CSRF-Token header given at sign-in. Reload the page and try again.');
      }
    }
    const principal: StaffPrincipal = { userId: session.userId, roles: session.roles, sessionId: digest.toString('hex') };
    res.locals.staff = principal;
    next();
  };
}

/** 403 unless the signed-in person holds at least one of the roles. Use after requireStaff. */
export function requireRole(...roles: string[]): RequestHandler {
  return (_req, res, next) => {
    const staff = staffOf(res);
    if (!roles.some((r) => staff.roles.includes(r))) {
      throw new AppError(403, `This needs one of these roles: ${roles.join(', ')}.`);
    }
    next();
  };
}

/** Everything under /api/v1/admin: after requireStaff. */
export const requireAdmin: RequestHandler = requireRole('admin');

export function staffOf(res: Response): StaffPrincipal {
  const staff = res.locals.staff as StaffPrincipal | undefined;
  if (!staff) throw new AppError(401, SIGN_IN_FIRST);
  return staff;
}

/**
 * §5 bearer authentication for reporters: a live session token slides its idle expiry and sets
 * res.locals.reporter. The token itself is kept nowhere.
 */
export function requireReporter(deps: Pick<ApiDeps, 'pool' | 'config'>): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
    if (!match?.[1]) throw new AppError(401, 'Sign in with your receipt first (missing or malformed Authorization: Bearer token).');
    const digest = tokenDigest(match[1]);
    const caseId = await touchReporterSession(deps.pool, digest, {
      idleSeconds: deps.config.REPORTER_SESSION_IDLE_SECONDS,
      absoluteSeconds: deps.config.REPORTER_SESSION_ABSOLUTE_SECONDS,
    });
    if (!caseId) throw new AppError(401, 'Your session has ended (after a while without activity, a few hours in all, or because the receipt was used to sign in elsewhere). Enter your receipt again to continue.');
    const principal: ReporterPrincipal = { caseId, tokenDigest: digest };
    res.locals.reporter = principal;
    next();
  };
}

/** The signed-in reporter; only valid behind requireReporter. */
export function reporterOf(res: Response): ReporterPrincipal {
  const reporter = res.locals.reporter as ReporterPrincipal | undefined;
  if (!reporter) throw new AppError(401, 'Sign in with your receipt first.');
  return reporter;
}
