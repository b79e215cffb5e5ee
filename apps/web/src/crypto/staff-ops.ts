import {
  decryptFileMeta,
  decryptMessage,
  decryptNote,
  deriveStaffKeys,
  encryptedFileSize,
  encryptFileMeta,
  encryptMessage,
  encryptNote,
  fileKeygen,
  fromB64,
  openKeyWrap,
  openReport,
  randomUuid,
  toB64,
  unwrapPrivateKey,
  type KeyPair,
} from '@sauti/crypto';
import { StaffClient, type StaffAnswer, type StaffCaseView } from '@sauti/client';
import { downloadAndDecrypt, encryptToBlob, putWithProgress } from './file-transfer';
import { httpError, OpError } from './op-error';
import type { CaseFile, Ops, ReportBody, StaffCaseDetail, StaffCaseSummary } from './protocol';
import type { OpContext } from './reporter-ops';

type Handler<K extends keyof Ops> = (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']>;
type Keys = { caseKey: Uint8Array; staffKey: Uint8Array };

/**
 * The signed-in staff member of this tab: StaffClient only for its HTTP (CSRF header); the
 * private key and case keys stay in these variables, in this worker. The session cookie is
 * HttpOnly and kept by the browser. A reload means signing in again.
 */
let client: StaffClient | null = null;
let keyPair: KeyPair | null = null;
const caseKeys = new Map<string, Keys>();
/** When the session ends at the latest, and when the server last saw this tab (for the idle limit). */
let session: { expiresAt: string | null; idleTimeoutSeconds: number; lastActivityAt: number } | null = null;

function signedIn(): StaffClient {
  if (!client) throw new OpError('unauthenticated');
  return client;
}

function expect<T>(answer: StaffAnswer<T>, ok: number[]): T {
  if (!ok.includes(answer.status)) {
    if (answer.status === 401) forgetAll();
    throw httpError(answer.status, answer.body);
  }
  if (session) session.lastActivityAt = Date.now();
  return answer.body;
}

function forgetAll(): void {
  client?.forget();
  client = null;
  keyPair?.privateKey.fill(0);
  keyPair = null;
  for (const k of caseKeys.values()) {
    k.caseKey.fill(0);
    k.staffKey.fill(0);
  }
  caseKeys.clear();
  session = null;
}

const staffLogin: Handler<'staffLogin'> = async ({ email, password, totp }, { progress }) => {
  forgetAll();
  const c = new StaffClient(self.location.origin);
  const salt = expect(await c.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email: email.trim() }), [200]).salt;
  progress({ stage: 'argon2' });
  const { loginKey, wrapKey } = deriveStaffKeys(password, fromB64(salt));
  const answer = await c.call<{ userId: string; displayName: string; roles: string[]; csrfToken: string; expiresAt?: string; idleTimeoutSeconds?: number }>('POST', '/api/v1/auth/login', {
    email: email.trim(), loginKey: toB64(loginKey), totp: totp.replace(/\s/g, ''),
  });
  loginKey.fill(0);
  try {
    const body = expect(answer, [200]);
    c.csrfToken = body.csrfToken;
    c.userId = body.userId;
    c.roles = body.roles;
    progress({ stage: 'open' });
    const me = expect(await c.call<{ id: string; encryptedPrivateKey: string | null }>('GET', '/api/v1/staff/me'), [200]);
    if (!me.encryptedPrivateKey) throw new OpError('rejected', 'this account has no key yet: finish activation first');
    keyPair = unwrapPrivateKey(me.id, wrapKey, fromB64(me.encryptedPrivateKey));
    client = c;
    session = { expiresAt: body.expiresAt ?? null, idleTimeoutSeconds: body.idleTimeoutSeconds ?? 1800, lastActivityAt: Date.now() };
    return { userId: body.userId, displayName: body.displayName, roles: body.roles };
  } finally {
    wrapKey.fill(0);
  }
};

function tryText<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null; // shown as "could not be decrypted", never hidden
  }
}

