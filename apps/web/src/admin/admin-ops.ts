// Runs inside the crypto worker (imported by crypto-worker.ts), next to the staff session it uses.
import { deriveStaffKeys, fromB64, toB64 } from '@sauti/crypto';
import { StaffClient } from '@sauti/client';
import { httpError, OpError } from '../crypto/op-error';
import type { Ops } from '../crypto/protocol';
import type { OpContext } from '../crypto/reporter-ops';
import { staffSession } from '../crypto/staff-ops';

type Handler<K extends keyof Ops> = (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']>;

/**
 * Only the admin API: this op must not become a way to send anything anywhere. Job ids are
 * percent-encoded (scheduler ids hold ":"), but no dot segment, plain or encoded, may climb out.
 */
const ADMIN_PATH = /^\/api\/v1\/admin\/[A-Za-z0-9/_%-]+$/;
const isAdminPath = (path: string) => ADMIN_PATH.test(path) && !/%2e/i.test(path);

const adminRequest: Handler<'adminRequest'> = async ({ method, path, body }) => {
  if (!isAdminPath(path)) throw new OpError('internal', 'not an admin path');
  const answer = await staffSession.client().call(method, path, body);
  // A session that ended, or a server failure, is the same for every screen; 4xx answers go back as they are.
  if (answer.status === 401 || answer.status >= 500) throw httpError(answer.status, answer.body);
  return { status: answer.status, body: answer.body };
};

/** The e-mail of each reset link opened in this tab, to ask for the password's salt. */
const resets = new Map<string, string>();

const totpResetStart: Handler<'totpResetStart'> = async ({ token }) => {
  const answer = await new StaffClient(self.location.origin).call<{ email: string; displayName: string; totpSecret: string; otpauthUri: string; expiresAt: string }>(
    'POST', '/api/v1/auth/totp-reset/start', { token });
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  resets.set(token, answer.body.email);
  const { email, displayName, totpSecret, otpauthUri, expiresAt } = answer.body;
  return { email, displayName, totpSecret, otpauthUri, expiresAt };
};

const totpResetComplete: Handler<'totpResetComplete'> = async ({ token, password, totp }, { progress }) => {
  const email = resets.get(token);
  if (!email) throw new OpError('not_found');
  const c = new StaffClient(self.location.origin);
  const salt = await c.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email });
  if (salt.status !== 200) throw httpError(salt.status, salt.body);
  progress({ stage: 'argon2' });
  const { loginKey, wrapKey } = deriveStaffKeys(password, fromB64(salt.body.salt));
  wrapKey.fill(0);
  const answer = await c.call('POST', '/api/v1/auth/totp-reset/complete', { token, loginKey: toB64(loginKey), totp: totp.replace(/\s/g, '') });
  loginKey.fill(0);
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  resets.delete(token);
  return null;
};

export const adminOps = { adminRequest, totpResetStart, totpResetComplete };
