import { randomUUID } from 'node:crypto';
import { ready } from '@sauti/crypto';
import { createPool, type Db } from '@sauti/db';
import { createTestDatabase } from '../../../test/helpers/database';
import { giveOpenCases, seedOrganisation } from '../../../test/helpers/fixtures';

/** A migrated database of this test file's own (a clone of the run's template) with a small organisation. */
export async function openDatabase(): Promise<{ pool: Db; url: string; org: Awaited<ReturnType<typeof seedOrganisation>>; close: () => Promise<void> }> {
  await ready();
  const database = await createTestDatabase();
  const pool = createPool(database.url);
  const org = await seedOrganisation(pool, { investigators: 2 });
  return {
    pool, org, url: database.url,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

export type TestDatabase = Awaited<ReturnType<typeof openDatabase>> & {
  /** The organisation's two investigators and its first custodian (an admin too). */
  alice: string; bob: string; carol: string;
};

/**
 * This test file's database, opened before its tests and closed after them. Read its fields
 * inside tests and hooks (they are filled in by the time those run).
 */
export function useDatabase(): TestDatabase {
  const db = {} as TestDatabase;
  beforeAll(async () => {
    const opened = await openDatabase();
    const [alice, bob] = opened.org.investigators.map((p) => p.id) as [string, string];
    Object.assign(db, opened, { alice, bob, carol: opened.org.custodians[0]!.id });
  });
  afterAll(() => db.close());
  return db;
}

/** One opaque case row in the context, assigned to `userId`; returns its id. */
export async function makeCase(pool: Db, contextId: string, userId: string): Promise<string> {
  const before = new Set((await pool.query<{ id: string }>('SELECT id FROM cases')).rows.map((r) => r.id));
  await giveOpenCases(pool, contextId, userId, 1);
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM cases');
  return rows.map((r) => r.id).find((id) => !before.has(id)) ?? randomUUID();
}
