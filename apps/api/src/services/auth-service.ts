import { createHmac, randomBytes } from 'node:crypto';
import { seal } from '@sauti/crypto';
import { fail, ok, type Result } from '@sauti/core';
import {
  acceptTotpStep,
  activateStaffAccount,
  appendAudit,
  consumeRecoveryChallenge,
  createStaffSession,
  deleteStaffSessionsOf,
  findInviteByDigest,
  findStaffByEmail,
  findStaffById,
  inviteTokenDigest,
  isLockedOut,
  recordLoginFailure,
  replacePasswordMaterial,
  resetLoginFailures,
  setInviteTotpSecretOnce,
  setRecoveryChallenge,
  withTransaction,
  type Db,
  type StaffAccount,
} from '@sauti/db';
import { sha256, STAFF_ABSOLUTE_SECONDS } from '../http/staff-auth';
import { burnVerification, hashLoginKey, verifyLoginKey } from './auth-passwords';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp';

export type AuthDeps = { pool: Db; serverSecret: Buffer; now?: () => number };

/** One message for every failure, so that it does not tell whether the address has an account. */
export const SIGN_IN_FAILED =
  'Sign-in failed: the e-mail address, password or authenticator code is not right, or the account is paused after too many attempts. Check them, wait a minute, and try again.';
export const RECOVERY_FAILED =
  'Recovery could not start: the e-mail address or authenticator code is not right, or the account is paused after too many attempts. Check them, wait a minute, and try again.';
const INVITE_UNUSABLE =
  'This invitation link no longer works: it was used already, replaced by a newer invitation, or is older than 72 hours. Ask an administrator to invite you again.';

const b = (v: string) => Buffer.from(v, 'base64url');
/** appendAudit's lock holds only inside a transaction; outside one, concurrent appends could fork the chain. */
const audit = (pool: Db, entry: Parameters<typeof appendAudit>[1]) => withTransaction(pool, (tx) => appendAudit(tx, entry));
const b64 = (v: Buffer | Uint8Array) => Buffer.from(v).toString('base64url');
const nowMs = (deps: AuthDeps) => (deps.now ? deps.now() : Date.now());

/** PROTOCOL.md §3: a stable salt for an address without an account: HMAC(server secret, address). */
export function fakeSalt(serverSecret: Buffer, email: string): Buffer {
  return createHmac('sha256', serverSecret).update(`sip1-salt|${email.toLowerCase()}`).digest().subarray(0, 16);
}

export async function saltFor(deps: AuthDeps, email: string): Promise<string> {
  const fake = fakeSalt(deps.serverSecret, email);
  const account = await findStaffByEmail(deps.pool, email);
  return b64(account?.passwordSalt ?? fake);
}

const canSignIn = (a: StaffAccount | null): a is StaffAccount & { loginKeyHash: string; totpSecret: Buffer } =>
  !!a && a.status === 'active' && !!a.loginKeyHash && !!a.totpSecret;

export type OpenedSession = { userId: string; sessionId: string; csrfToken: string; expiresAt: Date; roles: string[]; displayName: string };

