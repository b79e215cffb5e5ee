#!/usr/bin/env node
// `npm start`: build (incrementally), read .local/sauti.env (written by scripts/run.sh when it set
// up PostgreSQL; variables already in the environment win), migrate, create the demo organisation on an empty database
// (unless DEMO=false), then run api + worker (+ a local mail sink when SMTP_URL is not set) and
// stop them all together on Ctrl-C / SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // 'api' | 'worker' | undefined (both)
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (process.env.SAUTI_SKIP_BUILD !== '1') run('npm', ['run', '--silent', 'build']);
const env = { ...process.env };
const { applyEnvFile, envFilePath } = await import('../packages/config/dist/env-file.js');
const fromFile = applyEnvFile(env);
if (fromFile.length) console.log(`Read ${fromFile.join(', ')} from ${envFilePath(env)}`);
// Before anything is spawned: when prepare refuses (exit code 2 in production, see prepare.ts), no child is left behind.
run(process.execPath, ['apps/api/dist/bin/prepare.js', ...(env.DEMO === 'false' || only ? [] : ['--demo'])], { env });
const children = [];
if (!only && !env.SMTP_URL) {
  env.SMTP_URL = 'smtp://127.0.0.1:2525';
  children.push(spawn(process.execPath, [path.join(root, 'scripts/dev-mail-sink.mjs')], { cwd: root, stdio: 'inherit', env }));
}

const apps = only ? [only] : ['api', 'worker'];
for (const app of apps) {
  children.push(spawn(process.execPath, [`apps/${app}/dist/main.js`], { cwd: root, stdio: 'inherit', env }));
}
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill(signal);
};
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const c of children) {
  c.on('exit', (code) => {
    if (!stopping) {
      console.error(`a Sauti process exited (code ${code}); stopping the others`);
      stop('SIGTERM');
      process.exitCode = code || 1;
    }
  });
}
if (!only) console.log(`\nSauti is starting at ${env.PUBLIC_URL ?? 'http://localhost:8080'} — Ctrl-C stops it.\n`);
