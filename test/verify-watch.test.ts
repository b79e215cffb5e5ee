import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateReleaseKey } from '../packages/verify/src';
import { signRelease, writeReleaseManifest } from '../scripts/release/release-files';
import { WEB_DIST } from './helpers/browser';
import { runProcess } from './helpers/processes';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const VERIFY_BIN = path.resolve(__dirname, '..', 'packages', 'verify', 'dist', 'bin', 'sauti-verify.js');
const key = generateReleaseKey();
let dir: string;
let keysFile: string;
let stack: TestStack;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sauti-watch-'));
  cpSync(WEB_DIST, dir, { recursive: true });
  writeReleaseManifest(dir, { version: '0.1.0', commit: 'd'.repeat(40), releaseKeys: [key.publicKey] });
  signRelease(dir, key.privateKey);
  keysFile = `${dir}-keys.json`;
  writeFileSync(keysFile, JSON.stringify({ keys: [{ publicKey: key.publicKey }] }));
  stack = await startStack({ env: { SERVE_WEB: 'true', WEB_DIR: dir }, worker: false });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(keysFile, { force: true });
});

const runProcessArgs = (args: string[]) => runProcess(VERIFY_BIN, {}, args);
// Headers are folded and long body lines soft-wrapped (quoted-printable): unfold both before reading.
const subject = (raw: string) => (/^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '').replace(/\r?\n[ \t]+/g, ' ');
const body = (raw: string) => raw.replace(/=\r?\n/g, '');

describe('sauti-verify --watch', () => {
  it('when a watched deployment starts serving a changed file, then the watcher e-mails the alarm naming the file, and the all-clear when it is restored', async () => {
    const watch = runProcessArgs([stack.api.url, '--keys', keysFile, '--watch', '--interval', '1', '--mail-to', 'watchers@example.org', '--smtp', stack.config.SMTP_URL]);
    try {
      await waitFor('the first (clean) report by e-mail', async () => stack.mail.length >= 1, 30_000);
      expect(subject(stack.mail[0]!.raw)).toMatch(/matches its signed release/);
      const original = readFileSync(path.join(dir, 'index.html'));
      writeFileSync(path.join(dir, 'index.html'), Buffer.concat([original, Buffer.from('<!-- x -->')]));
      await waitFor('the alarm by e-mail', async () => stack.mail.length >= 2, 30_000);
      expect(subject(stack.mail[1]!.raw)).toMatch(/does NOT match its signed release/);
      expect(body(stack.mail[1]!.raw)).toContain('file /index.html: served bytes differ from the release');
      expect(stack.mail[1]!.to).toEqual(['watchers@example.org']);
      writeFileSync(path.join(dir, 'index.html'), original);
      await waitFor('the all-clear by e-mail', async () => stack.mail.length >= 3, 30_000);
      expect(subject(stack.mail[2]!.raw)).toMatch(/matches its signed release/);
    } finally {
      await watch.kill('SIGTERM');
    }
    expect(await watch.exited).toBe(0);
  });

  it('when no e-mail is configured, then --watch exits 1 at the first mismatch, naming it', async () => {
    const original = readFileSync(path.join(dir, 'sw.js'));
    writeFileSync(path.join(dir, 'sw.js'), Buffer.concat([original, Buffer.from('\n//')]));
    try {
      const watch = runProcessArgs([stack.api.url, '--keys', keysFile, '--watch', '--interval', '1']);
      expect(await watch.exited).toBe(1);
      expect(watch.output()).toMatch(/MISMATCH file \/sw\.js: served bytes differ/);
    } finally {
      writeFileSync(path.join(dir, 'sw.js'), original);
    }
  });

  it('when it is called without a URL or with a bad interval, then it exits 2 saying what is wrong', async () => {
    const none = runProcessArgs([]);
    expect(await none.exited).toBe(2);
    expect(none.output()).toContain('give exactly one deployment URL');
    const bad = runProcessArgs([stack.api.url, '--watch', '--interval', 'soon']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--interval must be a number of seconds');
  });
});
