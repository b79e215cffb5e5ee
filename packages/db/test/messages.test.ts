import { randomUUID } from 'node:crypto';
import { listMessagePage, type Db } from '@sauti/db';
import { makeCase, openDatabase } from './harness';

/** The messages module: pages of a case's dialogue, newest first, by (created_at, id). */
describe('messages (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let pool: Db;
  let caseId: string;
  let otherCaseId: string;
  /** Ids in reading order. */
  let ids: string[];
  beforeAll(async () => {
    db = await openDatabase();
    pool = db.pool;
    caseId = await makeCase(pool, db.org.contextId, db.org.investigators[0]!.id);
    otherCaseId = await makeCase(pool, db.org.contextId, db.org.investigators[0]!.id);
    // Ten messages, two per timestamp (the id breaks ties), bodies of 100 bytes; the staff ones name their author.
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), at: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 2))), staff: i % 2 === 0 }));
    for (const r of rows) {
      await pool.query('INSERT INTO messages (id, case_id, author, author_user_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        r.id, caseId, r.staff ? 'staff' : 'reporter', r.staff ? db.org.investigators[0]!.id : null, Buffer.alloc(100, 7), r.at,
      ]);
    }
    ids = [...rows].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1)).map((r) => r.id);
    await pool.query('INSERT INTO messages (id, case_id, author, body) VALUES ($1, $2, $3, $4)', [randomUUID(), otherCaseId, 'reporter', Buffer.alloc(10)]);
  });
  afterAll(() => db.close());

  it('when pages are followed from the newest, then every message comes once, in order, and the last page has no cursor', async () => {
    const seen: string[] = [];
    let page = (await listMessagePage(pool, caseId, null, { limit: 3, maxBytes: 1 << 20 }))!;
    seen.unshift(...page.messages.map((m) => m.id));
    while (page.older) {
      expect(page.older).toBe(page.messages[0]!.id);
      page = (await listMessagePage(pool, caseId, page.older, { limit: 3, maxBytes: 1 << 20 }))!;
      seen.unshift(...page.messages.map((m) => m.id));
    }
    expect(seen).toEqual(ids);
  });

  it('when the byte budget is reached, then the page ends early but never holds less than one message', async () => {
    const page = (await listMessagePage(pool, caseId, null, { limit: 10, maxBytes: 250 }))!;
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(-2));
    expect(page.older).toBe(ids.at(-2));
    const tiny = (await listMessagePage(pool, caseId, null, { limit: 10, maxBytes: 1 }))!;
    expect(tiny.messages.map((m) => m.id)).toEqual(ids.slice(-1));
  });

  it('when a page holds everything, then there is no cursor; staff messages carry the author name', async () => {
    const page = (await listMessagePage(pool, caseId, null, { limit: 10, maxBytes: 1 << 20 }))!;
    expect(page.older).toBeNull();
    expect(page.messages.filter((m) => m.author === 'staff').every((m) => m.authorName === db.org.investigators[0]!.displayName)).toBe(true);
  });

  it('when the cursor is a message of another case or no message at all, then there is no page', async () => {
    const other = (await pool.query<{ id: string }>('SELECT id FROM messages WHERE case_id = $1', [otherCaseId])).rows[0]!.id;
    expect(await listMessagePage(pool, caseId, other, { limit: 3, maxBytes: 1 << 20 })).toBeNull();
    expect(await listMessagePage(pool, caseId, randomUUID(), { limit: 3, maxBytes: 1 << 20 })).toBeNull();
  });
});
