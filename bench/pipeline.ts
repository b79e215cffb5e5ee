// npm run bench:pipeline — reports/s from accepted to assigned and notified, with 1 and 3 worker
// processes, next to BullMQ's raw throughput for a no-op job (same Redis, same concurrency, same
// number of workers) measured in the same run.
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { ReporterClient } from '@sauti/client';
import { ready } from '@sauti/crypto';
import { QUEUES } from '@sauti/jobs';
import { createPool, ensureDeployment, migrate } from '@sauti/db';
import { seedOrganisation } from '../test/helpers/fixtures';
import { startApiProcess, startWorkerProcess, type Proc } from '../test/helpers/processes';
import { readyRequest } from '../test/helpers/reports';
import { startSmtpSink } from '../test/helpers/smtp-sink';
import { waitForCounts } from '../test/helpers/wait';
import { benchNodeOptions, dropDatabase, freshDatabase, machine, runConcurrent, BENCH_UNLIMITED } from './lib';

const TOTAL = Number(process.env.BENCH_REPORTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 4); // WORKER_CONCURRENCY per worker process (and the no-op floor)
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// A name of this run's own: two runs at once (several people, one machine) must not drop each other's database.
const DB = `sauti_bench_pipeline_${randomBytes(3).toString('hex')}`;
// The drain fails with the counts it saw when no count moved for 60 s (the sweep is off here, so a
// lost notification stalls it for good), or after 20 minutes in all: a loaded machine is slow, not stuck.
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 60_000);
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 20 * 60_000);

async function pipeline(workers: number): Promise<number> {
  const url = await freshDatabase(DB);
  const pool = createPool(url);
  const smtp = await startSmtpSink();
  const procs: Proc[] = [];
  try {
    await migrate(pool);
    await ensureDeployment(pool);
    const org = await seedOrganisation(pool, { investigators: 5, label: 'bench' });
    const env = {
      DATABASE_URL: url, REDIS_URL, SMTP_URL: smtp.url, QUEUE_PREFIX: `sauti-bench-${randomBytes(3).toString('hex')}`, POW_DIFFICULTY: '1', ...BENCH_UNLIMITED,
      NOTIFY_DELAY_MAX_MS: '0', WORKER_CONCURRENCY: String(CONCURRENCY), SWEEP_INTERVAL_MS: '3600000', LOG_LEVEL: 'warn',
    };
    const api = await startApiProcess(env);
    procs.push(api);
    const client = new ReporterClient(api.url);
    const intake = await client.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId)!;
    const requests: string[] = [];
    for (let i = 0; i < TOTAL; i++) requests.push(JSON.stringify(await readyRequest(client, intake, context)));
    // Accepted first (no worker running): every report waits in the outbox.
    await runConcurrent(TOTAL, 50, async (i) => {
      // Not measured: a 503 (database briefly out of reach on a loaded machine) is retried as a client would.
      for (let attempt = 1; ; attempt++) {
        const r = await fetch(`${api.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requests[i] });
        if (r.status === 201) {
          await r.arrayBuffer();
          break;
        }
        const body = (await r.text()).slice(0, 300);
        if (r.status !== 503 || attempt === 5) throw new Error(`submit answered ${r.status} (attempt ${attempt}): ${body}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    });
    // The clock starts when every worker process is up: the queues the drain goes through are paused
    // (BullMQ's global pause) while the processes start, so process start-up — which the no-op floor,
    // in-process, does not pay — is not counted. Their relays may already move the backlog to BullMQ.
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
    const queues = [QUEUES.triage, QUEUES.notify].map((name) => new Queue(name, { connection, prefix: env.QUEUE_PREFIX }));
    await Promise.all(queues.map((q) => q.pause()));
    await Promise.all(Array.from({ length: workers }, async () => procs.push(await startWorkerProcess({ ...env, LOG_LEVEL: 'info', ...benchNodeOptions() }))));
    const started = process.hrtime.bigint();
    await Promise.all(queues.map((q) => q.resume()));
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
    // A deadline, so that a lost notification fails the run with what it saw instead of hanging.
    await waitForCounts({ 'cases triaged': TOTAL, 'new_case notifications sent': TOTAL }, async () => {
      const { rows } = await pool.query<{ triaged: number; sent: number }>(
        `SELECT (SELECT count(*)::int FROM cases WHERE triaged_at IS NOT NULL) AS triaged,
                (SELECT count(*)::int FROM notifications WHERE sent_at IS NOT NULL) AS sent`,
      );
      return { 'cases triaged': rows[0]!.triaged, 'new_case notifications sent': rows[0]!.sent };
    }, { timeoutMs: DRAIN_TIMEOUT_MS, stallMs: STALL_MS, intervalMs: 25 });
    return TOTAL / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await Promise.all(procs.map((p) => p.kill('SIGTERM')));
    await pool.end();
    await smtp.close();
    await dropDatabase(DB);
  }
}

async function rawBullmq(workers: number): Promise<number> {
  const prefix = `sauti-bench-raw-${randomBytes(3).toString('hex')}`;
  const producer = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('noop', { connection: producer, prefix });
  await queue.addBulk(Array.from({ length: TOTAL }, (_, i) => ({ name: 'noop', data: { i }, opts: { jobId: `j${i}`, removeOnComplete: true } })));
  let done = 0;
  const started = process.hrtime.bigint();
  const workerList: Worker[] = [];
  const connections: IORedis[] = [];
  await new Promise<void>((resolve) => {
    for (let i = 0; i < workers; i++) {
      const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
      connections.push(connection);
      const w = new Worker('noop', async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
      w.on('completed', () => {
        if (++done === TOTAL) resolve();
      });
      workerList.push(w);
    }
  });
  const rate = TOTAL / (Number(process.hrtime.bigint() - started) / 1e9);
  await Promise.all(workerList.map((w) => w.close()));
  for (const c of connections) c.disconnect();
  await queue.obliterate({ force: true });
  await queue.close();
  producer.disconnect();
  return rate;
}

async function main(): Promise<void> {
  await ready();
  const rows: string[] = [];
  for (const workers of [1, 3]) {
    const raw = await rawBullmq(workers);
    const sauti = await pipeline(workers);
    rows.push(`| ${workers} | ${sauti.toFixed(0)} | ${raw.toFixed(0)} | ${(sauti / raw).toFixed(3)} |`);
  }
  console.log(`\nPipeline benchmark — ${TOTAL} accepted reports drained to assigned + notified (SMTP sink on loopback), worker concurrency ${CONCURRENCY}`);
  console.log(`machine: ${machine()}\n`);
  console.log('| worker processes | Sauti reports/s (triage + digest e-mail) | BullMQ no-op jobs/s | ratio |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
