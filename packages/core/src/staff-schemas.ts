import { z } from 'zod';
import { CASE_STATUSES, CHANNELS } from './case-status';
import { OUTCOMES } from './lifecycle';
import { ROLES } from './roles';
import { AEAD_OVERHEAD, b64Bytes, MESSAGE_MAX_BYTES, PUBLIC_KEY_BYTES, SEALED_CASE_KEY_BYTES, SEALED_KEY_BYTES, uuidV4 } from './schemas';

/** PROTOCOL.md §3 sizes. */
export const STAFF_SALT_BYTES = 16;
export const LOGIN_KEY_BYTES = 32;
/** aead of a 32-byte private key. */
export const ENCRYPTED_PRIVATE_KEY_BYTES = 32 + AEAD_OVERHEAD;
export const NOTE_MAX_BYTES = 64 * 1024;
export const REASON_MAX_BYTES = 8 * 1024;
/** crypto_box_seal overhead. */
export const SEAL_OVERHEAD = 48;

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
export const loginRequestSchema = z.strictObject({ email, loginKey, totp: totpCode });
export const activationStartSchema = z.strictObject({ token: inviteToken });
export const activationSchema = z.strictObject({
  token: inviteToken,
  salt,
  loginKey,
  publicKey: b64Bytes({ exact: PUBLIC_KEY_BYTES }),
  encryptedPrivateKey,
  recoveryEncryptedPrivateKey: encryptedPrivateKey,
  totp: totpCode,
});
export const passwordChangeSchema = z.strictObject({ currentLoginKey: loginKey, salt, loginKey, encryptedPrivateKey });
export const recoveryStartSchema = z.strictObject({ email, totp: totpCode });
export const recoveryCompleteSchema = z.strictObject({ email, challenge: b64Bytes({ exact: 32 }), salt, loginKey, encryptedPrivateKey });

const roles = z
  .array(z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` }), { error: 'must be a list of roles' })
  .min(1, { error: 'must name at least one role' })
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, { error: 'names a role twice' });
const displayName = z.string({ error: 'must be a name' }).trim().min(1, { error: 'must not be empty' }).max(120, { error: 'must be at most 120 characters' });

export const inviteSchema = z.strictObject({ email, displayName, roles, unitId: uuidV4.nullable().optional().transform((v) => v ?? null) });
export const staffUpdateSchema = z
  .strictObject({ roles: roles.optional(), unitId: uuidV4.nullable().optional(), displayName: displayName.optional() })
  .refine((v) => v.roles !== undefined || v.unitId !== undefined || v.displayName !== undefined, { error: 'change at least one of roles, unitId, displayName' });
export const unitSchema = z.strictObject({ name: displayName, supervisorId: uuidV4.nullable().optional().transform((v) => v ?? null) });
export const unitUpdateSchema = z.strictObject({ name: displayName.optional(), supervisorId: uuidV4.nullable().optional() });

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const intParam = (min: number, max: number, fallback: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }).default(fallback);

export const CASE_SORTS = ['priority', 'due', 'received'] as const;
export const caseListQuerySchema = z.strictObject({
  status: z.enum(CASE_STATUSES, { error: `must be one of: ${CASE_STATUSES.join(', ')}` }).optional(),
  unit: uuidV4.optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), uuidV4], { error: 'must be "me", "none" or a staff id' }).optional(),
  category: z.string().min(1).max(64, { error: 'must be at most 64 characters' }).optional(),
  channel: z.enum(CHANNELS, { error: `must be one of: ${CHANNELS.join(', ')}` }).optional(),
  overdue: flag.optional(),
  sort: z.enum(CASE_SORTS, { error: `must be one of: ${CASE_SORTS.join(', ')}` }).default('priority'),
  page: intParam(1, 100_000, 1),
  pageSize: intParam(1, 100, 25),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

const reason = b64Bytes({ max: REASON_MAX_BYTES, min: AEAD_OVERHEAD });

export const statusChangeSchema = z
  .strictObject({
    to: z.enum(CASE_STATUSES, { error: `must be one of: ${CASE_STATUSES.join(', ')}` }),
    outcome: z.enum(OUTCOMES, { error: `must be one of: ${OUTCOMES.join(', ')}` }).nullable().optional(),
    reasonId: uuidV4.optional(),
    reason: reason.optional(),
  })
  .refine((v) => (v.reasonId === undefined) === (v.reason === undefined), {
    error: 'reasonId and reason go together: the reason is encrypted for that id',
    path: ['reason'],
  });

export const noteSchema = z.strictObject({ id: uuidV4, body: b64Bytes({ max: NOTE_MAX_BYTES, min: AEAD_OVERHEAD }) });
export const staffMessageSchema = z.strictObject({ id: uuidV4, body: b64Bytes({ max: MESSAGE_MAX_BYTES, min: AEAD_OVERHEAD }) });
export const grantSchema = z.strictObject({
  recipientId: uuidV4,
  sealedKey: b64Bytes({ exact: SEALED_CASE_KEY_BYTES }),
  assign: z.boolean({ error: 'must be true or false' }).optional().default(false),
});
export const identityRequestSchema = z.strictObject({
  id: uuidV4,
  reason,
  custodianReasons: z
    .array(z.strictObject({ recipientId: uuidV4, sealedReason: b64Bytes({ max: REASON_MAX_BYTES + SEAL_OVERHEAD, min: SEAL_OVERHEAD + 1 }) }))
    .min(1, { error: "must seal the reason to each of the case's identity custodians" })
    .max(100),
});
export const identityApprovalSchema = z.strictObject({ sealedKey: b64Bytes({ exact: SEALED_KEY_BYTES }) });
export const emptySchema = z.strictObject({});
