import { z } from 'zod';
import { CASE_STATUSES, CHANNELS } from '../case-status';
import { OUTCOMES } from '../lifecycle';
import { MAX_FEEDBACK_DAYS } from '../routing-rules';
import { AEAD_OVERHEAD, b64Bytes, MESSAGE_MAX_BYTES, NOTE_MAX_BYTES, REASON_MAX_BYTES, uuidV4, type B64, type IsoDate } from './common';
import type { FileEntry } from './files';
import { safeText } from './text';

/** docs/staff-api.md: the cases a staff member holds, as ciphertexts plus the member's own key wrap. */

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const intParam = (min: number, max: number, fallback: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }).default(fallback);

export const CASE_SORTS = ['priority', 'due', 'received'] as const;
export const caseListQuerySchema = z.strictObject({
  status: z.enum(CASE_STATUSES, { error: `must be one of: ${CASE_STATUSES.join(', ')}` }).optional(),
  unit: uuidV4.optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), uuidV4], { error: 'must be "me", "none" or a staff id' }).optional(),
  category: safeText({ max: 64, what: 'a category id' }).optional(),
  channel: z.enum(CHANNELS, { error: `must be one of: ${CHANNELS.join(', ')}` }).optional(),
  overdue: flag.optional(),
  sort: z.enum(CASE_SORTS, { error: `must be one of: ${CASE_SORTS.join(', ')}` }).default('priority'),
  page: intParam(1, 100_000, 1),
  pageSize: intParam(1, 100, 25),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

const reason = b64Bytes({ max: REASON_MAX_BYTES, min: AEAD_OVERHEAD });
export const encryptedReason = reason;

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

export const feedbackExtensionSchema = z.strictObject({
  days: z.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number of days' })
    .min(1).max(MAX_FEEDBACK_DAYS, { error: `must be at most ${MAX_FEEDBACK_DAYS} (six months after acknowledgement, the legal limit)` }),
  reason: b64Bytes({ min: AEAD_OVERHEAD, max: 16 * 1024 }),
});

/** Request bodies as a client sends them. */
export type StatusChangeRequest = { to: string; outcome?: string | null; reasonId?: string; reason?: B64 };
export type EncryptedItemRequest = { id: string; body: B64 };
export type FeedbackExtensionRequest = { days: number; reason: B64 };

/** One row of GET /api/v1/staff/cases. */
export type StaffCaseSummary = {
  id: string; reference: string; status: string; outcome: string | null; channel: string; categoryId: string; regionId: string | null;
  language: string; urgent: boolean; contextId: string; assigneeId: string | null; assignedToMe: boolean; unitId: string | null;
  receivedAt: IsoDate; acknowledgeDueAt: IsoDate | null; acknowledgedAt: IsoDate | null; feedbackDueAt: IsoDate | null; closedAt: IsoDate | null;
  dueAt: IsoDate | null; overdue: boolean; unreadMessages: number;
  /** The routing priority (low, normal, high, critical): triage's, which a rule may raise above `urgent`. */
  priority: string;
  /** Names the operator gave, and the assignee's display name: what a person reads instead of ids. */
  contextName: string; categoryName: string | null; regionName: string | null; assigneeName: string | null;
  /** How the report reached Sauti: "web" (the reporter's browser), or "hotline", "walk_in", "letter" (recorded by an intake officer). */
  intakeChannel: string;
};

/** GET /api/v1/staff/cases. */
export type StaffCaseList = { page: number; pageSize: number; total: number; items: StaffCaseSummary[] };

export type StaffStatusEntry = { status: string; at: IsoDate; actorId: string | null; outcome: string | null; reasonId: string | null; reason: B64 | null };
export type StaffMessage = { id: string; author: 'reporter' | 'staff'; authorUserId: string | null; authorName: string | null; body: B64; createdAt: IsoDate };
export type StaffNote = { id: string; authorUserId: string; authorName: string; body: B64; createdAt: IsoDate };
export type CaseHolder = { userId: string; displayName: string; unitId: string | null; grantedBy: string | null; grantedAt: IsoDate };
export type CaseIdentityRequest = {
  id: string; requesterId: string; requesterName: string; status: string; reason: B64; createdAt: IsoDate; decidedAt: IsoDate | null;
};
export type CaseIdentity = {
  ciphertext: B64;
  /** identityKey sealed to the caller, once a custodian granted it. */
  sealedKey: B64 | null;
  disclosedAt: IsoDate | null;
  custodians: { id: string; displayName: string; publicKey: B64 }[];
  requests: CaseIdentityRequest[];
};

/** GET /api/v1/staff/cases/:id: the summary, ciphertexts and the caller's own key wrap. */
export type StaffCaseView = StaffCaseSummary & {
  excludedRecipientIds: string[];
  feedbackDays: number;
  report: B64;
  keyWrap: { recipientId: string; sealedKey: B64 };
  statusHistory: StaffStatusEntry[];
  /** The newest page of messages, oldest first (all of them in an export). */
  messages: StaffMessage[];
  /** Cursor for GET …/messages?before=: the page before `messages`; null when these are all. */
  olderMessages: string | null;
  notes: StaffNote[];
  holders: CaseHolder[];
  identity: CaseIdentity | null;
};

/** POST …/status → 200. */
export type StatusChangeAnswer = {
  status: string; outcome: string | null; at: IsoDate; acknowledgedAt: IsoDate | null; feedbackDueAt: IsoDate | null; closedAt: IsoDate | null;
};

/** POST …/notes → 201 new, 200 the same note again. */
export type PostedNote = { id: string; createdAt: IsoDate };

/** POST …/feedback-extension → 200. */
export type FeedbackExtensionAnswer = { feedbackDueAt: IsoDate };

/** GET /api/v1/staff/stats. */
export type CaseStatistics = { byStatus: Record<string, number>; byCategory: Record<string, number>; overdue: number; unassigned: number };

/** GET /api/v1/staff/cases/:id/export: ciphertexts only, to be opened with the holder's keys. */
export type CaseExport = { format: 'sauti-case-export/1'; protocol: 'SIP/1'; exportedAt: IsoDate; case: StaffCaseView; files: FileEntry[] };
