import { z } from 'zod';
import { ARUSHA_FACTOR_IDS } from '../arusha';
import { b64Bytes, SEALED_KEY_BYTES, uuidV4, AEAD_OVERHEAD, type B64 } from './common';

/** Surveys (issue 15, docs/protocol.md §10): definitions, iterations, codes, tokens, sealed responses. */

export const SURVEY_GROUPS = ['officials', 'private_sector'] as const;
export type SurveyGroup = (typeof SURVEY_GROUPS)[number];
export const QUESTION_KINDS = ['agreement-5', 'single', 'multiple', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
/** A calendar day, YYYY-MM-DD (UTC): the finest time a survey stores. */
export type IsoDay = string;

/** RSA-2048 (§10.1): blinded messages and signatures are 256 bytes. */
export const SURVEY_RSA_BYTES = 256;
export const SURVEY_SPKI_MAX_BYTES = 1024;
export const SURVEY_RESPONSE_DEFAULT_MAX_BYTES = 64 * 1024;
export const SURVEY_CODE_LENGTH = 16;

const language = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'must be a language tag such as "en" or "sw"' });
const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

/** Per-language texts, as operators translate contexts: a default and optional translations. */
export const localizedTextSchema = z.strictObject({
  default: text(1000),
  byLang: z.record(language, text(1000)).optional(),
});
export type LocalizedText = { default: string; byLang?: Record<string, string> };

const slug = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, { error: 'must be 1–48 lowercase letters, digits or "-", e.g. "leadership-1"' });

const optionSchema = z.strictObject({ id: slug, text: localizedTextSchema });

export const surveyQuestionSchema = z
  .strictObject({
    id: slug,
    factor: z.enum(ARUSHA_FACTOR_IDS, { error: `must be one of the ten Arusha factors: ${ARUSHA_FACTOR_IDS.join(', ')}` }),
    kind: z.enum(QUESTION_KINDS, { error: `must be one of ${QUESTION_KINDS.join(', ')}` }),
    text: localizedTextSchema,
    required: z.boolean({ error: 'must be true or false' }),
    options: z.array(optionSchema).max(20, { error: 'lists at most 20 options' }).optional(),
  })
  .superRefine((q, ctx) => {
    const choice = q.kind === 'single' || q.kind === 'multiple';
    if (choice && (q.options?.length ?? 0) < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${q.kind} question needs at least 2 options` });
    if (!choice && q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${q.kind} question has no options` });
    const ids = q.options?.map((o) => o.id) ?? [];
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be distinct' });
  });
export type SurveyQuestion = {
  id: string;
  factor: (typeof ARUSHA_FACTOR_IDS)[number];
  kind: QuestionKind;
  text: LocalizedText;
  required: boolean;
  options?: { id: string; text: LocalizedText }[];
};

export const questionnaireSchema = z
  .strictObject({
    group: z.enum(SURVEY_GROUPS, { error: `must be one of ${SURVEY_GROUPS.join(', ')}` }),
    questions: z.array(surveyQuestionSchema).min(1, { error: 'needs at least one question' }).max(200, { error: 'has at most 200 questions' }),
  })
  .superRefine((q, ctx) => {
    const ids = q.questions.map((x) => x.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions'], message: 'question ids must be distinct' });
  });
export type Questionnaire = { group: SurveyGroup; questions: SurveyQuestion[] };

export const surveyDefinitionSchema = z
  .strictObject({
    title: localizedTextSchema,
    intro: localizedTextSchema.optional(),
    questionnaires: z.array(questionnaireSchema).min(1, { error: 'needs a questionnaire' }).max(SURVEY_GROUPS.length),
  })
  .superRefine((d, ctx) => {
    const groups = d.questionnaires.map((q) => q.group);
    if (new Set(groups).size !== groups.length) ctx.addIssue({ code: 'custom', path: ['questionnaires'], message: 'one questionnaire per respondent group' });
  });
export type SurveyDefinition = { title: LocalizedText; intro?: LocalizedText; questionnaires: Questionnaire[] };

/** One problem with a definition, where it is (a path into the definition) and why, for an editor to place and translate. */
export type DefinitionIssue = { path: (string | number)[]; code: string; message: string; limit?: number };

/** The same check the API runs on POST/PUT /staff/surveys, for a survey editor to run before saving. */
export function checkSurveyDefinition(value: unknown): DefinitionIssue[] {
  const parsed = surveyDefinitionSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => {
    const bound = (i as { maximum?: unknown; minimum?: unknown }).maximum ?? (i as { minimum?: unknown }).minimum;
    const limit = typeof bound === 'number' ? bound : typeof bound === 'bigint' ? Number(bound) : undefined;
    return { path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), code: i.code, message: i.message, ...(limit === undefined ? {} : { limit }) };
  });
}

// --- staff requests ---------------------------------------------------------------------

export const createSurveySchema = z.strictObject({ definition: surveyDefinitionSchema });
export type CreateSurveyRequest = { definition: SurveyDefinition };
export const updateSurveySchema = createSurveySchema;

export const openIterationSchema = z.strictObject({
  openLink: z.boolean({ error: 'must be true or false' }),
});
export type OpenIterationRequest = { openLink: boolean };

