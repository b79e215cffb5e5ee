import {
  fail,
  MAX_FEEDBACK_DAYS,
  MESSAGE_PAGE_DEFAULT,
  MESSAGE_PAGE_MAX_BYTES,
  may,
  ok,
  transition,
  type CaseListQuery,
  type CaseStatistics,
  type CaseStatus,
  type FeedbackExtensionAnswer,
  type MessagePageQuery,
  type Outcome,
  type PostedMessage,
  type PostedNote,
  type Result,
} from '@sauti/core';
import {
  appendAudit,
  extendFeedbackDeadline as extendCaseFeedbackDeadline,
  lockFeedbackDeadline,
  applyCaseStatus,
  findIdentityWrap,
  findMessage,
  findMessageAuthor,
  findNote,
  getHeldCase,
  insertMessage,
  insertNote,
  listCaseCustodians,
  listCaseHolders,
  listCaseIdentityRequests,
  listCaseMessages,
  listMessagePage,
  lockCaseMessageUsage,
  listCaseNotes,
  listHeldCases,
  listStaffStatusHistory,
  lockCaseState,
  markCaseRead,
  staffHoldsCase,
  withTransaction,
  listUploadedCaseFiles,
  caseStatistics,
  type CaseFileRecord,
  type CaseHolderRecord,
  type CaseMessageRow,
  type CaseNoteRow,
  type Db,
  type IdentityRequestRow,
  type MessagePage,
  type Queryable,
  type StaffCaseDetailRecord,
  type StaffCaseSummaryRecord,
  type StaffStatusRecord,
} from '@sauti/db';
import type { StaffPrincipal } from '../auth';
import { messagesFull, UNKNOWN_CURSOR, type MessageCaps } from './reporter-case';

export const CASE_NOT_FOUND = 'There is no case with this id that you may see.';
const MAY_NOT_HANDLE = 'Only investigators and supervisors handle cases.';

const b = (v: string) => Buffer.from(v, 'base64url');

export type CaseListPage = { page: number; pageSize: number; total: number; items: StaffCaseSummaryRecord[] };

/** Only cases the caller holds a key wrap for: anything else it could not read anyway. */
export async function listCases(pool: Db, who: StaffPrincipal, q: CaseListQuery): Promise<CaseListPage> {
  const assignee = q.assignee === undefined ? undefined
    : q.assignee === 'none' ? ({ kind: 'none' } as const)
    : ({ kind: 'user', userId: q.assignee === 'me' ? who.userId : q.assignee } as const);
  const { total, items } = await listHeldCases(pool, who.userId, {
    status: q.status, unitId: q.unit, assignee, category: q.category, channel: q.channel, overdue: q.overdue, sort: q.sort, page: q.page, pageSize: q.pageSize,
  });
  return { page: q.page, pageSize: q.pageSize, total, items };
}

/** Everything a holder may see of a case, as stored (ciphertexts). */
export type CaseDetail = {
  case: StaffCaseDetailRecord;
  messages: CaseMessageRow[];
  /** Cursor for the page before `messages` (null: they are all, as in an export). */
  olderMessages: string | null;
  notes: CaseNoteRow[];
  history: StaffStatusRecord[];
  holders: CaseHolderRecord[];
  identityWrap: Buffer | null;
  custodians: { id: string; displayName: string; publicKey: Buffer }[];
  requests: IdentityRequestRow[];
};

/** The case as its holder sees it; viewing is audited and clears unread. `purpose: 'export'` audits an export instead and leaves unread markers alone. */
export async function viewCase(pool: Db, who: StaffPrincipal, caseId: string, purpose: 'view' | 'export' = 'view'): Promise<Result<CaseDetail>> {
  const c = await getHeldCase(pool, who.userId, caseId);
  if (!c) return fail('not_found', CASE_NOT_FOUND);
  // A view carries the newest page of messages (the rest come through staffMessages); an export all of them.
  const firstPage = async (): Promise<MessagePage> =>
    purpose === 'export'
      ? { messages: await listCaseMessages(pool, caseId), older: null }
      : ((await listMessagePage(pool, caseId, null, { limit: MESSAGE_PAGE_DEFAULT, maxBytes: MESSAGE_PAGE_MAX_BYTES })) ?? { messages: [], older: null });
  const [page, notes, history, holders, identityWrap, custodians, requests] = await Promise.all([
    firstPage(), listCaseNotes(pool, caseId), listStaffStatusHistory(pool, caseId), listCaseHolders(pool, caseId),
    findIdentityWrap(pool, caseId, who.userId), c.identityCiphertext ? listCaseCustodians(pool, caseId) : Promise.resolve([]),
    listCaseIdentityRequests(pool, caseId),
  ]);
  await withTransaction(pool, async (tx) => {
    if (purpose === 'view') await markCaseRead(tx, caseId, who.userId);
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: purpose === 'view' ? 'case.viewed' : 'case.exported', caseId });
  });
  return ok({ case: c, messages: page.messages, olderMessages: page.older, notes, history, holders, identityWrap, custodians, requests });
}

