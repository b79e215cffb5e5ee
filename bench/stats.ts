// npm run bench:stats — every integrity monitoring query the dashboard makes, against a database
// of BENCH_STATS_CASES synthetic cases (default 1,000,000; bench/stats-data.ts), through the same
// service functions the api calls (auditing included). Floor, measured in the same run: a plain
// count(*) over the statistics view. Also: how long the generator took and how long the worker's
// refresh of the view takes (that refresh interval is the dashboard's freshness).
// BENCH_STATS_REUSE=1 keeps a database loaded by an earlier run (the load takes minutes).
import { createPool, ensureDeployment, migrate, refreshStatistics, type Db } from '../packages/db/src';
import { BREAKDOWN_DIMENSIONS, type BreakdownDimension } from '../packages/core/src';
import { seedDemoOrganisation } from '../apps/api/src/demo/demo-organisation';
import { statisticsBreakdown, statisticsSummary } from '../apps/api/src/services/statistics';
import { freshDatabase, machine, PG_ADMIN_URL } from './lib';
import { loadSyntheticCases } from './stats-data';

const CASES = Number(process.env.BENCH_STATS_CASES ?? 1_000_000);
const REUSE = process.env.BENCH_STATS_REUSE === '1';
const RUNS = Number(process.env.BENCH_STATS_RUNS ?? 3);
const DB = 'sauti_bench_stats';
const THRESHOLD = 5;
const LIMIT_MS = 1000;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function timed(runs: number, f: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
}

async function prepare(): Promise<{ pool: Db; loadSeconds: number | null }> {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${DB}`;
  if (REUSE) {
    const pool = createPool(url.toString(), { max: 4 });
    try {
      await migrate(pool);
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM cases');
      if (Number(rows[0]!.n) >= CASES) return { pool, loadSeconds: null };
    } catch {
      // Not there yet: load it below.
    }
    await pool.end();
  }
  const fresh = await freshDatabase(DB);
  const pool = createPool(fresh, { max: 4, connectionTimeoutMillis: 60_000 });
  await migrate(pool);
  await ensureDeployment(pool);
  await seedDemoOrganisation(pool);
  const t0 = process.hrtime.bigint();
  await loadSyntheticCases(pool, {
    cases: CASES,
    onBatch: (done) => process.stderr.write(`\rloaded ${done.toLocaleString('en')} of ${CASES.toLocaleString('en')} cases`),
  });
  process.stderr.write('\n');
  await pool.query('VACUUM ANALYZE cases');
  await pool.query('VACUUM ANALYZE messages');
  return { pool, loadSeconds: ms(t0) / 1000 };
}

async function main(): Promise<void> {
  const { pool, loadSeconds } = await prepare();
  try {
    const { rows: counts } = await pool.query<{ cases: string; messages: string }>('SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM messages) AS messages');
    // BENCH_STATS_REFRESH=0 skips the refresh on a reused database whose views are current.
    const t0 = process.hrtime.bigint();
    if (process.env.BENCH_STATS_REFRESH !== '0') await refreshStatistics(pool);
    const refreshMs = process.env.BENCH_STATS_REFRESH !== '0' ? ms(t0) : NaN;
    await pool.query('ANALYZE statistics_cases');
    const { rows: who } = await pool.query<{ id: string; roles: string[]; unit_id: string }>(
      "SELECT id, roles, unit_id FROM staff_users WHERE 'analyst' = ANY(roles) OR 'supervisor' = ANY(roles) ORDER BY email",
    );
    const analyst = who.find((p) => p.roles.includes('analyst'))!;
    const supervisor = who.find((p) => p.roles.includes('supervisor'))!;
    const asAnalyst = { userId: analyst.id, roles: analyst.roles };
    const asSupervisor = { userId: supervisor.id, roles: supervisor.roles };
    const floor = await timed(RUNS, () => pool.query('SELECT count(*) FROM statistics_cases'));

    const today = new Date().toISOString().slice(0, 10);
    const threeYears = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    const periods: [string, { from?: string; to?: string }][] = [['last 12 months (default)', {}], ['whole 3 years', { from: threeYears, to: today }]];
    const rows: { view: string; who: string; period: string; median: number; max: number }[] = [];
    const views: { name: string; run: (w: typeof asAnalyst, f: { from?: string; to?: string }) => Promise<unknown> }[] = [
      { name: 'summary (tiles, with previous period)', run: (w, f) => statisticsSummary(pool, w, f, THRESHOLD) },
      ...BREAKDOWN_DIMENSIONS.map((d: BreakdownDimension) => ({ name: `breakdown ${d}`, run: (w: typeof asAnalyst, f: { from?: string; to?: string }) => statisticsBreakdown(pool, w, f, d, null, THRESHOLD) })),
      { name: 'breakdown outcome × category', run: (w, f) => statisticsBreakdown(pool, w, f, 'outcome', 'category', THRESHOLD) },
      { name: 'breakdown outcome × factor', run: (w, f) => statisticsBreakdown(pool, w, f, 'outcome', 'factor', THRESHOLD) },
    ];
    for (const [period, filter] of periods) {
      for (const v of views) {
        const r = await timed(RUNS, () => v.run(asAnalyst, filter));
        rows.push({ view: v.name, who: 'analyst, all units', period, ...r });
      }
    }
    // A unit-scoped supervisor: the same queries narrowed to one unit.
    for (const v of views.filter((x) => !x.name.endsWith(' unit'))) {
      const r = await timed(RUNS, () => v.run(asSupervisor, {}));
      rows.push({ view: v.name, who: 'supervisor, own unit', period: 'last 12 months (default)', ...r });
    }

    const worst = Math.max(...rows.map((r) => r.max));
    console.log(`# bench:stats — ${new Date().toISOString()}`);
    console.log(`machine: ${machine()}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`cases: ${Number(counts[0]!.cases).toLocaleString('en')}, messages: ${Number(counts[0]!.messages).toLocaleString('en')}`);
    if (loadSeconds !== null) console.log(`generator: ${loadSeconds.toFixed(0)} s (${Math.round(CASES / loadSeconds).toLocaleString('en')} cases/s, messages included)`);
    console.log(`refresh of statistics_cases (what the worker does every STATISTICS_REFRESH_MS): ${(refreshMs / 1000).toFixed(1)} s`);
    console.log(`floor (count(*) over the view): median ${floor.median.toFixed(0)} ms\n`);
    console.log('| view | who | period | median ms | max ms | median / floor |');
    console.log('|---|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.view} | ${r.who} | ${r.period} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} | ${(r.median / floor.median).toFixed(1)} |`);
    console.log(`\nslowest: ${worst.toFixed(0)} ms — ${worst < LIMIT_MS ? 'every view under 1 s' : 'NOT every view under 1 s'}`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
