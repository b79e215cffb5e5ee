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

/** One opaque case row in the context, assigned to `userId`; returns its id. */
export async function makeCase(pool: Db, contextId: string, userId: string): Promise<string> {
  const before = new Set((await pool.query<{ id: string }>('SELECT id FROM cases')).rows.map((r) => r.id));
  await giveOpenCases(pool, contextId, userId, 1);
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM cases');
  return rows.map((r) => r.id).find((id) => !before.has(id)) ?? randomUUID();
}
