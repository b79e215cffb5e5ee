import { fileContentPath, listCaseFiles, openFileMeta, registerFile, StaffSession, staffCases } from '@sauti/client';
import type { StaffCaseSummary } from '../crypto/protocol';
import { downloadAndDecrypt, encryptToBlob, putWithProgress } from './file-transfer';
import { httpError, OpError, type Handler } from './op-error';

/**
 * The signed-in staff member of this tab: @sauti/client's StaffSession, whose private key and case
 * keys stay in this worker. The session cookie is HttpOnly and kept by the browser. A reload means
 * signing in again.
 */
let current: StaffSession | null = null;
/** When the server last saw this tab (for the idle limit). */
let lastActivityAt = 0;

function signedIn(): StaffSession {
  if (!current) throw new OpError('unauthenticated');
  return current;
}

function forgetAll(): void {
  current?.forget();
  current = null;
}

const staffLogin: Handler<'staffLogin'> = async ({ email, password, totp }, { progress }) => {
  forgetAll();
  const s = new StaffSession(self.location.origin);
  const answer = await s.login(email.trim(), password, totp.replace(/\s/g, ''), { unlock: false, onStage: (stage) => progress({ stage }) });
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  try {
    await s.unlockPrivateKey();
  } catch (e) {
    s.forget();
    if (e instanceof Error && /no wrapped private key/.test(e.message)) throw new OpError('rejected', 'this account has no key yet: finish activation first');
    throw e;
  }
  // Every answer after sign-in: a 401 ends the session here too; anything else counts as activity.
  s.transport.onAnswer = (status) => {
    if (status === 401) forgetAll();
    else lastActivityAt = Date.now();
  };
  current = s;
  lastActivityAt = Date.now();
  return { userId: answer.body.userId, displayName: answer.body.displayName, roles: answer.body.roles };
};

/** The signed-in session's transport (cookie and CSRF), for filing a report on someone's behalf. */
export const staffTransport = () => signedIn().transport;

const detail = (caseId: string) => staffCases.caseDetail(signedIn(), caseId);

/** Unexpected statuses of the steps that answer ApiAnswer become the UI's error codes. */
function ok<T>(answer: { status: number; body: T }, expected: number[]): T {
  if (!expected.includes(answer.status)) throw httpError(answer.status, answer.body);
  return answer.body;
}

export const staffOps = {
  staffLogin,
  staffLogout: (async () => {
    if (current) await current.logout().catch(() => 0);
    forgetAll();
    return null;
  }) as Handler<'staffLogout'>,
  staffCases: (async (filters) => {
    const query: Record<string, string | number | boolean> = { sort: filters.sort ?? 'priority', page: filters.page ?? 1 };
    if (filters.status) query.status = filters.status;
    if (filters.assignee) query.assignee = filters.assignee;
    if (filters.overdue) query.overdue = true;
    const body = ok(await staffCases.listCases(signedIn(), query), [200]);
    return { total: body.total, items: body.items satisfies StaffCaseSummary[] };
  }) as Handler<'staffCases'>,
  staffCase: (async ({ caseId }) => detail(caseId)) as Handler<'staffCase'>,
  staffMessage: (async ({ caseId, text }) => {
    ok(await staffCases.sendStaffMessage(signedIn(), caseId, text), [200, 201]);
    return detail(caseId);
  }) as Handler<'staffMessage'>,
  staffOlderMessages: (async ({ caseId, before }) => staffCases.olderCaseMessages(signedIn(), caseId, before)) as Handler<'staffOlderMessages'>,
  staffNote: (async ({ caseId, text }) => {
    ok(await staffCases.addNote(signedIn(), caseId, text), [200, 201]);
    return detail(caseId);
  }) as Handler<'staffNote'>,
  staffStatus: (async ({ caseId, to, outcome, reason }) => {
    ok(await staffCases.changeStatus(signedIn(), caseId, to, { outcome, reason: reason.trim() ? reason.trim() : undefined }), [200, 201]);
    return detail(caseId);
  }) as Handler<'staffStatus'>,
  staffRecuse: (async ({ caseId }) => {
    ok(await staffCases.recuse(signedIn(), caseId), [200, 204]);
    return null;
  }) as Handler<'staffRecuse'>,
  staffUpload: (async ({ caseId, file }, { signal, progress }) => {
    const s = signedIn();
    const keys = await s.keysOf(caseId);
    const registered = await registerFile(s.transport, { kind: 'staff', caseId }, keys.caseKey, caseId, file);
    const stream = await encryptToBlob(file, caseId, registered.fileId, registered.key, signal, progress);
    await putWithProgress(s.transport.url(registered.contentPath), s.transport.authHeaders('PUT'), stream, signal, progress);
    return detail(caseId);
  }) as Handler<'staffUpload'>,
  staffDownload: (async ({ caseId, fileId }, { signal, progress }) => {
    const s = signedIn();
    const keys = await s.keysOf(caseId);
    const f = (await listCaseFiles(s.transport, caseId)).find((x) => x.id === fileId);
    if (!f) throw new OpError('not_found');
    const meta = openFileMeta(keys.caseKey, caseId, f);
    const url = s.transport.url(fileContentPath({ kind: 'staff', caseId }, fileId));
    const blob = await downloadAndDecrypt(url, s.transport.authHeaders('GET'), { caseId, fileId }, meta.key, f.size, meta.type, signal, progress);
    return { name: meta.name, type: meta.type, blob };
  }) as Handler<'staffDownload'>,
  staffExport: (async ({ caseId }) => {
    // Through the session's transport, so a 401 ends the session here like every other call.
    const bundle = await staffCases.exportCase(signedIn(), caseId);
    const reference = String(bundle.case.reference ?? caseId).replace(/[^A-Za-z0-9-]/g, '');
    return { name: `sauti-case-${reference}.json`, blob: new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }) };
  }) as Handler<'staffExport'>,
};

/** For the account, sharing and admin operations: the signed-in session, which never leaves this worker. */
export const staffSession = {
  current: signedIn,
  ok,
  detail,
  info() {
    const s = signedIn();
    return { expiresAt: s.expiresAt, idleTimeoutSeconds: s.idleTimeoutSeconds, lastActivityAt };
  },
};
