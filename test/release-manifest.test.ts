import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../packages/config/src';
import { generateReleaseKey, listServedFiles, manifestBytes, parseManifest } from '../packages/verify/src';
import { startServer } from '../apps/api/src/server';
import { releasedHeaders } from '../apps/api/src/http/release';
import { signRelease, writeReleaseManifest } from '../scripts/release/release-files';
import { WEB_DIST } from './helpers/browser';
import { API_ENTRY, runProcess } from './helpers/processes';
import { startStack } from './helpers/stack';

const key = generateReleaseKey();
const dirs: string[] = [];

/** A copy of the built web app, released (manifest + signature) with a key made for this test. */
function release(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sauti-release-check-'));
  dirs.push(dir);
  cpSync(WEB_DIST, dir, { recursive: true });
  writeReleaseManifest(dir, { version: '0.1.0', commit: 'e'.repeat(40), releaseKeys: [key.publicKey] });
  signRelease(dir, key.privateKey);
  return dir;
}

const manifestFile = (dir: string) => path.join(dir, '.well-known', 'sauti', 'manifest.json');
// No database is opened before the check, so a production config pointing nowhere is enough.
const productionConfig = (dir: string) => loadConfig({ NODE_ENV: 'production', SERVE_WEB: 'true', WEB_DIR: dir, PORT: '0', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the release manifest', () => {
  it('when a release is made, then it lists every served file with its hash and size, the security headers of security.ts, and the keys', () => {
    const dir = release();
    const manifest = parseManifest(readFileSync(manifestFile(dir)));
    expect(manifest.files).toEqual(listServedFiles(dir));
    // The survey station's web app manifest and icons (issue 15) are release files like any other.
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['/index.html', '/sw.js', '/survey-station.webmanifest', '/survey-station-192.png', '/survey-station-512.png']));
    expect(manifest.headers).toEqual(releasedHeaders());
    expect(manifest.headers['content-security-policy']).toContain("worker-src 'self'");
    expect(manifest.releaseKeys).toEqual([key.publicKey]);
    const webcat = JSON.parse(readFileSync(path.join(dir, '.well-known', 'sauti', 'webcat-manifest.json'), 'utf8')) as { manifest: { files: Record<string, string>; default_csp: string } };
    expect(webcat.manifest.default_csp).toBe(manifest.headers['content-security-policy']);
    expect(Buffer.from(webcat.manifest.files['/index.html']!, 'base64url').toString('hex')).toBe(manifest.files['/index.html']!.sha256);
  });

  it('when the signing key is not one the manifest names, then release:sign refuses', () => {
    expect(() => signRelease(release(), generateReleaseKey().privateKey)).toThrow(/not among the manifest's releaseKeys/);
  });
});

describe('a production api', () => {
  it('when its web files match the signed manifest, then it starts and publishes the manifest and signature at the well-known path', async () => {
    const dir = release();
    const stack = await startStack({ env: { NODE_ENV: 'production', SERVE_WEB: 'true', WEB_DIR: dir }, worker: false });
    try {
      const m = await fetch(`${stack.api.url}/.well-known/sauti/manifest.json`);
      expect(m.status).toBe(200);
      expect(Buffer.from(await m.arrayBuffer())).toEqual(readFileSync(manifestFile(dir)));
      expect((await fetch(`${stack.api.url}/.well-known/sauti/manifest.json.sig`)).status).toBe(200);
    } finally {
      await stack.stop();
    }
  });

  it('when one served file differs from the manifest, then it refuses to start and names the file', async () => {
    const dir = release();
    const script = Object.keys(listServedFiles(dir)).find((p) => p.endsWith('.js') && p.startsWith('/assets/'))!;
    writeFileSync(path.join(dir, script), Buffer.concat([readFileSync(path.join(dir, script)), Buffer.from('\n//')]));
    await expect(startServer(productionConfig(dir))).rejects.toThrow(`${script} differs from the manifest`);
  });

  it('when a file is added, the manifest is missing, or its signature is missing, then it refuses to start saying which', async () => {
    const added = release();
    writeFileSync(path.join(added, 'extra.js'), 'alert(1)');
    await expect(startServer(productionConfig(added))).rejects.toThrow('/extra.js would be served but is not in the manifest');
    const unsigned = release();
    rmSync(`${manifestFile(unsigned)}.sig`);
    await expect(startServer(productionConfig(unsigned))).rejects.toThrow('sign the release with npm run release:sign');
    const bare = release();
    rmSync(manifestFile(bare));
    await expect(startServer(productionConfig(bare))).rejects.toThrow('build the release with npm run release:manifest');
  });

  it('when the manifest publishes a different CSP than the server sends, then it refuses to start naming the header', async () => {
    const dir = release();
    const manifest = parseManifest(readFileSync(manifestFile(dir)));
    manifest.headers['content-security-policy'] = "default-src 'self'";
    writeFileSync(manifestFile(dir), manifestBytes(manifest));
    signRelease(dir, key.privateKey);
    await expect(startServer(productionConfig(dir))).rejects.toThrow(/header content-security-policy: the server sends ".*", the manifest says "default-src 'self'"/);
  });

  it('when the real api process is started in production on a tampered release, then it exits 1 with the reason', async () => {
    const dir = release();
    writeFileSync(path.join(dir, 'index.html'), readFileSync(path.join(dir, 'index.html'), 'utf8').replace('<title>Sauti</title>', '<title>Sauti!</title>'));
    const proc = runProcess(API_ENTRY, { NODE_ENV: 'production', SERVE_WEB: 'true', WEB_DIR: dir, PORT: '0', METRICS_TOKEN: 'release-test-metrics-token-0123', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('api failed to start: the web app in');
    expect(proc.output()).toContain('/index.html differs from the manifest');
  });
});
