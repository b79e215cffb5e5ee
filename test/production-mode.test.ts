import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ready } from '../packages/crypto/src';
import { insertStaffUser } from '../packages/db/src';
import { createTestDatabase } from './helpers/database';
import { REDIS_URL } from './helpers/env';
import { API_ENTRY, freePort, runProcess, startApiProcess, WORKER_ENTRY } from './helpers/processes';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const ROOT = path.resolve(__dirname, '..');
const TOKEN = 'metrics-token-0123456789abcdef';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const base = () => ({ DATABASE_URL: db.url, REDIS_URL, QUEUE_PREFIX: `sauti-prod-${randomUUID().slice(0, 8)}`, SERVE_WEB: 'false', NODE_ENV: 'production' });

describe('NODE_ENV=production: the api and worker refuse unsafe settings at boot (exit code 2, naming the variable and the fix)', () => {
  it('when PUBLIC_URL is plain http on a public host, then the api refuses and says to use https or an onion address', async () => {
    const api = runProcess(API_ENTRY, { ...base(), PUBLIC_URL: 'http://sauti.customs.example', METRICS_TOKEN: TOKEN, PORT: String(await freePort()) });
    expect(await api.exited).toBe(2);
    expect(api.output()).toMatch(/Refusing to start with NODE_ENV=production:\n {2}- PUBLIC_URL="http:\/\/sauti\.customs\.example": plain http on a public host/);
    expect(api.output()).toMatch(/set PUBLIC_URL=https:\/\/…, or serve it as an onion service/);
    expect(api.output()).not.toMatch(/METRICS_TOKEN/);
  });

  it('when METRICS_TOKEN is unset, then the api refuses and says how to make one', async () => {
    const api = runProcess(API_ENTRY, { ...base(), PUBLIC_URL: 'https://sauti.customs.example', PORT: String(await freePort()) });
    expect(await api.exited).toBe(2);
    expect(api.output()).toMatch(/ - METRICS_TOKEN is not set: \/metrics is served on the public port/);
    expect(api.output()).toMatch(/Set METRICS_TOKEN to a random string of 16 or more characters/);
    expect(api.output()).not.toMatch(/PUBLIC_URL=/);
  });

  it('when the worker gets a plain-http public PUBLIC_URL (it writes the links in e-mails), then it refuses too', async () => {
    const worker = runProcess(WORKER_ENTRY, { ...base(), PUBLIC_URL: 'http://sauti.customs.example' });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toMatch(/ - PUBLIC_URL="http:\/\/sauti\.customs\.example": plain http on a public host/);
  });

  it('when PUBLIC_URL is an onion address over http and METRICS_TOKEN is set, then the api starts and /metrics needs the token', async () => {
    const api = await startApiProcess({ ...base(), PUBLIC_URL: 'http://sautiexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion', METRICS_TOKEN: TOKEN });
    try {
      expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    } finally {
      await api.kill('SIGTERM');
    }
  });
});

describe('NODE_ENV=production: the demo organisation', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sauti-prod-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    return runProcess(path.join(ROOT, 'scripts/start.mjs'), {
      ...base(), SAUTI_SKIP_BUILD: '1', SAUTI_ENV_FILE: '/nonexistent', SAUTI_LOCAL_DIR: dir, PORT: String(port), HOST: '127.0.0.1',
      PUBLIC_URL: 'https://sauti.customs.example', METRICS_TOKEN: TOKEN, SMTP_URL: 'smtp://127.0.0.1:9', LOG_LEVEL: 'warn', ...env,
    });
  };

  it('when `npm start` would create it on an empty database and DEMO is not set, then it refuses and names DEMO=false and invite-admin', async () => {
    const s = await start({});
    expect(await s.exited).toBe(2);
    expect(s.output()).toMatch(/Refusing to start with NODE_ENV=production:\n {2}- DEMO is not set: on this empty database `npm start` would create the demo organisation/);
    expect(s.output()).toMatch(/Set DEMO=false and invite your first administrator with `npm run sauti -- invite-admin <email>`/);
    expect(s.output()).not.toMatch(/api listening/);
  });

  it('when DEMO=true is given, then it is created and its secrets go only to the 0600 credentials file, never to the output', async () => {
    const s = await start({ DEMO: 'true' });
    try {
      await waitFor('the demo organisation and the api', async () => {
        if (s.child.exitCode !== null) throw new Error(`npm start exited: ${s.output()}`);
        return /Sauti is starting/.test(s.output()) && /demo-credentials\.txt/.test(s.output());
      }, 90_000);
    } finally {
      await s.kill('SIGTERM');
    }
    const file = path.join(dir, 'demo-credentials.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials = readFileSync(file, 'utf8');
    expect(credentials).toMatch(/password: \S+/);
    expect(s.output()).toContain(`Demo organisation created (DEMO=true). Staff credentials are in ${file} (readable by this user only); they are not printed.`);
    for (const secret of credentials.match(/(?<=password: |TOTP secret: |recovery key: )\S+/g)!) expect(s.output()).not.toContain(secret);
    expect(s.output()).not.toMatch(/password:|TOTP secret|recovery key:/);
  });
});

