import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fail, ok, type Result } from '@sauti/core';
import {
  acceptTotpStep,
  appendAudit,
  createStaffSession,
  findStaffByEmail,
  recordLoginFailure,
  requestNotification,
  resetLoginFailures,
  withTransaction,
  type Db,
  type StaffAccount,
} from '@sauti/db';
import { burnVerification, STAFF_ABSOLUTE_SECONDS, tokenDigest, verifyLoginKey } from '../auth';
import { accountDifficulty, accountTag } from './pow';
import { matchTotp } from './totp';

/** Staff sign-in and sign-out (docs/protocol.md §3). */

/**
 * Failed attempts per address, known or not (the HTTP layer's FailureCounter in Redis). It never
 * refuses: after a few failures each attempt waits longer before it is checked, so that guessing
 * gets slow while the holder, with the right password and code, still gets in.
 */
export type FailureLedger = {
  failures(key: string): Promise<number>;
  delayMs(failures: number): number;
  record(key: string): Promise<number>;
  clear(key: string): Promise<void>;
};

export type AuthDeps = {
  pool: Db;
  serverSecret: Buffer;
  now?: () => number;
  failures?: FailureLedger;
  /** From this many failures on, the account holder is told (content-free) and the audit log says so. */
  notifyAfterFailures?: number;
  /** Proof-of-work bounds (POW_DIFFICULTY; its max with LOGIN_POW_EXTRA_BITS): an address's challenges get longer with its failures. */
  pow?: { base: number; max: number };
};

/** One message for every failure, so that it does not tell whether the address has an account. */
const SIGN_IN_FAILED =
  'Sign-in failed: the e-mail address, password or authenticator code is not right. Check them and try again; after several failures each attempt takes longer.';

/** The opaque per-address key failures are counted under: the same for an address with or without an account. */
export function failureKey(serverSecret: Buffer, email: string): string {
  return createHmac('sha256', serverSecret).update(`sip1-failures|${email.toLowerCase()}`).digest('base64url').slice(0, 32);
}

/**
 * docs/protocol.md §6.1: how an address's sign-in or recovery must prove work: a challenge naming
 * it (its keyed tag) or an unbound one, of at least the difficulty its recent failures call for —
 * one more bit per failure beyond the free ones. Known and unknown addresses alike (the count is
 * per address); 0 failures when Redis cannot say.
 */
export async function addressPow(deps: AuthDeps, email: string): Promise<{ account: string; minDifficulty: number }> {
  const failures = deps.failures ? await deps.failures.failures(failureKey(deps.serverSecret, email)) : 0;
  const base = deps.pow?.base ?? 0;
  return { account: accountTag(deps.serverSecret, email), minDifficulty: accountDifficulty(base, deps.pow?.max ?? base, deps.notifyAfterFailures ?? 5, failures) };
}

/** Waits out the address's current penalty (known or unknown alike); returns its failure key. */
export async function payPenalty(deps: AuthDeps, email: string): Promise<string> {
  const key = failureKey(deps.serverSecret, email);
  if (deps.failures) {
    const delay = deps.failures.delayMs(await deps.failures.failures(key));
    if (delay > 0) await sleep(delay);
  }
  return key;
}

/**
 * Counts a failure for an account: the Redis count (the delay), the account's own count (what
 * admins see), an audit entry, and — once, when the count reaches the threshold — a content-free
 * e-mail to the holder and an audit entry admins see in the log.
 */
export async function countAccountFailure(deps: AuthDeps, key: string, accountId: string, action: string, reason: string): Promise<void> {
  await deps.failures?.record(key);
  await withTransaction(deps.pool, async (tx) => {
    const counted = await recordLoginFailure(tx, accountId);
    await appendAudit(tx, { actorType: 'staff', actorId: accountId, action, details: { reason, failures: counted.failedLogins } });
    if (counted.failedLogins === (deps.notifyAfterFailures ?? 5)) {
      await requestNotification(tx, accountId, 'sign_in_failures');
      await appendAudit(tx, { actorType: 'system', actorId: accountId, action: 'auth.failures_slowed', details: { failures: counted.failedLogins } });
    }
  });
}

