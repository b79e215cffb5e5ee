// Issue 15 in Chromium: a respondent on a phone in Arabic, a survey station that goes offline for
// three respondents, and an analyst's results computed in the crypto worker.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { surveys, Transport, type StaffClient } from '../../packages/client/src';
import { SURVEY_TEMPLATE, type PublicIteration } from '../../packages/core/src';
import { insertStaffUser } from '../../packages/db/src';
import { axeSerious, launchChromium, requestsContaining, scrollWidth, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { nextTotp, signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

jest.setTimeout(240_000);

const COMMENT = 'SURVEY-BROWSER-canary-5d1e: الرشوة شائعة عند البوابة';

let stack: TestStack;
let browser: Browser;
let analyst: StaffClient;
let analystPerson: { id: string; email: string };
let iteration: PublicIteration;
const t = () => new Transport(stack.api.url);
const contexts: WatchedContext[] = [];

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' }, worker: false });
  analystPerson = { id: randomUUID(), email: `analyst.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  await insertStaffUser(stack.pool, { ...analystPerson, displayName: 'Analyst Amani', unitId: null, roles: ['analyst'], status: 'active' });
  analyst = await signedInStaff(stack, analystPerson);
  const survey = await surveys.createSurvey(analyst.session, SURVEY_TEMPLATE);
  iteration = await surveys.fetchIteration(t(), (await surveys.openIteration(analyst.session, survey.id, false)).id);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.context.close();
  await browser?.close();
  await stack?.stop();
});

const responses = async (): Promise<number> => Number((await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM survey_responses WHERE iteration_id = $1', [iteration.id])).rows[0]!.n);

/** Signs the analyst in through the staff page and opens the surveys screen. */
async function analystOnSurveys(): Promise<{ w: WatchedContext; page: Page; en: (key: string, params?: Record<string, string | number>) => string; exactly: (text: string) => RegExp }> {
  const creds = staffCredentials(analystPerson.id);
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [analystPerson.id]);
  const w = await watchedContext(browser, { locale: 'en-GB', width: 1280, height: 900 });
  contexts.push(w);
  const page = await w.newPage();
  const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
  // Labels carry " *" when required.
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  await page.goto(`${stack.api.url}/staff`);
  await page.getByLabel(exactly(en('staff.email'))).fill(analystPerson.email);
  await page.getByLabel(exactly(en('staff.password'))).fill(creds.password);
  await page.getByLabel(exactly(en('staff.totp'))).fill(nextTotp(creds.totpSecret));
  await page.getByRole('button', { name: en('staff.signIn') }).click();
  // An analyst lands on the monitoring dashboard; the surveys are one entry of the staff menu.
  await page.getByRole('button', { name: en('surveys.nav'), exact: true }).click({ timeout: 60_000 });
  await page.getByRole('heading', { name: en('surveys.heading') }).waitFor({ timeout: 60_000 });
  return { w, page, en, exactly };
}

/** Answers every 5-point question with the given point of the scale, in the page's language. */
async function answerScale(page: Page, lang: string, point: 1 | 2 | 3 | 4 | 5): Promise<void> {
  const label = tr(lang, `survey.scale.${point}`);
  const questions = page.locator('fieldset.survey-question.scale');
  const n = await questions.count();
  expect(n).toBeGreaterThan(5);
  for (let i = 0; i < n; i++) await questions.nth(i).getByLabel(label, { exact: true }).check();
}

describe('a respondent on a phone, in Arabic', () => {
  it('when an invitee enters the code, answers in Arabic and sends, then the answers leave the phone sealed and the screen is right-to-left and accessible', async () => {
    const [code] = (await surveys.createCodes(analyst.session, iteration.id, 1)).codes;
    const w = await watchedContext(browser, { locale: 'ar', width: 390, height: 844 });
    contexts.push(w);
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/survey/${iteration.id}#delay=0`);
    const ar = (key: string, params?: Record<string, string | number>) => tr('ar', key, params);
    await page.getByLabel(ar('survey.codeLabel')).fill(code!);
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    await page.getByRole('button', { name: ar('survey.codeSubmit') }).click();
    await page.getByLabel(ar('survey.group.officials')).check();
    // A required answer missing: said so, nothing sent.
    await page.getByRole('button', { name: ar('survey.submit') }).click();
    await page.getByRole('alert').filter({ hasText: ar('survey.missing', { question: '' }).trim().slice(0, 8) }).waitFor();
    await answerScale(page, 'ar', 4);
    await page.getByText(ar('survey.textWarning')).first().waitFor();
    await page.locator('textarea').first().fill(COMMENT);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await axeSerious(page)).toEqual([]);
    await page.getByRole('button', { name: ar('survey.submit') }).click();
    await page.getByRole('status').filter({ hasText: ar('survey.thanks', { day: '' }).slice(0, 10) }).waitFor({ timeout: 60_000 });
    expect(await responses()).toBe(1);
    // The comment never left the browser in the clear, and neither did the code after redemption.
    expect(requestsContaining(w.requests, COMMENT)).toEqual([]);
    const submit = w.requests.find((r) => r.url.endsWith('/responses'));
    expect(submit?.body?.toString('utf8')).not.toContain(code!.replace(/-/g, ''));
    expect(w.problems).toEqual([]);
  });
});

