import { decryptMessage, decryptNote, encryptMessage, encryptNote, fromB64, openReport, randomUuid, ready, toB64 } from '@sauti/crypto';
import type { CaseExport, MessagePageView, PostedMessage, PostedNote, StaffCaseDetail, StaffCaseList, StaffCaseView, StaffMessage, StaffMessagePage, StaffMessageView, StatusChangeAnswer, StatusChangeRequest } from '@sauti/core';
import { listCaseFiles, openFileList } from './case-files';
import { openReportBody, readable } from './payloads';
import { paths } from './paths';
import type { StaffSession } from './staff-session';
import type { ApiAnswer } from './transport';

/** docs/staff-api.md: the cases a staff member holds, opened with its own key wrap. */

export type CaseListFilters = Record<string, string | number | boolean>;

export function listCases(s: StaffSession, query: CaseListFilters = {}): Promise<ApiAnswer<StaffCaseList>> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return s.transport.call('GET', `${paths.staff.cases}${qs ? `?${qs}` : ''}`);
}

export function getCase(s: StaffSession, caseId: string): Promise<ApiAnswer<StaffCaseView>> {
  return s.transport.call('GET', paths.staff.case(caseId));
}

export async function fetchCase(s: StaffSession, caseId: string): Promise<StaffCaseView> {
  return s.transport.need(await getCase(s, caseId), [200], 'case');
}

/** Opens the caller's key wrap and decrypts the report (as sealed), messages, notes and status reasons. */
export async function openCase<R = unknown>(s: StaffSession, caseId: string) {
  await ready();
  const view = await fetchCase(s, caseId);
  const keys = s.caseKeysFrom(view);
  return {
    view,
    report: openReport<R>(keys.caseKey, caseId, fromB64(view.report)),
    // One damaged item must not hide the rest of the case: it reads as null and the UI says so.
    messages: view.messages.map((m) => ({ id: m.id, author: m.author, authorName: m.authorName, text: readable(() => decryptMessage(keys.caseKey, caseId, m.id, fromB64(m.body))) })),
    notes: view.notes.map((n) => ({ id: n.id, authorName: n.authorName, text: readable(() => decryptNote(keys.staffKey, caseId, n.id, fromB64(n.body))) })),
    statusHistory: view.statusHistory.map((h) => ({
      status: h.status, at: h.at, outcome: h.outcome,
      reason: h.reason && h.reasonId ? readable(() => decryptNote(keys.staffKey, caseId, h.reasonId!, fromB64(h.reason!))) : null,
    })),
  };
}

const openStaffMessage = (caseKey: Uint8Array, caseId: string, m: StaffMessage): StaffMessageView => ({
  id: m.id, author: m.author, authorName: m.authorName, createdAt: m.createdAt, text: readable(() => decryptMessage(caseKey, caseId, m.id, fromB64(m.body))),
});

export function getCaseMessages(s: StaffSession, caseId: string, before: string, limit?: number): Promise<ApiAnswer<StaffMessagePage>> {
  return s.transport.call('GET', paths.staff.caseMessagesBefore(caseId, before, limit));
}

/** The page of messages before `before` (the case's `olderMessages`, then each page's `older`), opened. */
export async function olderCaseMessages(s: StaffSession, caseId: string, before: string, limit?: number): Promise<MessagePageView<StaffMessageView>> {
  await ready();
  const page = s.transport.need(await getCaseMessages(s, caseId, before, limit), [200], 'messages');
  const keys = await s.keysOf(caseId);
  return { messages: page.messages.map((m) => openStaffMessage(keys.caseKey, caseId, m)), older: page.older };
}