/** The same shape of work as countAccountFailure, for an address without an account (no row matches). */
export async function countUnknownFailure(deps: AuthDeps, key: string, action: string, reason: string): Promise<void> {
  await deps.failures?.record(key);
  await withTransaction(deps.pool, async (tx) => {
    await recordLoginFailure(tx, randomUUID());
    await appendAudit(tx, { actorType: 'system', actorId: null, action, details: { reason } });
  });
}

const TOTP_REUSED = 'This authenticator code was already used to sign in. Wait for the next code (at most 30 seconds) and try again.';

/** appendAudit's lock holds only inside a transaction; outside one, concurrent appends could fork the chain. */
export const audit = (pool: Db, entry: Parameters<typeof appendAudit>[1]) => withTransaction(pool, (tx) => appendAudit(tx, entry));
export const nowMs = (deps: { now?: () => number }) => (deps.now ? deps.now() : Date.now());

export const canSignIn = (a: StaffAccount | null): a is StaffAccount & { loginKeyHash: string; totpSecret: Buffer } =>
  !!a && a.status === 'active' && !!a.loginKeyHash && !!a.totpSecret;

/** docs/protocol.md §3: a stable salt for an address without an account: HMAC(server secret, address). */
function fakeSalt(serverSecret: Buffer, email: string): Buffer {
  return createHmac('sha256', serverSecret).update(`sip1-salt|${email.toLowerCase()}`).digest().subarray(0, 16);
}

export async function saltFor(deps: AuthDeps, email: string): Promise<Buffer> {
  const fake = fakeSalt(deps.serverSecret, email);
  const account = await findStaffByEmail(deps.pool, email);
  return account?.passwordSalt ?? fake;
}

export type OpenedSession = { userId: string; sessionId: string; csrfToken: string; expiresAt: Date; roles: string[]; displayName: string };

/**
 * Sign-in with loginKey and a TOTP code. Failures per address make later attempts wait longer
 * (payPenalty) but never refuse the right password and code: a lockout would let anyone who knows
 * an investigator's address keep them out.
 */
export async function login(deps: AuthDeps, input: { email: string; loginKey: string; totp: string }): Promise<Result<OpenedSession>> {
  const loginKey = Buffer.from(input.loginKey, 'base64url');
  const key = await payPenalty(deps, input.email);
  const account = await findStaffByEmail(deps.pool, input.email);
  if (!canSignIn(account)) {
    await burnVerification(loginKey);
    if (account) await countAccountFailure(deps, key, account.id, 'auth.login_failed', 'account_not_active');
    else await countUnknownFailure(deps, key, 'auth.login_failed', 'unknown_account');
    return fail('unauthenticated', SIGN_IN_FAILED, undefined, 'sign_in_failed');
  }
  const keyOk = await verifyLoginKey(account.loginKeyHash, loginKey);
  const step = matchTotp(account.totpSecret, input.totp, nowMs(deps));
  const reason = !keyOk ? 'login_key' : step === null ? 'totp' : (await acceptTotpStep(deps.pool, account.id, step)) ? null : 'totp_reused';
  if (reason) {
    await countAccountFailure(deps, key, account.id, 'auth.login_failed', reason);
    // A reused code is told apart only after the password and the code were both right: it reveals nothing new.
    if (reason === 'totp_reused') return fail('unauthenticated', TOTP_REUSED, undefined, 'totp_reused');
    return fail('unauthenticated', SIGN_IN_FAILED, undefined, 'sign_in_failed');
  }
  await deps.failures?.clear(key);
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const session = await withTransaction(deps.pool, async (tx) => {
    await resetLoginFailures(tx, account.id);
    const s = await createStaffSession(tx, { idDigest: tokenDigest(sessionId), userId: account.id, csrfDigest: tokenDigest(csrfToken), absoluteSeconds: STAFF_ABSOLUTE_SECONDS });
    await appendAudit(tx, { actorType: 'staff', actorId: account.id, action: 'auth.login' });
    return s;
  });
  return ok({ userId: account.id, sessionId, csrfToken, expiresAt: session.expiresAt, roles: account.roles, displayName: account.displayName });
}

export async function logout(pool: Db, userId: string, sessionDigestHex: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM staff_sessions WHERE id_digest = $1', [Buffer.from(sessionDigestHex, 'hex')]);
    await appendAudit(tx, { actorType: 'staff', actorId: userId, action: 'auth.logout' });
  });
}
