import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDemoOrganisation } from '../../apps/api/src/demo/demo-organisation';
import { base32Decode, totpCode } from '../../apps/api/src/services/totp';
import { refreshStatistics } from '../../packages/db/src';
import { loadSyntheticCases } from '../../bench/stats-data';
import { launchChromium, tr, watchedContext } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';

// Writes the integrity monitoring screenshots (docs/screenshots/monitoring-*.png). Run with `npm run screenshots`.
const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const I18N = path.resolve(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n');
const m = (lang: string, key: string): string => (JSON.parse(readFileSync(path.join(I18N, `monitoring-${lang}.json`), 'utf8')) as Record<string, string>)[key]!;

let stack: TestStack;
let browser: Browser;
let people: NonNullable<Awaited<ReturnType<typeof seedDemoOrganisation>>>;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  stack = await startStack({ worker: false, env: { SERVE_WEB: 'true' } });
  people = (await seedDemoOrganisation(stack.pool))!;
  await loadSyntheticCases(stack.pool, { cases: 4000, years: 2, seed: 0.23 });
  await refreshStatistics(stack.pool);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });

async function signIn(page: Page, role: string): Promise<void> {
  const person = people.find((p) => p.roles.includes(role))!;
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [person.id]);
  await page.goto(`${stack.api.url}/staff`);
  await page.getByLabel(tr('en', 'staff.email')).fill(person.email);
  await page.getByLabel(tr('en', 'staff.password')).fill(person.password);
  await page.getByLabel(tr('en', 'staff.totp')).fill(totpCode(base32Decode(person.totpSecret), Date.now()));
  await page.getByRole('button', { name: tr('en', 'staff.signIn') }).click();
}

it('takes the screenshots of the integrity monitoring dashboard, its print summary, Arabic, and the Arusha factor mapping', async () => {
  const w = await watchedContext(browser, { width: 1280, height: 900, locale: 'en-GB' });
  const page = await w.newPage();
  await signIn(page, 'analyst');
  await page.getByRole('heading', { level: 1, name: m('en', 'monitoring.title') }).waitFor({ timeout: 90_000 });
  await page.getByRole('figure', { name: m('en', 'monitoring.view.outcomeFactor') }).waitFor({ timeout: 60_000 });
  await page.waitForFunction("document.querySelectorAll('canvas').length === 13");
  await page.waitForTimeout(500);
  await shot(page, 'monitoring-dashboard');
  await shot(page, 'monitoring-dashboard-full', true);
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.waitForTimeout(500);
  await shot(page, 'monitoring-print-summary', true);
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('#language').selectOption('ar');
  await page.getByRole('heading', { level: 1, name: m('ar', 'monitoring.title') }).waitFor();
  await page.waitForTimeout(500);
  await shot(page, 'monitoring-dashboard-ar');
  expect(w.problems).toEqual([]);
  await w.context.close();

  const a = await watchedContext(browser, { width: 1280, height: 900, locale: 'en-GB' });
  const adminPage = await a.newPage();
  await signIn(adminPage, 'admin');
  const adminCatalogue = JSON.parse(readFileSync(path.join(I18N, 'admin-en.json'), 'utf8')) as Record<string, string>;
  await adminPage.getByRole('button', { name: adminCatalogue['admin.navEntry']! }).click({ timeout: 90_000 });
  await adminPage.getByRole('button', { name: m('en', 'monitoring.admin.nav') }).click();
  await adminPage.getByRole('heading', { name: m('en', 'monitoring.admin.title') }).waitFor();
  await shot(adminPage, 'admin-arusha-factors');
  expect(a.problems).toEqual([]);
  await a.context.close();
});