/** A page of a held case's messages older than `before`; reading them is part of viewing the case (audited there). */
export async function staffMessages(pool: Db, who: StaffPrincipal, caseId: string, query: MessagePageQuery): Promise<Result<MessagePage>> {
  if (!(await staffHoldsCase(pool, who.userId, caseId))) return fail('not_found', CASE_NOT_FOUND);
  const page = await listMessagePage(pool, caseId, query.before ?? null, { limit: query.limit, maxBytes: MESSAGE_PAGE_MAX_BYTES });
  return page ? ok(page) : fail('invalid', UNKNOWN_CURSOR, [{ field: 'before', message: 'is not a message of this case' }]);
}

/**
 * Everything a holder may see of a case, for the holder's client to decrypt and archive or hand
 * over: the server exports what it stores, nothing readable. Audited as an export.
 */
export async function exportCase(pool: Db, who: StaffPrincipal, caseId: string): Promise<Result<{ detail: CaseDetail; files: CaseFileRecord[] }>> {
  const detail = await viewCase(pool, who, caseId, 'export');
  if (!detail.ok) return detail;
  return ok({ detail: detail.value, files: await listUploadedCaseFiles(pool, caseId) });
}

export async function statistics(pool: Db): Promise<CaseStatistics> {
  return caseStatistics(pool);
}

/** Case visible (404 otherwise) and the caller may handle it (403 otherwise), in that order. */
export async function checkHandler(db: Queryable, who: StaffPrincipal, caseId: string): Promise<Result<true>> {
  if (!(await staffHoldsCase(db, who.userId, caseId))) return fail('not_found', CASE_NOT_FOUND);
  if (!may(who.roles, 'handleCases')) return fail('forbidden', MAY_NOT_HANDLE);
  return ok(true);
}

export type StatusChangeInput = { to: 'received' | 'acknowledged' | 'in_progress' | 'closed'; outcome?: Outcome | null; reasonId?: string; reason?: string };

export type StatusChanged = {
  status: CaseStatus; outcome: Outcome | null; at: Date; acknowledgedAt: Date | null; feedbackDueAt: Date | null; closedAt: Date | null;
};

export async function changeCaseStatus(pool: Db, who: StaffPrincipal, caseId: string, input: StatusChangeInput): Promise<Result<StatusChanged>> {
  return withTransaction(pool, async (tx) => {
    if (!(await staffHoldsCase(tx, who.userId, caseId))) return fail('not_found', CASE_NOT_FOUND);
    const state = await lockCaseState(tx, caseId);
    if (!state) return fail('not_found', CASE_NOT_FOUND);
    const moved = transition(
      { status: state.status, acknowledgedAt: state.acknowledgedAt, feedbackDueAt: state.feedbackDueAt, closedAt: state.closedAt, outcome: state.outcome as Outcome | null },
      { to: input.to, outcome: input.outcome ?? null, hasReason: input.reason !== undefined },
      { now: new Date(), feedbackDays: state.feedbackDays, actorRoles: who.roles },
    );
    if (!moved.ok) return moved;
    const next = moved.value.next;
    const at = await applyCaseStatus(tx, {
      caseId, status: next.status, acknowledgedAt: next.acknowledgedAt, feedbackDueAt: next.feedbackDueAt, closedAt: next.closedAt, outcome: next.outcome,
      actorId: who.userId, reasonId: input.reasonId ?? null, reason: input.reason ? b(input.reason) : null,
    });
    await appendAudit(tx, {
      actorType: 'staff', actorId: who.userId, action: 'case.status_changed', caseId,
      details: { kind: moved.value.kind, from: state.status, to: next.status, outcome: next.outcome, withReason: input.reason !== undefined },
    });
    return ok({ status: next.status, outcome: next.outcome, at, acknowledgedAt: next.acknowledgedAt, feedbackDueAt: next.feedbackDueAt, closedAt: next.closedAt });
  });
}

const ID_TAKEN = (what: string) => fail<never>('conflict', `A different ${what} was already sent with this id. Generate a new id to send another.`, [
  { field: 'id', message: `is already used by a different ${what}` },
]);

