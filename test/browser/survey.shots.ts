// Screenshots of the survey screens (issue 15): the respondent on a phone in Arabic, the
// analyst's results and the survey editor. Run with `npm run screenshots` (all shots) or
// `npx jest --config jest.screenshots.config.ts test/browser/survey.shots.ts`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { surveys, Transport, type StaffClient } from '../../packages/client/src';
import { SURVEY_TEMPLATE, type PublicIteration, type SurveyResponseBody } from '../../packages/core/src';
import { insertStaffUser } from '../../packages/db/src';
import { launchChromium, tr, watchedContext } from '../helpers/browser';
import { nextTotp, signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';

const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
let stack: TestStack;
let browser: Browser;
let analyst: StaffClient;
const person = { id: randomUUID(), email: `amani.${randomUUID().slice(0, 6)}@demo.sauti.invalid` };

function answers(group: 'officials' | 'private_sector', seed: number): SurveyResponseBody {
  const q = SURVEY_TEMPLATE.questionnaires.find((x) => x.group === group)!;
  return {
    v: 1, group, language: seed % 2 ? 'fr' : 'en',
    answers: q.questions.filter((x) => x.required).map((x) => ({ q: x.id, a: x.kind === 'agreement-5' ? 1 + ((seed * 3 + x.id.length) % 5) : x.options![seed % x.options!.length]!.id })),
  };
}

async function answerAll(it: PublicIteration, n: number, shift: number): Promise<void> {
  const t = new Transport(stack.api.url);
  const codes = (await surveys.createCodes(analyst.session, it.id, n)).codes;
  for (const [i, code] of codes.entries()) {
    const token = await surveys.redeemCode(t, it, code);
    await surveys.answerSurvey(t, it, answers(i % 2 ? 'private_sector' : 'officials', i + shift), { token });
  }
}

beforeAll(async () => {
  await ready();
  mkdirSync(OUT, { recursive: true });
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' }, worker: false });
  await insertStaffUser(stack.pool, { ...person, displayName: 'Amani Njoroge', unitId: null, roles: ['analyst'], status: 'active' });
  analyst = await signedInStaff(stack, person);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('takes the survey screenshots', async () => {
  const survey = await surveys.createSurvey(analyst.session, SURVEY_TEMPLATE);
  const t = new Transport(stack.api.url);
  const first = await surveys.fetchIteration(t, (await surveys.openIteration(analyst.session, survey.id, false)).id);
  await answerAll(first, 14, 0);
  await surveys.closeIteration(analyst.session, first.id);
  const second = await surveys.fetchIteration(t, (await surveys.openIteration(analyst.session, survey.id, false)).id);
  await answerAll(second, 16, 2);

  const [code] = (await surveys.createCodes(analyst.session, second.id, 1)).codes;
  const phone = await watchedContext(browser, { locale: 'ar', width: 360, height: 780 });
  const page = await phone.newPage();
  await page.goto(`${stack.api.url}/survey/${second.id}#delay=0`);
  await page.getByLabel(tr('ar', 'survey.codeLabel')).fill(code!);
  await page.getByRole('button', { name: tr('ar', 'survey.codeSubmit') }).click();
  await page.getByLabel(tr('ar', 'survey.group.officials')).check();
  await page.locator('fieldset.survey-question').first().getByLabel(tr('ar', 'survey.scale.4'), { exact: true }).check();
  await page.screenshot({ path: path.join(OUT, 'survey-phone-ar.png'), fullPage: false });
  await phone.context.close();

  const creds = staffCredentials(person.id);
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [person.id]);
  const desk = await watchedContext(browser, { locale: 'en-GB', width: 1280, height: 900 });
  const p = await desk.newPage();
  const en = (k: string, params?: Record<string, string | number>) => tr('en', k, params);
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  // An analyst starts on the monitoring dashboard; the surveys have an address of their own.
  await p.goto(`${stack.api.url}/staff/surveys`);
  await p.getByLabel(exactly(en('staff.email'))).fill(person.email);
  await p.getByLabel(exactly(en('staff.password'))).fill(creds.password);
  await p.getByLabel(exactly(en('staff.totp'))).fill(nextTotp(creds.totpSecret));
  await p.getByRole('button', { name: en('staff.signIn') }).click();
  await p.getByRole('heading', { name: en('surveys.heading') }).waitFor({ timeout: 90_000 });
  await p.screenshot({ path: path.join(OUT, 'survey-list.png') });
  // The editor (from scratch or, as here, a saved survey): per-language texts, kinds, factors.
  await p.getByRole('button', { name: new RegExp(`^${en('surveys.editor.edit')}`) }).first().click();
  await p.getByRole('heading', { name: en('surveys.editor.editHeading') }).waitFor();
  await p.screenshot({ path: path.join(OUT, 'survey-editor.png'), fullPage: false });
  await p.getByRole('button', { name: en('surveys.editor.discard') }).click();
  await p.getByRole('heading', { name: en('surveys.heading') }).waitFor();
  await p.getByRole('button', { name: `${en('surveys.showResults')}: ${en('surveys.iteration', { n: 2 })}` }).click();
  await p.getByRole('heading', { name: en('surveys.results', { n: 2 }) }).waitFor();
  await p.screenshot({ path: path.join(OUT, 'survey-results.png'), fullPage: false });
  await p.locator('h2').nth(1).scrollIntoViewIfNeeded();
  await p.screenshot({ path: path.join(OUT, 'survey-comparison.png'), fullPage: false });
  await desk.context.close();
});
