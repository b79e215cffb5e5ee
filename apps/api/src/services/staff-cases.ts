import { fail, may, ok, transition, type CaseListQuery, type Outcome, type Result } from '@sauti/core';
import {
  appendAudit,
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
  listCaseNotes,
  listHeldCases,
  listStaffStatusHistory,
  lockCaseState,
  markCaseRead,
  staffHoldsCase,
  withTransaction,
  type Db,
  type Queryable,
  type StaffCaseSummary,
} from '@sauti/db';
import type { StaffPrincipal } from '../http/staff-auth';

export const CASE_NOT_FOUND = 'There is no case with this id that you may see.';
const MAY_NOT_HANDLE = 'Only investigators and supervisors handle cases.';

const b = (v: string) => Buffer.from(v, 'base64url');
const b64 = (v: Buffer) => v.toString('base64url');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function summaryJson(c: StaffCaseSummary, userId: string) {
  return {
    id: c.id, reference: c.reference, status: c.status, outcome: c.outcome, channel: c.channel, categoryId: c.categoryId, regionId: c.regionId,
    language: c.language, urgent: c.urgent, contextId: c.contextId, assigneeId: c.assigneeId, assignedToMe: c.assigneeId === userId,
    unitId: c.unitId, receivedAt: c.receivedAt.toISOString(), acknowledgeDueAt: iso(c.acknowledgeDueAt), acknowledgedAt: iso(c.acknowledgedAt),
    feedbackDueAt: iso(c.feedbackDueAt), closedAt: iso(c.closedAt), dueAt: iso(c.dueAt), overdue: c.overdue, unreadMessages: c.unreadMessages,
  };
}

/** Only cases the caller holds a key wrap for: anything else it could not read anyway. */
export async function listCases(pool: Db, who: StaffPrincipal, q: CaseListQuery) {
  const assignee = q.assignee === undefined ? undefined
    : q.assignee === 'none' ? ({ kind: 'none' } as const)
    : ({ kind: 'user', userId: q.assignee === 'me' ? who.userId : q.assignee } as const);
  const { total, items } = await listHeldCases(pool, who.userId, {
    status: q.status, unitId: q.unit, assignee, category: q.category, channel: q.channel, overdue: q.overdue, sort: q.sort, page: q.page, pageSize: q.pageSize,
  });
  return { page: q.page, pageSize: q.pageSize, total, items: items.map((c) => summaryJson(c, who.userId)) };
}

/** The case as ciphertexts plus the caller's own key wrap; viewing is audited and clears unread. */
/** The case as its holder sees it. `purpose: 'export'` audits an export instead of a view and leaves unread markers alone. */
export async function viewCase(pool: Db, who: StaffPrincipal, caseId: string, purpose: 'view' | 'export' = 'view'): Promise<Result<Record<string, unknown>>> {
  const c = await getHeldCase(pool, who.userId, caseId);
  if (!c) return fail('not_found', CASE_NOT_FOUND);
  const [messages, notes, history, holders, identityWrap, custodians, requests] = await Promise.all([
    listCaseMessages(pool, caseId), listCaseNotes(pool, caseId), listStaffStatusHistory(pool, caseId), listCaseHolders(pool, caseId),
    findIdentityWrap(pool, caseId, who.userId), c.identityCiphertext ? listCaseCustodians(pool, caseId) : Promise.resolve([]),
    listCaseIdentityRequests(pool, caseId),
  ]);
  await withTransaction(pool, async (tx) => {
    if (purpose === 'view') await markCaseRead(tx, caseId, who.userId);
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: purpose === 'view' ? 'case.viewed' : 'case.exported', caseId });
  });
  return ok({
    ...summaryJson(c, who.userId),
    unreadMessages: c.unreadMessages,
    excludedRecipientIds: c.excludedRecipientIds,
    feedbackDays: c.feedbackDays,
    report: b64(c.report),
    keyWrap: { recipientId: who.userId, sealedKey: b64(c.sealedKey) },
    statusHistory: history.map((h) => ({
      status: h.status, at: h.at.toISOString(), actorId: h.actorId, outcome: h.outcome, reasonId: h.reasonId, reason: h.reason ? b64(h.reason) : null,
    })),
    messages: messages.map((m) => ({
      id: m.id, author: m.author, authorUserId: m.authorUserId, authorName: m.authorName, body: b64(m.body), createdAt: m.createdAt.toISOString(),
    })),
    notes: notes.map((n) => ({ id: n.id, authorUserId: n.authorUserId, authorName: n.authorName, body: b64(n.body), createdAt: n.createdAt.toISOString() })),
    holders: holders.map((h) => ({ userId: h.userId, displayName: h.displayName, unitId: h.unitId, grantedBy: h.grantedBy, grantedAt: h.grantedAt.toISOString() })),
    identity: c.identityCiphertext
      ? {
          ciphertext: b64(c.identityCiphertext),
          sealedKey: identityWrap ? b64(identityWrap) : null,
          disclosedAt: iso(c.identityDisclosedAt),
          custodians: custodians.map((p) => ({ id: p.id, displayName: p.displayName, publicKey: b64(p.publicKey) })),
          requests: requests.map((r) => ({
            id: r.id, requesterId: r.requesterId, requesterName: r.requesterName, status: r.status, reason: b64(r.reason),
            createdAt: r.createdAt.toISOString(), decidedAt: iso(r.decidedAt),
          })),
        }
      : null,
  });
}

