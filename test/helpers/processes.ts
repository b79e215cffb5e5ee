import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TEST_INTAKE_LIMITS } from './env';
import { waitFor } from './wait';

const ROOT = path.resolve(__dirname, '..', '..');
export const API_ENTRY = path.join(ROOT, 'apps/api/dist/main.js');
export const WORKER_ENTRY = path.join(ROOT, 'apps/worker/dist/main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export type Proc = { child: ChildProcess; exited: Promise<number | null>; output: () => string; kill: (signal?: NodeJS.Signals) => Promise<void> };

/** Runs a built entry point as a real process (what `npm run start:api|worker` runs). */
export function runProcess(entry: string, env: Record<string, string>, args: string[] = []): Proc {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm run build; npm test does it)`);
  const child = spawn(process.execPath, [entry, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, exited, output: () => out,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

export async function startApiProcess(env: Record<string, string>): Promise<Proc & { url: string }> {
  const port = await freePort();
  const proc = runProcess(API_ENTRY, { SERVE_WEB: 'false', LOG_LEVEL: 'warn', ...TEST_INTAKE_LIMITS, ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  await startedOrKilled(proc, () => waitFor(`api on port ${port}`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`api exited: ${proc.output()}`);
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 60_000)); // boot includes migrations; a loaded CI machine can take well over 20 s
  return { ...proc, url };
}

export async function startWorkerProcess(env: Record<string, string>): Promise<Proc> {
  const proc = runProcess(WORKER_ENTRY, { LOG_LEVEL: 'info', ...env });
  await startedOrKilled(proc, () => waitFor('worker start', async () => {
    if (proc.child.exitCode !== null) throw new Error(`worker exited: ${proc.output()}`);
    return proc.output().includes('worker started');
  }));
  return proc;
}

/** A process that did not start in time is killed, so a failed test leaves nothing running. */
async function startedOrKilled(proc: Proc, started: () => Promise<unknown>): Promise<void> {
  try {
    await started();
  } catch (error) {
    await proc.kill('SIGKILL');
    throw error;
  }
}
