/** Wire primitives shared by every resource: ids, base64url byte fields, sizes, error bodies. */
import { z } from 'zod';
import { base64urlByteLength } from '../base64url';
import { isUuidV4 } from '../ids';
import type { FieldIssue } from '../result';

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

/** SIP/1 sizes (docs/protocol.md §4). */
export const SEALED_CASE_KEY_BYTES = 112;
export const SEALED_KEY_BYTES = 80;
export const PUBLIC_KEY_BYTES = 32;
export const LOOKUP_BYTES = 32;
/** aead overhead: 24-byte nonce + 16-byte tag. */
export const AEAD_OVERHEAD = 40;
export const IDENTITY_MAX_BYTES = 64 * 1024;
export const MESSAGE_MAX_BYTES = 64 * 1024;

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

/** Every 4xx/5xx answer of the API: a sentence for people and, for bad input, one issue per field. */
export type ErrorBody = { error: string; issues?: FieldIssue[] };

/** Bodies that must be empty objects (actions without parameters). */
export const emptySchema = z.strictObject({});

/** ISO-8601 timestamps travel as strings. */
export type IsoDate = string;
/** base64url without padding. */
export type B64 = string;

/** Staff-side sizes (docs/protocol.md §3, §5). */
export const NOTE_MAX_BYTES = 64 * 1024;
export const REASON_MAX_BYTES = 8 * 1024;
/** crypto_box_seal overhead. */
export const SEAL_OVERHEAD = 48;
