import { envFilePath, readEnvFile } from '../../packages/config/src/env-file';

/**
 * Where the integration tests find the machine's real services. PG_ADMIN_URL creates and drops the
 * per-run databases (CREATEDB is enough): TEST_PG_ADMIN_URL from the environment, else from the env
 * file scripts/test.sh writes on a stock PostgreSQL (role sauti_test), else postgres on 127.0.0.1.
 */
export const PG_ADMIN_URL =
  process.env.TEST_PG_ADMIN_URL || readEnvFile(envFilePath()).TEST_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Test databases are named sauti_t_<unix seconds>_<random>, so that concurrent runs on one machine
 * leave each other alone and a run can clear leftovers older than an hour.
 */
export const TEST_DB_PREFIX = 'sauti_t_';
export function testDatabaseName(suffix: string): string {
  return `${TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${suffix}`;
}

/** Set by the global setup for this run; inherited by the test processes. */
export function templateDatabase(): string {
  const name = process.env.SAUTI_TEST_TEMPLATE_DB;
  if (!name) throw new Error('SAUTI_TEST_TEMPLATE_DB is not set: run integration tests through jest (global setup)');
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Tests submit reports far faster than any real intake; the global intake buckets would only add
 * noise. Every test api (in process or a real process) gets these; tests of the limits set their own
 * (test/abuse.test.ts).
 */
export const TEST_INTAKE_LIMITS = { RATE_REPORTS_GLOBAL: '100000/60', RATE_POW_GLOBAL: '100000/60' } as const;
