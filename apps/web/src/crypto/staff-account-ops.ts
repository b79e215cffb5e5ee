import {
  createStaffKeys,
  deriveStaffKeys,
  fromB64,
  openReporterKey,
  parseRecoveryKey,
  recoverPrivateKey,
  rewrapPrivateKey,
  toB64,
  type StaffKeyMaterial,
} from '@sauti/crypto';
import { StaffClient, type StaffAnswer } from '@sauti/client';
import { httpError, OpError } from './op-error';
import type { Ops } from './protocol';
import type { OpContext } from './reporter-ops';
import { staffSession } from './staff-ops';

type Handler<K extends keyof Ops> = (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']>;

function answered<T>(answer: StaffAnswer<T>, ok: number[]): T {
  if (!ok.includes(answer.status)) throw httpError(answer.status, answer.body);
  return answer.body;
}

function wipe(keys: StaffKeyMaterial): void {
  for (const b of [keys.loginKey, keys.wrapKey, keys.keyPair.privateKey, keys.recoveryKey]) b.fill(0);
}

/** Per invitation token: who is activating, and the keys made from the chosen password (never the password). */
const invitations = new Map<string, { userId: string; email: string; keys: StaffKeyMaterial | null }>();

const staffActivationStart: Handler<'staffActivationStart'> = async ({ token }) => {
  const c = new StaffClient(self.location.origin);
  const start = answered(await c.call<{ userId: string; email: string; displayName: string; totpSecret: string; otpauthUri: string; expiresAt: string }>(
    'POST', '/api/v1/auth/activation/start', { token }), [200]);
  const known = invitations.get(token);
  invitations.set(token, { userId: start.userId, email: start.email, keys: known?.userId === start.userId ? known.keys : null });
  return { email: start.email, displayName: start.displayName, totpSecret: start.totpSecret, otpauthUri: start.otpauthUri, expiresAt: start.expiresAt };
};

const staffActivationKeys: Handler<'staffActivationKeys'> = async ({ token, password }, { progress }) => {
  const invitation = invitations.get(token);
  if (!invitation) throw new OpError('not_found');
  progress({ stage: 'argon2' });
  // §3: salt, key pair and recovery key drawn here; the private key is wrapped twice before anything is sent.
  const keys = createStaffKeys(invitation.userId, password);
  if (invitation.keys) wipe(invitation.keys);
  invitation.keys = keys;
  return null;
};

const staffActivate: Handler<'staffActivate'> = async ({ token, totp }, { progress }) => {
  const invitation = invitations.get(token);
  if (!invitation?.keys) throw new OpError('not_found');
  const k = invitation.keys;
  progress({ stage: 'send' });
  const c = new StaffClient(self.location.origin);
  answered(await c.call('POST', '/api/v1/auth/activation', {
    token, salt: toB64(k.salt), loginKey: toB64(k.loginKey), publicKey: toB64(k.keyPair.publicKey),
    encryptedPrivateKey: toB64(k.encryptedPrivateKey), recoveryEncryptedPrivateKey: toB64(k.recoveryEncryptedPrivateKey), totp: totp.replace(/\s/g, ''),
  }), [201]);
  // A wrong code leaves the keys here so that the next code can be tried; success forgets them.
  const recoveryKey = k.recoveryKeyText;
  wipe(k);
  invitations.delete(token);
  return { email: invitation.email, recoveryKey };
};

/** Recovery (docs/staff-api.md): the recovery key opens the private key here, which answers the sealed challenge. */
const staffRecover: Handler<'staffRecover'> = async ({ email, recoveryKey, totp, password }, { progress }) => {
  // A mistyped key is caught before the TOTP code is spent on the server.
  parseRecoveryKey(recoveryKey).fill(0);
  const c = new StaffClient(self.location.origin);
  progress({ stage: 'open' });
  const start = answered(await c.call<{ userId: string; recoveryEncryptedPrivateKey: string; sealedChallenge: string }>(
    'POST', '/api/v1/auth/recovery/start', { email: email.trim(), totp: totp.replace(/\s/g, '') }), [200]);
  const keyPair = recoverPrivateKey(start.userId, recoveryKey, fromB64(start.recoveryEncryptedPrivateKey));
  const challenge = openReporterKey(keyPair, fromB64(start.sealedChallenge));
  progress({ stage: 'argon2' });
  const next = rewrapPrivateKey(start.userId, keyPair.privateKey, password);
  keyPair.privateKey.fill(0);
  try {
    answered(await c.call('POST', '/api/v1/auth/recovery/complete', {
      email: email.trim(), challenge: toB64(challenge), salt: toB64(next.salt), loginKey: toB64(next.loginKey), encryptedPrivateKey: toB64(next.encryptedPrivateKey),
    }), [200]);
  } finally {
    next.loginKey.fill(0);
    challenge.fill(0);
  }
  return null;
};

/** §3 password change: the same private key re-wrapped under a new salt; the current password proves itself with its loginKey. */
const staffChangePassword: Handler<'staffChangePassword'> = async ({ current, next }, { progress }) => {
  const c = staffSession.client();
  const me = staffSession.expect(await c.call<{ id: string; email: string }>('GET', '/api/v1/staff/me'), [200]);
  const salt = staffSession.expect(await c.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email: me.email }), [200]).salt;
  progress({ stage: 'argon2' });
  const old = deriveStaffKeys(current, fromB64(salt));
  old.wrapKey.fill(0);
  const fresh = rewrapPrivateKey(me.id, staffSession.keyPair().privateKey, next);
  try {
    progress({ stage: 'send' });
    return staffSession.expect(await c.call<{ endedSessions: number }>('POST', '/api/v1/auth/password', {
      currentLoginKey: toB64(old.loginKey), salt: toB64(fresh.salt), loginKey: toB64(fresh.loginKey), encryptedPrivateKey: toB64(fresh.encryptedPrivateKey),
    }), [200]);
  } finally {
    old.loginKey.fill(0);
    fresh.loginKey.fill(0);
  }
};

const staffAccount: Handler<'staffAccount'> = async () => {
  const me = staffSession.expect(await staffSession.client().call<{ email: string; displayName: string; roles: string[] }>('GET', '/api/v1/staff/me'), [200]);
  const s = staffSession.info();
  return { email: me.email, displayName: me.displayName, roles: me.roles, expiresAt: s.expiresAt, idleTimeoutSeconds: s.idleTimeoutSeconds, lastActivityAt: new Date(s.lastActivityAt).toISOString() };
};

export const staffAccountOps = { staffActivationStart, staffActivationKeys, staffActivate, staffRecover, staffChangePassword, staffAccount };
