import type { Browser, Page } from 'playwright-core';
import { seedOrganisation } from '../helpers/fixtures';
import { expectAccessible, launchChromium, scrollWidth, tr, watchedContext } from '../helpers/browser';
import { startStack, type TestStack } from '../helpers/stack';

jest.setTimeout(120_000);

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' }, worker: false });
  await seedOrganisation(stack.pool, { investigators: 2 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const attr = (page: Page, name: 'lang' | 'dir') => page.evaluate(`document.documentElement.${name}`);

describe('languages and reach', () => {
  it('when the browser prefers Arabic, then every page renders right-to-left in Arabic, and the receipt stays left-to-right', async () => {
    const w = await watchedContext(browser, { locale: 'ar-EG' });
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/`);
    await page.getByRole('heading', { name: tr('ar', 'landing.title') }).waitFor();
    expect(await attr(page, 'lang')).toBe('ar');
    expect(await attr(page, 'dir')).toBe('rtl');
    expect(await page.evaluate('getComputedStyle(document.querySelector("main")).direction')).toBe('rtl');
    await expectAccessible(page, 'Arabic landing');
    await page.getByRole('button', { name: tr('ar', 'landing.start') }).click();
    await page.getByRole('heading', { name: tr('ar', 'step.channel') }).waitFor();
    await expectAccessible(page, 'Arabic channel step');

    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByRole('heading', { name: tr('ar', 'followUp.title') }).waitFor();
    expect(await attr(page, 'dir')).toBe('rtl');
    expect(await page.evaluate('getComputedStyle(document.getElementById("receipt-input")).direction')).toBe('ltr');
    await expectAccessible(page, 'Arabic follow-up');
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when the browser prefers Swahili, then the reporter pages are in Swahili, left-to-right, and accessible', async () => {
    const w = await watchedContext(browser, { locale: 'sw-KE' });
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/`);
    await page.getByRole('heading', { name: tr('sw', 'landing.title') }).waitFor();
    expect(await attr(page, 'lang')).toBe('sw');
    expect(await attr(page, 'dir')).toBe('ltr');
    expect(await page.title()).toBe(tr('sw', 'app.title'));
    expect(await page.getByLabel(tr('sw', 'app.language')).inputValue()).toBe('sw');
    await expectAccessible(page, 'Swahili landing');
    await page.getByRole('button', { name: tr('sw', 'landing.start') }).click();
    await page.getByRole('heading', { name: tr('sw', 'step.channel') }).waitFor();
    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByRole('heading', { name: tr('sw', 'followUp.title') }).waitFor();
    await expectAccessible(page, 'Swahili follow-up');
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when a reader picks another language on any page, then the page switches language and direction at once, without a reload or a new URL', async () => {
    const w = await watchedContext(browser, { locale: 'en-US' });
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByRole('heading', { name: tr('en', 'followUp.title') }).waitFor();
    let shown = 'en';
    for (const lang of ['fr', 'ar', 'es', 'pt', 'sw', 'en']) {
      await page.getByLabel(tr(shown, 'app.language')).selectOption(lang);
      shown = lang;
      await page.getByRole('heading', { name: tr(lang, 'followUp.title') }).waitFor();
      expect(await attr(page, 'lang')).toBe(lang);
      expect(await attr(page, 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await page.title()).toBe(tr(lang, 'app.title'));
    }
    expect(page.url()).toBe(`${stack.api.url}/follow-up`);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when the screen is 360 px wide and only the keyboard is used, then the reporter reaches the review step and nothing overflows sideways', async () => {
    const w = await watchedContext(browser, { width: 360, height: 740, locale: 'es-ES' });
    const page = await w.newPage();
    const es = (key: string, params?: Record<string, string | number>) => tr('es', key, params);
    await page.goto(`${stack.api.url}/`);
    await page.getByRole('heading', { name: es('landing.title') }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'phone landing');

    // Tab to "Start", then through the steps with Tab, Space, arrows and Enter only.
    await tabTo(page, es('landing.start'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: es('step.channel') }).waitFor();
    await tabTo(page, /^Context /);
    await page.keyboard.press('Space');
    await tabTo(page, es('action.next'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: es('step.details') }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await tabTo(page, es('details.category'));
    await page.keyboard.press('ArrowDown');
    await tabTo(page, es('details.freeText'));
    await page.keyboard.type('Un agente pidió dinero en la frontera.');
    await tabTo(page, es('action.next'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: es('step.exclusions') }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await tabTo(page, es('action.next'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: es('step.attachments') }).waitFor();
    await tabTo(page, es('action.next'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: es('step.review') }).waitFor();
    await page.getByText('Un agente pidió dinero en la frontera.').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'phone review');

    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByRole('heading', { name: es('followUp.title') }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when the browser has no WebAssembly, then the page says so plainly and sends nothing', async () => {
    const w = await watchedContext(browser, { locale: 'pt-PT' });
    await w.context.addInitScript('delete globalThis.WebAssembly');
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/`);
    await page.getByText(tr('pt', 'app.noWasm')).waitFor();
    expect(w.requests.filter((r) => r.url.includes('/api/'))).toEqual([]);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when JavaScript is off, then the page explains why it is needed', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.api.url}/`);
    expect(await page.content()).toContain('Sauti encrypts your report in your browser, so it needs JavaScript');
    await context.close();
  });
});

/** Presses Tab until the focused element has this accessible name (label or text); fails after 60 presses. */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el) return '';
      const label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
      return (el.getAttribute('aria-label') || (label ? label.textContent : '') || el.textContent || '').trim();
    })()`)) as string;
    if (typeof name === 'string' ? focused === name || focused === `${name} *` : name.test(focused)) return;
  }
  throw new Error(`could not reach "${String(name)}" with the Tab key`);
}