/** SIP/1 §5 staff → reporter message. Idempotent per id like the reporter's. */
export async function postStaffMessage(
  pool: Db,
  who: StaffPrincipal,
  caseId: string,
  message: { id: string; body: string },
  caps: MessageCaps = { maxCount: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER },
): Promise<Result<{ created: boolean; message: PostedMessage }>> {
  const allowed = await checkHandler(pool, who, caseId);
  if (!allowed.ok) return allowed;
  const body = b(message.body);
  const createdAt = await withTransaction(pool, async (tx) => {
    // The per-case caps count both sides: the dialogue as a whole is bounded (issue 11).
    const usage = await lockCaseMessageUsage(tx, caseId);
    if ((await findMessage(tx, message.id)) === null && (usage.count + 1 > caps.maxCount || usage.bytes + body.length > caps.maxBytes)) return 'full' as const;
    const at = await insertMessage(tx, { id: message.id, caseId, author: 'staff', authorUserId: who.userId, body });
    if (at) await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.message_sent', caseId, details: { messageId: message.id } });
    return at;
  });
  if (createdAt === 'full') return messagesFull(caps);
  if (createdAt) return ok({ created: true, message: { id: message.id, author: 'staff' as const, createdAt: createdAt.toISOString() } });
  const existing = await findMessage(pool, message.id);
  if (existing && existing.caseId === caseId && existing.author === 'staff' && existing.body.equals(body) && (await findMessageAuthor(pool, message.id)) === who.userId) {
    return ok({ created: false, message: { id: existing.id, author: 'staff' as const, createdAt: existing.createdAt.toISOString() } });
  }
  return ID_TAKEN('message');
}

/** Internal note under staffKey; the reporter never sees notes. */
export async function addNote(pool: Db, who: StaffPrincipal, caseId: string, note: { id: string; body: string }): Promise<Result<{ created: boolean; note: PostedNote }>> {
  const allowed = await checkHandler(pool, who, caseId);
  if (!allowed.ok) return allowed;
  const body = b(note.body);
  const createdAt = await withTransaction(pool, async (tx) => {
    const at = await insertNote(tx, { id: note.id, caseId, authorUserId: who.userId, body });
    if (at) await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.note_added', caseId, details: { noteId: note.id } });
    return at;
  });
  if (createdAt) return ok({ created: true, note: { id: note.id, createdAt: createdAt.toISOString() } });
  const existing = await findNote(pool, note.id);
  if (existing && existing.caseId === caseId && existing.authorUserId === who.userId && existing.body.equals(body)) {
    return ok({ created: false, note: { id: note.id, createdAt: existing.createdAt.toISOString() } });
  }
  return ID_TAKEN('note');
}

const DAY_MS = 86_400_000;

/**
 * EU Directive 2019/1937 art. 9(1)(f): feedback within 3 months of acknowledgement, 6 in duly
 * justified cases. A holder of the case extends the deadline to `days` after acknowledgement
 * (at most 183), later than it is now, with a reason encrypted under staffKey.
 */
export async function extendFeedbackDeadline(
  pool: Db,
  who: StaffPrincipal,
  caseId: string,
  input: { days: number; reason: Buffer },
): Promise<Result<FeedbackExtensionAnswer>> {
  // Like messages and status: holding the case's key is not enough, the role must handle cases.
  const allowed = await checkHandler(pool, who, caseId);
  if (!allowed.ok) return allowed;
  const actorId = who.userId;
  return withTransaction(pool, async (tx) => {
    const c = await lockFeedbackDeadline(tx, caseId);
    if (!c || !c.acknowledgedAt || !c.feedbackDueAt || !['acknowledged', 'in_progress'].includes(c.status)) {
      return fail('conflict', 'Only an acknowledged, open case has a feedback deadline to extend.');
    }
    const dueAt = new Date(c.acknowledgedAt.getTime() + input.days * DAY_MS);
    if (dueAt.getTime() <= c.feedbackDueAt.getTime()) {
      return fail('invalid', `The new deadline must be later than the current one (${c.feedbackDueAt.toISOString()}).`, [
        { field: 'days', message: `must give a deadline after the current one, at most ${MAX_FEEDBACK_DAYS} days after acknowledgement` },
      ]);
    }
    await extendCaseFeedbackDeadline(tx, { caseId, dueAt, days: input.days, reason: input.reason });
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'case.feedback_extended', caseId, details: { days: input.days } });
    return ok({ feedbackDueAt: dueAt.toISOString() });
  });
}
