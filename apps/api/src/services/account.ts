import { randomBytes, randomUUID } from 'node:crypto';
import { seal } from '@sauti/crypto';
import { fail, ok, type ActivationRequest, type ActivationStart, type PasswordChangeAnswer, type RecoveryStart, type Result, type UserIdAnswer } from '@sauti/core';
import {
  acceptTotpStep,
  activateStaffAccount,
  appendAudit,
  consumeRecoveryChallenge,
  deleteStaffSessionsOf,
  findInviteByDigest,
  findStaffByEmail,
  findStaffById,
  inviteTokenDigest,
  replacePasswordMaterial,
  setInviteTotpSecretOnce,
  setRecoveryChallenge,
  withTransaction,
  type Db,
  type StaffAccount,
} from '@sauti/db';
import { hashLoginKey, tokenDigest, verifyLoginKey } from '../auth';
import { audit, canSignIn, countAccountFailure, countUnknownFailure, nowMs, payPenalty, type AuthDeps } from './auth';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp';

/** A person's own account (docs/protocol.md §3): activation, password change, recovery, and what they see of it. */

const RECOVERY_FAILED =
  'Recovery could not start: the e-mail address or authenticator code is not right. Check them and try again; after several failures each attempt takes longer.';
const INVITE_UNUSABLE =
  'This invitation link no longer works: it was used already, replaced by a newer invitation, or is older than 72 hours. Ask an administrator to invite you again.';

const b = (v: string) => Buffer.from(v, 'base64url');
const b64 = (v: Buffer | Uint8Array) => Buffer.from(v).toString('base64url');

/** GET /staff/me: the signed-in person with their wrapped key material. */
export async function ownAccount(pool: Db, userId: string): Promise<Result<StaffAccount>> {
  const me = await findStaffById(pool, userId);
  return me ? ok(me) : fail('unauthenticated', 'Your account no longer exists. Sign in again.');
}

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

/** Stores what the browser made (docs/protocol.md §3) once the first TOTP code proves the app is set up. */
export async function completeActivation(deps: AuthDeps, input: Omit<ActivationRequest, 'pow'>): Promise<Result<UserIdAnswer>> {
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

/**
 * Re-wraps the same private key under a new password; every other session of the person ends. A
 * wrong current password counts as a failed sign-in of the account (same delay, same notice): a
 * stolen session must not become an unlimited password oracle.
 */
export async function changePassword(
  deps: AuthDeps,
  who: { userId: string; sessionDigestHex: string },
  input: { currentLoginKey: string; salt: string; loginKey: string; encryptedPrivateKey: string },
): Promise<Result<PasswordChangeAnswer>> {
  const { pool } = deps;
  const account = await findStaffById(pool, who.userId);
  if (!account) return fail('unauthenticated', 'Your account no longer exists. Sign in again.');
  const key = await payPenalty(deps, account.email);
  if (!account.loginKeyHash || !(await verifyLoginKey(account.loginKeyHash, b(input.currentLoginKey)))) {
    await countAccountFailure(deps, key, account.id, 'auth.password_change_failed', 'login_key');
    return fail('forbidden', 'Your current password is not right, so nothing was changed.', [{ field: 'currentLoginKey', message: 'does not match your current password' }]);
  }
  await deps.failures?.clear(key);
  const loginKeyHash = await hashLoginKey(b(input.loginKey));
  return withTransaction(pool, async (tx) => {
    await replacePasswordMaterial(tx, { userId: who.userId, passwordSalt: b(input.salt), loginKeyHash, encryptedPrivateKey: b(input.encryptedPrivateKey) });
    const ended = await deleteStaffSessionsOf(tx, who.userId, Buffer.from(who.sessionDigestHex, 'hex'));
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'staff.password_changed', details: { endedSessions: ended } });
    return ok({ endedSessions: ended });
  });
}

/**
 * Recovery, step 1: with a valid TOTP code, the server hands over the recovery-wrapped private key
 * and a random challenge sealed to the account's public key. Only someone who can recover the
 * private key (with the recovery key) can open it and so finish step 2.
 */
export async function startRecovery(deps: AuthDeps, input: { email: string; totp: string }): Promise<Result<RecoveryStart>> {
  const key = await payPenalty(deps, input.email);
  const account = await findStaffByEmail(deps.pool, input.email);
  if (!canSignIn(account) || !account.publicKey || !account.recoveryEncryptedPrivateKey) {
    // The same work as a wrong code for a real account: a count, an audit entry, the same answer.
    if (account) await countAccountFailure(deps, key, account.id, 'auth.recovery_failed', 'account_not_active');
    else await countUnknownFailure(deps, key, 'auth.recovery_failed', 'unknown_account');
    return fail('unauthenticated', RECOVERY_FAILED);
  }
  const step = matchTotp(account.totpSecret, input.totp, nowMs(deps));
  if (step === null || !(await acceptTotpStep(deps.pool, account.id, step))) {
    await countAccountFailure(deps, key, account.id, 'auth.recovery_failed', 'totp');
    return fail('unauthenticated', RECOVERY_FAILED);
  }
  const challenge = randomBytes(32);
  await setRecoveryChallenge(deps.pool, account.id, tokenDigest(challenge), 600);
  await audit(deps.pool, { actorType: 'staff', actorId: account.id, action: 'staff.recovery_started' });
  return ok({ userId: account.id, recoveryEncryptedPrivateKey: b64(account.recoveryEncryptedPrivateKey), sealedChallenge: b64(seal(account.publicKey, challenge)) });
}

export async function completeRecovery(
  deps: AuthDeps,
  input: { email: string; challenge: string; salt: string; loginKey: string; encryptedPrivateKey: string },
): Promise<Result<UserIdAnswer>> {
  const account = await findStaffByEmail(deps.pool, input.email);
  const refused = fail<UserIdAnswer>('unauthenticated', 'Recovery was not confirmed: the challenge is wrong or older than 10 minutes. Start the recovery again.');
  return withTransaction(deps.pool, async (tx) => {
    // The same query for an unknown address (no row matches), and no argon2 work until the
    // challenge — which only the private key's holder can open — is right: known and unknown
    // addresses take the same time and get the same answer.
    if (!(await consumeRecoveryChallenge(tx, account?.id ?? randomUUID(), tokenDigest(b(input.challenge)))) || !account) return refused;
    const loginKeyHash = await hashLoginKey(b(input.loginKey));
    await replacePasswordMaterial(tx, { userId: account.id, passwordSalt: b(input.salt), loginKeyHash, encryptedPrivateKey: b(input.encryptedPrivateKey) });
    const ended = await deleteStaffSessionsOf(tx, account.id);
    await appendAudit(tx, { actorType: 'staff', actorId: account.id, action: 'staff.recovered', details: { endedSessions: ended } });
    return ok({ userId: account.id });
  });
}
