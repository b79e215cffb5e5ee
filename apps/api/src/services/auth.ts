import { createHmac, randomBytes } from 'node:crypto';
import { fail, ok, type Result } from '@sauti/core';
import {
  acceptTotpStep,
  appendAudit,
  createStaffSession,
  findStaffByEmail,
  isLockedOut,
  recordLoginFailure,
  resetLoginFailures,
  withTransaction,
  type Db,
  type StaffAccount,
} from '@sauti/db';
import { burnVerification, STAFF_ABSOLUTE_SECONDS, tokenDigest, verifyLoginKey } from '../auth';
import { matchTotp } from './totp';

/** Staff sign-in and sign-out (docs/protocol.md §3). */

export type AuthDeps = { pool: Db; serverSecret: Buffer; now?: () => number };

/** One message for every failure, so that it does not tell whether the address has an account. */
const SIGN_IN_FAILED =
  'Sign-in failed: the e-mail address, password or authenticator code is not right, or the account is paused after too many attempts. Check them, wait a minute, and try again.';

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

/** Sign-in with loginKey and a TOTP code; counts failures per account and pauses it after five. */
export async function login(deps: AuthDeps, input: { email: string; loginKey: string; totp: string }): Promise<Result<OpenedSession>> {
  const loginKey = Buffer.from(input.loginKey, 'base64url');
  const account = await findStaffByEmail(deps.pool, input.email);
  if (!canSignIn(account)) {
    await burnVerification(loginKey);
    await audit(deps.pool, { actorType: 'system', actorId: account?.id ?? null, action: 'auth.login_failed', details: { reason: account ? 'account_not_active' : 'unknown_account' } });
    return fail('unauthenticated', SIGN_IN_FAILED, undefined, 'sign_in_failed');
  }
  if (await isLockedOut(deps.pool, account.id)) {
    await burnVerification(loginKey);
    await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'auth.login_failed', details: { reason: 'locked' } });
    return fail('unauthenticated', SIGN_IN_FAILED, undefined, 'sign_in_failed');
  }
  const keyOk = await verifyLoginKey(account.loginKeyHash, loginKey);
  const step = matchTotp(account.totpSecret, input.totp, nowMs(deps));
  const reason = !keyOk ? 'login_key' : step === null ? 'totp' : (await acceptTotpStep(deps.pool, account.id, step)) ? null : 'totp_reused';
  if (reason) {
    const counted = await recordLoginFailure(deps.pool, account.id);
    await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'auth.login_failed', details: { reason, failures: counted.failedLogins } });
    // A reused code is told apart only after the password and the code were both right: it reveals nothing new.
    if (reason === 'totp_reused') return fail('unauthenticated', TOTP_REUSED, undefined, 'totp_reused');
    return fail('unauthenticated', SIGN_IN_FAILED, undefined, 'sign_in_failed');
  }
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
