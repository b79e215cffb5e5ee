import { account, fetchMe, Transport } from '@sauti/client';
import type { StaffKeyMaterial } from '@sauti/crypto';
import { httpError, OpError, type Handler } from './op-error';
import { staffSession } from './staff-ops';

const newTransport = (): Transport => new Transport(self.location.origin);

/** Per invitation token: who is activating, and the keys made from the chosen password (never the password). */
const invitations = new Map<string, { userId: string; email: string; keys: StaffKeyMaterial | null }>();

const staffActivationStart: Handler<'staffActivationStart'> = async ({ token }) => {
  const start = await account.startActivation(newTransport(), token);
  const known = invitations.get(token);
  invitations.set(token, { userId: start.userId, email: start.email, keys: known?.userId === start.userId ? known.keys : null });
  return { email: start.email, displayName: start.displayName, totpSecret: start.totpSecret, otpauthUri: start.otpauthUri, expiresAt: start.expiresAt };
};

const staffActivationKeys: Handler<'staffActivationKeys'> = async ({ token, password }, { progress }) => {
  const invitation = invitations.get(token);
  if (!invitation) throw new OpError('not_found');
  progress({ stage: 'argon2' });
  // §3: salt, key pair and recovery key drawn here; the private key is wrapped twice before anything is sent.
  const keys = account.makeStaffKeys(invitation.userId, password);
  if (invitation.keys) account.wipeStaffKeys(invitation.keys);
  invitation.keys = keys;
  return null;
};

const staffActivate: Handler<'staffActivate'> = async ({ token, totp }, { progress }) => {
  const invitation = invitations.get(token);
  if (!invitation?.keys) throw new OpError('not_found');
  progress({ stage: 'send' });
  const answer = await account.completeActivation(newTransport(), token, invitation.keys, totp.replace(/\s/g, ''));
  // A wrong code leaves the keys here so that the next code can be tried; success forgets them.
  if (answer.status !== 201) throw httpError(answer.status, answer.body);
  const recoveryKey = invitation.keys.recoveryKeyText;
  account.wipeStaffKeys(invitation.keys);
  invitations.delete(token);
  return { email: invitation.email, recoveryKey };
};

/** Recovery (docs/staff-api.md): the recovery key opens the private key here, which answers the sealed challenge. */
const staffRecover: Handler<'staffRecover'> = async ({ email, recoveryKey, totp, password }, { progress }) => {
  const answer = await account.recover(newTransport(), email.trim(), recoveryKey, totp.replace(/\s/g, ''), password, (stage) => progress({ stage }));
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  return null;
};

/** §3 password change: the same private key re-wrapped under a new salt. */
const staffChangePassword: Handler<'staffChangePassword'> = async ({ current, next }, { progress }) =>
  staffSession.ok(await account.changePassword(staffSession.current(), current, next, (stage) => progress({ stage })), [200]);

const staffAccount: Handler<'staffAccount'> = async () => {
  const me = await fetchMe(staffSession.current().transport);
  const s = staffSession.info();
  return { email: me.email, displayName: me.displayName, roles: me.roles, expiresAt: s.expiresAt, idleTimeoutSeconds: s.idleTimeoutSeconds, lastActivityAt: new Date(s.lastActivityAt).toISOString() };
};

export const staffAccountOps = { staffActivationStart, staffActivationKeys, staffActivate, staffRecover, staffChangePassword, staffAccount };
