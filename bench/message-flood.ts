// npm run bench:message-flood — what 300 rapid 40 KiB messages from one reporter token get now
// (issue 11 measured 300 × 201 at 93/s before any limit existed).
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { paths, ReporterClient } from '@sauti/client';
import { toB64 } from '@sauti/crypto';
import { seedOrganisation } from '../test/helpers/fixtures';
import { reporterWithCase } from '../test/helpers/files';
import { startBenchApi } from './accounts';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 300);

async function main(): Promise<void> {
  const { api, stop } = await startBenchApi('messages', { POW_DIFFICULTY: '1' });
  try {
    const org = await seedOrganisation(api.deps.pool, { investigators: 1 });
    const intake = await new ReporterClient(api.url).intake();
    const reporter = await reporterWithCase(api.url, intake, intake.contexts.find((c) => c.id === org.contextId)!);
    const body = toB64(new Uint8Array(40 * 1024 - 64).fill(1));
    const statuses = new Map<number, number>();
    let retryAfter = '';
    const started = performance.now();
    for (let i = 0; i < COUNT; i++) {
      const r = await reporter.client.call('POST', '/api/v1/reporter/case/messages', { id: randomUUID(), body });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 429) retryAfter ||= r.headers.get('retry-after') ?? '';
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await api.deps.pool.query<{ n: number; bytes: number }>('SELECT count(*)::int AS n, coalesce(sum(octet_length(body)), 0)::int AS bytes FROM messages WHERE case_id = $1', [reporter.caseId]);
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`${COUNT} messages of 40 KiB in ${seconds.toFixed(1)} s: ${JSON.stringify(Object.fromEntries(statuses))}; first Retry-After ${retryAfter} s; stored ${rows[0]!.n} messages, ${(rows[0]!.bytes / 1024 / 1024).toFixed(2)} MiB`);
    // And what reading them costs now that lists are paged: the case view and the staff view.
    const view = await fetch(api.url + paths.reporter.case, { headers: reporter.auth });
    const viewBytes = Buffer.byteLength(await view.text());
    console.log(`GET /reporter/case after the flood: ${view.status}, ${(viewBytes / 1024).toFixed(0)} KiB (newest page of messages only)`);
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