/** Sign-in with loginKey and a TOTP code; counts failures per account and pauses it after five. */
export async function login(deps: AuthDeps, input: { email: string; loginKey: string; totp: string }): Promise<Result<OpenedSession>> {
  const loginKey = b(input.loginKey);
  const account = await findStaffByEmail(deps.pool, input.email);
  if (!canSignIn(account)) {
    await burnVerification(loginKey);
    await audit(deps.pool, { actorType: 'system', actorId: account?.id ?? null, action: 'auth.login_failed', details: { reason: account ? 'account_not_active' : 'unknown_account' } });
    return fail('unauthenticated', SIGN_IN_FAILED);
  }
  if (await isLockedOut(deps.pool, account.id)) {
    await burnVerification(loginKey);
    await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'auth.login_failed', details: { reason: 'locked' } });
    return fail('unauthenticated', SIGN_IN_FAILED);
  }
  const keyOk = await verifyLoginKey(account.loginKeyHash, loginKey);
  const step = matchTotp(account.totpSecret, input.totp, nowMs(deps));
  const reason = !keyOk ? 'login_key' : step === null ? 'totp' : (await acceptTotpStep(deps.pool, account.id, step)) ? null : 'totp_reused';
  if (reason) {
    const counted = await recordLoginFailure(deps.pool, account.id);
    await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'auth.login_failed', details: { reason, failures: counted.failedLogins } });
    return fail('unauthenticated', SIGN_IN_FAILED);
  }
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const session = await withTransaction(deps.pool, async (tx) => {
    await resetLoginFailures(tx, account.id);
    const s = await createStaffSession(tx, { idDigest: sha256(sessionId), userId: account.id, csrfDigest: sha256(csrfToken), absoluteSeconds: STAFF_ABSOLUTE_SECONDS });
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

export type ActivationStart = { userId: string; email: string; displayName: string; totpSecret: string; otpauthUri: string; expiresAt: string };

/** The browser needs the user id (it is bound into the key wraps) and the TOTP secret to show. */
export async function startActivation(deps: AuthDeps, token: string): Promise<Result<ActivationStart>> {
  const invite = await findInviteByDigest(deps.pool, inviteTokenDigest(token));
  if (!invite?.usable) return fail('not_found', INVITE_UNUSABLE);
  const secret = await setInviteTotpSecretOnce(deps.pool, invite.id, newTotpSecret());
  return ok({
    userId: invite.userId, email: invite.email, displayName: invite.displayName, totpSecret: base32Encode(secret),
    otpauthUri: otpauthUri(secret, invite.email), expiresAt: invite.expiresAt.toISOString(),
  });
}

export type ActivationInput = {
  token: string; salt: string; loginKey: string; publicKey: string; encryptedPrivateKey: string; recoveryEncryptedPrivateKey: string; totp: string;
};

/** Stores what the browser made (PROTOCOL.md §3) once the first TOTP code proves the app is set up. */
export async function completeActivation(deps: AuthDeps, input: ActivationInput): Promise<Result<{ userId: string }>> {
  const loginKeyHash = await hashLoginKey(b(input.loginKey));
  return withTransaction(deps.pool, async (tx) => {
    const invite = await findInviteByDigest(tx, inviteTokenDigest(input.token), true);
    if (!invite?.usable) return fail('not_found', INVITE_UNUSABLE);
    if (!invite.totpSecret) return fail('conflict', 'Open the activation page first: it shows the authenticator secret that the first code must come from.');
    const step = matchTotp(invite.totpSecret, input.totp, nowMs(deps));
    if (step === null) {
      return fail('invalid', 'The authenticator code does not match. Check that the app shows "Sauti" and that the phone clock is right, then enter the current code.', [
        { field: 'totp', message: 'does not match the secret shown at activation' },
      ]);
    }
    await activateStaffAccount(tx, {
      inviteId: invite.id, userId: invite.userId, passwordSalt: b(input.salt), loginKeyHash, publicKey: b(input.publicKey),
      encryptedPrivateKey: b(input.encryptedPrivateKey), recoveryEncryptedPrivateKey: b(input.recoveryEncryptedPrivateKey),
      totpSecret: invite.totpSecret, totpStep: step,
    });
    await appendAudit(tx, { actorType: 'staff', actorId: invite.userId, action: 'staff.activated', details: { inviteId: invite.id } });
    return ok({ userId: invite.userId });
  });
}

/** Re-wraps the same private key under a new password; every other session of the person ends. */
export async function changePassword(
  pool: Db,
  who: { userId: string; sessionDigestHex: string },
  input: { currentLoginKey: string; salt: string; loginKey: string; encryptedPrivateKey: string },
): Promise<Result<{ endedSessions: number }>> {
  const account = await findStaffById(pool, who.userId);
  if (!account?.loginKeyHash || !(await verifyLoginKey(account.loginKeyHash, b(input.currentLoginKey)))) {
    return fail('forbidden', 'Your current password is not right, so nothing was changed.', [{ field: 'currentLoginKey', message: 'does not match your current password' }]);
  }
  const loginKeyHash = await hashLoginKey(b(input.loginKey));
  return withTransaction(pool, async (tx) => {
    await replacePasswordMaterial(tx, { userId: who.userId, passwordSalt: b(input.salt), loginKeyHash, encryptedPrivateKey: b(input.encryptedPrivateKey) });
    const ended = await deleteStaffSessionsOf(tx, who.userId, Buffer.from(who.sessionDigestHex, 'hex'));
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'staff.password_changed', details: { endedSessions: ended } });
    return ok({ endedSessions: ended });
  });
}

export type RecoveryStart = { userId: string; recoveryEncryptedPrivateKey: string; sealedChallenge: string };

/**
 * Recovery, step 1: with a valid TOTP code, the server hands over the recovery-wrapped private key
 * and a random challenge sealed to the account's public key. Only someone who can recover the
 * private key (with the recovery key) can open it and so finish step 2.
 */
export async function startRecovery(deps: AuthDeps, input: { email: string; totp: string }): Promise<Result<RecoveryStart>> {
  const account = await findStaffByEmail(deps.pool, input.email);
  if (!canSignIn(account) || !account.publicKey || !account.recoveryEncryptedPrivateKey) return fail('unauthenticated', RECOVERY_FAILED);
  if (await isLockedOut(deps.pool, account.id)) return fail('unauthenticated', RECOVERY_FAILED);
  const step = matchTotp(account.totpSecret, input.totp, nowMs(deps));
  if (step === null || !(await acceptTotpStep(deps.pool, account.id, step))) {
    await recordLoginFailure(deps.pool, account.id);
    await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'auth.recovery_failed' });
    return fail('unauthenticated', RECOVERY_FAILED);
  }
  const challenge = randomBytes(32);
  await setRecoveryChallenge(deps.pool, account.id, sha256(challenge), 600);
  await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'staff.recovery_started' });
  return ok({ userId: account.id, recoveryEncryptedPrivateKey: b64(account.recoveryEncryptedPrivateKey), sealedChallenge: b64(seal(account.publicKey, challenge)) });
}

export async function completeRecovery(
  deps: AuthDeps,
  input: { email: string; challenge: string; salt: string; loginKey: string; encryptedPrivateKey: string },
): Promise<Result<{ userId: string }>> {
  const account = await findStaffByEmail(deps.pool, input.email);
  const refused = fail<{ userId: string }>('unauthenticated', 'Recovery was not confirmed: the challenge is wrong or older than 10 minutes. Start the recovery again.');
  if (!account) return refused;
  const loginKeyHash = await hashLoginKey(b(input.loginKey));
  return withTransaction(deps.pool, async (tx) => {
    if (!(await consumeRecoveryChallenge(tx, account.id, sha256(b(input.challenge))))) return refused;
    await replacePasswordMaterial(tx, { userId: account.id, passwordSalt: b(input.salt), loginKeyHash, encryptedPrivateKey: b(input.encryptedPrivateKey) });
    const ended = await deleteStaffSessionsOf(tx, account.id);
    await appendAudit(tx, { actorType: 'staff', actorId: account.id, action: 'staff.recovered', details: { endedSessions: ended } });
    return ok({ userId: account.id });
  });
}
