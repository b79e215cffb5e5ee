// npm run bench:audit — how fast the one sealer links audit entries into the chain (entries/s, on
// its own and next to the rate at which lock-free appends can be written, measured in the same run),
// and the sealing lag (age of the oldest unsealed entry) while the api takes reports at 50 clients
// and a worker process seals.
import { randomBytes } from 'node:crypto';
import { ReporterClient } from '../packages/client/src';
import { ready } from '../packages/crypto/src';
import { appendAudit, auditBacklog, createPool, ensureDeployment, migrate, sealAuditBatch, verifyAuditChain, withTransaction } from '../packages/db/src';
import { seedOrganisation } from '../test/helpers/fixtures';
import { startApiProcess, startWorkerProcess, type Proc } from '../test/helpers/processes';
import { readyRequest } from '../test/helpers/reports';
import { startSmtpSink } from '../test/helpers/smtp-sink';
import { BENCH_UNLIMITED, dropDatabase, freshDatabase, machine, percentile, runConcurrent } from './lib';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 20_000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 1000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB = 'sauti_bench_audit';

async function sealingThroughput(): Promise<{ appendRate: number; sealRate: number }> {
  const url = await freshDatabase(DB);
  const pool = createPool(url, { max: 10, connectionTimeoutMillis: 60_000 });
  try {
    await migrate(pool);
    const appended = await runConcurrent(ENTRIES / 10, 10, async (i) => {
      await withTransaction(pool, async (tx) => {
        for (let k = 0; k < 10; k++) await appendAudit(tx, { actorType: 'system', action: 'bench.entry', details: { i, k } });
      });
    });
    const client = await pool.connect();
    const started = process.hrtime.bigint();
    let sealed = 0;
    try {
      for (;;) {
        const r = await sealAuditBatch(client, 5_000);
        sealed += r.sealed;
        if (sealed >= ENTRIES) break;
        // xmin is cluster-wide: another database's open transaction can hold sealing back briefly.
        if (r.sealed === 0) await new Promise((res) => setTimeout(res, 10));
      }
    } finally {
      client.release();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (sealed !== ENTRIES || !(await verifyAuditChain(pool)).ok) throw new Error(`sealed ${sealed} of ${ENTRIES}, or the chain does not verify`);
    return { appendRate: ENTRIES / appended.seconds, sealRate: sealed / seconds };
  } finally {
    await pool.end();
    await dropDatabase(DB);
  }
}

async function lagUnderIntake(): Promise<{ reportsPerSecond: number; lags: number[]; maxUnsealed: number; drainedSeconds: number }> {
  const url = await freshDatabase(DB);
  const pool = createPool(url);
  const smtp = await startSmtpSink();
  const procs: Proc[] = [];
  try {
    await migrate(pool);
    await ensureDeployment(pool);
    const org = await seedOrganisation(pool, { investigators: 5, label: 'bench' });
    const env = {
      DATABASE_URL: url, REDIS_URL, SMTP_URL: smtp.url, QUEUE_PREFIX: `sauti-bench-${randomBytes(3).toString('hex')}`, POW_DIFFICULTY: '1',
      NOTIFY_DELAY_MAX_MS: '0', SWEEP_INTERVAL_MS: '3600000', LOG_LEVEL: 'warn', AUDIT_SEAL_INTERVAL_MS: '1000', ...BENCH_UNLIMITED,
    };
    const api = await startApiProcess(env);
    procs.push(api);
    // The worker says it started at level info (at warn it would say nothing, and the start would time out).
    procs.push(await startWorkerProcess({ ...env, LOG_LEVEL: 'info' }));
    const client = new ReporterClient(api.url);
    const intake = await client.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId)!;
    const requests: string[] = [];
    for (let i = 0; i < REPORTS; i++) requests.push(JSON.stringify(await readyRequest(client, intake, context)));
    const lags: number[] = [];
    let maxUnsealed = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const b = await auditBacklog(pool);
        lags.push(b.oldestUnsealedSeconds ?? 0);
        maxUnsealed = Math.max(maxUnsealed, b.unsealed);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let refused = 0;
    const run = await runConcurrent(REPORTS, 50, async (i) => {
      const r = await fetch(`${api.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requests[i] });
      if (r.status !== 201) refused++;
      await r.arrayBuffer();
    });
    if (refused > 0) console.error(`${refused} submissions were not answered 201`);
    const ended = Date.now();
    for (;;) {
      if ((await auditBacklog(pool)).unsealed === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainedSeconds = (Date.now() - ended) / 1000;
    sampling = false;
    await sampler;
    return { reportsPerSecond: REPORTS / run.seconds, lags: lags.sort((a, b) => a - b), maxUnsealed, drainedSeconds };
  } finally {
    await Promise.all(procs.map((p) => p.kill('SIGTERM')));
    await pool.end();
    await smtp.close();
    await dropDatabase(DB);
  }
}

async function main(): Promise<void> {
  await ready();
  console.log(`\nAudit sealing benchmark — ${ENTRIES} entries sealed in batches of 5,000; then ${REPORTS} reports through the api at 50 clients with one worker sealing every 1 s`);
  console.log(`machine: ${machine()}\n`);
  const t = await sealingThroughput();
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| lock-free appends (10 per transaction, 10 connections), entries/s | ${t.appendRate.toFixed(0)} |`);
  console.log(`| sealing, entries/s (one sealer) | ${t.sealRate.toFixed(0)} |`);
  console.log(`| ratio sealing / appending | ${(t.sealRate / t.appendRate).toFixed(2)} |`);
  const l = await lagUnderIntake();
  console.log(`| intake during the lag run, reports/s | ${l.reportsPerSecond.toFixed(0)} |`);
  console.log(`| sealing lag p50 / p99 / max, s | ${percentile(l.lags, 50).toFixed(2)} / ${percentile(l.lags, 99).toFixed(2)} / ${(l.lags.at(-1) ?? 0).toFixed(2)} |`);
  console.log(`| most entries waiting at once | ${l.maxUnsealed} |`);
  console.log(`| all sealed after the last report, s | ${l.drainedSeconds.toFixed(2)} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