describe('a survey station in the field', () => {
  it('when the tablet goes offline, takes three respondents and comes back online, then the three sealed responses are sent', async () => {
    const [stationCode] = (await surveys.createCodes(analyst.session, iteration.id, 1, 5)).codes;
    const w = await watchedContext(browser, { locale: 'fr-FR', width: 1024, height: 768 });
    contexts.push(w);
    const page = await w.newPage();
    const fr = (key: string, params?: Record<string, string | number>) => tr('fr', key, params);
    await page.goto(`${stack.api.url}/survey/${iteration.id}/station`);
    await page.getByLabel(fr('station.codeLabel')).waitFor();
    // Installable: the station links its web app manifest (same origin, under the page's CSP), and
    // Chromium reads it without error; its start page is the station route, its icons real PNGs.
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/survey-station.webmanifest');
    const fetched = (await page.evaluate(`fetch(${JSON.stringify(href)}).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() }))`)) as { status: number; type: string; body: string };
    expect(fetched).toMatchObject({ status: 200, type: expect.stringContaining('application/manifest+json') });
    const appManifest = JSON.parse(fetched.body) as { name: string; short_name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string }[] };
    expect(appManifest).toMatchObject({ short_name: tr('en', 'station.heading'), start_url: '/survey/station', display: 'standalone' });
    expect(appManifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512']);
    for (const icon of appManifest.icons) {
      const head = (await page.evaluate(`fetch(${JSON.stringify(icon.src)}).then(async (r) => [r.status, r.headers.get('content-type'), Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 24))])`)) as [number, string, number[]];
      const bytes = Buffer.from(head[2]);
      expect([head[0], head[1], bytes.subarray(1, 4).toString('latin1'), `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`]).toEqual([200, 'image/png', 'PNG', icon.sizes]);
    }
    const cdp = await w.context.newCDPSession(page);
    const parsed = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
    expect(parsed.url).toBe(`${stack.api.url}/survey-station.webmanifest`);
    expect(parsed.errors).toEqual([]);
    await page.getByLabel(fr('station.codeLabel')).fill(stationCode!);
    await page.getByLabel(fr('surveys.codesUses')).fill('3');
    await page.getByRole('button', { name: fr('station.prepare') }).click();
    await page.getByText(fr('station.ready', { n: 3 })).waitFor({ timeout: 60_000 });
    const before = await responses();

    await w.context.setOffline(true);
    await page.getByText(fr('station.offline')).waitFor();
    for (const [i, group] of (['officials', 'private_sector', 'officials'] as const).entries()) {
      await page.getByLabel(fr(`survey.group.${group}`)).check();
      await answerScale(page, 'fr', i === 1 ? 2 : 5);
      if (group === 'private_sector') await page.getByLabel(SURVEY_TEMPLATE.questionnaires[1]!.questions.find((q) => q.id === 'p-asked')!.options![0]!.text.byLang!.fr!).check();
      else await page.locator('textarea').first().fill(`${COMMENT} ${i}`);
      await page.getByRole('button', { name: fr('survey.submit') }).click();
      await page.getByText(fr('station.savedForLater')).waitFor();
      await page.getByRole('button', { name: fr('station.next') }).click();
      // The screen is reset for the next person.
      expect(await page.locator('input:checked').count()).toBe(0);
    }
    await page.getByText(fr('station.queued', { n: 3 })).waitFor();
    expect(await responses()).toBe(before);
    // IndexedDB holds ciphertext only.
    const stored = (await page.evaluate(`new Promise((resolve) => {
      const open = indexedDB.open('sauti-survey-station');
      open.onsuccess = () => {
        const req = open.result.transaction('queue').objectStore('queue').getAll();
        req.onsuccess = () => resolve(JSON.stringify(req.result));
      };
    })`)) as string;
    expect(stored).toContain('ciphertext');
    expect(stored).not.toContain('SURVEY-BROWSER-canary');
    expect(stored).not.toContain('"answers"');

    await w.context.setOffline(false);
    await waitFor('the three queued responses to arrive', async () => ((await responses()) === before + 3 ? true : undefined), 60_000);
    await page.getByText(fr('station.queued', { n: 0 })).waitFor();
    expect(requestsContaining(w.requests, 'SURVEY-BROWSER-canary')).toEqual([]);
    // The installed station starts at its start_url, which opens the station this tablet was prepared for.
    await page.goto(`${stack.api.url}${appManifest.start_url}`);
    await page.waitForURL(`${stack.api.url}/survey/${iteration.id}/station`);
    await page.getByText(fr('station.ready', { n: 0 })).waitFor();
    expect(w.problems).toEqual([]);
  });
});

