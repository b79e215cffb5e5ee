import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from './helpers/database';
import { REDIS_URL } from './helpers/env';
import { waitFor } from './helpers/wait';

const ROOT = path.resolve(__dirname, '..');
const API = path.join(ROOT, 'apps/api/dist/main.js');
const WORKER = path.join(ROOT, 'apps/worker/dist/main.js');

function run(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  if (!existsSync(API) || !existsSync(WORKER)) throw new Error('build first: npm run build (npm test does it in its typecheck step)');
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('the api and worker as processes', () => {
  it('when a variable is invalid, then the process stops at boot with exit code 2 and names each bad variable', async () => {
    const p = run(API, { PORT: 'eighty', DATABASE_URL: 'mysql://nope', POW_DIFFICULTY: '40' });
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/PORT="eighty": must be a whole number/);
    expect(p.err()).toMatch(/DATABASE_URL="mysql:\/\/nope": must be a URL starting with postgres:\/\//);
    expect(p.err()).toMatch(/POW_DIFFICULTY="40": must be at most 32/);
  });

  it('when SIGTERM arrives, then api and worker finish what they are doing and exit 0', async () => {
    const port = String(19_000 + Math.floor(Math.random() * 900));
    const env = { DATABASE_URL: db.url, REDIS_URL, PORT: port, QUEUE_PREFIX: `sauti-proc-${port}`, SERVE_WEB: 'false', LOG_LEVEL: 'info' };
    const api = run(API, env);
    const worker = run(WORKER, env);
    await waitFor('api to answer /healthz', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
      } catch {
        return false;
      }
    });
    await waitFor('worker to start', async () => worker.out().includes('worker started'));
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(api.out()).toMatch(/api stopped/);
    expect(worker.out()).toMatch(/worker stopped/);
  });
});
