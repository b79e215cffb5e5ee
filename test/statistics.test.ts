import { randomBytes, randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../packages/crypto/src';
import { statistics, StaffClient, type StaffAnswer } from '../packages/client/src';
import { insertStaffUser, refreshStatistics, replaceCategoryFactors } from '../packages/db/src';
import type { StatisticsSummary, StatisticsTable } from '../packages/core/src';
import { transparencyFigures } from '../apps/api/src/services/statistics';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

jest.setTimeout(120_000);

/**
 * Integrity monitoring against real Postgres: every indicator on a small fixture whose figures are
 * worked out by hand below (threshold 3), small-cell protection, unit scoping, auditing, bad input.
 *
 * Period 2025-01-01..2025-06-30 (181 days; the previous period is 2024-07-04..2024-12-31).
 *  #  received  chan      category  anon  unit  ack(d)  feedback(d)  close(d)  outcome          reporter came back
 *  1  01-10     public    bribery   yes   A     1       10           20        substantiated    yes
 *  2  01-20     public    bribery   yes   A     2       20           40        substantiated
 *  3  02-05     public    bribery   yes   A     3       30           60        substantiated
 *  4  02-15     public    other     no    A     4       40           80        unsubstantiated  yes
 *  5  03-01     internal  other     no    A     9 late  120 late     open (in progress)
 *  6  03-10     internal  bribery   yes   A     5       none         open (acknowledged)         yes
 *  7  04-01     internal  other     yes   A     never   none         open (received)
 *  8  05-01     public    bribery   no    A     6       50           100       referred
 *  9  05-10     public    bribery   yes   B     2       15           30        substantiated
 * 10  06-01     public    other     yes   B     1       none         open (acknowledged)
 * plus two cases in the previous period and one after the period (2025-08-01).
 */

let stack: TestStack;
let admin: StaffClient;
let analyst: StaffClient;
let supervisorA: StaffClient;
let investigator: StaffClient;
let custodian: StaffClient;
let analystId: string;
let orgA: Awaited<ReturnType<typeof seedOrganisation>>;
let orgB: Awaited<ReturnType<typeof seedOrganisation>>;

const DAY = 86_400_000;
const PERIOD = 'from=2025-01-01&to=2025-06-30';

type Spec = {
  received: string; channel: string; category: string; anonymous: boolean; org: 'A' | 'B';
  ack?: number; feedback?: number; close?: number; outcome?: string; returned?: boolean;
};

async function insertCase(s: Spec): Promise<void> {
  const org = s.org === 'A' ? orgA : orgB;
  const id = randomUUID();
  const received = new Date(`${s.received}T12:00:00Z`);
  const at = (days: number | undefined) => (days === undefined ? null : new Date(received.getTime() + days * DAY));
  const status = s.close !== undefined ? 'closed' : s.feedback !== undefined ? 'in_progress' : s.ack !== undefined ? 'acknowledged' : 'received';
  const ackAt = at(s.ack);
  const identity = s.anonymous ? null : randomBytes(64);
  await stack.pool.query(
    `INSERT INTO cases (id, reference, context_id, channel, category_id, region_id, language, urgent, report, request_digest, reporter_lookup,
                        reporter_public_key, reporter_sealed_key, identity_ciphertext, identity_reporter_sealed_key, status, unit_id,
                        received_at, triaged_at, acknowledge_due_at, acknowledged_at, feedback_due_at, closed_at, outcome)
     VALUES ($1, $2, $3, $4, $5, 'namanga', 'en', false, $6, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17, $18, $19)`,
    [
      id, `SA-ST-${id.slice(0, 8)}`, org.contextId, s.channel, s.category, randomBytes(40), randomBytes(32), randomBytes(32), randomBytes(80),
      identity, identity ? randomBytes(80) : null, status, org.unitId, received, new Date(received.getTime() + 7 * DAY), ackAt,
      ackAt ? new Date(ackAt.getTime() + 90 * DAY) : null, at(s.close), s.close !== undefined ? (s.outcome ?? null) : null,
    ],
  );
  if (s.feedback !== undefined) {
    await stack.pool.query("INSERT INTO messages (id, case_id, author, body, created_at) VALUES ($1, $2, 'staff', $3, $4)", [randomUUID(), id, randomBytes(40), at(s.feedback)]);
  }
  if (s.returned) {
    await stack.pool.query("INSERT INTO messages (id, case_id, author, body, created_at) VALUES ($1, $2, 'reporter', $3, $4)", [randomUUID(), id, randomBytes(40), at(11)]);
  }
}

async function person(roles: string[], unitId: string | null): Promise<{ id: string; client: StaffClient }> {
  const p = { id: randomUUID(), email: `${roles[0]}.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: roles[0]!, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...p, unitId, roles, status: 'active', publicKey: p.keyPair.publicKey });
  return { id: p.id, client: await signedInStaff(stack, p) };
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false, env: { STATISTICS_MIN_CELL: '3' } });
  orgA = await seedOrganisation(stack.pool, { investigators: 1, label: `sa${randomUUID().slice(0, 6)}` });
  orgB = await seedOrganisation(stack.pool, { investigators: 1, label: `sb${randomUUID().slice(0, 6)}` });
  const rows: Spec[] = [
    { received: '2025-01-10', channel: 'public', category: 'bribery-extortion', anonymous: true, org: 'A', ack: 1, feedback: 10, close: 20, outcome: 'substantiated', returned: true },
    { received: '2025-01-20', channel: 'public', category: 'bribery-extortion', anonymous: true, org: 'A', ack: 2, feedback: 20, close: 40, outcome: 'substantiated' },
    { received: '2025-02-05', channel: 'public', category: 'bribery-extortion', anonymous: true, org: 'A', ack: 3, feedback: 30, close: 60, outcome: 'substantiated' },
    { received: '2025-02-15', channel: 'public', category: 'other', anonymous: false, org: 'A', ack: 4, feedback: 40, close: 80, outcome: 'unsubstantiated', returned: true },
    { received: '2025-03-01', channel: 'internal', category: 'other', anonymous: false, org: 'A', ack: 9, feedback: 120 },
    { received: '2025-03-10', channel: 'internal', category: 'bribery-extortion', anonymous: true, org: 'A', ack: 5, returned: true },
    { received: '2025-04-01', channel: 'internal', category: 'other', anonymous: true, org: 'A' },
    { received: '2025-05-01', channel: 'public', category: 'bribery-extortion', anonymous: false, org: 'A', ack: 6, feedback: 50, close: 100, outcome: 'referred' },
    { received: '2025-05-10', channel: 'public', category: 'bribery-extortion', anonymous: true, org: 'B', ack: 2, feedback: 15, close: 30, outcome: 'substantiated' },
    { received: '2025-06-01', channel: 'public', category: 'other', anonymous: true, org: 'B', ack: 1 },
    { received: '2024-09-01', channel: 'public', category: 'other', anonymous: true, org: 'A', ack: 1 },
    { received: '2024-10-01', channel: 'public', category: 'other', anonymous: true, org: 'A', ack: 1 },
    { received: '2025-08-01', channel: 'public', category: 'other', anonymous: true, org: 'A', ack: 1 },
  ];
  for (const r of rows) await insertCase(r);
  await replaceCategoryFactors(stack.pool, [
    { contextId: orgA.contextId, categoryId: 'bribery-extortion', factors: ['code_of_conduct', 'private_sector'] },
    { contextId: orgB.contextId, categoryId: 'bribery-extortion', factors: ['code_of_conduct', 'private_sector'] },
  ]);
  await refreshStatistics(stack.pool);
  admin = (await person(['admin'], orgA.unitId)).client;
  const a = await person(['analyst'], null);
  analyst = a.client;
  analystId = a.id;
  supervisorA = (await person(['supervisor'], orgA.unitId)).client;
  investigator = await signedInStaff(stack, orgA.investigators[0]!);
  custodian = await signedInStaff(stack, orgA.custodians[0]!);
});

afterAll(async () => {
  await stack?.stop();
});

const get = <T>(client: StaffClient, path: string) => client.call<T>('GET', path) as Promise<StaffAnswer<T>>;
const breakdown = async (dimension: string, extra = '', client = analyst) => {
  const answer = await get<StatisticsTable>(client, `/api/v1/staff/statistics/breakdown?dimension=${dimension}&${PERIOD}${extra}`);
  expect(answer.status).toBe(200);
  return answer.body;
};
/** { key: shown value or "small"/"complementary" } of a one-column table. */
const column = (t: StatisticsTable) => Object.fromEntries(t.rows.map((r, i) => [r.key, t.cells[i]![0]!.suppressed ?? t.cells[i]![0]!.value]));

describe('integrity monitoring indicators (hand-computed fixture, threshold 3)', () => {
  it('when the summary is asked for, then every headline figure matches the hand computation, small ones withheld', async () => {
    const answer = await get<StatisticsSummary>(analyst, `/api/v1/staff/statistics/summary?${PERIOD}`);
    expect(answer.status).toBe(200);
    const s = answer.body;
    expect(s.period).toEqual({ from: '2025-01-01', to: '2025-06-30' });
    expect(s.previousPeriod).toEqual({ from: '2024-07-04', to: '2024-12-31' });
    expect(s.received).toEqual({ value: { value: 10, suppressed: null }, previous: { value: null, suppressed: 'small' } });
    // 7 of 10 anonymous; 3 of 10 reporters came back.
    expect(s.anonymousShare.value).toBe(0.7);
    expect(s.reengagedShare.value).toBe(0.3);
    // Acknowledged in time: 8 of 10 — the 2 late ones are a small group, so the share is withheld.
    expect(s.acknowledgedInTimeShare.value).toBeNull();
    // Feedback within the deadline: cases 1, 2, 3, 4, 8, 9 of 10 (every deadline has passed).
    expect(s.feedbackInTimeShare.value).toBe(0.6);
    // Days to acknowledge 1,1,2,2,3,4,5,6,9: median 3, p90 6 + 0.2 × 3 = 6.6.
    expect(s.daysToAcknowledge).toEqual({ median: { value: 3, previous: null }, p90: { value: 6.6, previous: null } });
    // Days to feedback 10,15,20,30,40,50,120: median 30, p90 50 + 0.4 × 70 = 78.
    expect(s.daysToFeedback.median.value).toBe(30);
    expect(s.daysToFeedback.p90.value).toBe(78);
    // Days to close 20,30,40,60,80,100: median 50, p90 80 + 0.5 × 20 = 90.
    expect(s.daysToClose.median.value).toBe(50);
    expect(s.daysToClose.p90.value).toBe(90);
    expect(s.openBacklog).toEqual({ value: 4, suppressed: null });
    expect(s.threshold).toBe(3);
    expect(s.scope).toEqual({ unitId: null });
    expect(s.asOf).not.toBeNull();
  });

  it('when reports are broken down by channel, category, identity and status, then the counts match and small cells are protected', async () => {
    const channel = await breakdown('channel');
    expect(column(channel)).toEqual({ internal: 3, public: 7 });
    expect(channel.total).toEqual({ value: 10, suppressed: null });
    expect(column(await breakdown('category'))).toEqual({ 'bribery-extortion': 6, other: 4 });
    expect((await breakdown('category')).rows.find((r) => r.key === 'bribery-extortion')!.label).toBe('Bribery');
    expect(column(await breakdown('identity'))).toEqual({ anonymous: 7, confidential: 3 });
    // received 1, acknowledged 2, in progress 1: three small cells whose sum (4) leaves each of them two or more values.
    const status = await breakdown('status');
    expect(column(status)).toEqual({ received: 'small', acknowledged: 'small', in_progress: 'small', closed: 6 });
    expect(status.total.value).toBe(10);
    expect(column(await breakdown('reengagement'))).toEqual({ returned: 3, not_returned: 7 });
    expect(column(await breakdown('channel', '&channel=internal'))).toEqual({ internal: 3 });
  });

  it('when broken down by unit, then the small unit is suppressed and the other withheld too, so the total cannot reveal it', async () => {
    const unit = await breakdown('unit');
    expect(column(unit)).toEqual({ [orgA.unitId]: 'complementary', [orgB.unitId]: 'small' });
    expect(unit.total).toEqual({ value: 10, suppressed: null });
  });

  it('when outcomes are counted, then one-way and by category they match, with the two single cases and a complementary cell withheld', async () => {
    const outcome = await breakdown('outcome');
    expect(column(outcome)).toEqual({
      substantiated: 'complementary', partly_substantiated: 0, unsubstantiated: 'small', referred_prosecution: 0, referred: 'small', not_actionable: 0, withdrawn: 0,
    });
    expect(outcome.total.value).toBe(6);
    const cross = await breakdown('outcome', '&by=category');
    expect(cross.columns.map((c) => c.key)).toEqual(['substantiated', 'partly_substantiated', 'unsubstantiated', 'referred_prosecution', 'referred', 'not_actionable', 'withdrawn']);
    const row = (key: string) => cross.cells[cross.rows.findIndex((r) => r.key === key)]!.map((c) => c.suppressed ?? c.value);
    // bribery: substantiated 4, referred 1; other: unsubstantiated 1.
    expect(row('bribery-extortion')).toEqual(['complementary', 0, 0, 0, 'small', 0, 0]);
    expect(row('other')).toEqual([0, 0, 'small', 0, 0, 0, 0]);
    expect(cross.total.value).toBe(6);
  });

  it('when broken down by Arusha factor, then each case counts under every factor of its category and unmapped ones under none', async () => {
    const factor = await breakdown('factor');
    const c = column(factor);
    expect(c).toEqual(expect.objectContaining({ code_of_conduct: 6, private_sector: 6, none: 4, leadership: 0 }));
    expect(factor.rows).toHaveLength(11);
    expect(factor.overlapping).toBe(true);
    expect(factor.total).toEqual({ value: 10, suppressed: null });
  });

  it('when the time series has months below the threshold, then it coarsens to quarters', async () => {
    const time = await breakdown('time');
    expect(time.granularity).toBe('quarter');
    expect(time.rows.map((r) => r.label)).toEqual(['2025-Q1', '2025-Q2']);
    expect(column(time)).toEqual({ '2025-01-01': 6, '2025-04-01': 4 });
  });

  it('when the open backlog is aged, then the four open cases fall in the oldest band', async () => {
    expect(column(await breakdown('age'))).toEqual({ '0-7': 0, '8-30': 0, '31-90': 0, '91-180': 0, '181+': 4 });
  });

  it('when the transparency figures are computed for 2025, then the year counts eleven reports and withholds the small share', async () => {
    const figures = await transparencyFigures(stack.pool, 3, new Date('2025-12-01T00:00:00Z'));
    expect(figures.received).toEqual({ value: 11, suppressed: null });
    // Acknowledged in time: 9 of 11 (2 late: a small group).
    expect(figures.acknowledgedInTimeShare).toBeNull();
    expect(figures.feedbackInTimeShare).toBeCloseTo(6 / 11, 4);
    expect((await statistics.transparency(analyst.session.transport)).status).toBe(404);
  });
});

describe('who sees which statistics', () => {
  it('when each role asks for the summary, then analysts, supervisors and admins are answered and the others refused', async () => {
    const path = `/api/v1/staff/statistics/summary?${PERIOD}`;
    expect((await get(admin, path)).status).toBe(200);
    expect((await get(analyst, path)).status).toBe(200);
    expect((await get(supervisorA, path)).status).toBe(200);
    expect((await get(investigator, path)).status).toBe(403);
    expect((await get(custodian, path)).status).toBe(403);
    expect((await new StaffClient(stack.api.url).call('GET', path)).status).toBe(401);
  });

  it('when a supervisor of unit A looks, then only unit A is counted, and another unit or a breakdown by unit is refused with 403', async () => {
    const mine = await get<StatisticsSummary>(supervisorA, `/api/v1/staff/statistics/summary?${PERIOD}`);
    expect(mine.body.scope).toEqual({ unitId: orgA.unitId });
    expect(mine.body.received.value).toEqual({ value: 8, suppressed: null });
    const other = await get<{ error: string }>(supervisorA, `/api/v1/staff/statistics/summary?${PERIOD}&unitId=${orgB.unitId}`);
    expect(other.status).toBe(403);
    expect(other.body.error).toMatch(/own unit/);
    expect((await get(supervisorA, `/api/v1/staff/statistics/breakdown?dimension=unit&${PERIOD}`)).status).toBe(403);
    // An admin may grant every unit.
    const who = (await get<{ userId?: string; id?: string }>(supervisorA, '/api/v1/staff/me')).body;
    const supervisorId = (who.userId ?? who.id)!;
    expect((await admin.admin.statistics.setScope(supervisorId, true)).status).toBe(200);
    expect((await get(supervisorA, `/api/v1/staff/statistics/breakdown?dimension=unit&${PERIOD}`)).status).toBe(200);
    expect((await admin.admin.statistics.setScope(supervisorId, false)).status).toBe(200);
  });

  it('when an analyst looks at a breakdown, then the audit log says who looked at which breakdown with which filters', async () => {
    await breakdown('category', '&channel=public');
    const { rows } = await stack.pool.query<{ details: { view: string; dimension: string; filters: Record<string, string> } }>(
      "SELECT details FROM audit_events WHERE action = 'statistics.viewed' AND actor_id = $1 ORDER BY seq DESC LIMIT 1", [analystId],
    );
    expect(rows[0]!.details).toEqual(expect.objectContaining({ view: 'breakdown', dimension: 'category', filters: expect.objectContaining({ channel: 'public', from: '2025-01-01', to: '2025-06-30' }) }));
  });
});

describe('bad statistics requests', () => {
  const future = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
  it.each([
    ['a period in the future', `/api/v1/staff/statistics/summary?from=2025-01-01&to=${future}`, 'to'],
    ['a reversed period', '/api/v1/staff/statistics/summary?from=2025-06-01&to=2025-01-01', 'to'],
    ['a date that is not a date', '/api/v1/staff/statistics/summary?from=2025-02-30', 'from'],
    ['an unknown filter', '/api/v1/staff/statistics/summary?colour=red', '(query)'],
    ['an unknown dimension', '/api/v1/staff/statistics/breakdown?dimension=assignee', 'dimension'],
    ['a cross of a dimension that has none', '/api/v1/staff/statistics/breakdown?dimension=channel&by=category', 'by'],
    ['a unit that is not an id', '/api/v1/staff/statistics/summary?unitId=A', 'unitId'],
    ['a filter given twice', '/api/v1/staff/statistics/summary?channel=public&channel=internal', 'channel'],
  ])('when the request has %s, then it is refused with 400 naming the field', async (_what, path, field) => {
    const answer = await get<{ error: string; issues: { field: string; message: string }[] }>(analyst, path);
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((i) => i.field)).toContain(field);
  });
});

describe('categories mapped to Arusha factors (admin)', () => {
  it('when an admin maps a category, then the list shows it, and an unknown category or factor is refused with 400', async () => {
    const saved = await admin.admin.statistics.saveCategoryFactors([{ contextId: orgA.contextId, categoryId: 'other', factors: ['leadership', 'morale_culture'] }]);
    expect(saved.status).toBe(200);
    const row = saved.body.items.find((i) => i.contextId === orgA.contextId && i.categoryId === 'other')!;
    expect(row.factors).toEqual(['leadership', 'morale_culture']);
    expect(saved.body.factors).toHaveLength(10);
    expect((await admin.admin.statistics.saveCategoryFactors([{ contextId: orgA.contextId, categoryId: 'nope', factors: [] }])).status).toBe(400);
    expect((await admin.call('PUT', '/api/v1/admin/category-factors', { items: [{ contextId: orgA.contextId, categoryId: 'other', factors: ['bravery'] }] })).status).toBe(400);
    expect((await analyst.call('GET', '/api/v1/admin/category-factors')).status).toBe(403);
    await admin.admin.statistics.saveCategoryFactors([{ contextId: orgA.contextId, categoryId: 'other', factors: [] }]);
  });
});

describe('on-behalf intake in the channel breakdown', () => {
  it('when reports were recorded by staff from a telephone call, then the channel breakdown counts them under "hotline", not under the web channel', async () => {
    const { rows } = await stack.pool.query<{ id: string }>(
      `SELECT id FROM cases WHERE channel = 'public' AND received_at >= '2025-01-01' AND received_at < '2025-04-01' ORDER BY received_at LIMIT 3`,
    );
    expect(rows).toHaveLength(3);
    const ids = rows.map((r) => r.id);
    await stack.pool.query(`UPDATE cases SET intake_channel = 'hotline' WHERE id = ANY($1)`, [ids]);
    try {
      await refreshStatistics(stack.pool);
      const channel = await breakdown('channel');
      expect(column(channel)).toEqual({ internal: 3, public: 4, hotline: 3 });
      expect(channel.rows.find((r) => r.key === 'hotline')!.label).toBe('Telephone (recorded by staff)');
    } finally {
      await stack.pool.query(`UPDATE cases SET intake_channel = 'web' WHERE id = ANY($1)`, [ids]);
      await refreshStatistics(stack.pool);
    }
  });
});
