/* eslint-disable no-console -- the fault tests print their counts, as the issue asks */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ready } from '../packages/crypto/src';
import { ReporterClient, type ReportRequest } from '../packages/client/src';
import { createPool, type Db } from '../packages/db/src';
import { createTestDatabase } from './helpers/database';
import { REDIS_URL } from './helpers/env';
import { seedOrganisation } from './helpers/fixtures';
import { startApiProcess, startWorkerProcess, type Proc } from './helpers/processes';
import { startRedisProcess } from './helpers/redis-process';
import { readyRequest } from './helpers/reports';
import { startSmtpSink } from './helpers/smtp-sink';
import { waitFor, waitForCount, waitForCounts } from './helpers/wait';

type World = {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  pool: Db;
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  env: Record<string, string>;
  procs: Proc[];
  contextId: string;
};

async function world(extra: Record<string, string> = {}, investigators = 3): Promise<World> {
  const db = await createTestDatabase();
  const pool = createPool(db.url);
  const smtp = await startSmtpSink();
  const org = await seedOrganisation(pool, { investigators });
  const env = {
    DATABASE_URL: db.url, REDIS_URL, SMTP_URL: smtp.url, QUEUE_PREFIX: `sauti-fault-${randomBytes(4).toString('hex')}`,
    POW_DIFFICULTY: '1', NOTIFY_DELAY_MAX_MS: '0', OUTBOX_POLL_MS: '200', WORKER_LOCK_MS: '2000',
    // A request that arrives while its person's digest job is running cannot join it (same job id);
    // the sweep's safety net sends it — quickly here, within minutes in production.
    SWEEP_INTERVAL_MS: '2000', STALE_DIGEST_SECONDS: '3', STALE_TRIAGE_SECONDS: '60', ...extra,
  };
  return { db, pool, smtp, env, procs: [], contextId: org.contextId };
}

async function teardown(w: World | undefined) {
  if (!w) return;
  await Promise.all(w.procs.map((p) => p.kill('SIGKILL')));
  await w.pool.end();
  await w.smtp.close();
  await w.db.drop();
}

async function requests(apiUrl: string, contextId: string, n: number): Promise<ReportRequest[]> {
  const client = new ReporterClient(apiUrl);
  const intake = await client.intake();
  const context = intake.contexts.find((c) => c.id === contextId)!;
  const out: ReportRequest[] = [];
  for (let i = 0; i < n; i++) out.push(await readyRequest(client, intake, context));
  return out;
}