describe('staff session cookie behind https', () => {
  let stack: TestStack;
  const cookies: string[] = [];
  beforeAll(async () => {
    await ready();
    stack = await startStack({ worker: false, env: { PUBLIC_URL: 'https://sauti.customs.example' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('when PUBLIC_URL is https, then the cookie is __Host-sauti_staff with Secure and Path=/, it works, and a cookie without the prefix does not', async () => {
    const person = { id: randomUUID(), email: `cookie.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
    await insertStaffUser(stack.pool, { ...person, displayName: 'Cookie Admin', unitId: null, roles: ['admin'], status: 'active' });
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      cookies.push(...response.headers.getSetCookie());
      return response;
    };
    const client = await signedInStaff(stack, person, { fetch: recording });
    const set = cookies.find((c) => c.includes('sauti_staff='))!;
    expect(set).toMatch(/^__Host-sauti_staff=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect((await client.call('GET', '/api/v1/staff/me')).status).toBe(200);
    const value = /=([^;]+)/.exec(set)![1]!;
    const plain = await fetch(`${stack.api.url}/api/v1/staff/me`, { headers: { cookie: `sauti_staff=${value}` } });
    expect(plain.status).toBe(401);
  });
});

describe('Redis eviction policy at boot', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  async function redisWith(args: string[]): Promise<string> {
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
    children.push(child);
    await waitFor(`redis-server on ${port}`, async () => {
      const { Socket } = await import('node:net');
      return new Promise<boolean>((resolve) => {
        const s = new Socket();
        s.once('error', () => resolve(false));
        s.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
      });
    });
    return `redis://127.0.0.1:${port}`;
  }

  it('when maxmemory-policy is not noeviction, then the api warns that queued jobs could be deleted', async () => {
    const api = await startApiProcess({ DATABASE_URL: db.url, REDIS_URL: await redisWith(['--maxmemory-policy', 'allkeys-lru']), QUEUE_PREFIX: 'sauti-evict' });
    try {
      await waitFor('the warning', async () => api.output().includes('Redis maxmemory-policy is allkeys-lru: under memory pressure Redis may delete queued jobs. Set maxmemory-policy noeviction'));
    } finally {
      await api.kill('SIGTERM');
    }
  });

  it('when CONFIG is refused (as on managed Redis), then the api warns that it could not check', async () => {
    const api = await startApiProcess({ DATABASE_URL: db.url, REDIS_URL: await redisWith(['--rename-command', 'CONFIG', '']), QUEUE_PREFIX: 'sauti-evict2' });
    try {
      await waitFor('the warning', async () => api.output().includes('Could not check Redis maxmemory-policy (CONFIG GET refused or Redis unreachable)'));
    } finally {
      await api.kill('SIGTERM');
    }
  });

  it('when it is noeviction, then the api does not warn', async () => {
    const api = await startApiProcess({ DATABASE_URL: db.url, REDIS_URL: await redisWith(['--maxmemory-policy', 'noeviction']), QUEUE_PREFIX: 'sauti-evict3', LOG_LEVEL: 'info' });
    try {
      await waitFor('the api to have checked', async () => api.output().includes('Redis maxmemory-policy is noeviction: queued jobs are never evicted.'));
      expect(api.output()).not.toMatch(/"level":40/);
    } finally {
      await api.kill('SIGTERM');
    }
  });
});