export const createCodesSchema = z.strictObject({
  count: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000 per request' }),
  /** 1 for personal invitations; more for a station code (§10.5). */
  uses: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' }).optional(),
});
export type CreateCodesRequest = { count: number; uses?: number };

/** At most this many addresses per request (each gets one personal code and one e-mail). */
export const MAX_SURVEY_INVITATIONS = 1000;
const EMAIL = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

/**
 * §10.2a: personal codes e-mailed through the outbox. Every bad or repeated address is named (one
 * address, one code: a repeated one would give one person two responses).
 */
export const sendInvitationsSchema = z.strictObject({
  emails: z
    .array(z.string({ error: 'must be a string' }), { error: 'must be a list of e-mail addresses' })
    .min(1, { error: 'must hold at least one address' })
    .max(MAX_SURVEY_INVITATIONS, { error: `must hold at most ${MAX_SURVEY_INVITATIONS} addresses per request` })
    .transform((list) => list.map((e) => e.trim()))
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((e, i) => {
        if (e.length > 254 || !EMAIL.test(e)) ctx.addIssue({ code: 'custom', path: [i], message: `"${e.slice(0, 100)}" is not an e-mail address` });
        else if (seen.has(e.toLowerCase())) ctx.addIssue({ code: 'custom', path: [i], message: `"${e}" is listed twice` });
        seen.add(e.toLowerCase());
      });
    }),
});
export type SendInvitationsRequest = { emails: string[] };

// --- respondent requests ----------------------------------------------------------------

export const redeemCodeSchema = z.strictObject({
  code: z.string({ error: 'must be a string' }).min(1, { error: 'enter the invitation code' }).max(64, { error: 'is too long to be an invitation code' }),
  blindedMessage: b64Bytes({ exact: SURVEY_RSA_BYTES }),
});
export type RedeemCodeRequest = { code: string; blindedMessage: B64 };

export function surveySubmissionSchema(options: { maxResponseBytes: number }) {
  return z
    .strictObject({
      id: uuidV4,
      token: z
        .strictObject({ message: b64Bytes({ max: 256, min: 1 }), signature: b64Bytes({ exact: SURVEY_RSA_BYTES }) })
        .nullable(),
      pow: z
        .strictObject({
          challenge: z.string({ error: 'must be a string' }).min(1).max(512),
          nonce: z.string({ error: 'must be a decimal string' }).regex(/^\d{1,20}$/, { error: 'must be a decimal string' }),
        })
        .nullable(),
      ciphertext: b64Bytes({ max: options.maxResponseBytes, min: AEAD_OVERHEAD }),
      keyWraps: z
        .array(z.strictObject({ analystId: uuidV4, sealedKey: b64Bytes({ exact: SEALED_KEY_BYTES }) }), { error: 'must be a list of key wraps' })
        .min(1, { error: 'must name at least one analyst' })
        .max(200, { error: 'lists too many analysts' }),
    })
    .superRefine((s, ctx) => {
      if (!s.token && !s.pow) ctx.addIssue({ code: 'custom', path: ['token'], message: 'is required: redeem an invitation code first (or solve a proof of work on an open link)' });
      if (s.token && s.pow) ctx.addIssue({ code: 'custom', path: ['pow'], message: 'must be null when a token is given' });
    });
}
export type SurveySubmission = {
  id: string;
  token: { message: B64; signature: B64 } | null;
  pow: { challenge: string; nonce: string } | null;
  ciphertext: B64;
  keyWraps: { analystId: string; sealedKey: B64 }[];
};

// --- answers ---------------------------------------------------------------------------------

export type IterationStatus = 'open' | 'closed';

export type IterationSummary = {
  id: string;
  number: number;
  status: IterationStatus;
  openLink: boolean;
  openedOn: IsoDay;
  closedOn: IsoDay | null;
  responses: number;
  codesIssued: number;
  codesRedeemed: number;
};

export type SurveySummary = { id: string; title: LocalizedText; createdOn: IsoDay; iterations: IterationSummary[] };
export type SurveyDetail = SurveySummary & { definition: SurveyDefinition };
export type SurveyList = { surveys: SurveySummary[] };

/** GET /api/v1/surveys/iterations/:id (§10.1), public. */
export type PublicIteration = {
  id: string;
  surveyId: string;
  number: number;
  status: IterationStatus;
  openLink: boolean;
  openedOn: IsoDay;
  definition: SurveyDefinition;
  publicKey: B64;
  analysts: { id: string; publicKey: B64 }[];
  suite: 'RSABSSA-SHA384-PSS-Randomized';
};

export type CodesCreated = { codes: string[]; uses: number };
/** The count only: the codes of e-mailed invitations are never shown to staff. */
export type InvitationsQueued = { queued: number };
export type RedeemAnswer = { blindSignature: B64 };
export type SurveySubmitAnswer = { id: string; receivedOn: IsoDay };

export type SealedSurveyResponseRow = { id: string; ciphertext: B64; sealedKey: B64 };
export type SurveyResponsesPage = { responses: SealedSurveyResponseRow[]; next: string | null };
export type SurveyIterationSummary = IterationSummary & { surveyId: string; definition: SurveyDefinition; previousIterationId: string | null };
