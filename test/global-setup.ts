import { Client } from 'pg';
import { createPool, migrate } from '../packages/db/src';
import { databaseUrl, PG_ADMIN_URL, TEMPLATE_DB } from './helpers/env';

/** Builds a migrated template database once; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // Leftovers of an interrupted earlier run.
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sauti_t\\_%'");
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const pool = createPool(databaseUrl(TEMPLATE_DB));
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
