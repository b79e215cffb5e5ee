import type { Progress } from '../crypto/protocol';

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An admin API answer as it came: 4xx answers carry { error, issues } for the screens to show next to fields. */
export type AdminAnswer<T = unknown> = { status: number; body: T };

export type TotpResetInfo = { email: string; displayName: string; totpSecret: string; otpauthUri: string; expiresAt: string };

/**
 * Admin calls go through the crypto worker only because the session's CSRF token lives there
 * (with the staff client); they carry no keys and no content.
 */
export type AdminOps = {
  adminRequest: { args: { method: AdminMethod; path: string; body?: unknown }; result: AdminAnswer; progress: never };
  totpResetStart: { args: { token: string }; result: TotpResetInfo; progress: never };
  /** Derives loginKey from the password (Argon2id) and sends it with the new authenticator's first code. */
  totpResetComplete: { args: { token: string; password: string; totp: string }; result: null; progress: Progress };
};
