import { z } from 'zod';
import { activationStartSchema, loginRequestSchema, totpCode } from './staff-schemas';

/** Re-enrolling an authenticator after an admin's TOTP reset: the link's token, the password's loginKey, the new app's first code. */
export const totpResetStartSchema = activationStartSchema;
export const totpResetCompleteSchema = z.strictObject({
  token: activationStartSchema.shape.token,
  loginKey: loginRequestSchema.shape.loginKey,
  totp: totpCode,
});
