import http from 'node:http';
import os from 'node:os';
import { asPgAdmin, dropDatabase as dropAnyDatabase, dropDatabaseSql } from '../test/helpers/database';

export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Drops and re-creates a database of the benchmark's own; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  await asPgAdmin([dropDatabaseSql(name), `CREATE DATABASE ${name}`], PG_ADMIN_URL);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  await dropAnyDatabase(name, PG_ADMIN_URL);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `total` tasks with `concurrency` loops; returns wall time and each task's latency (ms). */
export async function runConcurrent(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = process.hrtime.bigint();
        await task(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies: latencies.sort((a, b) => a - b) };
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/**
 * Mann–Whitney U test (two-sided, normal approximation with tie correction): the probability of
 * two samples at least this different if they came from one distribution. Used by timing benches
 * to check that known and unknown accounts cannot be told apart.
 */
export function mannWhitney(a: number[], b: number[]): { u: number; z: number; p: number } {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const r1 = all.reduce((s, x, i) => (x.g === 0 ? s + ranks[i]! : s), 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sigma === 0 ? 0 : (u - (n1 * n2) / 2) / sigma;
  return { u, z, p: 2 * (1 - normalCdf(Math.abs(z))) };
}

function normalCdf(x: number): number {
  // Abramowitz–Stegun 7.1.26 for erf.
  const t = 1 / (1 + 0.3275911 * (x / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-((x / Math.SQRT2) ** 2));
  return 0.5 * (1 + y);
}

export const median = (values: number[]): number => {
  const s = [...values].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Throughput benches measure the pipeline, not the abuse limits (docs/threat-model.md "Abuse"): lift the global ones. */
export const BENCH_UNLIMITED = {
  RATE_POW_GLOBAL: '9999999/60', RATE_REPORTS_GLOBAL: '9999999/60', RATE_REPORTER_SESSION_GLOBAL: '9999999/60',
  RATE_CASE_FILES: '9999999/60', RATE_CASE_MESSAGES: '9999999/60', POW_QUIET_PER_MINUTE: '1000000', POW_CONTEXT_QUIET_PER_MINUTE: '1000000',
};

/**
 * BENCH_NODE_OPTIONS, for the processes a bench starts (the api in bench:intake, the workers in
 * bench:pipeline) as NODE_OPTIONS: e.g. `--require ./profile.cjs`, a preload that starts
 * node:inspector's Profiler (--cpu-prof is not allowed in NODE_OPTIONS).
 */
export const benchNodeOptions = (): Record<string, string> =>
  process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {};

/**
 * A load generator's POST of a JSON body: node:http over a keep-alive agent with one socket per
 * concurrent client. The clients share the machine with what they measure, and `fetch` (undici's
 * WHATWG layer) costs several times more CPU per request (measured: about 1.2 ms per report at
 * 500 reports/s, as much as Postgres), so the api would be measured against its own load generator.
 */
export function jsonPoster(base: string, sockets: number): { post: (path: string, body: string) => Promise<{ status: number; body: string }>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(base);
  const post = (path: string, body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
