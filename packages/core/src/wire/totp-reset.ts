import { z } from 'zod';
import { activationStartSchema, loginRequestSchema, totpCode, type ActivationStart } from './auth';

/** Re-enrolling an authenticator after an admin's TOTP reset: the link's token, the password's loginKey, the new app's first code. */
export const totpResetStartSchema = activationStartSchema;
export const totpResetCompleteSchema = z.strictObject({
  token: activationStartSchema.shape.token,
  loginKey: loginRequestSchema.shape.loginKey,
  totp: totpCode,
});

/** POST /api/v1/auth/totp-reset/start: the same shape as an activation start. */
export type TotpResetStart = ActivationStart;
export type TotpResetCompleteRequest = { token: string; loginKey: string; totp: string };
