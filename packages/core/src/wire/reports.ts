import { z } from 'zod';
import {
  AEAD_OVERHEAD,
  b64Bytes,
  IDENTITY_MAX_BYTES,
  LOOKUP_BYTES,
  PUBLIC_KEY_BYTES,
  SEALED_CASE_KEY_BYTES,
  SEALED_KEY_BYTES,
  uuidV4,
  type B64,
  type IsoDate,
} from './common';

/** A solved proof of work (docs/protocol.md §6), sent with a report and with a reporter session request. */
export const powProofSchema = z.strictObject({
  challenge: z.string({ error: 'must be the challenge from POST /api/v1/pow' }).min(1).max(512),
  nonce: z.string({ error: 'must be a decimal string' }).regex(/^(0|[1-9][0-9]{0,19})$/, { error: 'must be a decimal string such as "12345"' }),
});

/** docs/protocol.md §4 and §6: sealing a report, the proof of work, and the server's answer. */

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
    pow: powProofSchema,
  });
}

/** A submission as the server holds it after validation. */
export type ReportSubmission = z.infer<ReturnType<typeof reportSubmissionSchema>>;

/** How a report reached Sauti: a reporter's own browser, or an intake officer's on their behalf. */
export const INTAKE_CHANNELS = ['web', 'hotline', 'walk_in', 'letter'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
export const ON_BEHALF_CHANNELS = ['hotline', 'walk_in', 'letter'] as const;

/**
 * POST /api/v1/staff/on-behalf-reports (docs/staff-api.md): the same sealed report as POST
 * /api/v1/reports, sealed in the intake officer's browser, without a proof of work (the officer is
 * signed in) and with the way it was received.
 */
export function onBehalfSubmissionSchema(options: { maxReportBytes: number }) {
  return reportSubmissionSchema(options)
    .omit({ pow: true })
    .extend({ intakeChannel: z.enum(ON_BEHALF_CHANNELS, { error: `must be one of: ${ON_BEHALF_CHANNELS.join(', ')}` }) });
}
export type OnBehalfSubmission = z.infer<ReturnType<typeof onBehalfSubmissionSchema>>;
export type OnBehalfRequest = Omit<ReportRequest, 'pow'> & { intakeChannel: (typeof ON_BEHALF_CHANNELS)[number] };

export type KeyWrap = { recipientId: string; sealedKey: B64 };

/** POST /api/v1/reports as a client builds it (`pow` is added once the challenge is solved). */
export type ReportRequest = {
  id: string;
  contextId: string;
  routing: { category: string; region: string | null; language: string; urgent: boolean };
  excludedRecipientIds: string[];
  report: B64;
  keyWraps: KeyWrap[];
  reporter: { lookup: B64; publicKey: B64; sealedKey: B64 };
  identity: null | { ciphertext: B64; keyWraps: KeyWrap[]; reporterSealedKey: B64 };
  pow?: { challenge: string; nonce: string };
};

/** 201 (first acceptance) or 200 (the same bytes again) to POST /api/v1/reports. */
export type SubmitAnswer = { id: string; reference: string; status: 'received'; receivedAt: IsoDate };

/** 201 to POST /api/v1/pow (§6). */
export type PowChallenge = { challenge: string; difficulty: number; expiresAt: IsoDate };