/** Every case triaged exactly once, every notification e-mailed exactly once; returns the counts. */
async function exactlyOnce(w: World, expectedCases: number, timeoutMs = 90_000) {
  await waitForCounts({ 'cases triaged': expectedCases }, async () => {
    const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE triaged_at IS NOT NULL');
    return { 'cases triaged': rows[0]!.n };
  }, { timeoutMs });
  const notifications = async () =>
    (await w.pool.query<{ n: number; sent: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent FROM notifications')).rows[0]!;
  await waitFor('every notification sent', async () => {
    const c = await notifications();
    return c.n >= expectedCases && c.sent === c.n;
  }, timeoutMs, async () => {
    const c = await notifications();
    return `${c.sent} of ${c.n} notifications sent (${expectedCases} expected)`;
  });
  const { rows: [counts] } = await w.pool.query<{ cases: number; assigned: number; distinct_assigned: number; notifications: number; digests: number }>(
    `SELECT (SELECT count(*)::int FROM cases) AS cases,
            (SELECT count(*)::int FROM audit_events WHERE action = 'case.assigned') AS assigned,
            (SELECT count(DISTINCT case_id)::int FROM audit_events WHERE action = 'case.assigned') AS distinct_assigned,
            (SELECT count(*)::int FROM notifications) AS notifications,
            (SELECT count(DISTINCT digest_id)::int FROM notifications) AS digests`,
  );
  await waitForCount('digest e-mails received by the sink', async () => w.smtp.messages.length, counts!.digests, 20_000);
  await new Promise((r) => setTimeout(r, 500));
  const digestIds = w.smtp.messages.map((m) => /X-Sauti-Digest: (\S+)/i.exec(m.raw)?.[1]);
  return { ...counts!, emails: w.smtp.messages.length, distinctEmails: new Set(digestIds).size };
}

beforeAll(ready);

describe('fault tests with real processes on the real Postgres and Redis', () => {
  let w: World | undefined;
  afterEach(async () => {
    await teardown(w);
    w = undefined;
  });

  it('(a) when a worker is killed -9 in the middle of triage, then the case is assigned exactly once and one notification is sent', async () => {
    w = await world();
    const api = await startApiProcess(w.env);
    w.procs.push(api);
    const first = await startWorkerProcess(w.env);
    w.procs.push(first);
    // Hold the investigators' rows: triage locks the case, then waits here — mid-transaction.
    const blocker = new Client({ connectionString: w.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    // NO KEY UPDATE: blocks triage's FOR UPDATE, not the submission's foreign-key checks.
    await blocker.query('SELECT id FROM staff_users FOR NO KEY UPDATE');
    const [request] = await requests(api.url, w.contextId, 1);
    expect((await new ReporterClient(api.url).submit(request!)).status).toBe(201);
    await waitFor('the worker to be stuck inside triage', async () => {
      const { rows } = await w!.pool.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'", [w!.db.name]);
      return rows.length > 0;
    });
    await first.kill('SIGKILL');
    await blocker.query('COMMIT');
    await blocker.end();
    w.procs.push(await startWorkerProcess(w.env));
    const counts = await exactlyOnce(w, 1, 60_000);
    console.log('fault (a) kill -9 worker mid-triage:', JSON.stringify(counts));
    expect(counts).toMatchObject({ cases: 1, assigned: 1, notifications: 1, emails: 1, distinctEmails: 1 });
  });

  it('(b) when Redis is restarted while reports arrive, then every acknowledged report is triaged exactly once', async () => {
    const redis = await startRedisProcess();
    try {
      // Redis here keeps nothing on restart, so jobs published just before the kill are lost: the
      // sweep's safety net must hand those cases and digests to the queue again.
      w = await world({ REDIS_URL: redis.url, STALE_TRIAGE_SECONDS: '3' });
      const api = await startApiProcess(w.env);
      w.procs.push(api, await startWorkerProcess(w.env));
      const batch = await requests(api.url, w.contextId, 60);
      const client = new ReporterClient(api.url);
      const statuses: number[] = [];
      for (const [i, request] of batch.entries()) {
        if (i === 20) await redis.kill();
        if (i === 40) await redis.start();
        statuses.push((await client.submit(request)).status);
      }
      expect(statuses.map((s, i) => `${i}:${s}`).filter((s) => !s.endsWith(':201'))).toEqual([]);
      const counts = await exactlyOnce(w, 60);
      console.log('fault (b) Redis restarted during arrivals:', JSON.stringify({ accepted: statuses.length, ...counts }));
      expect(counts).toMatchObject({ cases: 60, assigned: 60, distinct_assigned: 60, notifications: 60 });
      expect(counts.distinctEmails).toBe(counts.digests);
      expect(counts.emails).toBe(counts.digests);
    } finally {
      await redis.kill();
    }
  });

  it('(c) when the api is killed -9 during a burst, then every report that got 201 is present and triaged, and no case is partial', async () => {
    w = await world();
    const api = await startApiProcess(w.env);
    w.procs.push(api, await startWorkerProcess(w.env));
    const batch = await requests(api.url, w.contextId, 300);
    const accepted: string[] = [];
    let failed = 0;
    let next = 0;
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < batch.length) {
        const request = batch[next++]!;
        try {
          const answer = await fetch(`${api.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
          if (answer.status === 201) accepted.push(request.id);
          if (accepted.length === 100) void api.kill('SIGKILL');
        } catch {
          failed++;
        }
      }
    }));
    expect(accepted.length).toBeGreaterThanOrEqual(100);
    expect(failed).toBeGreaterThan(0);
    const { rows: present } = await w.pool.query<{ id: string }>('SELECT id FROM cases WHERE id = ANY($1)', [accepted]);
    expect(present).toHaveLength(accepted.length);
    const { rows: [partial] } = await w.pool.query<{ without_wraps: number; without_status: number; without_outbox: number; without_audit: number }>(
      `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM case_key_wraps k WHERE k.case_id = c.id))::int AS without_wraps,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM case_status_history h WHERE h.case_id = c.id))::int AS without_status,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = c.id AND o.topic = 'case.received'))::int AS without_outbox,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.case_id = c.id AND a.action = 'case.received'))::int AS without_audit
         FROM cases c`,
    );
    expect(partial).toEqual({ without_wraps: 0, without_status: 0, without_outbox: 0, without_audit: 0 });
    const stored = (await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases')).rows[0]!.n;
    const counts = await exactlyOnce(w, stored);
    console.log('fault (c) kill -9 api during a burst:', JSON.stringify({ sent: batch.length, got201: accepted.length, connectionErrors: failed, stored, ...counts }));
    expect(counts.assigned).toBe(stored);
    expect(counts.distinct_assigned).toBe(stored);
  });

  it('(d) when 2 api and 3 worker processes share Postgres and Redis, then 2,000 reports are each triaged exactly once with no duplicate e-mail', async () => {
    w = await world({ WORKER_CONCURRENCY: '4' });
    const apis = [await startApiProcess(w.env), await startApiProcess(w.env)];
    w.procs.push(...apis);
    for (let i = 0; i < 3; i++) w.procs.push(await startWorkerProcess(w.env));
    const total = 2000;
    const batch = await requests(apis[0]!.url, w.contextId, total);
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(Array.from({ length: 40 }, async (_, lane) => {
      const url = apis[lane % 2]!.url;
      while (next < total) {
        const request = batch[next++]!;
        const answer = await fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
        await answer.arrayBuffer();
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    }));
    expect(Object.fromEntries(statuses)).toEqual({ 201: total });
    const counts = await exactlyOnce(w, total, 180_000);
    console.log('fault (d) 2 api + 3 workers, 2,000 reports:', JSON.stringify(counts));
    expect(counts).toMatchObject({ cases: total, assigned: total, distinct_assigned: total, notifications: total });
    expect(counts.emails).toBe(counts.digests);
    expect(counts.distinctEmails).toBe(counts.digests);
    // Longer than exactlyOnce's own 180 s deadline, so that a slow drain fails with the counts it saw.
  }, 300_000);
});
