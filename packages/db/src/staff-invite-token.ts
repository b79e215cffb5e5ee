import { createHash, createHmac } from 'node:crypto';

/**
 * The one-time activation token of an invitation: HMAC-SHA256(deployment secret, invite id). The
 * database keeps only its SHA-256, and the worker can recompute it for the e-mail, so the token
 * itself is never stored anywhere (see docs/staff-api.md for what this does and does not protect).
 */
export function inviteTokenFor(serverSecret: Buffer, inviteId: string): string {
  return createHmac('sha256', serverSecret).update(`sauti-invite|${inviteId}`).digest('base64url');
}

export function inviteTokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export const INVITE_VALID_SECONDS = 72 * 3600;
