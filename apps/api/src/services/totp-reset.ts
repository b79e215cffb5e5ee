import { randomUUID } from 'node:crypto';
import { fail, ok, type Result, type TotpResetCompleteRequest, type TotpResetStart, type UserIdAnswer } from '@sauti/core';
import {
  appendAudit,
  clearTotpSecret,
  completeTotpReset,
  createTotpResetInvite,
  deleteStaffSessionsOf,
  enqueueOutbox,
  findStaffById,
  findTotpResetByDigest,
  INVITE_VALID_SECONDS,
  inviteTokenDigest,
  inviteTokenFor,
  isLockedOut,
  recordLoginFailure,
  setInviteTotpSecretOnce,
  withTransaction,
  type Db,
} from '@sauti/db';
import { verifyLoginKey } from '../auth';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp';

const UNUSABLE =
  'This authenticator reset link no longer works: it was used already, replaced by a newer one, or is older than 72 hours. Ask an administrator for a new reset.';

/**
 * A person lost their phone. The admin's reset ends the old authenticator at once (secret cleared,
 * sessions ended) and e-mails a one-time link; the person keeps password, keys and cases, and
 * proves the password again when enrolling the new authenticator.
 */
export async function resetStaffTotp(
  deps: { pool: Db; serverSecret: Buffer },
  actorId: string,
  userId: string,
): Promise<Result<{ userId: string; inviteId: string; expiresAt: Date; endedSessions: number }>> {
  if (actorId === userId) return fail('conflict', 'You cannot reset your own authenticator while signed in with it; ask another administrator.');
  return withTransaction(deps.pool, async (tx) => {
    const person = await findStaffById(tx, userId);
    if (!person) return fail('not_found', 'There is no staff member with this id.');
    if (person.status !== 'active' || !person.loginKeyHash || !person.publicKey) {
      return fail('conflict', person.status === 'disabled'
        ? 'This account is disabled. Enable it first, then reset the authenticator.'
        : 'This person has not finished activation, so there is no authenticator to reset. Send a new invitation instead.');
    }
    const inviteId = randomUUID();
    const token = inviteTokenFor(deps.serverSecret, inviteId);
    const expiresAt = await createTotpResetInvite(tx, { id: inviteId, userId, tokenDigest: inviteTokenDigest(token), invitedBy: actorId, validSeconds: INVITE_VALID_SECONDS });
    await clearTotpSecret(tx, userId);
    const endedSessions = await deleteStaffSessionsOf(tx, userId);
    // The worker e-mails the link (topic staff.invite), as for an invitation.
    await enqueueOutbox(tx, { id: randomUUID(), topic: 'staff.invite', aggregateId: inviteId });
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.totp_reset', details: { userId, inviteId, endedSessions } });
    return ok({ userId, inviteId, expiresAt, endedSessions });
  });
}

export async function startTotpReset(pool: Db, token: string): Promise<Result<TotpResetStart>> {
  const invite = await findTotpResetByDigest(pool, inviteTokenDigest(token));
  if (!invite?.usable) return fail('not_found', UNUSABLE);
  const secret = await setInviteTotpSecretOnce(pool, invite.id, newTotpSecret());
  return ok({
    userId: invite.userId, email: invite.email, displayName: invite.displayName, totpSecret: base32Encode(secret),
    otpauthUri: otpauthUri(secret, invite.email), expiresAt: invite.expiresAt.toISOString(),
  });
}

/**
 * Installs the new secret once the person proves both the password (loginKey, checked against its
 * hash like a sign-in, counting failures) and the new authenticator (its first code).
 */
export async function completeTotpResetFlow(
  deps: { pool: Db; now?: () => number },
  input: Omit<TotpResetCompleteRequest, 'pow'>,
): Promise<Result<UserIdAnswer>> {
  const invite = await findTotpResetByDigest(deps.pool, inviteTokenDigest(input.token));
  if (!invite?.usable || !invite.loginKeyHash) return fail('not_found', UNUSABLE);
  if (!invite.totpSecret) return fail('conflict', 'Open the reset page first: it shows the new authenticator secret that the code must come from.');
  if (await isLockedOut(deps.pool, invite.userId)) {
    return fail('unauthenticated', 'Too many wrong passwords: the account is paused for a while. Wait a minute and try again.');
  }
  if (!(await verifyLoginKey(invite.loginKeyHash, Buffer.from(input.loginKey, 'base64url')))) {
    const counted = await recordLoginFailure(deps.pool, invite.userId);
    await withTransaction(deps.pool, (tx) =>
      appendAudit(tx, { actorType: 'staff', actorId: invite.userId, action: 'auth.totp_reset_failed', details: { reason: 'login_key', failures: counted.failedLogins } }),
    );
    return fail('forbidden', 'The password is not right, so the authenticator was not changed. Use the password you sign in with.', [
      { field: 'loginKey', message: 'does not match your password' },
    ]);
  }
  const step = matchTotp(invite.totpSecret, input.totp, deps.now ? deps.now() : Date.now());
  if (step === null) {
    return fail('invalid', 'The authenticator code does not match. Check that the app shows the new "Sauti" entry and that the phone clock is right.', [
      { field: 'totp', message: 'does not match the new secret' },
    ]);
  }
  return withTransaction(deps.pool, async (tx) => {
    const locked = await findTotpResetByDigest(tx, inviteTokenDigest(input.token), true);
    if (!locked?.usable) return fail('not_found', UNUSABLE);
    await completeTotpReset(tx, { inviteId: invite.id, userId: invite.userId, totpSecret: invite.totpSecret!, totpStep: step });
    await appendAudit(tx, { actorType: 'staff', actorId: invite.userId, action: 'staff.totp_reenrolled', details: { inviteId: invite.id } });
    return ok({ userId: invite.userId });
  });
}
