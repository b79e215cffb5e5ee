import {
  createStaffKeys,
  decryptMessage,
  decryptNote,
  deriveStaffKeys,
  encryptMessage,
  encryptNote,
  fromB64,
  fromUtf8,
  grantCaseKeys,
  grantIdentityKey,
  openIdentity,
  openKeyWrap,
  openReport,
  openReporterKey,
  openSealed,
  randomUuid,
  ready,
  recoverPrivateKey,
  rewrapPrivateKey,
  seal,
  toB64,
  unwrapPrivateKey,
  utf8,
  type KeyPair,
} from '@sauti/crypto';
import { readAnswer, type ApiAnswer } from './answer';

/** Same shape as the reporter client's answers. */
export type StaffAnswer<T = Record<string, unknown>> = ApiAnswer<T>;
export type StaffClientOptions = { fetch?: typeof fetch; headers?: Record<string, string> };
type CaseKeys = { caseKey: Uint8Array; staffKey: Uint8Array };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What GET /api/v1/staff/cases/:id answers (ciphertexts; see docs/staff-api.md). */
export type StaffCaseView = {
  id: string; reference: string; status: string; outcome: string | null; assigneeId: string | null; report: string;
  keyWrap: { recipientId: string; sealedKey: string };
  statusHistory: { status: string; at: string; actorId: string | null; outcome: string | null; reasonId: string | null; reason: string | null }[];
  messages: { id: string; author: 'reporter' | 'staff'; authorUserId: string | null; authorName: string | null; body: string; createdAt: string }[];
  notes: { id: string; authorUserId: string; authorName: string; body: string; createdAt: string }[];
  holders: { userId: string; displayName: string; unitId: string | null; grantedBy: string | null; grantedAt: string }[];
  identity: null | {
    ciphertext: string; sealedKey: string | null; disclosedAt: string | null; custodians: { id: string; displayName: string; publicKey: string }[];
    requests: { id: string; requesterId: string; requesterName: string; status: string; reason: string; createdAt: string; decidedAt: string | null }[];
  };
  [key: string]: unknown;
};

export type IdentityRequestItem = {
  id: string; caseId: string; caseReference: string; requesterId: string; requesterName: string; requesterPublicKey: string | null;
  sealedReason: string | null; identityWrap: string; status: string; createdAt: string; decidedAt: string | null;
};

function readable(decrypt: () => string): string | null {
  try {
    return decrypt();
  } catch {
    return null;
  }
}

