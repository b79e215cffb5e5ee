import { deriveReceiptKeys, formatReceipt, fromB64, generateReceipt, normalizeReceipt, openReporterKey, powExpectedTries, toB64, type KeyPair } from '@sauti/crypto';
import {
  closeReporterSession,
  fetchIntake,
  fileContentPath,
  getReporterCase,
  getReporterMessages,
  openFileMeta,
  openReporterSession,
  postReporterMessage,
  prepareReport,
  readReporterCase,
  readReporterMessagePage,
  registerFile,
  requestPow,
  startReporterSession,
  submitOnBehalf,
  submitReport as submit,
  Transport,
  type PreparedReport,
} from '@sauti/client';
import type { ReceiptCheckResult, ReporterCaseView } from '../crypto/protocol';
import { downloadAndDecrypt, encryptToBlob, putWithProgress } from './file-transfer';
import { httpError, OpError, type Handler } from './op-error';
import { solvePowCancellable } from './pow-solver';
import { staffTransport } from './staff-ops';

/** A reporter's open case: everything needed to read and write it, kept only in this worker. */
type Session = { transport: Transport; caseId: string; caseKey: Uint8Array | null; keyPair: KeyPair };

const sessions = new Map<string, Session>();
/** Sealed reports not yet confirmed by the server, so a retry sends the very same bytes. */
const drafts = new Map<string, PreparedReport>();

const newTransport = (): Transport => new Transport(self.location.origin);
const newHandle = (): string => toB64(crypto.getRandomValues(new Uint8Array(16)));

function session(handle: string): Session {
  const s = sessions.get(handle);
  if (!s) throw new OpError('unauthenticated', 'this case was closed in this tab; enter your receipt again');
  return s;
}

export function checkReceipt(input: string): ReceiptCheckResult {
  const check = normalizeReceipt(input);
  if (check.ok) return { ok: true, formatted: formatReceipt(check.receipt) };
  const count = input.replace(/[\s-]/g, '').length;
  return { ok: false, reason: check.reason, group: check.group, count };
}

async function startSession(t: Transport, authKey: Uint8Array): Promise<void> {
  const answer = await openReporterSession(t, authKey);
  if (answer.status !== 201) throw httpError(answer.status, answer.body);
}

const submitReport: Handler<'submitReport'> = async (args, { signal, progress }) => {
  const t = newTransport();
  const intake = await fetchIntake(t);
  const context = intake.contexts.find((c) => c.id === args.contextId);
  if (!context) throw new OpError('not_found', 'this reporting channel no longer exists; reload the page');
  let prepared = drafts.get(args.draftId);
  if (!prepared) {
    progress({ stage: 'argon2' });
    const receipt = generateReceipt();
    const reporterKeys = deriveReceiptKeys(receipt, fromB64(intake.receiptSalt));
    progress({ stage: 'seal' });
    prepared = prepareReport(intake, {
      context, body: args.body, category: args.category, region: args.region, language: args.language, urgent: args.urgent,
      exclude: args.exclude, identity: args.identity ?? undefined, receipt, reporterKeys,
    });
    drafts.set(args.draftId, prepared);
  }
  if (args.onBehalf) {
    progress({ stage: 'send' });
    const filed = await submitOnBehalf(staffTransport(), { ...prepared.request, intakeChannel: args.onBehalf });
    if (filed.status !== 201 && filed.status !== 200) throw httpError(filed.status, filed.body);
    drafts.delete(args.draftId);
    // A reporter session for the attachments only (none without them); the UI forgets it once they are sent.
    let onBehalfHandle: string | null = null;
    if (args.withAttachments) {
      try {
        await startSession(t, prepared.reporterKeys.authKey);
        onBehalfHandle = newHandle();
        sessions.set(onBehalfHandle, { transport: t, caseId: prepared.request.id, caseKey: prepared.caseKey, keyPair: prepared.reporterKeys.keyPair });
      } catch {
        // The report is filed; the caller can add attachments from the follow-up page.
      }
    }
    return { handle: onBehalfHandle, receipt: prepared.receipt, reference: filed.body.reference };
  }
  // §6: the challenge names the report's context, so a flood on another channel does not slow this one.
  const challenge = await requestPow(t, { contextId: prepared.request.contextId });
  // On average powExpectedTries(difficulty) tries find a nonce: the UI turns that into a bar and the time left.
  const expected = powExpectedTries(challenge.difficulty);
  progress({ stage: 'pow', done: 0, total: expected });
  const nonce = await solvePowCancellable(challenge.challenge, challenge.difficulty, signal, (tried) => progress({ stage: 'pow', done: tried, total: expected }));
  progress({ stage: 'send' });
  const answer = await submit(t, { ...prepared.request, pow: { challenge: challenge.challenge, nonce } });
  if (answer.status !== 201 && answer.status !== 200) throw httpError(answer.status, answer.body);
  drafts.delete(args.draftId);
  // A session now, so attachments can follow without a second Argon2id.
  let handle: string | null = null;
  try {
    await startSession(t, prepared.reporterKeys.authKey);
    handle = newHandle();
    sessions.set(handle, { transport: t, caseId: prepared.request.id, caseKey: prepared.caseKey, keyPair: prepared.reporterKeys.keyPair });
  } catch {
    // The report is safely stored; attachments can be added later from the follow-up page.
  }
  return { handle, receipt: prepared.receipt, reference: answer.body.reference };
};

