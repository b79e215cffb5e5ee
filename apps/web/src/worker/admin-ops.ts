// Runs inside the crypto worker, next to the staff session it uses.
import { account, isAdminPath, paths, Transport } from '@sauti/client';
import { httpError, OpError, type Handler } from './op-error';
import { staffSession } from './staff-ops';

/** `path` is below the admin API's prefix (e.g. "/units"); only the admin API can be reached this way. */
const adminRequest: Handler<'adminRequest'> = async ({ method, path: below, body }) => {
  const path = `${paths.admin}${below}`;
  if (!isAdminPath(path)) throw new OpError('internal', 'not an admin path');
  const answer = await staffSession.current().transport.call(method, path, body);
  // A session that ended, or a server failure, is the same for every screen; 4xx answers go back as they are.
  if (answer.status === 401 || answer.status >= 500) throw httpError(answer.status, answer.body);
  return { status: answer.status, body: answer.body };
};

/** The e-mail of each reset link opened in this tab, to ask for the password's salt. */
const resets = new Map<string, string>();

const totpResetStart: Handler<'totpResetStart'> = async ({ token }) => {
  const start = await account.startTotpReset(new Transport(self.location.origin), token);
  resets.set(token, start.email);
  const { email, displayName, totpSecret, otpauthUri, expiresAt } = start;
  return { email, displayName, totpSecret, otpauthUri, expiresAt };
};

const totpResetComplete: Handler<'totpResetComplete'> = async ({ token, password, totp }, { progress }) => {
  const email = resets.get(token);
  if (!email) throw new OpError('not_found');
  const answer = await account.completeTotpReset(new Transport(self.location.origin), token, email, password, totp.replace(/\s/g, ''), (stage) => progress({ stage }));
  if (answer.status !== 200) throw httpError(answer.status, answer.body);
  resets.delete(token);
  return null;
};

export const adminOps = { adminRequest, totpResetStart, totpResetComplete };
