import { ensureDeployment, type Db } from '@sauti/db';

/** The deployment secret, read once per database and shared by every mailer that derives a token from it. */
const secrets = new WeakMap<Db, Promise<Buffer>>();

export function deploymentSecret(pool: Db): Promise<Buffer> {
  let secret = secrets.get(pool);
  if (!secret) {
    secret = ensureDeployment(pool).then((d) => d.serverSecret);
    // A failed read is not cached: the next job reads again.
    secret.catch(() => secrets.delete(pool));
    secrets.set(pool, secret);
  }
  return secret;
}
