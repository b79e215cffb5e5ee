import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, PG_ADMIN_URL, templateDatabase, testDatabaseName } from './env';

/** Runs `statements` in order on one connection as the database administrator at `adminUrl`. */
export async function asPgAdmin(statements: string[], adminUrl: string = PG_ADMIN_URL): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const sql of statements) await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export const dropDatabaseSql = (name: string): string => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;

/** Drops the database `name` (and ends its sessions) if it exists. */
export async function dropDatabase(name: string, adminUrl: string = PG_ADMIN_URL): Promise<void> {
  await asPgAdmin([dropDatabaseSql(name)], adminUrl);
}

/** A fresh, migrated database of this test file's own, cloned from the template. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = testDatabaseName(randomBytes(5).toString('hex'));
  await asPgAdmin([`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`]);
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}