/** The case as a screen shows it: every payload opened and checked (§9), damaged items marked rather than hidden. */
export async function caseDetail(s: StaffSession, caseId: string): Promise<StaffCaseDetail> {
  await ready();
  const view = await fetchCase(s, caseId);
  const keys = s.caseKeysFrom(view);
  const { files, damagedFiles } = openFileList(keys.caseKey, caseId, await listCaseFiles(s.transport, caseId));
  const note = (id: string, body: string) => readable(() => decryptNote(keys.staffKey, caseId, id, fromB64(body)));
  return {
    summary: view,
    report: openReportBody(keys.caseKey, caseId, fromB64(view.report)),
    messages: view.messages.map((m) => openStaffMessage(keys.caseKey, caseId, m)),
    olderMessages: view.olderMessages ?? null,
    notes: view.notes.map((n) => ({ id: n.id, authorName: n.authorName, createdAt: n.createdAt, text: note(n.id, n.body) })),
    statusHistory: view.statusHistory.map((h) => ({
      status: h.status, at: h.at, outcome: h.outcome, reason: h.reason && h.reasonId ? note(h.reasonId, h.reason) : null,
    })),
    holders: view.holders.map((h) => ({ userId: h.userId, displayName: h.displayName, grantedBy: h.grantedBy })),
    files,
    damagedFiles,
    hasIdentity: view.identity !== null,
    viewer: { userId: s.userId ?? '', roles: s.roles },
    excludedRecipientIds: view.excludedRecipientIds ?? [],
    identity: view.identity && {
      readable: view.identity.sealedKey !== null,
      disclosedAt: view.identity.disclosedAt,
      custodians: view.identity.custodians.map((p) => p.displayName),
      requests: view.identity.requests.map((r) => ({
        id: r.id, requesterId: r.requesterId, requesterName: r.requesterName, status: r.status, createdAt: r.createdAt, decidedAt: r.decidedAt,
        reason: note(r.id, r.reason),
      })),
    },
  };
}

/** SIP/1 §5 message to the reporter, under caseKey. */
export async function sendStaffMessage(s: StaffSession, caseId: string, text: string, messageId: string = randomUuid()): Promise<ApiAnswer<PostedMessage>> {
  const { caseKey } = await s.keysOf(caseId);
  return s.transport.call('POST', paths.staff.caseMessages(caseId), { id: messageId, body: toB64(encryptMessage(caseKey, caseId, messageId, text)) });
}

/** Internal note under staffKey: the reporter cannot read it. */
export async function addNote(s: StaffSession, caseId: string, text: string, noteId: string = randomUuid()): Promise<ApiAnswer<PostedNote>> {
  const { staffKey } = await s.keysOf(caseId);
  return s.transport.call('POST', paths.staff.caseNotes(caseId), { id: noteId, body: toB64(encryptNote(staffKey, caseId, noteId, text)) });
}

/** A status change; the reason, if any, is encrypted under staffKey like a note: the reporter never reads it. */
export async function changeStatus(s: StaffSession, caseId: string, to: string, options: { outcome?: string | null; reason?: string } = {}): Promise<ApiAnswer<StatusChangeAnswer>> {
  const body: StatusChangeRequest = { to };
  if (options.outcome) body.outcome = options.outcome;
  if (options.reason !== undefined) {
    const { staffKey } = await s.keysOf(caseId);
    const reasonId = randomUuid();
    body.reasonId = reasonId;
    body.reason = toB64(encryptNote(staffKey, caseId, reasonId, options.reason));
  }
  return s.transport.call('POST', paths.staff.caseStatus(caseId), body);
}

export async function recuse(s: StaffSession, caseId: string): Promise<ApiAnswer<{ assigneeId: string | null }>> {
  const answer = await s.transport.call<{ assigneeId: string | null }>('POST', paths.staff.caseRecusal(caseId));
  if (answer.status === 200) s.forgetCase(caseId);
  return answer;
}

/** The server's export bundle: ciphertexts only, to be opened with the holder's keys. */
export async function exportCase(s: StaffSession, caseId: string): Promise<CaseExport> {
  const bundle = await s.transport.send<CaseExport>('GET', paths.staff.caseExport(caseId), undefined, [200], 'export');
  if (bundle?.format !== 'sauti-case-export/1' || typeof bundle.case?.report !== 'string') throw new Error('the export is not a sauti-case-export/1 bundle');
  return bundle;
}

/** Opens the report of an export bundle with the holder's keys and checks it (§9). */
export async function openExportReport(s: StaffSession, bundle: CaseExport) {
  const keys = s.caseKeysFrom(bundle.case);
  return openReportBody(keys.caseKey, bundle.case.id, fromB64(bundle.case.report));
}
