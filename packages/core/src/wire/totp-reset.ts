import { z } from 'zod';
import { activationStartSchema, loginRequestSchema, totpCode, type ActivationStart } from './auth';
import { powProofSchema } from './reports';

/** Re-enrolling an authenticator after an admin's TOTP reset: the link's token, the password's loginKey, the new app's first code. */
export const totpResetStartSchema = z.strictObject({ token: activationStartSchema.shape.token });
/** Completing checks the password (Argon2id) and counts failures: it costs a proof of work (§6), spent before the link is looked up. */
export const totpResetCompleteSchema = z.strictObject({
  token: activationStartSchema.shape.token,
  loginKey: loginRequestSchema.shape.loginKey,
  totp: totpCode,
  pow: powProofSchema,
});

/** POST /api/v1/auth/totp-reset/start: the same shape as an activation start. */
export type TotpResetStart = ActivationStart;
export type TotpResetCompleteRequest = { token: string; loginKey: string; totp: string; pow: { challenge: string; nonce: string } };
