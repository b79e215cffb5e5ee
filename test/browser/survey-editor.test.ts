// Issue 15 in Chromium: an analyst writes a survey from scratch in the staff screen (two
// questions of different kinds, in English and French), with errors shown next to their fields,
// loses nothing on a reload, saves, and a French respondent then sees the questions in French.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { insertStaffUser } from '../../packages/db/src';
import { expectAccessible, failOnPageProblems, launchChromium, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { nextTotp, signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';

jest.setTimeout(240_000);

const TITLE = { en: 'Border integrity pulse', fr: 'Baromètre de l’intégrité aux frontières' };
const Q1 = { en: 'Managers act when they learn of a bribe.', fr: 'Les responsables agissent lorsqu’ils apprennent un pot-de-vin.' };
const Q2 = { en: 'Did anyone ask you for an informal payment this year?', fr: 'Vous a-t-on demandé un paiement informel cette année ?' };
const OPTIONS = { en: ['Yes', 'No'], fr: ['Oui', 'Non'] };

let stack: TestStack;
let browser: Browser;
let analystPerson: { id: string; email: string };
let watched: WatchedContext | undefined;
const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const fr = (key: string, params?: Record<string, string | number>) => tr('fr', key, params);
// Labels carry " *" when required.
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' }, worker: false });
  analystPerson = { id: randomUUID(), email: `editor.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  await insertStaffUser(stack.pool, { ...analystPerson, displayName: 'Analyst Baraka', unitId: null, roles: ['analyst'], status: 'active' });
  // Activates the analyst's keys, so that an iteration has someone to seal responses to.
  await signedInStaff(stack, analystPerson);
  browser = await launchChromium();
});

afterAll(async () => {
  await watched?.context.close();
  await browser?.close();
  await stack?.stop();
});

failOnPageProblems(() => watched);

/** The staff sign-in form, wherever the page stands (a reload signs staff out). */
async function signIn(page: Page): Promise<void> {
  const creds = staffCredentials(analystPerson.id);
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [analystPerson.id]);
  await page.getByLabel(startsWith(en('staff.email'))).fill(analystPerson.email);
  await page.getByLabel(startsWith(en('staff.password'))).fill(creds.password);
  await page.getByLabel(startsWith(en('staff.totp'))).fill(nextTotp(creds.totpSecret));
  await page.getByRole('button', { name: en('staff.signIn') }).click();
}

const group = (page: Page, g: 'officials' | 'private_sector') => page.getByRole('group', { name: en('surveys.editor.questionnaire', { group: en(`survey.group.${g}`) }) });
const question = (page: Page, n: number) => group(page, 'officials').getByRole('group', { name: en('surveys.editor.question', { n }), exact: true });

describe('the survey editor', () => {
  it('when an analyst writes a survey from scratch in two languages, reloads mid-way and saves, then it is kept, and a French respondent sees its questions in French', async () => {
    watched = await watchedContext(browser, { locale: 'en-GB', width: 1280, height: 900 });
    const page = await watched.newPage();
    await page.goto(`${stack.api.url}/staff/surveys`);
    await signIn(page);
    await page.getByRole('heading', { name: en('surveys.heading') }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: en('surveys.createFromScratch') }).click();
    await page.getByRole('heading', { name: en('surveys.editor.newHeading') }).waitFor();

    // Nothing written: the API's schema refuses, and the editor says why, in the reader's language.
    await page.getByRole('button', { name: en('surveys.editor.save') }).click();
    const summary = page.getByRole('alert').filter({ hasText: en('surveys.editor.errorsTitle') });
    await summary.getByText(en('surveys.editor.error.noQuestions'), { exact: false }).waitFor();
    const titleEn = page.getByLabel(startsWith(en('surveys.editor.title', { language: 'English' })));
    await expect(titleEn.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText(en('surveys.editor.error.empty', { language: 'English' }), { exact: true }).first().waitFor();

    // Two questions for officials: a 5-point scale, then a single choice with two options.
    await titleEn.fill(TITLE.en);
    await group(page, 'officials').getByRole('button', { name: en('surveys.editor.addQuestion', { group: en('survey.group.officials') }) }).click();
    await question(page, 1).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).fill(Q1.en);
    await question(page, 1).getByLabel(startsWith(en('surveys.editor.factor'))).selectOption('leadership');
    await group(page, 'officials').getByRole('button', { name: en('surveys.editor.addQuestion', { group: en('survey.group.officials') }) }).click();
    const q2 = question(page, 2);
    await q2.getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).fill(Q2.en);
    await q2.getByLabel(startsWith(en('surveys.editor.kind'))).selectOption('single');
    for (const [i, text] of OPTIONS.en.entries()) await q2.getByLabel(startsWith(en('surveys.editor.option', { n: i + 1, language: 'English' }))).fill(text);
    // Reordering and removing, from the keyboard: a third question moved up keeps the focus on its button.
    await group(page, 'officials').getByRole('button', { name: en('surveys.editor.addQuestion', { group: en('survey.group.officials') }) }).click();
    await question(page, 3).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).fill('A question to drop');
    await question(page, 3).getByRole('button', { name: en('surveys.editor.moveUp', { n: 3 }) }).focus();
    await page.keyboard.press('Enter');
    await expect(question(page, 2).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).inputValue()).resolves.toBe('A question to drop');
    await expect(question(page, 3).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).inputValue()).resolves.toBe(Q2.en);
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe(en('surveys.editor.moveUp', { n: 2 }));
    await page.getByText(en('surveys.editor.moved', { n: 2 })).waitFor();
    await question(page, 2).getByRole('button', { name: en('surveys.editor.removeQuestion', { n: 2 }) }).press('Enter');
    await expect(group(page, 'officials').getByRole('group', { name: /^Question \d$/ }).count()).resolves.toBe(2);
    await expect(question(page, 2).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).inputValue()).resolves.toBe(Q2.en);
    // The second question has no factor yet: said next to its select.
    await page.getByRole('button', { name: en('surveys.editor.save') }).click();
    const factor2 = q2.getByLabel(startsWith(en('surveys.editor.factor')));
    await q2.getByText(en('surveys.editor.error.factor'), { exact: true }).waitFor();
    await expect(factor2.getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'survey editor with errors');
    await factor2.selectOption('transparency');

    // A reload signs staff out; after signing in again the draft is back as it was.
    await page.reload();
    await signIn(page);
    await page.getByRole('heading', { name: en('surveys.editor.newHeading') }).waitFor({ timeout: 60_000 });
    await page.getByText(en('surveys.editor.restored')).waitFor();
    await expect(page.getByLabel(startsWith(en('surveys.editor.title', { language: 'English' }))).inputValue()).resolves.toBe(TITLE.en);
    await expect(question(page, 2).getByLabel(startsWith(en('surveys.editor.kind'))).inputValue()).resolves.toBe('single');
    await expect(question(page, 2).getByLabel(startsWith(en('surveys.editor.factor'))).inputValue()).resolves.toBe('transparency');

    // The French texts, one language at a time.
    await page.getByLabel(startsWith(en('surveys.editor.editing'))).selectOption('fr');
    await page.getByLabel(startsWith(en('surveys.editor.title', { language: 'Français' }))).fill(TITLE.fr);
    await question(page, 1).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'Français' }))).fill(Q1.fr);
    await question(page, 2).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'Français' }))).fill(Q2.fr);
    for (const [i, text] of OPTIONS.fr.entries()) await question(page, 2).getByLabel(startsWith(en('surveys.editor.option', { n: i + 1, language: 'Français' }))).fill(text);
    await expectAccessible(page, 'survey editor in French');
    await page.getByRole('button', { name: en('surveys.editor.save') }).click();
    await page.getByRole('status').filter({ hasText: en('surveys.editor.saved') }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: TITLE.en }).waitFor();

    const { rows } = await stack.pool.query<{ id: string; definition: { title: { default: string; byLang?: Record<string, string> }; questionnaires: { group: string; questions: { kind: string; factor: string; required: boolean; text: { default: string; byLang?: Record<string, string> } }[] }[] } }>('SELECT id, definition FROM surveys');
    expect(rows).toHaveLength(1);
    const saved = rows[0]!.definition;
    expect(saved.title).toEqual({ default: TITLE.en, byLang: { fr: TITLE.fr } });
    expect(saved.questionnaires.map((q) => q.group)).toEqual(['officials']);
    expect(saved.questionnaires[0]!.questions.map((q) => [q.kind, q.factor, q.required, q.text.byLang?.fr])).toEqual([
      ['agreement-5', 'leadership', true, Q1.fr],
      ['single', 'transparency', true, Q2.fr],
    ]);

    // Saved means saved: after a reload the survey is listed, no draft reopens, and its questions come back.
    await page.reload();
    await signIn(page);
    await page.getByRole('heading', { name: en('surveys.heading') }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: TITLE.en }).waitFor();
    await page.getByRole('button', { name: `${en('surveys.editor.edit')}: ${TITLE.en}` }).click();
    await page.getByRole('heading', { name: en('surveys.editor.editHeading') }).waitFor();
    await expect(question(page, 1).getByLabel(startsWith(en('surveys.editor.questionText', { language: 'English' }))).inputValue()).resolves.toBe(Q1.en);
    await expect(question(page, 2).getByLabel(startsWith(en('surveys.editor.option', { n: 2, language: 'English' }))).inputValue()).resolves.toBe(OPTIONS.en[1]);
    await page.getByRole('button', { name: en('surveys.editor.discard') }).click();

    // An iteration with an open link, then the respondent's page in French.
    await page.getByLabel(en('surveys.openLink')).check();
    await page.getByRole('button', { name: en('surveys.openIteration') }).click();
    await page.getByRole('rowheader', { name: en('surveys.iteration', { n: 1 }) }).waitFor({ timeout: 60_000 });
    const iterationId = (await stack.pool.query<{ id: string }>('SELECT id FROM survey_iterations WHERE survey_id = $1', [rows[0]!.id])).rows[0]!.id;

    const respondent = await watchedContext(browser, { locale: 'fr-FR', width: 390, height: 844 });
    try {
      const phone = await respondent.newPage();
      await phone.goto(`${stack.api.url}/survey/${iterationId}#delay=0`);
      await phone.getByRole('heading', { name: TITLE.fr }).waitFor({ timeout: 60_000 });
      await phone.getByRole('group', { name: new RegExp(Q1.fr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).getByLabel(fr('survey.scale.4'), { exact: true }).waitFor();
      const choice = phone.getByRole('group', { name: new RegExp(Q2.fr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
      for (const option of OPTIONS.fr) await choice.getByLabel(option, { exact: true }).waitFor();
      expect(await phone.getByText(Q1.en).count()).toBe(0);
      expect(respondent.problems).toEqual([]);
    } finally {
      await respondent.context.close();
    }
  });
});
