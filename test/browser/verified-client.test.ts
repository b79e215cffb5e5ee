import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { addSignature, generateReleaseKey, signManifest, verifyDeployment, type ReleaseManifest, type VerifyReport } from '../../packages/verify/src';
import { signRelease, writeReleaseManifest } from '../../scripts/release/release-files';
import { launchChromium, tr, watchedContext, WEB_DIST, type WatchedContext } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';
import { startTamperProxy, TAMPER_MARK, type Tamper } from '../helpers/tamper-proxy';
import { waitFor } from '../helpers/wait';

jest.setTimeout(120_000);

const VERIFY_BIN = path.resolve(__dirname, '..', '..', 'packages', 'verify', 'dist', 'bin', 'sauti-verify.js');
const releaseKey = generateReleaseKey();
const otherKey = generateReleaseKey();

let webDir: string;
let manifest: ReleaseManifest;
let mainScript: string;
let keysFile: string;
let stack: TestStack;
let proxy: Awaited<ReturnType<typeof startTamperProxy>>;
let browser: Browser;
const contexts: WatchedContext[] = [];

beforeAll(async () => {
  // A signed release of the built app, with a key made for this test (the pinned one is the maintainers').
  webDir = mkdtempSync(path.join(tmpdir(), 'sauti-release-'));
  cpSync(WEB_DIST, webDir, { recursive: true });
  manifest = writeReleaseManifest(webDir, { version: '0.1.0', commit: 'f'.repeat(40), releaseKeys: [releaseKey.publicKey] }).manifest;
  signRelease(webDir, releaseKey.privateKey);
  mainScript = /<script[^>]*src="([^"]+)"/.exec(readFileSync(path.join(webDir, 'index.html'), 'utf8'))![1]!;
  keysFile = path.join(webDir, '..', `${path.basename(webDir)}-keys.json`);
  writeFileSync(keysFile, JSON.stringify({ keys: [{ publicKey: releaseKey.publicKey }] }));
  stack = await startStack({ env: { SERVE_WEB: 'true', WEB_DIR: webDir, POW_DIFFICULTY: '8' }, worker: false });
  proxy = await startTamperProxy(stack.api.url);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.context.close();
  await browser?.close();
  await proxy?.close();
  await stack?.stop();
  rmSync(webDir, { recursive: true, force: true });
  rmSync(keysFile, { force: true });
});

const verify = (): Promise<VerifyReport> => verifyDeployment(proxy.url, { trustedKeys: [releaseKey.publicKey] });
const messages = (r: VerifyReport) => r.findings.map((f) => `${f.kind}: ${f.message}`);

function otherKeySignature(): string {
  const bytes = readFileSync(path.join(webDir, '.well-known', 'sauti', 'manifest.json'));
  return JSON.stringify(addSignature(null, signManifest(bytes, otherKey.privateKey)));
}

