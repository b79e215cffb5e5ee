import { z } from 'zod';

/**
 * The decrypted payloads of SIP/1 (docs/protocol.md §9): what a client finds inside the report,
 * the identity, a message and a file's metadata once it has opened them. They are written by
 * clients the server cannot check, so a reader validates them here and shows what it can.
 */

/** The one version of each payload this client reads. A payload without `v` is read as version 1. */
export const PAYLOAD_VERSION = 1;

const version = z.literal(PAYLOAD_VERSION, { error: `must be ${PAYLOAD_VERSION}` }).optional();

export const reportAnswerSchema = z.object({
  id: z.string({ error: 'must be a question id' }),
  label: z.string({ error: 'must be the question as it was asked' }),
  value: z.string({ error: 'must be the answer as text' }),
});
export const reportBodySchema = z.object({
  v: version,
  /** May be left out when the context asks no questions. */
  answers: z.array(reportAnswerSchema, { error: 'must be a list of { id, label, value }' }).optional(),
  text: z.string({ error: 'must be text' }),
});
export const identityBodySchema = z.object({
  v: version,
  name: z.string({ error: 'must be text' }),
  contact: z.string({ error: 'must be text' }),
});
export const messageBodySchema = z.object({ v: version, text: z.string({ error: 'must be text' }) });
export const fileMetaBodySchema = z.object({
  v: version,
  name: z.string({ error: 'must be the file name' }),
  type: z.string({ error: 'must be a media type, possibly empty' }),
  size: z.number().int().min(0, { error: 'must be the plaintext size in bytes' }),
  key: z.string({ error: 'must be the file key, base64url' }),
});

export type ReportAnswer = z.infer<typeof reportAnswerSchema>;
/** What the reporter wrote: every question with its answer, and the free text. Written with `v: 1`. */
export type ReportBody = { v: 1; answers: ReportAnswer[]; text: string };
/** A confidential (not anonymous) reporter's identity, readable only after a custodian's approval. */
export type IdentityBody = { v: 1; name: string; contact: string };
export type MessageBody = z.infer<typeof messageBodySchema>;
export type FileMetaBody = z.infer<typeof fileMetaBodySchema>;

/**
 * Why a payload is shown with a notice: `malformed` (it does not follow §9; what could be read is
 * shown), `unknown_version` (a `v` this client does not know; what could be read is shown).
 */
export type PayloadProblem = 'malformed' | 'unknown_version';

/** A payload as a client shows it: the best reading, and the problem to tell the reader about, if any. */
export type PayloadReading<T> = { value: T; problem: PayloadProblem | null };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asText = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function versionProblem(raw: unknown): PayloadProblem | null {
  return isRecord(raw) && raw.v !== undefined && raw.v !== PAYLOAD_VERSION ? 'unknown_version' : null;
}

/** Answers in whatever shape an independent client used: a list of entries, or an object of id → answer. */
function salvageAnswers(answers: unknown): ReportAnswer[] {
  if (Array.isArray(answers)) {
    return answers.map((a, i) =>
      isRecord(a)
        ? { id: asText(a.id) || String(i + 1), label: asText(a.label ?? a.question ?? a.id) || String(i + 1), value: asText(a.value ?? a.answer) }
        : { id: String(i + 1), label: String(i + 1), value: asText(a) },
    );
  }
  if (isRecord(answers)) {
    return Object.entries(answers).map(([id, a]) =>
      isRecord(a) && ('value' in a || 'label' in a) ? { id, label: asText(a.label ?? id), value: asText(a.value) } : { id, label: id, value: asText(a) },
    );
  }
  return [];
}

/** Reads a decrypted report body; never throws. A malformed body still shows its text and answers. */
export function readReportBody(raw: unknown): PayloadReading<ReportBody> {
  const problem = versionProblem(raw);
  const parsed = reportBodySchema.safeParse(raw);
  if (parsed.success && !problem) return { value: { v: 1, answers: parsed.data.answers ?? [], text: parsed.data.text }, problem: null };
  if (typeof raw === 'string') return { value: { v: 1, answers: [], text: raw }, problem: 'malformed' };
  if (!isRecord(raw)) return { value: { v: 1, answers: [], text: asText(raw) }, problem: 'malformed' };
  return { value: { v: 1, answers: salvageAnswers(raw.answers), text: asText(raw.text) }, problem: problem ?? 'malformed' };
}

/** Reads a decrypted identity body; never throws. */
export function readIdentityBody(raw: unknown): PayloadReading<IdentityBody> {
  const problem = versionProblem(raw);
  const parsed = identityBodySchema.safeParse(raw);
  if (parsed.success && !problem) return { value: { v: 1, name: parsed.data.name, contact: parsed.data.contact }, problem: null };
  if (!isRecord(raw)) return { value: { v: 1, name: '', contact: asText(raw) }, problem: 'malformed' };
  return { value: { v: 1, name: asText(raw.name), contact: asText(raw.contact) }, problem: problem ?? 'malformed' };
}
