import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { insertStaffUser } from '../../packages/db/src';
import { totpCode } from '../../apps/api/src/services/totp';
import { seedOrganisation } from '../helpers/fixtures';
import { expectAccessible, launchChromium, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// Issue 13 items 3 and 11: operator texts translated in the admin screens, shown to reporters in
// their language (or marked as the default language), and isolated from the page's direction.

jest.setTimeout(180_000);

let stack: TestStack;
let browser: Browser;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
const adminPerson = { id: randomUUID(), email: `admin.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
const QUESTION = { id: 'when', label: 'When did it happen?', kind: 'text', required: false, help: 'Date and time, if you know them.' };

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' }, worker: false });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  await stack.pool.query('UPDATE contexts SET questions = $2 WHERE id = $1', [org.contextId, JSON.stringify([QUESTION])]);
  await insertStaffUser(stack.pool, { ...adminPerson, displayName: 'Admin Amani', unitId: null, roles: ['admin'], status: 'active' });
  await signedInStaff(stack, adminPerson);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const ADMIN_EN = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n', 'admin-en.json'), 'utf8')) as Record<string, string>;
const admin = (key: string): string => ADMIN_EN[key]!;
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/** Opens the wizard's details step in the browser's language. */
async function detailsStep(page: Page, lang: string): Promise<void> {
  await page.goto(`${stack.api.url}/`);
  await page.getByRole('button', { name: tr(lang, 'landing.start') }).click();
  await page.getByRole('heading', { name: tr(lang, 'step.channel') }).waitFor();
  await page.locator('#channel-0').check();
  await page.getByRole('button', { name: tr(lang, 'action.next') }).click();
  await page.getByRole('heading', { name: tr(lang, 'step.details') }).waitFor();
}

describe('operator texts in the reporter\'s language', () => {
  let w: WatchedContext;
  afterEach(async () => {
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when the admin translates the context\'s texts in the Translations section, then they are saved for each language', async () => {
    w = await watchedContext(browser, { locale: 'en-GB' });
    const page = await w.newPage();
    const { password, totpSecret } = staffCredentials(adminPerson.id);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [adminPerson.id]);
    await page.goto(`${stack.api.url}/staff`);
    await page.getByLabel(exactly(tr('en', 'staff.email'))).fill(adminPerson.email);
    await page.getByLabel(exactly(tr('en', 'staff.password'))).fill(password);
    await page.getByLabel(exactly(tr('en', 'staff.totp'))).fill(totpCode(totpSecret, Date.now()));
    await page.getByRole('button', { name: tr('en', 'staff.signIn') }).click();
    await page.getByRole('button', { name: admin('admin.navEntry') }).click({ timeout: 90_000 });
    await page.getByRole('navigation', { name: admin('admin.navLabel') }).getByRole('button', { name: admin('admin.nav.contexts') }).click();
    const { rows } = await stack.pool.query<{ name: string }>('SELECT name FROM contexts WHERE id = $1', [org.contextId]);
    await page.getByRole('button', { name: `${admin('admin.edit')}: ${rows[0]!.name}` }).click();
    await page.getByRole('heading', { name: admin('admin.translations.title') }).waitFor();

    await page.locator('#ctx-translate-into').selectOption('fr');
    await page.locator('#tr-fr-category-bribery-extortion').fill('Corruption');
    await page.locator('#tr-fr-question-when-label').fill('Quand cela s’est-il passé ?');
    await expectAccessible(page, 'context translations');
    await page.getByRole('button', { name: admin('admin.translations.save') }).click();
    await page.getByText(admin('admin.translations.saved')).waitFor();

    await page.locator('#ctx-translate-into').selectOption('ar');
    await page.locator('#tr-ar-category-bribery-extortion').fill('رشوة');
    await page.locator('#tr-ar-question-when-label').fill('متى حدث ذلك؟');
    await page.getByRole('button', { name: admin('admin.translations.save') }).click();
    await waitFor('the saved translations', async () => {
      const r = await stack.pool.query<{ translations: Record<string, Record<string, string>> }>('SELECT translations FROM contexts WHERE id = $1', [org.contextId]);
      return r.rows[0]!.translations.ar?.['question.when.label'] ? r.rows[0]!.translations : null;
    });
    const r = await stack.pool.query<{ translations: Record<string, Record<string, string>> }>('SELECT translations FROM contexts WHERE id = $1', [org.contextId]);
    expect(r.rows[0]!.translations).toEqual({
      fr: { 'category.bribery-extortion': 'Corruption', 'question.when.label': 'Quand cela s’est-il passé ?' },
      ar: { 'category.bribery-extortion': 'رشوة', 'question.when.label': 'متى حدث ذلك؟' },
    });
  });

  it('when a reporter uses French, then translated texts show in French and untranslated ones in English, marked lang="en"', async () => {
    w = await watchedContext(browser, { locale: 'fr-FR' });
    const page = await w.newPage();
    await waitFor('the new intake', async () => {
      const body = (await (await fetch(`${stack.api.url}/api/v1/intake`)).json()) as { contexts: { translations: Record<string, unknown> }[] };
      return body.contexts[0]?.translations.ar ? true : null;
    });
    await detailsStep(page, 'fr');
    expect(await page.locator('#category option[value="bribery-extortion"]').textContent()).toBe('Corruption');
    expect(await page.locator('label[for="q-when"] bdi').textContent()).toBe('Quand cela s’est-il passé ?');
    // Not translated: the English help, marked as English for screen readers.
    expect(await page.locator('#q-when-hint bdi[lang="en"]').textContent()).toBe(QUESTION.help);
    await expectAccessible(page, 'French details with operator texts');
  });

  it('when a reporter uses Arabic, then the question reads right-to-left in Arabic, isolated, and an English text keeps its own direction', async () => {
    w = await watchedContext(browser, { locale: 'ar-EG' });
    const page = await w.newPage();
    await detailsStep(page, 'ar');
    const label = page.locator('label[for="q-when"] bdi');
    expect(await label.textContent()).toBe('متى حدث ذلك؟');
    expect(await page.evaluate('getComputedStyle(document.querySelector(\'label[for="q-when"] bdi\')).direction')).toBe('rtl');
    // The English help inside the Arabic page: its own bidi isolate, so "?" stays at its end.
    const help = page.locator('#q-when-hint bdi[lang="en"]');
    expect(await help.evaluate((el) => el.tagName + ':' + (el.textContent ?? ''))).toBe(`BDI:${QUESTION.help}`);
    expect(await page.locator('#category option[value="bribery-extortion"]').textContent()).toBe('رشوة');
    await page.locator('#category').selectOption('bribery-extortion');
    await page.locator('#region').selectOption('namanga');
    await page.locator('#free-text').fill('نص البلاغ');
    for (const step of ['step.exclusions', 'step.attachments', 'step.review']) {
      await page.getByRole('button', { name: tr('ar', 'action.next') }).click();
      await page.getByRole('heading', { name: tr('ar', step) }).waitFor();
    }
    // The review: the untranslated region (English) is isolated and marked.
    expect(await page.locator('.review bdi[lang="en"]', { hasText: 'Namanga' }).count()).toBe(1);
    await expectAccessible(page, 'Arabic review with operator texts');
  });
});
