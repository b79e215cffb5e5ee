import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const VITE = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
// Everything the web build reads; node_modules is shared (the lockfile pins it).
const SOURCES = ['package.json', 'apps/web', 'packages/core/src', 'packages/core/package.json', 'packages/crypto/src', 'packages/crypto/package.json', 'packages/crypto/test-vectors.json', 'packages/crypto/survey-vectors.json', 'packages/client/src', 'packages/client/package.json'];

jest.setTimeout(300_000);

function hashes(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) Object.assign(out, hashes(dir, child));
    else out[child] = createHash('sha256').update(readFileSync(path.join(dir, child))).digest('hex');
  }
  return out;
}

/** A copy of the sources in a fresh directory, built there with its own clock zone and locale. */
async function buildIn(prefix: string, env: Record<string, string>): Promise<{ dir: string; dist: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const source of SOURCES) {
    cpSync(path.join(ROOT, source), path.join(dir, source), {
      recursive: true,
      filter: (src) => !/[/\\](dist|node_modules)([/\\]|$)/.test(path.relative(ROOT, src)),
    });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await promisify(execFile)(process.execPath, [VITE, 'build', '--config', path.join(dir, 'apps/web/vite.config.ts'), '--logLevel', 'warn'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return { dir, dist: path.join(dir, 'apps/web/dist') };
}

describe('the web build', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('when the same sources are built twice in different directories, then every file of apps/web/dist is byte-identical', async () => {
    const a = await buildIn('sauti-build-a-', { TZ: 'UTC', LANG: 'C' });
    dirs.push(a.dir);
    const b = await buildIn('sauti-reproducible-build-b-', { TZ: 'Pacific/Kiritimati', LANG: 'fr_FR.UTF-8' });
    dirs.push(b.dir);
    const ha = hashes(a.dist);
    const hb = hashes(b.dist);
    expect(Object.keys(ha).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(ha)).toEqual(expect.arrayContaining(['index.html', 'sw.js']));
    expect(hb).toEqual(ha);
    // No path of the machine that built it: not the build directory, not the repository's.
    for (const [file] of Object.entries(ha)) {
      const text = readFileSync(path.join(a.dist, file), 'latin1');
      expect({ file, leaks: [a.dir, ROOT, tmpdir()].filter((p) => text.includes(p)) }).toEqual({ file, leaks: [] });
    }
  });

  it('when the build runs, then every script and stylesheet the HTML names carries a matching Subresource Integrity hash', () => {
    const dist = path.join(dirs[0] ?? '', 'apps/web/dist');
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const tags = [...html.matchAll(/<(?:script|link rel="stylesheet")[^>]*>/g)].map((m) => m[0]);
    expect(tags.length).toBeGreaterThanOrEqual(2);
    for (const tag of tags) {
      const url = /(?:src|href)="\/([^"]+)"/.exec(tag)![1]!;
      const integrity = /integrity="sha384-([^"]+)"/.exec(tag)?.[1];
      expect({ url, integrity }).toEqual({ url, integrity: createHash('sha384').update(readFileSync(path.join(dist, url))).digest('base64') });
    }
  });
});
