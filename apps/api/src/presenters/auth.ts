import { STAFF_IDLE_SECONDS } from '../auth';
import type { LoginAnswer, SaltAnswer } from '@sauti/core';
import type { OpenedSession } from '../services/auth';
import { b64, iso } from './encoding';

export const presentSalt = (salt: Buffer): SaltAnswer => ({ salt: b64(salt) });

/** The session id itself travels only in the HttpOnly cookie. */
export const presentLogin = (s: OpenedSession): LoginAnswer => ({
  userId: s.userId, displayName: s.displayName, roles: s.roles, csrfToken: s.csrfToken, expiresAt: iso(s.expiresAt), idleTimeoutSeconds: STAFF_IDLE_SECONDS,
});
