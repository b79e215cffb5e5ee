import { createHash } from 'node:crypto';

/**
 * Authentication concerns shared by the HTTP guards and the services (docs/protocol.md §3, §5):
 * who is signed in, how long a session lives, and how tokens are kept (as digests only).
 * Nothing here knows about HTTP.
 */

/** Staff sessions: 30 minutes idle, 12 hours at most. */
export const STAFF_IDLE_SECONDS = 30 * 60;
export const STAFF_ABSOLUTE_SECONDS = 12 * 3600;

/** The staff session cookie (HttpOnly, SameSite=Strict, path /api). */
export const STAFF_COOKIE = 'sauti_staff';
/** A session id as the cookie carries it: 32 random bytes, base64url. */
export const STAFF_COOKIE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The signed-in staff member. `sessionId` is the SHA-256 digest (hex) of the cookie, never the cookie itself. */
export type StaffPrincipal = { userId: string; roles: string[]; sessionId: string };

/** The signed-in reporter: the one case its receipt opens, and its session token's digest. */
export type ReporterPrincipal = { caseId: string; tokenDigest: Buffer };

/** Session ids, CSRF tokens, reporter tokens and recovery challenges are stored only as this digest. */
export const tokenDigest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

export { argon2Gate, Argon2Busy, Argon2Gate, burnVerification, hashLoginKey, verifyLoginKey } from './passwords';
