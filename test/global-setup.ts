import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPool, migrate } from '../packages/db/src';
import { databaseUrl, PG_ADMIN_URL, TEST_DB_PREFIX, testDatabaseName } from './helpers/env';

/** Builds a migrated template database once per run; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function globalSetup(): Promise<void> {
  const template = testDatabaseName(`tpl${randomBytes(3).toString('hex')}`);
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    // Leftovers of interrupted runs, older than an hour (younger ones may belong to a run in progress).
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [TEST_DB_PREFIX]);
    const hourAgo = Date.now() / 1000 - 3600;
    for (const r of rows) {
      const created = Number(r.datname.slice(TEST_DB_PREFIX.length).split('_')[0]);
      if (created < hourAgo) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const pool = createPool(databaseUrl(template));
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  process.env.SAUTI_TEST_TEMPLATE_DB = template;
}
