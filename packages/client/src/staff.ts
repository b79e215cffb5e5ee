import { ready, type KeyPair } from '@sauti/crypto';
import type { IdentityRequestItem, LoginAnswer, StaffCaseView } from '@sauti/core';
import { changePassword, completeActivation, makeStaffKeys, recover, startActivation, wipeStaffKeys } from './account';
import { adminApi, type AdminApi } from './admin-api';
import { approveIdentity, denyIdentity, listIdentityRequests, readIdentityAsSealed, readRequestReason, requestIdentity, type RequestStatus } from './identity';
import { grant, revoke } from './sharing';
import { addNote, changeStatus, getCase, listCases, openCase, recuse, sendStaffMessage, type CaseListFilters } from './staff-cases';
import { StaffSession } from './staff-session';
import type { ApiAnswer, ApiMethod, TransportOptions } from './transport';

/** Same shape as the reporter client's answers. */
export type StaffAnswer<T = Record<string, unknown>> = ApiAnswer<T>;
export type StaffClientOptions = TransportOptions;

/**
 * The staff side of SIP/1 over fetch, as one object (for tests, benchmarks and tools): each method
 * is one step of the resource modules (staff-session, staff-cases, sharing, identity, account,
 * admin-api), which the web's crypto worker calls directly. In Node it keeps the session cookie
 * itself; in a browser the browser does.
 */
export class StaffClient {
  readonly session: StaffSession;
  readonly admin: AdminApi;

  constructor(baseUrl: string, options: StaffClientOptions = {}) {
    this.session = new StaffSession(baseUrl, options);
    this.admin = adminApi((method, path, body) => this.call(method, path, body));
  }

  get baseUrl(): string { return this.session.transport.baseUrl; }
  set baseUrl(value: string) { this.session.transport.baseUrl = value; }
  get userId(): string | null { return this.session.userId; }
  get roles(): string[] { return this.session.roles; }
  get csrfToken(): string | null { return this.session.transport.csrfToken; }
  set csrfToken(value: string | null) { this.session.transport.csrfToken = value; }
  get unlocked(): boolean { return this.session.unlocked; }
  /** Not part of the API: tests reach for it to prove the private key is never sent or stored. */
  protected get keyPair(): KeyPair | null { return this.session.unlocked ? this.session.kp() : null; }

  /** Any API call with the session cookie and, for unsafe methods, the CSRF header. */
  call<T = Record<string, unknown>>(method: ApiMethod | string, path: string, body?: unknown, opts: { contentType?: string } = {}): Promise<StaffAnswer<T>> {
    return this.session.transport.call<T>(method, path, body, opts);
  }

  /**
   * Account activation (docs/protocol.md §3): keys are made here; the server gets salt, loginKey, the
   * public key and the two wrapped private keys. `codeFor` is the person reading the first code
   * off the authenticator app that was given the secret.
   */
  async activate(token: string, password: string, codeFor: (totpSecret: string, otpauthUri: string) => string | Promise<string>) {
    await ready();
    const t = this.session.transport;
    const start = await startActivation(t, token);
    const keys = makeStaffKeys(start.userId, password);
    try {
      t.need(await completeActivation(t, token, keys, await codeFor(start.totpSecret, start.otpauthUri)), [201], 'activation');
      return { userId: start.userId, email: start.email, totpSecret: start.totpSecret, recoveryKeyText: keys.recoveryKeyText };
    } finally {
      wipeStaffKeys(keys);
    }
  }

  login(email: string, password: string, totp: string, options: { unlock?: boolean } = {}): Promise<StaffAnswer<LoginAnswer>> {
    return this.session.login(email, password, totp, options);
  }

  unlockPrivateKey(password?: string): Promise<void> { return this.session.unlockPrivateKey(password); }
  logout(): Promise<number> { return this.session.logout(); }
  forget(): void { this.session.forget(); }

  listCases(query: CaseListFilters = {}) { return listCases(this.session, query); }
  getCase(caseId: string): Promise<StaffAnswer<StaffCaseView>> { return getCase(this.session, caseId); }
  openCase<R = unknown>(caseId: string) { return openCase<R>(this.session, caseId); }
  sendMessage(caseId: string, text: string, messageId?: string) { return sendStaffMessage(this.session, caseId, text, messageId); }
  addNote(caseId: string, text: string, noteId?: string) { return addNote(this.session, caseId, text, noteId); }
  changeStatus(caseId: string, to: string, options: { outcome?: string; reason?: string } = {}) { return changeStatus(this.session, caseId, to, options); }
  grant(caseId: string, recipient: { id: string; publicKey: string | Uint8Array }, options: { assign?: boolean } = {}) { return grant(this.session, caseId, recipient, options); }
  revoke(caseId: string, userId: string) { return revoke(this.session, caseId, userId); }
  recuse(caseId: string) { return recuse(this.session, caseId); }

  requestIdentity(caseId: string, reason: string, requestId?: string) { return requestIdentity(this.session, caseId, reason, requestId); }
  listIdentityRequests(status: RequestStatus = 'pending') { return listIdentityRequests(this.session, status); }
  readRequestReason(item: IdentityRequestItem) { return readRequestReason(this.session, item); }
  approveIdentity(item: IdentityRequestItem, reason: string) { return approveIdentity(this.session, item, reason); }
  denyIdentity(requestId: string) { return denyIdentity(this.session, requestId); }
  /** The identity payload exactly as the reporter sealed it. */
  readIdentity<T = unknown>(caseId: string): Promise<T> { return readIdentityAsSealed<T>(this.session, caseId); }

  changePassword(currentPassword: string, newPassword: string) { return changePassword(this.session, currentPassword, newPassword); }
  recover(email: string, recoveryKeyText: string, totp: string, newPassword: string) {
    return recover(this.session.transport, email, recoveryKeyText, totp, newPassword);
  }

  /** Admin: invite a person by e-mail. */
  invite(input: { email: string; displayName: string; roles: string[]; unitId?: string | null }) {
    return this.admin.people.invite(input);
  }
}
