import { deriveStaffKeys, fromB64, openKeyWrap, ready, toB64, unwrapPrivateKey, type KeyPair } from '@sauti/crypto';
import type { LoginAnswer, SaltAnswer, StaffCaseView, StaffMe } from '@sauti/core';
import { proofOfWork } from './intake';
import { paths } from './paths';
import { Transport, type ApiAnswer, type TransportOptions } from './transport';

export type CaseKeys = { caseKey: Uint8Array; staffKey: Uint8Array };
/** Steps a screen may show while a long one runs (Argon2id takes a second or more). */
export type StaffStage = 'argon2' | 'open' | 'send';
export type OnStage = (stage: StaffStage) => void;

/** docs/protocol.md §3: the account's salt (a stable fake one for an unknown address). */
export async function fetchSalt(t: Transport, email: string): Promise<Uint8Array> {
  return fromB64((await t.send<SaltAnswer>('POST', paths.auth.salt, { email }, [200], 'salt')).salt);
}

export function fetchMe(t: Transport): Promise<StaffMe> {
  return t.send<StaffMe>('GET', paths.staff.me, undefined, [200], 'me');
}

/**
 * A signed-in staff member: the transport (session cookie, CSRF token), and the private key and
 * case keys, which never leave this object. Keys are made and opened here; only ciphertext, salts,
 * public keys and loginKey are ever sent.
 */
export class StaffSession {
  readonly transport: Transport;
  userId: string | null = null;
  roles: string[] = [];
  displayName: string | null = null;
  /** The session's hard end and idle limit, as the server told at sign-in. */
  expiresAt: string | null = null;
  idleTimeoutSeconds = 1800;
  private keyPair: KeyPair | null = null;
  private pendingWrapKey: Uint8Array | null = null;
  private readonly caseKeys = new Map<string, CaseKeys>();

  constructor(baseUrl: string, options: TransportOptions = {}) {
    this.transport = new Transport(baseUrl, options);
  }

  get unlocked(): boolean {
    return this.keyPair !== null;
  }

  /** Sign-in: derive loginKey from the salt, send it with the TOTP code, then unlock the private key locally. */
  async login(email: string, password: string, totp: string, options: { unlock?: boolean; onStage?: OnStage } = {}): Promise<ApiAnswer<LoginAnswer>> {
    await ready();
    const salt = await fetchSalt(this.transport, email);
    options.onStage?.('argon2');
    const { loginKey, wrapKey } = deriveStaffKeys(password, salt);
    // §3/§6: a sign-in costs a proof of work, solved here (in the web app, inside the worker). The
    // challenge names the address: after failures for it, it asks for more work (§6.1).
    const send = async () => this.transport.call<LoginAnswer>('POST', paths.auth.login, { email, loginKey: toB64(loginKey), totp, pow: await proofOfWork(this.transport, undefined, { email }) });
    let answer = await send();
    // Failures for the address between asking and sending can make the challenge too short: ask once more.
    if (answer.status === 400 && (answer.body as { issues?: { field: string }[] }).issues?.some((i) => i.field === 'pow.challenge')) answer = await send();
    loginKey.fill(0);
    if (answer.status !== 200) {
      wrapKey.fill(0);
      return answer;
    }
    this.userId = answer.body.userId;
    this.roles = answer.body.roles;
    this.displayName = answer.body.displayName;
    this.expiresAt = answer.body.expiresAt ?? null;
    this.idleTimeoutSeconds = answer.body.idleTimeoutSeconds ?? 1800;
    this.transport.csrfToken = answer.body.csrfToken;
    this.pendingWrapKey = wrapKey;
    options.onStage?.('open');
    if (options.unlock !== false) await this.unlockPrivateKey();
    return answer;
  }

  /** Fetches the wrapped private key and opens it with the key derived at sign-in (or from the password again). */
  async unlockPrivateKey(password?: string): Promise<void> {
    await ready();
    const me = await fetchMe(this.transport);
    if (!me.encryptedPrivateKey) throw new Error('this account has no wrapped private key: finish activation first');
    let wrapKey = this.pendingWrapKey;
    if (password !== undefined) wrapKey = deriveStaffKeys(password, await fetchSalt(this.transport, me.email)).wrapKey;
    if (!wrapKey) throw new Error('give the password to unlock the private key');
    try {
      this.keyPair = unwrapPrivateKey(me.id, wrapKey, fromB64(me.encryptedPrivateKey));
    } finally {
      wrapKey.fill(0);
      this.pendingWrapKey = null;
    }
  }

  async logout(): Promise<number> {
    const answer = await this.transport.call('POST', paths.auth.logout);
    this.forget();
    return answer.status;
  }

  /** Drops every key and the session from memory. */
  forget(): void {
    this.keyPair?.privateKey.fill(0);
    this.keyPair = null;
    this.pendingWrapKey?.fill(0);
    this.pendingWrapKey = null;
    this.forgetCase();
    this.transport.forgetSession();
  }

  /** Forgets one case's keys (after recusal), or all of them. */
  forgetCase(caseId?: string): void {
    for (const [id, keys] of this.caseKeys) {
      if (caseId !== undefined && id !== caseId) continue;
      keys.caseKey.fill(0);
      keys.staffKey.fill(0);
      this.caseKeys.delete(id);
    }
  }

  kp(): KeyPair {
    if (!this.keyPair) throw new Error('sign in and unlock the private key first');
    return this.keyPair;
  }

  /** Opens this member's key wrap of a case once; later calls reuse the keys. */
  caseKeysFrom(view: StaffCaseView): CaseKeys {
    const known = this.caseKeys.get(view.id);
    if (known) return known;
    const keys = openKeyWrap(this.kp(), fromB64(view.keyWrap.sealedKey));
    this.caseKeys.set(view.id, keys);
    return keys;
  }

  /** The keys of a case, fetching the case view when they were not opened yet. */
  async keysOf(caseId: string): Promise<CaseKeys> {
    const known = this.caseKeys.get(caseId);
    if (known) return known;
    await ready();
    return this.caseKeysFrom(await this.transport.send<StaffCaseView>('GET', paths.staff.case(caseId), undefined, [200], 'case'));
  }
}