function isBinary(body: unknown): body is Uint8Array | ReadableStream | AsyncIterable<Uint8Array> {
  return body instanceof Uint8Array || (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

/**
 * The staff side of SIP/1 over fetch, doing in the caller what a staff browser does: keys are made
 * and opened here, and only ciphertext, salts, public keys and loginKey are ever sent. In Node it
 * keeps the session cookie itself; in a browser the browser does.
 */
export class StaffClient {
  userId: string | null = null;
  roles: string[] = [];
  csrfToken: string | null = null;
  private cookie: string | null = null;
  private cookieName = 'sauti_staff';
  private keyPair: KeyPair | null = null;
  private pendingWrapKey: Uint8Array | null = null;
  private readonly caseKeys = new Map<string, CaseKeys>();

  constructor(
    readonly baseUrl: string,
    private readonly options: StaffClientOptions = {},
  ) {}

  get unlocked(): boolean {
    return this.keyPair !== null;
  }

  /** Any API call with the session cookie and, for unsafe methods, the CSRF header. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, opts: { contentType?: string } = {}): Promise<StaffAnswer<T>> {
    const headers: Record<string, string> = { ...this.options.headers };
    let payload: RequestInit['body'] | undefined;
    let duplex: 'half' | undefined;
    if (body !== undefined) {
      if (isBinary(body)) {
        headers['content-type'] = opts.contentType ?? 'application/octet-stream';
        payload = body as RequestInit['body'];
        if (!(body instanceof Uint8Array)) duplex = 'half';
      } else {
        headers['content-type'] = opts.contentType ?? 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
    }
    if (this.cookie) headers.cookie = `${this.cookieName}=${this.cookie}`;
    if (UNSAFE.has(method.toUpperCase()) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body: payload };
    if (duplex) init.duplex = duplex;
    const response = await (this.options.fetch ?? fetch)(new URL(path, this.baseUrl), init);
    this.keepCookie(response.headers);
    return readAnswer<T>(response);
  }

  private keepCookie(headers: Headers): void {
    const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const line of all) {
      // `__Host-sauti_staff` when the server's PUBLIC_URL is https.
      const match = /^((?:__Host-)?sauti_staff)=([^;]*)/.exec(line);
      if (match) {
        this.cookieName = match[1]!;
        this.cookie = match[2] ? match[2] : null;
      }
    }
  }

  private need<T>(answer: StaffAnswer<T>, expected: number[], what: string): T {
    if (!expected.includes(answer.status)) {
      const message = (answer.body as { error?: string } | null)?.error ?? '';
      throw new Error(`${what} answered ${answer.status}${message ? `: ${message}` : ''}`);
    }
    return answer.body;
  }

  /**
   * Account activation (PROTOCOL.md §3): keys are made here; the server gets salt, loginKey, the
   * public key and the two wrapped private keys. `codeFor` is the person reading the first code
   * off the authenticator app that was given the secret.
   */
  async activate(token: string, password: string, codeFor: (totpSecret: string, otpauthUri: string) => string | Promise<string>) {
    await ready();
    const start = this.need(await this.call<{ userId: string; email: string; totpSecret: string; otpauthUri: string }>('POST', '/api/v1/auth/activation/start', { token }), [200], 'activation start');
    const keys = createStaffKeys(start.userId, password);
    const totp = await codeFor(start.totpSecret, start.otpauthUri);
    this.need(await this.call('POST', '/api/v1/auth/activation', {
      token, salt: toB64(keys.salt), loginKey: toB64(keys.loginKey), publicKey: toB64(keys.keyPair.publicKey),
      encryptedPrivateKey: toB64(keys.encryptedPrivateKey), recoveryEncryptedPrivateKey: toB64(keys.recoveryEncryptedPrivateKey), totp,
    }), [201], 'activation');
    keys.loginKey.fill(0);
    keys.wrapKey.fill(0);
    return { userId: start.userId, email: start.email, totpSecret: start.totpSecret, recoveryKeyText: keys.recoveryKeyText };
  }

  /** Sign-in: derive loginKey from the salt, send it with the TOTP code, then unlock the private key locally. */
  async login(email: string, password: string, totp: string, options: { unlock?: boolean } = {}): Promise<StaffAnswer> {
    await ready();
    const salt = this.need(await this.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email }), [200], 'salt').salt;
    const { loginKey, wrapKey } = deriveStaffKeys(password, fromB64(salt));
    const answer = await this.call<{ userId: string; roles: string[]; csrfToken: string }>('POST', '/api/v1/auth/login', { email, loginKey: toB64(loginKey), totp });
    loginKey.fill(0);
    if (answer.status !== 200) {
      wrapKey.fill(0);
      return answer;
    }
    this.userId = answer.body.userId;
    this.roles = answer.body.roles;
    this.csrfToken = answer.body.csrfToken;
    this.pendingWrapKey = wrapKey;
    if (options.unlock !== false) await this.unlockPrivateKey();
    return answer;
  }

  /** Fetches the wrapped private key and opens it with the key derived at sign-in (or from the password again). */
  async unlockPrivateKey(password?: string): Promise<void> {
    await ready();
    const me = this.need(await this.call<{ id: string; email: string; encryptedPrivateKey: string | null }>('GET', '/api/v1/staff/me'), [200], 'me');
    if (!me.encryptedPrivateKey) throw new Error('this account has no wrapped private key');
    let wrapKey = this.pendingWrapKey;
    if (password !== undefined) {
      const salt = this.need(await this.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email: me.email }), [200], 'salt').salt;
      wrapKey = deriveStaffKeys(password, fromB64(salt)).wrapKey;
    }
    if (!wrapKey) throw new Error('give the password to unlock the private key');
    this.keyPair = unwrapPrivateKey(me.id, wrapKey, fromB64(me.encryptedPrivateKey));
    wrapKey.fill(0);
    this.pendingWrapKey = null;
  }

  async logout(): Promise<number> {
    const answer = await this.call('POST', '/api/v1/auth/logout');
    this.forget();
    return answer.status;
  }

  /** Drops every key and the session from memory. */
  forget(): void {
    this.keyPair?.privateKey.fill(0);
    this.keyPair = null;
    for (const keys of this.caseKeys.values()) {
      keys.caseKey.fill(0);
      keys.staffKey.fill(0);
    }
    this.caseKeys.clear();
    this.cookie = null;
    this.csrfToken = null;
  }

  private kp(): KeyPair {
    if (!this.keyPair) throw new Error('sign in and unlock the private key first');
    return this.keyPair;
  }

  listCases(query: Record<string, string | number | boolean> = {}): Promise<StaffAnswer<{ total: number; items: Record<string, unknown>[] }>> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return this.call('GET', `/api/v1/staff/cases${qs ? `?${qs}` : ''}`);
  }

  getCase(caseId: string): Promise<StaffAnswer<StaffCaseView>> {
    return this.call('GET', `/api/v1/staff/cases/${caseId}`);
  }

  /** Opens the caller's key wrap and decrypts the report, messages, notes and status reasons. */
  async openCase<R = unknown>(caseId: string) {
    await ready();
    const view = this.need(await this.getCase(caseId), [200], 'case');
    const keys = openKeyWrap(this.kp(), fromB64(view.keyWrap.sealedKey));
    this.caseKeys.set(caseId, keys);
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

  private async keys(caseId: string): Promise<CaseKeys> {
    const known = this.caseKeys.get(caseId);
    if (known) return known;
    await ready();
    const view = this.need(await this.getCase(caseId), [200], 'case');
    const keys = openKeyWrap(this.kp(), fromB64(view.keyWrap.sealedKey));
    this.caseKeys.set(caseId, keys);
    return keys;
  }

  /** SIP/1 §5 message to the reporter, under caseKey. */
  async sendMessage(caseId: string, text: string, messageId: string = randomUuid()): Promise<StaffAnswer> {
    const { caseKey } = await this.keys(caseId);
    return this.call('POST', `/api/v1/staff/cases/${caseId}/messages`, { id: messageId, body: toB64(encryptMessage(caseKey, caseId, messageId, text)) });
  }

  /** Internal note under staffKey: the reporter cannot read it. */
  async addNote(caseId: string, text: string, noteId: string = randomUuid()): Promise<StaffAnswer> {
    const { staffKey } = await this.keys(caseId);
    return this.call('POST', `/api/v1/staff/cases/${caseId}/notes`, { id: noteId, body: toB64(encryptNote(staffKey, caseId, noteId, text)) });
  }

  /** A status change; the reason, if any, is encrypted under staffKey. */
  async changeStatus(caseId: string, to: string, options: { outcome?: string; reason?: string } = {}): Promise<StaffAnswer> {
    const body: Record<string, unknown> = { to };
    if (options.outcome) body.outcome = options.outcome;
    if (options.reason !== undefined) {
      const { staffKey } = await this.keys(caseId);
      const reasonId = randomUuid();
      body.reasonId = reasonId;
      body.reason = toB64(encryptNote(staffKey, caseId, reasonId, options.reason));
    }
    return this.call('POST', `/api/v1/staff/cases/${caseId}/status`, body);
  }

  /** Re-seals caseKey‖staffKey to a colleague's public key, here, and records the grant. */
  async grant(caseId: string, recipient: { id: string; publicKey: string | Uint8Array }, options: { assign?: boolean } = {}): Promise<StaffAnswer> {
    const keys = await this.keys(caseId);
    const publicKey = typeof recipient.publicKey === 'string' ? fromB64(recipient.publicKey) : recipient.publicKey;
    return this.call('POST', `/api/v1/staff/cases/${caseId}/grants`, { recipientId: recipient.id, sealedKey: toB64(grantCaseKeys(keys, publicKey)), assign: options.assign ?? false });
  }

  revoke(caseId: string, userId: string): Promise<StaffAnswer> {
    return this.call('DELETE', `/api/v1/staff/cases/${caseId}/grants/${userId}`);
  }

  async recuse(caseId: string): Promise<StaffAnswer> {
    const answer = await this.call('POST', `/api/v1/staff/cases/${caseId}/recusal`);
    if (answer.status === 200) this.caseKeys.delete(caseId);
    return answer;
  }

  /** Asks to see the reporter's identity; the reason goes under staffKey and sealed to each custodian. */
  async requestIdentity(caseId: string, reason: string, requestId: string = randomUuid()): Promise<StaffAnswer> {
    const { staffKey } = await this.keys(caseId);
    const view = this.need(await this.getCase(caseId), [200], 'case');
    const custodians = view.identity?.custodians ?? [];
    return this.call('POST', `/api/v1/staff/cases/${caseId}/identity-requests`, {
      id: requestId,
      reason: toB64(encryptNote(staffKey, caseId, requestId, reason)),
      custodianReasons: custodians.map((c) => ({ recipientId: c.id, sealedReason: toB64(seal(fromB64(c.publicKey), utf8(JSON.stringify({ text: reason })))) })),
    });
  }

  listIdentityRequests(status: 'pending' | 'approved' | 'denied' | 'all' = 'pending'): Promise<StaffAnswer<{ items: IdentityRequestItem[] }>> {
    return this.call('GET', `/api/v1/staff/identity-requests?status=${status}`);
  }

  /** A custodian reads the reason sealed to it. */
  async readRequestReason(item: IdentityRequestItem): Promise<string | null> {
    await ready();
    if (!item.sealedReason) return null;
    return (JSON.parse(fromUtf8(openSealed(this.kp(), fromB64(item.sealedReason), 'request reason'))) as { text: string }).text;
  }

  /** A custodian opens its identity wrap and re-seals identityKey to the requester, here. */
  async approveIdentity(item: IdentityRequestItem): Promise<StaffAnswer> {
    await ready();
    if (!item.requesterPublicKey) throw new Error('the requester has no public key');
    const identityKey = openReporterKey(this.kp(), fromB64(item.identityWrap));
    const sealedKey = grantIdentityKey(identityKey, fromB64(item.requesterPublicKey));
    identityKey.fill(0);
    return this.call('POST', `/api/v1/staff/identity-requests/${item.id}/approve`, { sealedKey: toB64(sealedKey) });
  }

  denyIdentity(requestId: string): Promise<StaffAnswer> {
    return this.call('POST', `/api/v1/staff/identity-requests/${requestId}/deny`);
  }

  /** Reads the reporter's identity once a custodian granted it to the caller. */
  async readIdentity<T = unknown>(caseId: string): Promise<T> {
    await ready();
    const view = this.need(await this.getCase(caseId), [200], 'case');
    if (!view.identity?.sealedKey) throw new Error('no identity has been granted to you for this case');
    const identityKey = openReporterKey(this.kp(), fromB64(view.identity.sealedKey));
    const identity = openIdentity<T>(identityKey, caseId, fromB64(view.identity.ciphertext));
    identityKey.fill(0);
    return identity;
  }

  /** Password change: the same private key re-wrapped under a new salt; other sessions end. */
  async changePassword(currentPassword: string, newPassword: string): Promise<StaffAnswer> {
    await ready();
    const me = this.need(await this.call<{ id: string; email: string }>('GET', '/api/v1/staff/me'), [200], 'me');
    const salt = this.need(await this.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email: me.email }), [200], 'salt').salt;
    const current = deriveStaffKeys(currentPassword, fromB64(salt));
    const next = rewrapPrivateKey(me.id, this.kp().privateKey, newPassword);
    const answer = await this.call('POST', '/api/v1/auth/password', {
      currentLoginKey: toB64(current.loginKey), salt: toB64(next.salt), loginKey: toB64(next.loginKey), encryptedPrivateKey: toB64(next.encryptedPrivateKey),
    });
    current.loginKey.fill(0);
    current.wrapKey.fill(0);
    next.loginKey.fill(0);
    return answer;
  }

  /** Recovery with the recovery key: proves it by opening a challenge sealed to the account's public key. */
  async recover(email: string, recoveryKeyText: string, totp: string, newPassword: string): Promise<StaffAnswer> {
    await ready();
    const start = this.need(
      await this.call<{ userId: string; recoveryEncryptedPrivateKey: string; sealedChallenge: string }>('POST', '/api/v1/auth/recovery/start', { email, totp }),
      [200], 'recovery start');
    const keyPair = recoverPrivateKey(start.userId, recoveryKeyText, fromB64(start.recoveryEncryptedPrivateKey));
    const challenge = openReporterKey(keyPair, fromB64(start.sealedChallenge));
    const next = rewrapPrivateKey(start.userId, keyPair.privateKey, newPassword);
    keyPair.privateKey.fill(0);
    const answer = await this.call('POST', '/api/v1/auth/recovery/complete', {
      email, challenge: toB64(challenge), salt: toB64(next.salt), loginKey: toB64(next.loginKey), encryptedPrivateKey: toB64(next.encryptedPrivateKey),
    });
    next.loginKey.fill(0);
    return answer;
  }

  /** Admin: invite a person by e-mail. */
  invite(input: { email: string; displayName: string; roles: string[]; unitId?: string | null }): Promise<StaffAnswer> {
    return this.call('POST', '/api/v1/admin/invites', { ...input, unitId: input.unitId ?? null });
  }
}