async function detail(caseId: string): Promise<StaffCaseDetail> {
  const c = signedIn();
  const view = expect(await c.getCase(caseId), [200]);
  const keys = caseKeysFor(caseId, view);
  const filesAnswer = expect(await c.call<{ files: { id: string; meta: string; size: number; author: 'reporter' | 'staff'; createdAt: string }[] }>('GET', `/api/v1/staff/cases/${caseId}/files`), [200]);
  const files: CaseFile[] = [];
  let damagedFiles = 0;
  for (const f of filesAnswer.files) {
    const meta = tryText(() => decryptFileMeta(keys.caseKey, caseId, f.id, fromB64(f.meta)));
    if (meta) files.push({ id: f.id, name: meta.name, type: meta.type, size: meta.size, author: f.author, createdAt: f.createdAt });
    else damagedFiles++;
  }
  return {
    summary: view as unknown as StaffCaseSummary,
    report: tryText(() => openReport<ReportBody>(keys.caseKey, caseId, fromB64(view.report))),
    messages: view.messages.map((m) => ({
      id: m.id, author: m.author, authorName: m.authorName, createdAt: m.createdAt,
      text: tryText(() => decryptMessage(keys.caseKey, caseId, m.id, fromB64(m.body))),
    })),
    notes: view.notes.map((n) => ({ id: n.id, authorName: n.authorName, createdAt: n.createdAt, text: tryText(() => decryptNote(keys.staffKey, caseId, n.id, fromB64(n.body))) })),
    statusHistory: view.statusHistory.map((h) => ({
      status: h.status, at: h.at, outcome: h.outcome,
      reason: h.reason && h.reasonId ? tryText(() => decryptNote(keys.staffKey, caseId, h.reasonId!, fromB64(h.reason!))) : null,
    })),
    holders: view.holders.map((h) => ({ userId: h.userId, displayName: h.displayName, grantedBy: h.grantedBy })),
    files,
    damagedFiles,
    hasIdentity: view.identity !== null,
    viewer: { userId: c.userId ?? '', roles: c.roles },
    excludedRecipientIds: Array.isArray(view.excludedRecipientIds) ? (view.excludedRecipientIds as string[]) : [],
    identity: view.identity && {
      readable: view.identity.sealedKey !== null,
      disclosedAt: view.identity.disclosedAt,
      custodians: view.identity.custodians.map((p) => p.displayName),
      requests: view.identity.requests.map((r) => ({
        id: r.id, requesterId: r.requesterId, requesterName: r.requesterName, status: r.status, createdAt: r.createdAt, decidedAt: r.decidedAt,
        reason: tryText(() => decryptNote(keys.staffKey, caseId, r.id, fromB64(r.reason))),
      })),
    },
  };
}

/** Opens this member's key wrap once per case; StaffClient holds the private key. */
function caseKeysFor(caseId: string, view: StaffCaseView): Keys {
  const known = caseKeys.get(caseId);
  if (known) return known;
  if (!keyPair) throw new OpError('unauthenticated');
  const keys = openKeyWrap(keyPair, fromB64(view.keyWrap.sealedKey));
  caseKeys.set(caseId, keys);
  return keys;
}

async function keysOf(caseId: string): Promise<Keys> {
  return caseKeys.get(caseId) ?? caseKeysFor(caseId, expect(await signedIn().getCase(caseId), [200]));
}

const headers = (): Record<string, string> => ({ 'x-csrf-token': signedIn().csrfToken ?? '' });

