import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDemoOrganisation } from '../../apps/api/src/demo/demo-organisation';
import { launchChromium, tr, watchedContext } from '../helpers/browser';
import { randomBytes } from 'node:crypto';
import { nextTotp } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// Writes the screenshots linked from docs/web.md. Run with `npm run screenshots`.
const OUT = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const REPORT = 'At the Namanga one-stop border post, an officer asked our driver for 200 USD to release the truck without inspection. He said the scanner was "broken" until we paid.';

let stack: TestStack;
let people: NonNullable<Awaited<ReturnType<typeof seedDemoOrganisation>>>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' } });
  people = (await seedDemoOrganisation(stack.pool))!;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`) });

it('takes the screenshots of the main screens', async () => {
  const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
  const desktop = await watchedContext(browser, { width: 1280, height: 860, locale: 'en-GB' });
  const page = await desktop.newPage();
  await page.goto(`${stack.api.url}/`);
  await page.getByRole('heading', { name: en('landing.title') }).waitFor();
  await shot(page, 'reporter-landing');

  await page.getByRole('button', { name: en('landing.start') }).click();
  await page.getByLabel(/Report corruption \(citizens and traders\)/).check();
  await page.getByRole('button', { name: en('action.next') }).click();
  await page.getByLabel(en('details.category')).selectOption('bribery-extortion');
  await page.getByLabel(en('details.region')).selectOption('namanga');
  await page.getByRole('textbox', { name: 'What happened?' }).fill(REPORT);
  await page.getByRole('textbox', { name: 'When did it happen (approximately)?' }).fill('Tuesday 4 March, around 3 pm');
  await shot(page, 'reporter-details');
  await page.getByRole('button', { name: en('action.next') }).click();
  await page.getByLabel(/^Grace Okello/).check();
  await shot(page, 'reporter-exclusions');
  await page.getByRole('button', { name: en('action.next') }).click();
  await page.getByRole('button', { name: en('action.next') }).click();
  await page.getByRole('heading', { name: en('step.review') }).waitFor();
  await page.getByRole('button', { name: en('send.button') }).click();
  await page.getByRole('heading', { name: en('receipt.title') }).waitFor({ timeout: 60_000 });
  const receipt = ((await page.getByTestId('receipt').textContent()) ?? '').replace(/[^0-9A-Z]/g, '');
  await shot(page, 'reporter-receipt');
  await page.getByLabel(en('receipt.saved')).check();
  await page.getByRole('button', { name: en('receipt.finish') }).click();

  // Phone, French.
  const phone = await watchedContext(browser, { width: 360, height: 740, locale: 'fr-FR' });
  const phonePage = await phone.newPage();
  await phonePage.goto(`${stack.api.url}/`);
  await phonePage.getByRole('heading', { name: tr('fr', 'landing.title') }).waitFor();
  await shot(phonePage, 'phone-landing-fr');

  // Staff: the assigned investigator.
  const { rows } = await stack.pool.query<{ id: string; assignee_id: string }>('SELECT id, assignee_id FROM cases LIMIT 1');
  const caseId = rows[0]!.id;
  const assigneeId = await waitFor('assignment', async () => {
    const r = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
    return r.rows[0]!.assignee_id;
  });
  const person = people.find((p) => p.id === assigneeId)!;
  // The demo gives passwords; an authenticator secret is set here, as activation would have.
  const totpSecret = randomBytes(20);
  await stack.pool.query('UPDATE staff_users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1', [assigneeId, totpSecret]);
  const creds = { password: person.password, totpSecret };
  const staffPage = await desktop.newPage();
  await staffPage.goto(`${stack.api.url}/staff`);
  await staffPage.getByLabel(en('staff.email')).fill(person.email);
  await staffPage.getByLabel(en('staff.password')).fill(creds.password);
  await staffPage.getByLabel(en('staff.totp')).fill(nextTotp(creds.totpSecret));
  await shot(staffPage, 'staff-sign-in');
  await staffPage.getByRole('button', { name: en('staff.signIn') }).click();
  await staffPage.getByRole('heading', { name: en('inbox.title') }).waitFor({ timeout: 60_000 });
  await staffPage.getByText(en('inbox.count', { n: 1 })).waitFor();
  await shot(staffPage, 'staff-inbox');
  await staffPage.getByRole('row').nth(1).getByRole('button').click();
  await staffPage.getByText(REPORT).waitFor();
  await staffPage.getByLabel(en('staff.newStatus')).selectOption('acknowledged');
  await staffPage.getByRole('button', { name: en('staff.changeStatus') }).click();
  await staffPage.getByText(en('status.acknowledged')).first().waitFor();
  await staffPage.getByLabel(en('staff.reply')).fill('Thank you. Do you remember the officer’s badge number or the truck’s registration?');
  await staffPage.getByRole('button', { name: en('messages.send') }).click();
  await staffPage.getByText(en('messages.sent')).waitFor();
  await staffPage.screenshot({ path: path.join(OUT, 'staff-case.png'), fullPage: true });

  // The reporter returns, in Arabic on a phone.
  const arabic = await watchedContext(browser, { width: 360, height: 740, locale: 'ar' });
  const arPage = await arabic.newPage();
  await arPage.goto(`${stack.api.url}/follow-up`);
  await arPage.getByLabel(tr('ar', 'followUp.receiptLabel')).fill(receipt);
  await arPage.getByRole('button', { name: tr('ar', 'followUp.open') }).click();
  await arPage.getByRole('heading', { name: new RegExp(`^${tr('ar', 'case.title', { reference: '' })}`) }).waitFor({ timeout: 60_000 });
  await shot(arPage, 'phone-follow-up-ar');
  const arDesktop = await watchedContext(browser, { width: 1280, height: 860, locale: 'ar' });
  const arDesktopPage = await arDesktop.newPage();
  await arDesktopPage.goto(`${stack.api.url}/`);
  await arDesktopPage.getByRole('heading', { name: tr('ar', 'landing.title') }).waitFor();
  await shot(arDesktopPage, 'reporter-landing-ar');

  for (const w of [desktop, phone, arabic, arDesktop]) {
    expect(w.problems).toEqual([]);
    await w.context.close();
  }
});
