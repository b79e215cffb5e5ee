import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { STAFF_COOKIE, STAFF_COOKIE_PATTERN } from '../auth';

/** Secure everywhere except a plain-http developer machine, where a Secure cookie would never come back. */
function cookieIsSecure(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return !(url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'));
}

export function readStaffCookie(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const value = parse(header)[STAFF_COOKIE];
  return value && STAFF_COOKIE_PATTERN.test(value) ? value : null;
}

/** HttpOnly so page scripts cannot read it; Strict so no other site can send it; /api only. */
export function setStaffCookie(res: Response, publicUrl: string, sessionId: string, maxAgeSeconds: number): void {
  res.append(
    'Set-Cookie',
    serialize(STAFF_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', path: '/api', secure: cookieIsSecure(publicUrl), maxAge: maxAgeSeconds }),
  );
}

export function clearStaffCookie(res: Response, publicUrl: string): void {
  res.append(
    'Set-Cookie',
    serialize(STAFF_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/api', secure: cookieIsSecure(publicUrl), maxAge: 0 }),
  );
}
