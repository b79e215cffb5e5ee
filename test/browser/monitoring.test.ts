/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, so this file sees DOM types.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { refreshStatistics } from '../../packages/db/src';
import { seedDemoOrganisation } from '../../apps/api/src/demo/demo-organisation';
import { base32Decode, totpCode } from '../../apps/api/src/services/totp';
import { loadSyntheticCases } from '../../bench/stats-data';
import { axeSerious, launchChromium, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';

// A real browser running Argon2id once per sign-in.
jest.setTimeout(240_000);

/**
 * The integrity monitoring dashboard in Chromium under the real strict CSP: an analyst signs in
 * and lands on it; tiles and every chart render (Chart.js on canvas) with no CSP violation or
 * console error; each chart's data table opens from the keyboard; CSV export; the print summary
 * fits one A4 page; Arabic is right-to-left; axe finds nothing serious.
 */

const I18N = path.resolve(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n');
const catalogues = new Map<string, Record<string, string>>();
function m(lang: string, key: string, params: Record<string, string | number> = {}): string {
  let cat = catalogues.get(lang);
  if (!cat) catalogues.set(lang, (cat = JSON.parse(readFileSync(path.join(I18N, `monitoring-${lang}.json`), 'utf8')) as Record<string, string>));
  const text = cat[key];
  if (text === undefined) throw new Error(`no key ${key} in monitoring-${lang}.json`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

let stack: TestStack;
let browser: Browser;
let w: WatchedContext;
let page: Page;
let people: NonNullable<Awaited<ReturnType<typeof seedDemoOrganisation>>>;

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false, env: { SERVE_WEB: 'true' } });
  people = (await seedDemoOrganisation(stack.pool))!;
  await loadSyntheticCases(stack.pool, { cases: 600, years: 2, seed: 0.17 });
  await refreshStatistics(stack.pool);
  browser = await launchChromium();
  w = await watchedContext(browser, { width: 1280, height: 900, locale: 'en-GB' });
  page = await w.newPage();
});

afterAll(async () => {
  await w?.context.close();
  await browser?.close();
  await stack?.stop();
});

afterEach(() => {
  // Any console error, page error or CSP violation (Chart.js included) fails the test that caused it.
  expect(w.problems).toEqual([]);
});

/** Pixels drawn on a canvas (non-transparent), to tell a rendered chart from an empty one. */
const drawnPixels = async (canvasIndex: number): Promise<number> =>
  (await page.evaluate(`(() => {
    const c = document.querySelectorAll('canvas')[${canvasIndex}];
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 3; k < data.length; k += 4) if (data[k] > 0) n++;
    return n;
  })()`)) as number;
const CANVASES = "document.querySelectorAll('canvas').length === 13";

describe('the integrity monitoring dashboard in a browser', () => {
  it('when an analyst signs in, then the dashboard opens with tiles and charts drawn under the strict CSP, and axe finds nothing serious', async () => {
    const analyst = people.find((p) => p.roles.includes('analyst'))!;
    await page.goto(`${stack.api.url}/staff`);
    await page.getByLabel(tr('en', 'staff.email')).fill(analyst.email);
    await page.getByLabel(tr('en', 'staff.password')).fill(analyst.password);
    await page.getByLabel(tr('en', 'staff.totp')).fill(totpCode(base32Decode(analyst.totpSecret), Date.now()));
    await page.getByRole('button', { name: tr('en', 'staff.signIn') }).click();
    await page.getByRole('heading', { level: 1, name: m('en', 'monitoring.title') }).waitFor({ timeout: 90_000 });
    // An analyst has no inbox.
    expect(await page.getByRole('button', { name: tr('en', 'staffNav.inbox') }).count()).toBe(0);
    await page.getByText(m('en', 'monitoring.tile.received'), { exact: true }).waitFor();
    await page.getByRole('figure', { name: m('en', 'monitoring.view.outcomeFactor') }).waitFor({ timeout: 60_000 });
    const figures = await page.getByRole('figure').count();
    expect(figures).toBe(13);
    // Chart.js is loaded on first use; wait for the last chart to be drawn, then check every canvas has ink.
    await page.waitForFunction(CANVASES);
    for (let i = 0; i < 13; i++) {
      await page.waitForFunction(`document.querySelectorAll('canvas')[${i}].width > 0 && document.querySelectorAll('canvas')[${i}].height > 0`);
      expect(await drawnPixels(i)).toBeGreaterThan(100);
    }
    expect(await axeSerious(page)).toEqual([]);
  });

  it('when a data table is opened from the keyboard, then it holds the same figures with row and column headers', async () => {
    const summary = page.getByText(m('en', 'monitoring.showTable', { title: m('en', 'monitoring.view.channel') }));
    await summary.focus();
    await page.keyboard.press('Enter');
    const table = page.getByRole('table', { name: m('en', 'monitoring.view.channel') });
    await table.waitFor();
    expect(await table.getByRole('rowheader').allTextContents()).toEqual([m('en', 'monitoring.channel.internal'), m('en', 'monitoring.channel.public')]);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([m('en', 'monitoring.cases')]);
    const cells = await table.getByRole('cell').allTextContents();
    expect(cells.filter((c) => /^\d[\d,]*$/.test(c)).length).toBe(2);
    expect(await axeSerious(page)).toEqual([]);
  });

  it('when a view is exported, then a CSV with its rows, total and period downloads', async () => {
    const title = m('en', 'monitoring.view.category');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: m('en', 'monitoring.csv', { title }) }).click()]);
    expect(download.suggestedFilename()).toMatch(/^sauti-category-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain('Bribery or extortion at the border');
    expect(text).toMatch(new RegExp(`^${m('en', 'monitoring.total')},[\\d,"]+`, 'm'));
  });

  it('when a filter is applied with a reversed period, then the server refuses it and the reason is shown', async () => {
    await page.getByRole('textbox', { name: m('en', 'monitoring.filter.from'), exact: true }).fill('2025-06-01');
    await page.getByRole('textbox', { name: m('en', 'monitoring.filter.to'), exact: true }).fill('2025-01-01');
    await page.getByRole('button', { name: m('en', 'monitoring.apply') }).click();
    await page.getByRole('alert').filter({ hasText: 'Some filters are not valid' }).waitFor();
  });

  it('when the summary is printed, then it fits on one A4 page', async () => {
    await page.getByRole('textbox', { name: m('en', 'monitoring.filter.from'), exact: true }).fill('2025-01-01');
    await page.getByRole('textbox', { name: m('en', 'monitoring.filter.to'), exact: true }).fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: m('en', 'monitoring.apply') }).click();
    await page.getByRole('figure', { name: m('en', 'monitoring.view.outcomeFactor') }).waitFor();
    await page.waitForFunction(CANVASES);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
  });

  it('when the language is Arabic, then the dashboard reads right to left and still passes axe', async () => {
    await page.locator('#language').selectOption('ar');
    await page.getByRole('heading', { level: 1, name: m('ar', 'monitoring.title') }).waitFor();
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    expect(await axeSerious(page)).toEqual([]);
  });
});