/** Case visible (404 otherwise) and the caller may handle it (403 otherwise), in that order. */
export async function checkHandler(db: Queryable, who: StaffPrincipal, caseId: string): Promise<Result<true>> {
  if (!(await staffHoldsCase(db, who.userId, caseId))) return fail('not_found', CASE_NOT_FOUND);
  if (!may(who.roles, 'handleCases')) return fail('forbidden', MAY_NOT_HANDLE);
  return ok(true);
}

export type StatusChangeInput = { to: 'received' | 'acknowledged' | 'in_progress' | 'closed'; outcome?: Outcome | null; reasonId?: string; reason?: string };

export async function changeCaseStatus(pool: Db, who: StaffPrincipal, caseId: string, input: StatusChangeInput): Promise<Result<Record<string, unknown>>> {
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
    return ok({
      status: next.status, outcome: next.outcome, at: at.toISOString(), acknowledgedAt: iso(next.acknowledgedAt), feedbackDueAt: iso(next.feedbackDueAt), closedAt: iso(next.closedAt),
    });
  });
}

const ID_TAKEN = (what: string) => fail<never>('conflict', `A different ${what} was already sent with this id. Generate a new id to send another.`, [
  { field: 'id', message: `is already used by a different ${what}` },
]);

/** SIP/1 §5 staff → reporter message. Idempotent per id like the reporter's. */
export async function postStaffMessage(pool: Db, who: StaffPrincipal, caseId: string, message: { id: string; body: string }): Promise<Result<{ created: boolean; message: Record<string, unknown> }>> {
  const allowed = await checkHandler(pool, who, caseId);
  if (!allowed.ok) return allowed;
  const body = b(message.body);
  const createdAt = await withTransaction(pool, async (tx) => {
    const at = await insertMessage(tx, { id: message.id, caseId, author: 'staff', authorUserId: who.userId, body });
    if (at) await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.message_sent', caseId, details: { messageId: message.id } });
    return at;
  });
  if (createdAt) return ok({ created: true, message: { id: message.id, author: 'staff', createdAt: createdAt.toISOString() } });
  const existing = await findMessage(pool, message.id);
  if (existing && existing.caseId === caseId && existing.author === 'staff' && existing.body.equals(body) && (await findMessageAuthor(pool, message.id)) === who.userId) {
    return ok({ created: false, message: { id: existing.id, author: 'staff', createdAt: existing.createdAt.toISOString() } });
  }
  return ID_TAKEN('message');
}

/** Internal note under staffKey; the reporter never sees notes. */
export async function addNote(pool: Db, who: StaffPrincipal, caseId: string, note: { id: string; body: string }): Promise<Result<{ created: boolean; note: Record<string, unknown> }>> {
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
