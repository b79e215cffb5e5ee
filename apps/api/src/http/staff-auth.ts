import { createHash, timingSafeEqual } from 'node:crypto';
import { touchStaffSession } from '@sauti/db';
import type { RequestHandler, Response } from 'express';
import type { ApiDeps } from '../deps';
import { readStaffCookie } from './cookies';
import { AppError } from './errors';

/** PROTOCOL.md §3 sessions: 30 minutes idle, 12 hours at most. */
export const STAFF_IDLE_SECONDS = 30 * 60;
export const STAFF_ABSOLUTE_SECONDS = 12 * 3600;

export type StaffPrincipal = { userId: string; roles: string[]; sessionId: string };

export const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Authenticates the staff session cookie and, for unsafe methods, the X-CSRF-Token header; sets
 * res.locals.staff. `sessionId` is the SHA-256 digest (hex) of the cookie, never the cookie itself.
 */
export function requireStaff(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    const cookie = readStaffCookie(req, deps.config.PUBLIC_URL);
    if (!cookie) throw new AppError(401, 'Sign in first: this needs a staff session.');
    const digest = sha256(cookie);
    const session = await touchStaffSession(deps.pool, digest, STAFF_IDLE_SECONDS);
    if (!session) throw new AppError(401, 'Your session has ended (30 minutes without activity, 12 hours in all, or signed out). Sign in again.');
    if (UNSAFE.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      const token = typeof header === 'string' ? header : '';
      if (!token || !timingSafeEqual(sha256(token), session.csrfDigest)) {
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
    const staff = res.locals.staff as StaffPrincipal | undefined;
    if (!staff) throw new AppError(401, 'Sign in first: this needs a staff session.');
    if (!roles.some((r) => staff.roles.includes(r))) {
      throw new AppError(403, `This needs one of these roles: ${roles.join(', ')}.`);
    }
    next();
  };
}

export function staffOf(res: Response): StaffPrincipal {
  const staff = res.locals.staff as StaffPrincipal | undefined;
  if (!staff) throw new AppError(401, 'Sign in first: this needs a staff session.');
  return staff;
}
