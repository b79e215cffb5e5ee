import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { expandPlurals } from '../../apps/web/src/i18n/plural';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEB_DIST = path.resolve(__dirname, '..', '..', 'apps', 'web', 'dist');
const AXE = path.resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/** Debian's chromium, headless, with nothing that phones home (plus `extraArgs`, e.g. --ignore-certificate-errors). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('apps/web/dist is missing: run `npm run build:web` first');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export type RecordedRequest = { url: string; method: string; headers: Record<string, string>; body: Buffer | null };

/**
 * A browser context that records every request its pages and workers send, and every console
 * error, page error and CSP violation. `problems` must stay empty for a test to pass.
 */
export type WatchedContext = { context: BrowserContext; requests: RecordedRequest[]; problems: string[]; newPage: () => Promise<Page> };

export async function watchedContext(
  browser: Browser,
  options: { width?: number; height?: number; acceptDownloads?: boolean; locale?: string } = {},
): Promise<WatchedContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: options.acceptDownloads ?? true,
    locale: options.locale ?? 'en-GB',
  });
  // Generous: a loaded CI machine runs Argon2id (64 MiB) in several browsers at once.
  context.setDefaultTimeout(60_000);
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const record = (r: Request) => requests.push({ url: r.url(), method: r.method(), headers: r.headers(), body: r.postDataBuffer() });
  context.on('request', record);
  await context.exposeBinding('__sautiReportViolation', (_source, text: string) => {
    problems.push(`CSP violation: ${text}`);
  });
  // Runs before any page script; reports violations through the binding above.
  await context.addInitScript(() => {
    const w = globalThis as unknown as { addEventListener: (t: string, f: (e: Record<string, string>) => void) => void; __sautiReportViolation: (s: string) => void };
    w.addEventListener('securitypolicyviolation', (e) => {
      w.__sautiReportViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile ?? ''}:${e.lineNumber ?? ''})`);
    });
  });
  const newPage = async (): Promise<Page> => {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('worker', (worker) => {
      worker.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`worker console ${m.type()}: ${m.text()}`);
      });
    });
    page.on('crash', () => problems.push('page crashed'));
    return page;
  };
  return { context, requests, problems, newPage };
}

/** A browser with one watched context and its page: for a test file that drives a single page. */
export type BrowserPage = { browser: Browser; w: WatchedContext; page: Page };

export async function openBrowserPage(locale = 'en-GB'): Promise<BrowserPage> {
  const browser = await launchChromium();
  const w = await watchedContext(browser, { locale });
  return { browser, w, page: await w.newPage() };
}

/** Closes what openBrowserPage opened, as far as it got. */
export async function closeBrowserPage(opened: Partial<BrowserPage>): Promise<void> {
  await opened.w?.context.close();
  await opened.browser?.close();
}

/** Fails, naming the screen, when axe finds a serious or critical problem on the page. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect({ screen, violations: await axeSerious(page) }).toEqual({ screen, violations: [] });
}

/** Every browser suite's afterEach: any console error, page error or CSP violation fails the test that caused it. */
export function failOnPageProblems(watched: () => WatchedContext | undefined): void {
  afterEach(() => {
    expect(watched()?.problems ?? []).toEqual([]);
  });
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

let axeSource: string | null = null;

/**
 * Runs axe-core inside the page; returns serious and critical violations only. Evaluated through
 * DevTools rather than a <script> tag, which the page's CSP would (rightly) refuse.
 */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(AXE, 'utf8');
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(`${axeSource};0`);
  const result = await page.evaluate(`(async () => {
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`);
  return (result as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True if any recorded request's URL, headers or body contains `secret` (also URL-encoded). */
export function requestsContaining(requests: RecordedRequest[], secret: string): RecordedRequest[] {
  const forms = [secret, encodeURIComponent(secret)];
  return requests.filter((r) => {
    const text = [r.url, JSON.stringify(r.headers), r.body ? r.body.toString('latin1') : '', r.body ? r.body.toString('utf8') : ''].join('\n');
    return forms.some((f) => text.includes(f));
  });
}

type Catalogue = Record<string, string>;
const catalogues = new Map<string, Catalogue>();

/** A UI string as the app shows it, so tests find controls by their visible, translated names. */
export function tr(lang: string, key: string, params: Record<string, string | number> = {}): string {
  let cat = catalogues.get(lang);
  if (!cat) {
    // The main catalogue and every feature catalogue (admin-, monitoring-, …), as the app's loader merges them.
    const dir = path.resolve(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n');
    const files = readdirSync(dir).filter((f) => f === `${lang}.json` || f.endsWith(`-${lang}.json`));
    cat = Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Catalogue)) as Catalogue;
    catalogues.set(lang, cat);
  }
  const text = cat[key];
  if (text === undefined) throw new Error(`no key ${key} in the ${lang} catalogues`);
  return expandPlurals(text, params, lang).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Widest content on the page, to prove nothing overflows a phone screen sideways. */
export async function scrollWidth(page: Page): Promise<number> {
  return (await page.evaluate('document.documentElement.scrollWidth')) as number;
}