describe("the analyst's results, computed in the browser", () => {
  it('when the analyst opens the results, then factors, questions and groups are shown with small cells suppressed, a chart with its table, and a CSV of aggregates', async () => {
    const { w, page, en, exactly } = await analystOnSurveys();
    await page.getByRole('button', { name: `${en('surveys.showResults')}: ${en('surveys.iteration', { n: 1 })}` }).click();
    await page.getByRole('heading', { name: en('surveys.results', { n: 1 }) }).waitFor({ timeout: 60_000 });
    // 3 officials and 1 trader so far: every group cell is under 5, the total of 4 too.
    await page.getByText(en('surveys.total', { n: 4, officials: 3, private: 1, malformed: 0, undecryptable: 0 })).waitFor();
    expect(await page.getByRole('cell', { name: '<5' }).count()).toBeGreaterThan(10);
    expect(await page.locator('figure.chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('figure.chart table').count()).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: en('surveys.exportCsv') }).click();
    const csv = await (await download).createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(csv.split('\r\n')[0]).toMatch(/^level,id,factor/);
    expect(csv).toContain('factor,leadership,leadership,,all,<5');
    expect(csv).not.toContain('SURVEY-BROWSER-canary');
    expect(await axeSerious(page)).toEqual([]);
    // Raw responses only as a deliberate, audited step.
    const audited = async () => Number((await stack.pool.query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE action = 'survey.raw_export'")).rows[0]!.n);
    expect(await audited()).toBe(0);
    await page.getByLabel(exactly(en('surveys.rawReason'))).fill('Checking the free-text answers for threats');
    const rawDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: en('surveys.rawDownload') }).click();
    const raw = await (await rawDownload).createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    expect(raw).toContain('SURVEY-BROWSER-canary');
    expect(await audited()).toBe(1);
    expect(w.problems).toEqual([]);
  });
});

describe('e-mailed invitations from the analyst screen', () => {
  it('when the analyst pastes addresses and sends, then one invitation per address is queued, the count is shown and the screen is accessible', async () => {
    const { w, page, en, exactly } = await analystOnSurveys();
    const mails = async () => Number((await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM survey_invitation_mail WHERE iteration_id = $1', [iteration.id])).rows[0]!.n);
    const before = await mails();
    await page.getByRole('button', { name: `${en('surveys.emailInvitations')}: ${en('surveys.iteration', { n: 1 })}` }).click();
    await page.getByRole('heading', { name: en('surveys.invitationsHeading', { n: 1 }) }).waitFor();
    await page.getByLabel(exactly(en('surveys.invitationsLabel'))).fill('one.browser@invitee.test\ntwo.browser@invitee.test, three.browser@invitee.test');
    await page.getByText(en('surveys.invitationsCount', { n: 3 })).waitFor();
    await page.getByRole('button', { name: en('surveys.invitationsSend') }).click();
    await page.getByText(en('surveys.invitationsQueued', { n: 3 })).waitFor({ timeout: 30_000 });
    expect(await mails()).toBe(before + 3);
    expect(await axeSerious(page)).toEqual([]);
    expect(w.problems).toEqual([]);
  });
});
