import { randomUUID } from 'node:crypto';
import { ready } from '../packages/crypto/src';
import { chooseAssignee } from '../packages/core/src';
import { createPool, listAssignmentCandidates, lockCaseForTriage, type Db } from '../packages/db/src';
import { triageCase } from '../apps/worker/src/triage';
import { createTestDatabase } from './helpers/database';
import { giveOpenCases, seedOrganisation } from './helpers/fixtures';

jest.setTimeout(120_000);

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Db;

beforeAll(async () => {
  await ready();
  db = await createTestDatabase();
  // 120 triages share 24 connections: waiting for one is part of the test, not a failure.
  pool = createPool(db.url, { max: 24, connectionTimeoutMillis: 60_000 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** A received, untriaged case wrapped to every given recipient, excluding `excluded`. */
async function receivedCase(contextId: string, recipients: string[], excluded: string[] = []): Promise<string> {
  const id = randomUUID();
  const filler = Buffer.alloc(32, 9);
  await pool.query(
    `INSERT INTO cases (id, reference, context_id, channel, category_id, language, urgent, report, request_digest,
                        reporter_lookup, reporter_public_key, reporter_sealed_key, excluded_recipient_ids)
     VALUES ($1, $2, $3, 'public', 'other', 'en', false, $4, $4, $5, $4, $6, $7)`,
    [id, `SA-CONC-${id.slice(0, 8)}`, contextId, filler, Buffer.concat([Buffer.from(id.replace(/-/g, ''), 'hex'), Buffer.alloc(16)]), Buffer.alloc(80, 7), excluded],
  );
  for (const r of recipients.filter((x) => !excluded.includes(x))) {
    await pool.query('INSERT INTO case_key_wraps (case_id, recipient_id, sealed_key) VALUES ($1, $2, $3)', [id, r, Buffer.alloc(112, 1)]);
  }
  return id;
}

describe('triage under concurrency, without locking every candidate', () => {
  it('when 60 cases are triaged at once (each twice, by racing jobs), then each is assigned exactly once, never to an excluded person, and the load stays level', async () => {
    const org = await seedOrganisation(pool, { investigators: 5 });
    const people = org.investigators.map((p) => p.id);
    // Uneven starting loads: the least-loaded must catch up before the others get more.
    await giveOpenCases(pool, org.contextId, people[0]!, 6);
    await giveOpenCases(pool, org.contextId, people[1]!, 3);
    // The most-loaded person is excluded from early cases: never chosen for them, and not yet least-loaded anyway.
    const excluded = people[0]!;
    const cases: string[] = [];
    for (let i = 0; i < 60; i++) cases.push(await receivedCase(org.contextId, people, i < 20 && i % 2 === 0 ? [excluded] : []));

    const outcomes = await Promise.all([...cases, ...cases].map((id) => triageCase(pool, id)));
    expect(outcomes.filter((o) => o === 'assigned')).toHaveLength(60);
    expect(outcomes.filter((o) => o === 'already_triaged')).toHaveLength(60);

    const { rows: audit } = await pool.query<{ case_id: string; n: number }>(
      `SELECT case_id, count(*)::int AS n FROM audit_events WHERE action = 'case.assigned' GROUP BY case_id`);
    expect(audit).toHaveLength(60);
    expect(audit.every((r) => r.n === 1)).toBe(true);

    const { rows: assigned } = await pool.query<{ id: string; assignee_id: string; excluded_recipient_ids: string[] }>(
      'SELECT id, assignee_id, excluded_recipient_ids FROM cases WHERE id = ANY($1)', [cases]);
    for (const c of assigned) expect(c.excluded_recipient_ids).not.toContain(c.assignee_id);

    // 9 filler + 60 new = 69 open cases over 5 people: least-loaded keeps everyone within one case.
    const { rows: loads } = await pool.query<{ assignee_id: string; n: number }>(
      `SELECT assignee_id, count(*)::int AS n FROM cases WHERE assignee_id = ANY($1) AND status <> 'closed' GROUP BY assignee_id`, [people]);
    const counts = people.map((p) => loads.find((l) => l.assignee_id === p)?.n ?? 0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(69);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);

    // Each assignment e-mail is requested once.
    const { rows: [notes] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'new_case'`);
    expect(notes!.n).toBe(60);
  });

  it('when people tie for the fewest open cases, then triage picks as rankAssignees ranks them: never assigned first, then whoever waited longest', async () => {
    // The one-statement assignment orders people in SQL; chooseAssignee (@sauti/core) is the rule it must follow.
    const org = await seedOrganisation(pool, { investigators: 4 });
    const people = org.investigators.map((p) => p.id);
    await pool.query(`UPDATE staff_users SET last_assigned_at = now() - interval '1 hour' WHERE id = $1`, [people[0]]);
    await pool.query(`UPDATE staff_users SET last_assigned_at = now() - interval '2 hours' WHERE id = $1`, [people[1]]);
    await pool.query(`UPDATE staff_users SET last_assigned_at = now() - interval '3 minutes' WHERE id = $1`, [people[2]]);
    // people[3] was never assigned; people[1] (waited longest) is excluded from the second case.
    const chosen: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 9; i++) {
      const id = await receivedCase(org.contextId, people, i === 1 ? [people[1]!] : []);
      const c = (await lockCaseForTriage(pool, id))!;
      const decision = chooseAssignee(await listAssignmentCandidates(pool, c));
      expected.push(decision.kind === 'assigned' ? decision.userId : decision.kind);
      expect(await triageCase(pool, id)).toBe('assigned');
      const { rows } = await pool.query<{ assignee_id: string }>('SELECT assignee_id FROM cases WHERE id = $1', [id]);
      chosen.push(rows[0]!.assignee_id);
    }
    expect(chosen).toEqual(expected);
    // Spelled out for the first round: never assigned, then longest waiting; the excluded person is passed over.
    expect(chosen.slice(0, 4)).toEqual([people[3], people[0], people[1], people[2]]);
  });
});