export const staffOps = {
  staffLogin,
  staffLogout: (async () => {
    if (client) await client.logout().catch(() => 0);
    forgetAll();
    return null;
  }) as Handler<'staffLogout'>,
  staffCases: (async (filters) => {
    const query: Record<string, string | number | boolean> = { sort: filters.sort ?? 'priority', page: filters.page ?? 1 };
    if (filters.status) query.status = filters.status;
    if (filters.assignee) query.assignee = filters.assignee;
    if (filters.overdue) query.overdue = true;
    const body = expect(await signedIn().listCases(query), [200]);
    return { total: body.total, items: body.items as unknown as StaffCaseSummary[] };
  }) as Handler<'staffCases'>,
  staffCase: (async ({ caseId }) => detail(caseId)) as Handler<'staffCase'>,
  staffMessage: (async ({ caseId, text }) => {
    const keys = await keysOf(caseId);
    const id = randomUuid();
    expect(await signedIn().call('POST', `/api/v1/staff/cases/${caseId}/messages`, { id, body: toB64(encryptMessage(keys.caseKey, caseId, id, text)) }), [200, 201]);
    return detail(caseId);
  }) as Handler<'staffMessage'>,
  staffNote: (async ({ caseId, text }) => {
    const keys = await keysOf(caseId);
    const id = randomUuid();
    expect(await signedIn().call('POST', `/api/v1/staff/cases/${caseId}/notes`, { id, body: toB64(encryptNote(keys.staffKey, caseId, id, text)) }), [200, 201]);
    return detail(caseId);
  }) as Handler<'staffNote'>,
  staffStatus: (async ({ caseId, to, outcome, reason }) => {
    const body: Record<string, unknown> = { to };
    if (outcome) body.outcome = outcome;
    if (reason.trim()) {
      // The reason goes under staffKey like a note: the reporter never reads it, the server cannot.
      const keys = await keysOf(caseId);
      const reasonId = randomUuid();
      body.reasonId = reasonId;
      body.reason = toB64(encryptNote(keys.staffKey, caseId, reasonId, reason.trim()));
    }
    expect(await signedIn().call('POST', `/api/v1/staff/cases/${caseId}/status`, body), [200, 201]);
    return detail(caseId);
  }) as Handler<'staffStatus'>,
  staffRecuse: (async ({ caseId }) => {
    expect(await signedIn().call('POST', `/api/v1/staff/cases/${caseId}/recusal`), [200, 204]);
    caseKeys.delete(caseId);
    return null;
  }) as Handler<'staffRecuse'>,
  staffUpload: (async ({ caseId, file }, { signal, progress }) => {
    const c = signedIn();
    const keys = await keysOf(caseId);
    const fileId = randomUuid();
    const key = fileKeygen();
    const meta = encryptFileMeta(keys.caseKey, caseId, fileId, { name: file.name, type: file.type, size: file.size, key });
    expect(await c.call('POST', `/api/v1/staff/cases/${caseId}/files`, { id: fileId, meta: toB64(meta), size: encryptedFileSize(file.size) }), [200, 201]);
    const stream = await encryptToBlob(file, caseId, fileId, key, signal, progress);
    await putWithProgress(`${self.location.origin}/api/v1/staff/cases/${caseId}/files/${fileId}/content`, headers(), stream, signal, progress);
    return detail(caseId);
  }) as Handler<'staffUpload'>,
  staffDownload: (async ({ caseId, fileId }, { signal, progress }) => {
    const c = signedIn();
    const keys = await keysOf(caseId);
    const list = expect(await c.call<{ files: { id: string; meta: string; size: number }[] }>('GET', `/api/v1/staff/cases/${caseId}/files`), [200]);
    const f = list.files.find((x) => x.id === fileId);
    if (!f) throw new OpError('not_found');
    const meta = decryptFileMeta(keys.caseKey, caseId, fileId, fromB64(f.meta));
    const blob = await downloadAndDecrypt(`${self.location.origin}/api/v1/staff/cases/${caseId}/files/${fileId}/content`, {}, { caseId, fileId }, meta.key, f.size, meta.type, signal, progress);
    return { name: meta.name, type: meta.type, blob };
  }) as Handler<'staffDownload'>,
  staffExport: (async ({ caseId }) => {
    // Through the session's client, so a 401 ends the session here like every other call.
    const bundle = expect(await signedIn().call<{ case?: { reference?: unknown } }>('GET', `/api/v1/staff/cases/${caseId}/export`), [200]);
    const reference = String(bundle.case?.reference ?? caseId).replace(/[^A-Za-z0-9-]/g, '');
    return { name: `sauti-case-${reference}.json`, blob: new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }) };
  }) as Handler<'staffExport'>,
};

/**
 * For the account and sharing operations (staff-account-ops.ts, staff-sharing-ops.ts): the signed-in
 * client, its key pair and case keys, which never leave this worker.
 */
export const staffSession = {
  client: signedIn,
  keyPair(): KeyPair {
    if (!keyPair) throw new OpError('unauthenticated');
    return keyPair;
  },
  expect,
  keysOf,
  detail,
  info() {
    if (!session) throw new OpError('unauthenticated');
    return { ...session };
  },
};
