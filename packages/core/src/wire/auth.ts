import { z } from 'zod';
import { AEAD_OVERHEAD, b64Bytes, PUBLIC_KEY_BYTES, type B64, type IsoDate } from './common';
import { powProofSchema } from './reports';

/** docs/protocol.md §3 and docs/staff-api.md: staff sign-in, activation, password change, recovery. */

export const STAFF_SALT_BYTES = 16;
export const LOGIN_KEY_BYTES = 32;
/** aead of a 32-byte private key. */
export const ENCRYPTED_PRIVATE_KEY_BYTES = 32 + AEAD_OVERHEAD;

export const email = z
  .string({ error: 'must be an e-mail address' })
  .trim()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'must be an e-mail address such as name@customs.example' }))
  .transform((v) => v.toLowerCase());

export const totpCode = z.string({ error: 'must be the 6-digit code from your authenticator app' }).regex(/^\d{6}$/, {
  error: 'must be the 6 digits shown by your authenticator app',
});

const loginKey = b64Bytes({ exact: LOGIN_KEY_BYTES });
const salt = b64Bytes({ exact: STAFF_SALT_BYTES });
const encryptedPrivateKey = b64Bytes({ exact: ENCRYPTED_PRIVATE_KEY_BYTES });
/** Invite tokens are 32 bytes, base64url. */
const inviteToken = z.string({ error: 'must be the token from the invitation link' }).regex(/^[A-Za-z0-9_-]{43}$/, {
  error: 'is not a valid invitation token; copy the whole link from the e-mail',
});

export const saltRequestSchema = z.strictObject({ email });
/** Sign-in and recovery start cost a proof of work (§6), so guesses and floods cost the sender, not only the server. */
export const loginRequestSchema = z.strictObject({ email, loginKey, totp: totpCode, pow: powProofSchema });
/** Looking up an invitation costs a proof of work (§6), like every other account-facing endpoint without a session. */
export const activationStartSchema = z.strictObject({ token: inviteToken, pow: powProofSchema });
/** Activation and recovery completion hash a new password with Argon2id on the server: they cost a proof of work too (§6). */
export const activationSchema = z.strictObject({
  token: inviteToken,
  salt,
  loginKey,
  publicKey: b64Bytes({ exact: PUBLIC_KEY_BYTES }),
  encryptedPrivateKey,
  recoveryEncryptedPrivateKey: encryptedPrivateKey,
  totp: totpCode,
  pow: powProofSchema,
});
export const passwordChangeSchema = z.strictObject({ currentLoginKey: loginKey, salt, loginKey, encryptedPrivateKey });
export const recoveryStartSchema = z.strictObject({ email, totp: totpCode, pow: powProofSchema });
export const recoveryCompleteSchema = z.strictObject({ email, challenge: b64Bytes({ exact: 32 }), salt, loginKey, encryptedPrivateKey, pow: powProofSchema });

/** Request bodies as a client sends them. */
export type SaltRequest = { email: string };
export type LoginRequest = { email: string; loginKey: B64; totp: string; pow: { challenge: string; nonce: string } };
export type ActivationStartRequest = { token: string };
export type ActivationRequest = {
  token: string; salt: B64; loginKey: B64; publicKey: B64; encryptedPrivateKey: B64; recoveryEncryptedPrivateKey: B64; totp: string;
  pow: { challenge: string; nonce: string };
};
export type PasswordChangeRequest = { currentLoginKey: B64; salt: B64; loginKey: B64; encryptedPrivateKey: B64 };
export type RecoveryStartRequest = { email: string; totp: string; pow: { challenge: string; nonce: string } };
export type RecoveryCompleteRequest = { email: string; challenge: B64; salt: B64; loginKey: B64; encryptedPrivateKey: B64; pow: { challenge: string; nonce: string } };

/** POST /api/v1/auth/salt: the account's salt, or a stable fake one for an unknown address. */
export type SaltAnswer = { salt: B64 };

/** POST /api/v1/auth/login → 200 (and the HttpOnly session cookie). */
export type LoginAnswer = {
  userId: string; displayName: string; roles: string[]; csrfToken: string; expiresAt: IsoDate; idleTimeoutSeconds: number;
};

/** POST /api/v1/auth/activation/start (and …/totp-reset/start): who is activating and the authenticator secret to show. */
export type ActivationStart = { userId: string; email: string; displayName: string; totpSecret: string; otpauthUri: string; expiresAt: IsoDate };

/** POST /api/v1/auth/activation → 201, /auth/recovery/complete → 200, /auth/totp-reset/complete → 200. */
export type UserIdAnswer = { userId: string };

/** POST /api/v1/auth/password → 200. */
export type PasswordChangeAnswer = { endedSessions: number };

/** POST /api/v1/auth/recovery/start → 200. */
export type RecoveryStart = { userId: string; recoveryEncryptedPrivateKey: B64; sealedChallenge: B64 };
