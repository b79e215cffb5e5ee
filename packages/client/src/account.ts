import { createStaffKeys, deriveStaffKeys, fromB64, openReporterKey, parseRecoveryKey, ready, recoverPrivateKey, rewrapPrivateKey, toB64, type StaffKeyMaterial } from '@sauti/crypto';
import type { ActivationStart, PasswordChangeAnswer, RecoveryStart, UserIdAnswer } from '@sauti/core';
import { proofOfWork } from './intake';
import { paths } from './paths';
import { fetchMe, fetchSalt, type OnStage, type StaffSession } from './staff-session';
import type { ApiAnswer, Transport } from './transport';

/** docs/protocol.md §3 and docs/staff-api.md: activation, password change, recovery. */

/** Activation, step 1: who is activating, and the authenticator secret to show. */
export async function startActivation(t: Transport, token: string): Promise<ActivationStart> {
  // §6: looking up an invitation costs a proof of work, solved here (in the web app, inside the worker).
  return t.send<ActivationStart>('POST', paths.auth.activationStart, { token, pow: await proofOfWork(t) }, [200], 'activation start');
}

/** Activation, step 2 (may run while the person sets up the authenticator): salt, key pair and recovery key drawn here. */
export function makeStaffKeys(userId: string, password: string): StaffKeyMaterial {
  return createStaffKeys(userId, password);
}

export function wipeStaffKeys(keys: StaffKeyMaterial): void {
  for (const b of [keys.loginKey, keys.wrapKey, keys.keyPair.privateKey, keys.recoveryKey]) b.fill(0);
}

/** Activation, step 3: the private key wrapped twice, with the first code. Keys stay for a retry when the code is refused. */
export async function completeActivation(t: Transport, token: string, keys: StaffKeyMaterial, totp: string): Promise<ApiAnswer<UserIdAnswer>> {
  const pow = await proofOfWork(t);
  return t.call('POST', paths.auth.activation, {
    token, salt: toB64(keys.salt), loginKey: toB64(keys.loginKey), publicKey: toB64(keys.keyPair.publicKey),
    encryptedPrivateKey: toB64(keys.encryptedPrivateKey), recoveryEncryptedPrivateKey: toB64(keys.recoveryEncryptedPrivateKey), totp, pow,
  });
}

/** Password change: the same private key re-wrapped under a new salt; the current password proves itself with its loginKey. */
export async function changePassword(s: StaffSession, currentPassword: string, newPassword: string, onStage?: OnStage): Promise<ApiAnswer<PasswordChangeAnswer>> {
  await ready();
  const me = await fetchMe(s.transport);
  const salt = await fetchSalt(s.transport, me.email);
  onStage?.('argon2');
  const current = deriveStaffKeys(currentPassword, salt);
  current.wrapKey.fill(0);
  const next = rewrapPrivateKey(me.id, s.kp().privateKey, newPassword);
  try {
    onStage?.('send');
    return await s.transport.call('POST', paths.auth.password, {
      currentLoginKey: toB64(current.loginKey), salt: toB64(next.salt), loginKey: toB64(next.loginKey), encryptedPrivateKey: toB64(next.encryptedPrivateKey),
    });
  } finally {
    current.loginKey.fill(0);
    next.loginKey.fill(0);
  }
}

/** Recovery with the recovery key: proves it by opening a challenge sealed to the account's public key. */
export async function recover(t: Transport, email: string, recoveryKeyText: string, totp: string, newPassword: string, onStage?: OnStage): Promise<ApiAnswer<UserIdAnswer>> {
  await ready();
  // A mistyped key is caught before the TOTP code is spent on the server.
  parseRecoveryKey(recoveryKeyText).fill(0);
  onStage?.('open');
  const start = await t.send<RecoveryStart>('POST', paths.auth.recoveryStart, { email, totp, pow: await proofOfWork(t, undefined, { email }) }, [200], 'recovery start');
  const keyPair = recoverPrivateKey(start.userId, recoveryKeyText, fromB64(start.recoveryEncryptedPrivateKey));
  const challenge = openReporterKey(keyPair, fromB64(start.sealedChallenge));
  onStage?.('argon2');
  const next = rewrapPrivateKey(start.userId, keyPair.privateKey, newPassword);
  keyPair.privateKey.fill(0);
  try {
    const pow = await proofOfWork(t);
    return await t.call('POST', paths.auth.recoveryComplete, {
      email, challenge: toB64(challenge), salt: toB64(next.salt), loginKey: toB64(next.loginKey), encryptedPrivateKey: toB64(next.encryptedPrivateKey), pow,
    });
  } finally {
    next.loginKey.fill(0);
    challenge.fill(0);
  }
}

/** After an admin's TOTP reset: the link's details, then loginKey (from the unchanged password) with the new app's first code. */
export function startTotpReset(t: Transport, token: string): Promise<ActivationStart> {
  return t.send<ActivationStart>('POST', paths.auth.totpResetStart, { token }, [200], 'totp reset start');
}

export async function completeTotpReset(t: Transport, token: string, email: string, password: string, totp: string, onStage?: OnStage): Promise<ApiAnswer<UserIdAnswer>> {
  await ready();
  const salt = await fetchSalt(t, email);
  onStage?.('argon2');
  const { loginKey, wrapKey } = deriveStaffKeys(password, salt);
  wrapKey.fill(0);
  try {
    // §6: completing costs a proof of work (it checks the password with Argon2id on the server).
    const pow = await proofOfWork(t);
    return await t.call('POST', paths.auth.totpResetComplete, { token, loginKey: toB64(loginKey), totp, pow });
  } finally {
    loginKey.fill(0);
  }
}