const TAMPERS: { name: string; tamper: () => Tamper; expected: () => RegExp[] }[] = [
  { name: 'one modified script', tamper: () => ({ script: mainScript }), expected: () => [new RegExp(`^file: file ${mainScript.replace(/[.]/g, '\\.')}: served bytes differ`)] },
  { name: 'a modified HTML document', tamper: () => ({ html: true }), expected: () => [/^file: the HTML document at \/ \(released as \/index\.html\): served bytes differ/, /^file: file \/index\.html: served bytes differ/] },
  { name: 'a changed CSP header', tamper: () => ({ csp: "default-src 'self'; script-src 'self' 'unsafe-inline'" }), expected: () => [/^header: header content-security-policy differs on \d+ path\(s\) \(\/, .*served "default-src 'self'; script-src 'self' 'unsafe-inline'", released "default-src 'self';script-src 'self' 'wasm-unsafe-eval';/] },
  { name: 'a manifest signed with another key', tamper: () => ({ signature: otherKeySignature() }), expected: () => [/^signature: the manifest is not validly signed by a pinned release key \(signatures by: [0-9a-f]{16}; pinned: [0-9a-f]{16}\)/] },
];

describe('the outside verifier', () => {
  it('when the deployment serves the signed release untouched, then it verifies clean, and the command exits 0', async () => {
    proxy.set({});
    const report = await verify();
    expect(messages(report)).toEqual([]);
    expect(report.filesChecked).toBe(Object.keys(manifest.files).length + 1);
    const run = await promisify(execFile)(process.execPath, [VERIFY_BIN, proxy.url, '--keys', keysFile]);
    expect(run.stdout).toMatch(/^OK: \d+ responses and \d+ security headers match the signed release\.$/m);
  });

  it.each(TAMPERS)('when the deployment serves $name, then the verifier names exactly that change and the command exits 1', async ({ tamper, expected }) => {
    proxy.set(tamper());
    const found = messages(await verify());
    expect(found).toHaveLength(expected().length);
    for (const pattern of expected()) expect(found.some((m) => pattern.test(m))).toBe(true);
    const run = await promisify(execFile)(process.execPath, [VERIFY_BIN, proxy.url, '--keys', keysFile]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^MISMATCH /m);
    expect(run.stdout).toMatch(/^FAILED: \d+ mismatch\(es\)/m);
    proxy.set({});
  });
});

/** A browser that has visited the untouched deployment once, so its service worker holds the pin. */
async function returningBrowser(locale = 'fr-FR'): Promise<{ w: WatchedContext; page: Page }> {
  proxy.set({});
  const w = await watchedContext(browser, { locale });
  contexts.push(w);
  const page = await w.newPage();
  await page.goto(`${proxy.url}/`);
  await page.getByRole('heading', { name: tr('fr', 'landing.title') }).waitFor();
  await waitFor('the service worker to take control', async () => (await page.evaluate('navigator.serviceWorker.controller !== null')) as boolean, 30_000);
  return { w, page };
}

async function expectWarning(page: Page, reasonKey: string): Promise<void> {
  await page.getByRole('heading', { name: tr('fr', 'verify.warning.title') }).waitFor();
  await page.getByText(tr('fr', reasonKey)).waitFor();
  await page.getByText(tr('fr', 'verify.warning.nothingRan')).waitFor();
  // Nothing of the app ran: no tampered code, no app markup, no script element at all.
  expect(await page.evaluate('globalThis.__sautiTampered === undefined && document.scripts.length === 0')).toBe(true);
  expect(await page.getByRole('heading', { name: tr('fr', 'landing.title') }).count()).toBe(0);
}

describe('a returning browser', () => {
  it('when the deployment is untouched, then the app runs, served by the service worker after checking every file, and says so', async () => {
    const { w, page } = await returningBrowser();
    const response = await page.goto(`${proxy.url}/`);
    expect(response?.fromServiceWorker()).toBe(true);
    await page.getByRole('heading', { name: tr('fr', 'landing.title') }).waitFor();
    await page.getByText(tr('fr', 'landing.version', { version: '0.1.0' }), { exact: false }).click();
    await page.getByText(tr('fr', 'landing.verifyGuarded')).waitFor();
    expect(w.problems).toEqual([]);
  });

  it('when the server then serves one modified script, then the browser refuses to run it and shows the warning in French', async () => {
    const { page } = await returningBrowser();
    proxy.set({ script: mainScript });
    const response = await page.goto(`${proxy.url}/`);
    expect(response?.headers()['x-sauti-warning']).toBe('file');
    await expectWarning(page, 'verify.warning.file');
    await page.getByText(tr('fr', 'verify.warning.details')).click();
    await page.getByText(mainScript).waitFor();
  });

  it('when the server then serves a modified HTML document, then the browser shows the warning', async () => {
    const { page } = await returningBrowser();
    proxy.set({ html: true });
    await page.goto(`${proxy.url}/follow-up`);
    await expectWarning(page, 'verify.warning.file');
  });

  it('when the server then offers a manifest signed with another key, then the browser shows the warning', async () => {
    const { page } = await returningBrowser();
    proxy.set({ signature: otherKeySignature() });
    await page.goto(`${proxy.url}/`);
    await expectWarning(page, 'verify.warning.signature');
  });

  it('when the server then weakens the CSP header, then the page still gets the released policy', async () => {
    const { w, page } = await returningBrowser();
    proxy.set({ csp: "default-src 'self'; script-src 'self' 'unsafe-inline'" });
    const response = await page.goto(`${proxy.url}/`);
    await page.getByRole('heading', { name: tr('fr', 'landing.title') }).waitFor();
    expect(response?.headers()['content-security-policy']).toBe(manifest.headers['content-security-policy']);
    // The released policy is the one enforced: an inline script is refused.
    await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'globalThis.__inline = 1'; document.body.appendChild(s); })()`);
    expect(await page.evaluate('globalThis.__inline === undefined')).toBe(true);
    await waitFor('the CSP violation report', async () => w.problems.some((p) => p.startsWith('CSP violation')), 5000);
  });

  it('when the server replaces the service worker script, then the next visit reports it', async () => {
    const { w, page: first } = await returningBrowser();
    proxy.set({ serviceWorker: true });
    // What the browser does by itself on navigations and at least daily: look for a new /sw.js.
    await first.evaluate('navigator.serviceWorker.getRegistration().then((r) => r.update())').catch(() => undefined);
    await first.close();
    // Each visit in a new tab, as a person would retry: a load started while the new worker takes
    // over can stall in Chromium (and a stalled tab answers nothing), so a round is bounded and its
    // tab closed; the next visit must then show the warning.
    let page: Page | null = null;
    await waitFor(
      'the warning about the replaced service worker',
      async () => {
        const tab = await w.newPage();
        await tab.goto(`${proxy.url}/`, { timeout: 15_000 }).catch(() => null);
        const shown = await Promise.race([
          tab.getByText(tr('fr', 'verify.warning.serviceWorker')).count().then((n) => n > 0),
          new Promise<false>((r) => setTimeout(() => r(false), 5_000)),
        ]);
        if (shown) return (page = tab);
        await tab.close();
        return null;
      },
      90_000,
    );
    await expectWarning(page!, 'verify.warning.serviceWorker');
  }, 180_000);

  it('when a first-time browser gets a modified script, then Subresource Integrity refuses it (the HTML is the one thing left to check)', async () => {
    proxy.set({ script: mainScript });
    const w = await watchedContext(browser, { locale: 'fr-FR' });
    contexts.push(w);
    const page = await w.newPage();
    await page.goto(`${proxy.url}/`);
    await waitFor('the integrity error', async () => w.problems.some((p) => /integrity/i.test(p)), 15_000);
    expect(await page.evaluate('globalThis.__sautiTampered === undefined')).toBe(true);
    expect(TAMPER_MARK).toContain('__sautiTampered');
    proxy.set({});
  });
});
