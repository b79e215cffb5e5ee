import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ReporterClient } from '../packages/client/src';
import { ready } from '../packages/crypto/src';
import { createPool } from '../packages/db/src';
import { seedOrganisation } from './helpers/fixtures';
import { REDIS_URL } from './helpers/env';
import { createDebianCluster } from './helpers/pg-cluster';
import { freePort, runProcess, type Proc } from './helpers/processes';
import { readyRequest } from './helpers/reports';
import { waitFor } from './helpers/wait';

const ROOT = path.resolve(__dirname, '..');

let cluster: Awaited<ReturnType<typeof createDebianCluster>>;
let dir: string;
let envFile: string;
let sauti: Proc | null = null;

beforeAll(async () => {
  await ready();
  cluster = await createDebianCluster();
  dir = mkdtempSync(path.join(tmpdir(), 'sauti-stock-'));
  envFile = path.join(dir, 'sauti.env');
});
afterAll(async () => {
  await sauti?.kill('SIGTERM');
  cluster?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The set-up path of scripts/run.sh (services.sh's ensure_database) against the stock cluster. */
function setUpDatabase(step = 'ensure_database sauti') {
  return spawnSync('bash', ['-c', `. scripts/services.sh && ${step}`], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', SAUTI_PG_PORT: String(cluster.port), SAUTI_ENV_FILE: envFile },
  });
}

describe('a stock Debian PostgreSQL (peer on the socket, scram-sha-256 on 127.0.0.1)', () => {
  it('when the cluster is new, then it has Debian default authentication and refuses postgres over TCP without a password', () => {
    const hba = readFileSync(cluster.hbaFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s+/).join(' '));
    expect(hba).toContain('local all postgres peer');
    expect(hba).toContain('host all all 127.0.0.1/32 scram-sha-256');
    expect(hba.some((l) => / trust$/.test(l))).toBe(false);
    const psql = spawnSync('psql', ['-X', '-w', `postgres://postgres@127.0.0.1:${cluster.port}/postgres`, '-c', 'SELECT 1'], { encoding: 'utf8' });
    expect(psql.status).not.toBe(0);
    expect(psql.stderr).toMatch(/password/);
  });

  it('when the scripts set up the database, then they create role sauti with a random password and say so, and write DATABASE_URL to a 0600 env file', async () => {
    const first = setUpDatabase();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/creating role sauti \(random password\) and database sauti as the postgres superuser over the local socket/);
    expect(first.stdout).toContain(`DATABASE_URL (with the new password) is in ${envFile} (mode 0600)`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const url = /^DATABASE_URL=(.*)$/m.exec(readFileSync(envFile, 'utf8'))![1]!;
    expect(url).toMatch(new RegExp(`^postgres://sauti:[0-9a-f]{48}@127\\.0\\.0\\.1:${cluster.port}/sauti$`));

    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT rolsuper, rolcreatedb, current_database() AS db FROM pg_roles WHERE rolname = current_user');
      expect(rows[0]).toEqual({ rolsuper: false, rolcreatedb: false, db: 'sauti' });
    } finally {
      await c.end();
    }

    // Run again: the URL in the file connects, so nothing changes.
    const before = readFileSync(envFile, 'utf8');
    const second = setUpDatabase();
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('');
    expect(readFileSync(envFile, 'utf8')).toBe(before);
  });

  it('when scripts/test.sh sets up the tests\' connection, then it creates role sauti_test that may create databases but is no superuser', async () => {
    const setUp = setUpDatabase('ensure_test_admin');
    expect(setUp.status).toBe(0);
    expect(setUp.stdout).toMatch(/creating role sauti_test \(CREATEDB, random password\)/);
    const url = /^TEST_PG_ADMIN_URL=(.*)$/m.exec(readFileSync(envFile, 'utf8'))![1]!;
    expect(url).toMatch(new RegExp(`^postgres://sauti_test:[0-9a-f]{48}@127\\.0\\.0\\.1:${cluster.port}/postgres$`));
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      expect((await c.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]).toEqual({ rolsuper: false });
      await c.query('CREATE DATABASE sauti_t_probe');
      await c.query('DROP DATABASE sauti_t_probe');
    } finally {
      await c.end();
    }
  });

  it('when Sauti starts with `npm start` on it (reading the env file), then a reporter submits a report and the CLI counts it', async () => {
    const port = await freePort();
    const env = {
      SAUTI_ENV_FILE: envFile, SAUTI_SKIP_BUILD: '1', PORT: String(port), HOST: '127.0.0.1', REDIS_URL, QUEUE_PREFIX: `sauti-stock-${port}`,
      SERVE_WEB: 'false', POW_DIFFICULTY: '6', LOG_LEVEL: 'warn', DEMO: 'false',
    };
    sauti = runProcess(path.join(ROOT, 'scripts/start.mjs'), env, ['api']);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('Sauti on the stock cluster', async () => {
      if (sauti!.child.exitCode !== null) throw new Error(`npm start exited: ${sauti!.output()}`);
      return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    }, 90_000); // migrations on a new database, then the api: slow on a loaded machine
    expect(sauti.output()).toMatch(/Read DATABASE_URL(, TEST_PG_ADMIN_URL)? from \S+sauti\.env/);

    const databaseUrl = /^DATABASE_URL=(.*)$/m.exec(readFileSync(envFile, 'utf8'))![1]!;
    const pool = createPool(databaseUrl);
    try {
      const org = await seedOrganisation(pool);
      const client = new ReporterClient(url);
      const intake = await client.intake();
      const context = intake.contexts.find((c) => c.id === org.contextId)!;
      const answer = await client.submit(await readyRequest(client, intake, context));
      expect(answer.status).toBe(201);
    } finally {
      await pool.end();
    }

    const cli = spawnSync(process.execPath, ['apps/api/dist/bin/sauti.js', 'stats'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SAUTI_ENV_FILE: envFile } });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/Cases by status: received 1/);

    await sauti.kill('SIGTERM');
    expect(sauti.child.exitCode).toBe(0);
  });

  it('when a database was made by an older set-up as the postgres superuser, then the scripts hand it and its tables to role sauti', () => {
    const socket = `postgres:///sauti_legacy?host=/var/run/postgresql&port=${cluster.port}`;
    const asPostgres = (args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(asPostgres(['createdb', '-p', String(cluster.port), 'sauti_legacy']).status).toBe(0);
    const migrated = asPostgres(['env', `DATABASE_URL=${socket}`, process.execPath, 'apps/api/dist/bin/prepare.js']);
    expect(migrated.stdout).toMatch(/Applied migrations: 001_initial\.sql/);
    const legacyEnv = path.join(dir, 'legacy.env');
    const setUp = spawnSync('bash', ['-c', '. scripts/services.sh && ensure_database sauti_legacy'], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', SAUTI_PG_PORT: String(cluster.port), SAUTI_ENV_FILE: legacyEnv },
    });
    expect(setUp.status).toBe(0);
    expect(setUp.stdout).toMatch(/Done: role sauti owns database sauti_legacy/);
    const cli = spawnSync(process.execPath, ['apps/api/dist/bin/sauti.js', 'invite-admin', 'head@legacy.example'], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', SAUTI_ENV_FILE: legacyEnv, REDIS_URL },
    });
    expect(cli.stdout).toMatch(/Invited head@legacy\.example as administrator/);
    expect(cli.status).toBe(0);
  });
});
