import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { STAFF_COOKIE, STAFF_COOKIE_PATTERN } from '../auth';

/**
 * Behind https the cookie is `__Host-sauti_staff`: browsers then accept it only with Secure, Path=/
 * and no Domain, so no subdomain and no plain-http page can plant or overwrite it.
 */
export function staffCookieName(publicUrl: string): string {
  return new URL(publicUrl).protocol === 'https:' ? `__Host-${STAFF_COOKIE}` : STAFF_COOKIE;
}

/** Secure everywhere except a plain-http developer machine, where a Secure cookie would never come back. */
function cookieIsSecure(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  return !(url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'));
}

export function readStaffCookie(req: Request, publicUrl: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const value = parse(header)[staffCookieName(publicUrl)];
  return value && STAFF_COOKIE_PATTERN.test(value) ? value : null;
}

/** HttpOnly so page scripts cannot read it; Strict so no other site can send it; /api only (/ with the __Host- prefix, which requires it). */
function staffCookie(publicUrl: string, value: string, maxAgeSeconds: number): string {
  const hostPrefixed = staffCookieName(publicUrl) !== STAFF_COOKIE;
  return serialize(staffCookieName(publicUrl), value, {
    httpOnly: true, sameSite: 'strict', path: hostPrefixed ? '/' : '/api', secure: hostPrefixed || cookieIsSecure(publicUrl), maxAge: maxAgeSeconds,
  });
}

export function setStaffCookie(res: Response, publicUrl: string, sessionId: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', staffCookie(publicUrl, sessionId, maxAgeSeconds));
}

export function clearStaffCookie(res: Response, publicUrl: string): void {
  res.append('Set-Cookie', staffCookie(publicUrl, '', 0));
}
