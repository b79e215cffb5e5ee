import {
  decryptFileMeta,
  decryptMessage,
  deriveReceiptKeys,
  encryptedFileSize,
  encryptFileMeta,
  fileKeygen,
  formatReceipt,
  fromB64,
  generateReceipt,
  normalizeReceipt,
  openReport,
  openReporterKey,
  randomUuid,
  toB64,
  type KeyPair,
} from '@sauti/crypto';
import { prepareReport, ReporterClient, type PreparedReport, type ReporterCase } from '@sauti/client';
import { downloadAndDecrypt, encryptToBlob, putWithProgress } from './file-transfer';
import { httpError, OpError } from './op-error';
import { solvePowCancellable } from './pow-solver';
import type { CaseFile, Ops, Progress, ReceiptCheckResult, ReportBody, ReporterCaseView } from './protocol';

export type OpContext = { signal: AbortSignal; progress: (p: Progress) => void };
type Handler<K extends keyof Ops> = (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']>;

/** A reporter's open case: everything needed to read and write it, kept only in this worker. */
type Session = { client: ReporterClient; caseId: string; caseKey: Uint8Array | null; keyPair: KeyPair };

const sessions = new Map<string, Session>();
/** Sealed reports not yet confirmed by the server, so a retry sends the very same bytes. */
const drafts = new Map<string, PreparedReport>();

const origin = (): string => self.location.origin;
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

async function startSession(client: ReporterClient, authKey: Uint8Array): Promise<void> {
  const answer = await client.call<{ token: string }>('POST', '/api/v1/reporter/session', { authKey: toB64(authKey) });
  if (answer.status !== 201) throw httpError(answer.status, answer.body);
  client.token = answer.body.token;
}

const submitReport: Handler<'submitReport'> = async (args, { signal, progress }) => {
  const client = new ReporterClient(origin());
  const intake = await client.intake();
  const context = intake.contexts.find((c) => c.id === args.contextId);
  if (!context) throw new OpError('not_found', 'this reporting channel no longer exists; reload the page');
  let prepared = drafts.get(args.draftId);
  if (!prepared) {
    progress({ stage: 'argon2' });
    const receipt = generateReceipt();
    const reporterKeys = deriveReceiptKeys(receipt, fromB64(intake.receiptSalt));
    progress({ stage: 'seal' });
    prepared = prepareReport(intake, {
      context,
      body: args.body,
      category: args.category,
      region: args.region,
      language: args.language,
      urgent: args.urgent,
      exclude: args.exclude,
      identity: args.identity ?? undefined,
      receipt,
      reporterKeys,
    });
    drafts.set(args.draftId, prepared);
  }
  progress({ stage: 'pow', done: 0 });
  const challenge = await client.call<{ challenge: string; difficulty: number }>('POST', '/api/v1/pow');
  if (challenge.status !== 201) throw httpError(challenge.status, challenge.body);
  const nonce = await solvePowCancellable(challenge.body.challenge, challenge.body.difficulty, signal, (tried) =>
    progress({ stage: 'pow', done: tried }),
  );
  progress({ stage: 'send' });
  const answer = await client.submit({ ...prepared.request, pow: { challenge: challenge.body.challenge, nonce } });
  if (answer.status !== 201 && answer.status !== 200) throw httpError(answer.status, answer.body);
  drafts.delete(args.draftId);
  // A session now, so attachments can follow without a second Argon2id.
  let handle: string | null = null;
  try {
    await startSession(client, prepared.reporterKeys.authKey);
    handle = newHandle();
    sessions.set(handle, { client, caseId: prepared.request.id, caseKey: prepared.caseKey, keyPair: prepared.reporterKeys.keyPair });
  } catch {
    // The report is safely stored; attachments can be added later from the follow-up page.
  }
  return { handle, receipt: prepared.receipt, reference: answer.body.reference };
};

function decryptView(view: ReporterCase, s: Session): ReporterCaseView {
  s.caseKey ??= openReporterKey(s.keyPair, fromB64(view.reporterSealedKey));
  const caseKey = s.caseKey;
  let report: ReportBody | null = null;
  try {
    report = openReport<ReportBody>(caseKey, view.id, fromB64(view.report));
  } catch {
    report = null;
  }
  const messages = view.messages.map((m) => {
    let text: string | null = null;
    try {
      text = decryptMessage(caseKey, view.id, m.id, fromB64(m.body));
    } catch {
      text = null; // shown as "could not be decrypted", never hidden
    }
    return { id: m.id, author: m.author, text, createdAt: m.createdAt };
  });
  const files: CaseFile[] = [];
  let damagedFiles = 0;
  for (const f of view.files as { id: string; meta: string; size: number; author: 'reporter' | 'staff'; createdAt: string }[]) {
    try {
      const meta = decryptFileMeta(caseKey, view.id, f.id, fromB64(f.meta));
      files.push({ id: f.id, name: meta.name, type: meta.type, size: meta.size, author: f.author, createdAt: f.createdAt });
    } catch {
      damagedFiles++;
    }
  }
  return {
    id: view.id,
    reference: view.reference,
    status: view.status,
    statusHistory: view.statusHistory,
    receivedAt: view.receivedAt,
    acknowledgedAt: view.acknowledgedAt,
    feedbackDueAt: view.feedbackDueAt,
    report,
    messages,
    files,
    damagedFiles,
  };
}

async function fetchView(s: Session): Promise<ReporterCaseView> {
  const answer = await s.client.getCase();
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  return decryptView(answer.body, s);
}

const openCase: Handler<'openCase'> = async ({ receipt }, { progress }) => {
  const check = normalizeReceipt(receipt);
  if (!check.ok) throw new OpError('bad_receipt');
  const client = new ReporterClient(origin());
  const intake = await client.intake();
  progress({ stage: 'argon2' });
  const keys = deriveReceiptKeys(check.receipt, fromB64(intake.receiptSalt));
  progress({ stage: 'open' });
  await startSession(client, keys.authKey);
  const s: Session = { client, caseId: '', caseKey: null, keyPair: keys.keyPair };
  const view = await fetchView(s);
  s.caseId = view.id;
  const handle = newHandle();
  sessions.set(handle, s);
  return { handle, view };
};

const sendMessage: Handler<'sendMessage'> = async ({ handle, text }) => {
  const s = session(handle);
  if (!s.caseKey) await fetchView(s);
  const answer = await s.client.sendMessage(s.caseKey!, s.caseId, text);
  if (answer.status !== 201 && answer.status !== 200) throw httpError(answer.status, answer.body);
  return fetchView(s);
};

const uploadFile: Handler<'uploadFile'> = async ({ handle, file }, { signal, progress }) => {
  const s = session(handle);
  if (!s.caseKey) await fetchView(s);
  const fileId = randomUuid();
  const key = fileKeygen();
  const meta = encryptFileMeta(s.caseKey!, s.caseId, fileId, { name: file.name, type: file.type, size: file.size, key });
  const size = encryptedFileSize(file.size);
  const created = await s.client.call('POST', '/api/v1/reporter/case/files', { id: fileId, meta: toB64(meta), size });
  if (created.status !== 201 && created.status !== 200) throw httpError(created.status, created.body);
  const stream = await encryptToBlob(file, s.caseId, fileId, key, signal, progress);
  await putWithProgress(`${origin()}/api/v1/reporter/case/files/${fileId}/content`, { authorization: `Bearer ${s.client.token}` }, stream, signal, progress);
  return { id: fileId };
};

const downloadFile: Handler<'downloadFile'> = async ({ handle, fileId }, { signal, progress }) => {
  const s = session(handle);
  const answer = await s.client.getCase();
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  const f = (answer.body.files as { id: string; meta: string; size: number }[]).find((x) => x.id === fileId);
  if (!f) throw new OpError('not_found');
  const meta = decryptFileMeta(s.caseKey!, s.caseId, fileId, fromB64(f.meta));
  const blob = await downloadAndDecrypt(
    `${origin()}/api/v1/reporter/case/files/${fileId}/content`,
    { authorization: `Bearer ${s.client.token}` },
    { caseId: s.caseId, fileId },
    meta.key,
    f.size,
    meta.type,
    signal,
    progress,
  );
  return { name: meta.name, type: meta.type, blob };
};

const forget: Handler<'forget'> = async ({ handle }) => {
  const s = sessions.get(handle);
  sessions.delete(handle);
  if (s?.client.token) {
    try {
      await s.client.logout();
    } catch {
      // The session also expires on its own when idle.
    }
  }
  return null;
};

export const reporterOps = {
  submitReport,
  openCase,
  refreshCase: (async ({ handle }) => fetchView(session(handle))) as Handler<'refreshCase'>,
  sendMessage,
  uploadFile,
  downloadFile,
  forget,
};
