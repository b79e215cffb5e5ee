import { z } from 'zod';
import { base64urlByteLength } from './base64url';
import { isUuidV4 } from './ids';
import type { FieldIssue } from './result';

export const uuidV4 = z
  .string({ error: 'must be a string' })
  .refine(isUuidV4, { error: 'must be a lowercase UUID v4, e.g. 0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4' });

/** base64url without padding, decoding to exactly `exact` bytes or at most `max` bytes. */
export function b64Bytes(limit: { exact: number } | { max: number; min?: number }) {
  return z.string({ error: 'must be a base64url string' }).superRefine((value, ctx) => {
    const length = base64urlByteLength(value);
    if (length === null) {
      ctx.addIssue({ code: 'custom', message: 'must be base64url without padding (A–Z a–z 0–9 - _)' });
      return;
    }
    if ('exact' in limit && length !== limit.exact) {
      ctx.addIssue({ code: 'custom', message: `must decode to exactly ${limit.exact} bytes, got ${length}` });
    }
    if ('max' in limit) {
      if (length > limit.max) ctx.addIssue({ code: 'custom', message: `must decode to at most ${limit.max} bytes, got ${length}` });
      if (length < (limit.min ?? 0)) ctx.addIssue({ code: 'custom', message: `must decode to at least ${limit.min} bytes, got ${length}` });
    }
  });
}

/** SIP/1 sizes (PROTOCOL.md §4). */
export const SEALED_CASE_KEY_BYTES = 112;
export const SEALED_KEY_BYTES = 80;
export const PUBLIC_KEY_BYTES = 32;
export const LOOKUP_BYTES = 32;
/** aead overhead: 24-byte nonce + 16-byte tag. */
export const AEAD_OVERHEAD = 40;
export const IDENTITY_MAX_BYTES = 64 * 1024;
export const MESSAGE_MAX_BYTES = 64 * 1024;

const wrap = (bytes: number) => z.strictObject({ recipientId: uuidV4, sealedKey: b64Bytes({ exact: bytes }) });

const language = z
  .string({ error: 'must be a language tag such as "en" or "fr"' })
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'must be a language tag such as "en", "fr" or "pt-BR"' });

const routingId = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' });

export function reportSubmissionSchema(options: { maxReportBytes: number }) {
  return z.strictObject({
    id: uuidV4,
    contextId: uuidV4,
    routing: z.strictObject({
      category: routingId,
      region: routingId.nullable().optional().transform((v) => v ?? null),
      language,
      urgent: z.boolean({ error: 'must be true or false' }),
    }),
    excludedRecipientIds: z.array(uuidV4, { error: 'must be a list of recipient ids' }).max(100, { error: 'lists too many ids' }),
    report: b64Bytes({ max: options.maxReportBytes, min: AEAD_OVERHEAD }),
    keyWraps: z
      .array(wrap(SEALED_CASE_KEY_BYTES), { error: 'must be a list of key wraps' })
      .min(1, { error: 'must name at least one recipient' })
      .max(500, { error: 'lists too many recipients' }),
    reporter: z.strictObject({
      lookup: b64Bytes({ exact: LOOKUP_BYTES }),
      publicKey: b64Bytes({ exact: PUBLIC_KEY_BYTES }),
      sealedKey: b64Bytes({ exact: SEALED_KEY_BYTES }),
    }),
    identity: z
      .strictObject({
        ciphertext: b64Bytes({ max: IDENTITY_MAX_BYTES, min: AEAD_OVERHEAD }),
        keyWraps: z.array(wrap(SEALED_KEY_BYTES)).min(1, { error: 'must wrap the identity key to every custodian' }).max(100),
        reporterSealedKey: b64Bytes({ exact: SEALED_KEY_BYTES }),
      })
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    pow: z.strictObject({
      challenge: z.string({ error: 'must be the challenge from POST /api/v1/pow' }).min(1).max(512),
      nonce: z.string({ error: 'must be a decimal string' }).regex(/^(0|[1-9][0-9]{0,19})$/, { error: 'must be a decimal string such as "12345"' }),
    }),
  });
}

export type ReportSubmission = z.infer<ReturnType<typeof reportSubmissionSchema>>;

export const reporterSessionSchema = z.strictObject({ authKey: b64Bytes({ exact: 32 }) });

export const reporterMessageSchema = z.strictObject({
  id: uuidV4,
  body: b64Bytes({ max: MESSAGE_MAX_BYTES, min: AEAD_OVERHEAD }),
});

/** Flattens zod issues to `field: message` pairs a client can show next to its inputs. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return { field, message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) return { field, message: 'is required' };
    return { field, message: issue.message };
  });
}
