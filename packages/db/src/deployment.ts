import { randomBytes } from 'node:crypto';
import type { Queryable } from './pool';

export type Deployment = { receiptSalt: Buffer; serverSecret: Buffer };

/** Creates the deployment's receipt salt and server secret once; later calls return the same. */
export async function ensureDeployment(db: Queryable): Promise<Deployment> {
  await db.query(
    'INSERT INTO deployment (singleton, receipt_salt, server_secret) VALUES (true, $1, $2) ON CONFLICT (singleton) DO NOTHING',
    [randomBytes(16), randomBytes(32)],
  );
  const { rows } = await db.query<{ receipt_salt: Buffer; server_secret: Buffer }>(
    'SELECT receipt_salt, server_secret FROM deployment WHERE singleton',
  );
  const row = rows[0];
  if (!row) throw new Error('deployment row missing after insert');
  return { receiptSalt: row.receipt_salt, serverSecret: row.server_secret };
}