async function fetchView(s: Session): Promise<ReporterCaseView> {
  const answer = await getReporterCase(s.transport);
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  s.caseKey ??= openReporterKey(s.keyPair, fromB64(answer.body.reporterSealedKey));
  return readReporterCase(answer.body, s.caseKey);
}

async function caseKeyOf(s: Session): Promise<Uint8Array> {
  if (!s.caseKey) await fetchView(s);
  return s.caseKey!;
}

const openCase: Handler<'openCase'> = async ({ receipt }, { signal, progress }) => {
  const check = normalizeReceipt(receipt);
  if (!check.ok) throw new OpError('bad_receipt');
  const t = newTransport();
  const intake = await fetchIntake(t);
  progress({ stage: 'argon2' });
  const keys = deriveReceiptKeys(check.receipt, fromB64(intake.receiptSalt));
  // §5: a session costs a proof of work; solved in slices so the page shows the expected wait.
  const challenge = await requestPow(t);
  const expected = powExpectedTries(challenge.difficulty);
  progress({ stage: 'pow', done: 0, total: expected });
  const nonce = await solvePowCancellable(challenge.challenge, challenge.difficulty, signal, (tried) => progress({ stage: 'pow', done: tried, total: expected }));
  progress({ stage: 'open' });
  const session = await startReporterSession(t, keys.authKey, { challenge: challenge.challenge, nonce });
  if (session.status !== 201) throw httpError(session.status, session.body);
  const s: Session = { transport: t, caseId: '', caseKey: null, keyPair: keys.keyPair };
  const view = await fetchView(s);
  s.caseId = view.id;
  const handle = newHandle();
  sessions.set(handle, s);
  return { handle, view };
};

const sendMessage: Handler<'sendMessage'> = async ({ handle, text }) => {
  const s = session(handle);
  const answer = await postReporterMessage(s.transport, await caseKeyOf(s), s.caseId, text);
  if (answer.status !== 201 && answer.status !== 200) throw httpError(answer.status, answer.body);
  return fetchView(s);
};

const olderMessages: Handler<'olderMessages'> = async ({ handle, before }) => {
  const s = session(handle);
  const answer = await getReporterMessages(s.transport, before);
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  return readReporterMessagePage(answer.body, await caseKeyOf(s), s.caseId);
};

const uploadFile: Handler<'uploadFile'> = async ({ handle, file }, { signal, progress }) => {
  const s = session(handle);
  const scope = { kind: 'reporter' } as const;
  const registered = await registerFile(s.transport, scope, await caseKeyOf(s), s.caseId, file);
  const stream = await encryptToBlob(file, s.caseId, registered.fileId, registered.key, signal, progress);
  await putWithProgress(s.transport.url(registered.contentPath), s.transport.authHeaders('PUT'), stream, signal, progress);
  return { id: registered.fileId };
};

const downloadFile: Handler<'downloadFile'> = async ({ handle, fileId }, { signal, progress }) => {
  const s = session(handle);
  const answer = await getReporterCase(s.transport);
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  const f = answer.body.files.find((x) => x.id === fileId);
  if (!f) throw new OpError('not_found');
  const meta = openFileMeta(await caseKeyOf(s), s.caseId, f);
  const url = s.transport.url(fileContentPath({ kind: 'reporter' }, fileId));
  const blob = await downloadAndDecrypt(url, s.transport.authHeaders('GET'), { caseId: s.caseId, fileId }, meta.key, f.size, meta.type, signal, progress);
  return { name: meta.name, type: meta.type, blob };
};

const forget: Handler<'forget'> = async ({ handle }) => {
  const s = sessions.get(handle);
  sessions.delete(handle);
  if (s?.transport.bearer) {
    try {
      await closeReporterSession(s.transport);
    } catch {
      // The session also expires on its own when idle.
    }
  }
  return null;
};

export const reporterOps = {
  intake: (async () => fetchIntake(newTransport())) as Handler<'intake'>,
  submitReport,
  openCase,
  refreshCase: (async ({ handle }) => fetchView(session(handle))) as Handler<'refreshCase'>,
  sendMessage,
  olderMessages,
  uploadFile,
  downloadFile,
  forget,
};
