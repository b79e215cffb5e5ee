import { decryptMessage, deriveReceiptKeys, encryptMessage, fromB64, openReport, openReporterKey, randomUuid, toB64, type KeyPair, type ReceiptKeys } from '@sauti/crypto';
import type { MessagePageView, PostedMessage, ReporterCase, ReporterCaseView, ReporterMessage, ReporterMessagePage, ReporterMessageView, ReporterSessionAnswer } from '@sauti/core';
import { openFileList } from './case-files';
import { proofOfWork } from './intake';
import { openReportBody, readable } from './payloads';
import { paths } from './paths';
import type { ApiAnswer, Transport } from './transport';

/** docs/protocol.md §5: the reporter's follow-up, with the keys derived from the receipt. */

/** Opens a session with authKey and a solved proof of work (§5, §6); the token goes on the transport. */
export async function openReporterSession(t: Transport, authKey: Uint8Array, onProgress?: (tried: number) => void): Promise<ApiAnswer<ReporterSessionAnswer>> {
  return startReporterSession(t, authKey, await proofOfWork(t, onProgress));
}

/** The same with a proof of work solved elsewhere (the web's worker solves it in slices, showing the expected wait). */
export async function startReporterSession(t: Transport, authKey: Uint8Array, pow: { challenge: string; nonce: string }): Promise<ApiAnswer<ReporterSessionAnswer>> {
  const answer = await t.call<ReporterSessionAnswer>('POST', paths.reporter.session, { authKey: toB64(authKey), pow });
  if (answer.status === 201) t.bearer = answer.body.token;
  return answer;
}

/** Derives the receipt's keys and opens a session. */
export async function reporterLogin(t: Transport, receipt: string, receiptSalt: string): Promise<{ status: number; keys: ReceiptKeys }> {
  const keys = deriveReceiptKeys(receipt, fromB64(receiptSalt));
  const answer = await openReporterSession(t, keys.authKey);
  return { status: answer.status, keys };
}

export async function closeReporterSession(t: Transport): Promise<number> {
  const answer = await t.call('DELETE', paths.reporter.session);
  t.bearer = null;
  return answer.status;
}

export function getReporterCase(t: Transport): Promise<ApiAnswer<ReporterCase>> {
  return t.call('GET', paths.reporter.case);
}

/** The page of messages before `before` (a case view's `olderMessages`, then each page's `older`). */
export function getReporterMessages(t: Transport, before: string, limit?: number): Promise<ApiAnswer<ReporterMessagePage>> {
  return t.call('GET', paths.reporter.messagesBefore(before, limit));
}

/** A page as a screen shows it: each message opened, a damaged one read as null. */
export function readReporterMessagePage(page: ReporterMessagePage, caseKey: Uint8Array, caseId: string): MessagePageView<ReporterMessageView> {
  return { messages: page.messages.map((m) => openReporterMessage(caseKey, caseId, m)), older: page.older };
}

const openReporterMessage = (caseKey: Uint8Array, caseId: string, m: ReporterMessage): ReporterMessageView => ({
  id: m.id, author: m.author, createdAt: m.createdAt, text: readable(() => decryptMessage(caseKey, caseId, m.id, fromB64(m.body))),
});

export function postReporterMessage(t: Transport, caseKey: Uint8Array, caseId: string, text: string, messageId: string = randomUuid()): Promise<ApiAnswer<PostedMessage>> {
  return t.call('POST', paths.reporter.messages, { id: messageId, body: toB64(encryptMessage(caseKey, caseId, messageId, text)) });
}

/**
 * Opens the reporter's own view with the receipt's key pair. `report` is the payload as decrypted
 * (for tests and tools that sealed their own); screens use readReporterCase, which checks it.
 */
export function openReporterCase(view: ReporterCase, keyPair: KeyPair): { caseKey: Uint8Array; report: unknown; messages: { id: string; author: string; text: string }[] } {
  const caseKey = openReporterKey(keyPair, fromB64(view.reporterSealedKey));
  return {
    caseKey,
    report: openReport(caseKey, view.id, fromB64(view.report)),
    messages: view.messages.map((m) => ({ id: m.id, author: m.author, text: decryptMessage(caseKey, view.id, m.id, fromB64(m.body)) })),
  };
}

/** The view a reporter's screen shows: every payload opened and checked, damaged items marked rather than hidden. */
export function readReporterCase(view: ReporterCase, caseKey: Uint8Array): ReporterCaseView {
  const { files, damagedFiles } = openFileList(caseKey, view.id, view.files);
  return {
    id: view.id,
    reference: view.reference,
    status: view.status,
    statusHistory: view.statusHistory,
    receivedAt: view.receivedAt,
    acknowledgedAt: view.acknowledgedAt,
    feedbackDueAt: view.feedbackDueAt,
    acknowledgeDueAt: view.acknowledgeDueAt ?? null,
    identityDisclosedAt: view.identityDisclosedAt ?? null,
    report: openReportBody(caseKey, view.id, fromB64(view.report)),
    messages: view.messages.map((m) => openReporterMessage(caseKey, view.id, m)),
    olderMessages: view.olderMessages ?? null,
    files,
    damagedFiles,
  };
}
