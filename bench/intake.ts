// npm run bench:intake — accepted reports/s and p50/p99 latency at 50 concurrent clients through
// the real api (a child process), next to a floor measured in the same run: the same rows written
// straight through `pg` by the same statement (acceptCase), with the same concurrency and pool size.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ReporterClient, type Intake, type ReportRequest } from '@sauti/client';
import { ready, solvePow } from '@sauti/crypto';
import { reportSubmissionSchema } from '@sauti/core';
import { acceptCase, createPool, ensureDeployment, migrate } from '@sauti/db';
import { seedOrganisation } from '../test/helpers/fixtures';
import { cheapReport } from '../test/helpers/reports';
import { startApiProcess } from '../test/helpers/processes';
import { benchNodeOptions, dropDatabase, freshDatabase, jsonPoster, machine, percentile, runConcurrent, BENCH_UNLIMITED } from './lib';

const TOTAL = Number(process.env.BENCH_REPORTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
// A name of this run's own: two runs at once must not drop each other's database.
const DB = `sauti_bench_intake_${randomBytes(3).toString('hex')}`;

function cheapRequest(intake: Intake, contextId: string): ReportRequest {
  // The server cannot tell receipt keys from random ones, so Argon2id is skipped in preparation.
  return cheapReport(intake, intake.contexts.find((c) => c.id === contextId)!, { body: { text: 'x'.repeat(2_000) }, category: 'other' }).request;
}

async function main(): Promise<void> {
  await ready();
  const url = await freshDatabase(DB);
  // A generous wait for a pooled connection: on a loaded machine the floor must not fail where the api would queue.
  const pool = createPool(url, { max: 10, connectionTimeoutMillis: 60_000 });
  await migrate(pool);
  await ensureDeployment(pool);
  const org = await seedOrganisation(pool, { investigators: 3, label: 'bench' });
  const api = await startApiProcess({ DATABASE_URL: url, POW_DIFFICULTY: '1', QUEUE_PREFIX: 'sauti-bench', ...BENCH_UNLIMITED, ...benchNodeOptions() });
  try {
    const client = new ReporterClient(api.url);
    const intake = await client.intake();

    process.stdout.write(`preparing ${TOTAL * 2} sealed reports and proofs of work… `);
    const apiBodies: string[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const pow = await client.call<{ challenge: string; difficulty: number }>('POST', '/api/v1/pow');
      apiBodies.push(JSON.stringify({ ...cheapRequest(intake, org.contextId), pow: { challenge: pow.body.challenge, nonce: solvePow(pow.body.challenge, pow.body.difficulty) } }));
    }
    const schema = reportSubmissionSchema({ maxReportBytes: 1024 * 1024 });
    const floorInputs = Array.from({ length: TOTAL }, () => {
      const raw = JSON.stringify({ ...cheapRequest(intake, org.contextId), pow: { challenge: randomUUID(), nonce: '0' } });
      return { raw: Buffer.from(raw), submission: schema.parse(JSON.parse(raw)) };
    });
    process.stdout.write('done\n');

    // Warm both paths so neither pays for first connections or JIT.
    for (let i = 0; i < 20; i++) {
      const warm = await client.call('POST', '/api/v1/pow');
      const c = warm.body as { challenge: string; difficulty: number };
      await client.submit({ ...cheapRequest(intake, org.contextId), pow: { challenge: c.challenge, nonce: solvePow(c.challenge, c.difficulty) } });
    }

    let failures = 0;
    const clients = jsonPoster(api.url, CONCURRENCY);
    const viaApi = await runConcurrent(TOTAL, CONCURRENCY, async (i) => {
      const r = await clients.post('/api/v1/reports', apiBodies[i]!);
      if (r.status !== 201) failures++;
    });
    clients.close();

    const floor = await runConcurrent(TOTAL, CONCURRENCY, async (i) => {
      const { raw, submission } = floorInputs[i]!;
      await acceptCase(pool, {
        submission, reference: `SA-B${i.toString(36).padStart(3, '0')}-${randomUUID().slice(0, 4).toUpperCase()}`,
        requestDigest: createHash('sha256').update(raw).digest(), channel: 'public', outboxEventId: randomUUID(), intakeChannel: 'web',
        gate: { kind: 'pow', challengeDigest: createHash('sha256').update(submission.pow.challenge).digest(), expiresAt: new Date(Date.now() + 600_000) },
      });
    });

    const row = (name: string, r: { seconds: number; latencies: number[] }) =>
      `| ${name} | ${(TOTAL / r.seconds).toFixed(0)} | ${percentile(r.latencies, 50).toFixed(1)} | ${percentile(r.latencies, 99).toFixed(1)} |`;
    const apiRate = TOTAL / viaApi.seconds;
    const floorRate = TOTAL / floor.seconds;
    console.log(`\nIntake benchmark — ${TOTAL} reports, ${CONCURRENCY} concurrent clients, ~2.9 KB sealed report, 3 recipients`);
    console.log(`machine: ${machine()}\n`);
    console.log('| path | reports/s | p50 ms | p99 ms |');
    console.log('|---|---|---|---|');
    console.log(row('api (HTTP + validation + pow check + transaction)', viaApi));
    console.log(row('floor (same statement straight through pg)', floor));
    console.log(`\nratio api/floor throughput: ${(apiRate / floorRate).toFixed(2)}; p50 latency ratio: ${(percentile(viaApi.latencies, 50) / percentile(floor.latencies, 50)).toFixed(2)}`);
    if (failures > 0) {
      console.error(`${failures} submissions were not answered 201`);
      process.exitCode = 1;
    }
  } finally {
    await api.kill('SIGTERM');
    await pool.end();
    await dropDatabase(DB);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
