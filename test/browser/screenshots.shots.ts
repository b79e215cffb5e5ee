import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDemoOrganisation } from '../../apps/api/src/demo/demo-organisation';
import { launchChromium, tr, watchedContext } from '../helpers/browser';
import { randomBytes, randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../../packages/crypto/src';
import { insertStaffUser } from '../../packages/db/src';
import { nextTotp, signedInStaff, staffCredentials } from '../helpers/staff';
import { prepareReport, ReporterClient, StaffClient } from '../../packages/client/src';
import { base32Decode, totpCode } from '../../apps/api/src/services/totp';
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
  const { rows } = await stack.pool.query<{ id: string; reference: string }>('SELECT id, reference FROM cases LIMIT 1');
  const caseId = rows[0]!.id;
  const reference = rows[0]!.reference;
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
  await staffPage.getByRole('columnheader', { name: en('inbox.category') }).waitFor();
  await shot(staffPage, 'staff-inbox');
  await staffPage.getByRole('button', { name: reference }).click();
  await staffPage.getByText(REPORT).waitFor();
  // The case's facts: category, office, channel, priority, assignee.
  await staffPage.locator('dl.facts').waitFor();
  await staffPage.locator('dl.facts').scrollIntoViewIfNeeded();
  await shot(staffPage, 'staff-case-facts');
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

  // Swahili, on a phone.
  const swahili = await watchedContext(browser, { width: 360, height: 740, locale: 'sw-KE' });
  const swPage = await swahili.newPage();
  await swPage.goto(`${stack.api.url}/`);
  await swPage.getByRole('heading', { name: tr('sw', 'landing.title') }).waitFor();
  await shot(swPage, 'reporter-landing-sw');

  for (const w of [desktop, phone, arabic, arDesktop, swahili]) {
    expect(w.problems).toEqual([]);
    await w.context.close();
  }
});

it('takes the screenshots of activation, the recovery key, the custodian queue and the account page', async () => {
  const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
  const person = (role: string) => people.find((p) => p.roles.includes(role))!;
  // Each sign-in spends a TOTP time step; these pictures are not about that.
  const code = async (p: { id: string; totpSecret: string }) => {
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [p.id]);
    return totpCode(base32Decode(p.totpSecret), Date.now());
  };
  const signedIn = async (p: (typeof people)[number]) => {
    const c = new StaffClient(stack.api.url);
    expect((await c.login(p.email, p.password, await code(p))).status).toBe(200);
    return c;
  };
  const w = await watchedContext(browser, { width: 1280, height: 860, locale: 'en-GB' });
  const page = await w.newPage();

  // Activation: an administrator invites, the invitee opens the e-mailed link.
  const admin = await signedIn(person('admin'));
  const email = 'neema.investigator@demo.sauti.invalid';
  expect((await admin.invite({ email, displayName: 'Neema Achieng', roles: ['investigator'] })).status).toBe(201);
  const mail = await waitFor('the invitation e-mail', async () => stack.mail.find((m) => m.to.includes(email)));
  const token = /\/staff\/activate#([A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;
  await page.goto(`${stack.api.url}/staff/activate#${token}`);
  const newPassword = 'sunrise over the Namanga weighbridge';
  await page.getByLabel(/^New password/).fill(newPassword);
  await page.getByLabel(/^Type the new password again/).fill(newPassword);
  await page.getByRole('button', { name: en('action.next') }).click();
  await page.getByRole('heading', { name: en('activation.totpTitle') }).waitFor({ timeout: 60_000 });
  await shot(page, 'staff-activation');
  const secret = base32Decode(((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, ''));
  await page.getByLabel(/^Code from your authenticator app/).fill(totpCode(secret, Date.now()));
  await page.getByRole('button', { name: en('activation.activate') }).click();
  await page.getByRole('heading', { name: en('recoveryKey.title') }).waitFor({ timeout: 60_000 });
  await shot(page, 'staff-recovery-key');
  await page.getByLabel(en('recoveryKey.saved')).check();
  await page.getByRole('button', { name: en('activation.toSignIn') }).click();

  // An internal report with a confidential identity; its assignee asks the custodian for the identity.
  const reporter = new ReporterClient(stack.api.url);
  const intake = await reporter.intake();
  const context = intake.contexts.find((c) => c.channel === 'internal')!;
  const prepared = prepareReport(intake, {
    context, category: 'abuse-of-office', identity: { v: 1, name: 'Officer Wanjiru', contact: '+254 700 000 000' },
    body: { v: 1, answers: [{ id: 'what', label: 'What happened?', value: 'The shift supervisor sells night-shift postings at Malaba.' }], text: '' },
  });
  expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
  const assigneeId = await waitFor('assignment', async () => {
    const r = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [prepared.request.id]);
    return r.rows[0]?.assignee_id ?? null;
  });
  const handlerPerson = people.find((p) => p.id === assigneeId)!;
  // The first screenshots replaced this person's authenticator secret; give the demo one back.
  await stack.pool.query('UPDATE staff_users SET totp_secret = $2 WHERE id = $1', [handlerPerson.id, base32Decode(handlerPerson.totpSecret)]);
  const handler = await signedIn(handlerPerson);
  expect((await handler.requestIdentity(prepared.request.id, 'We need to hear the reporter as a witness before the disciplinary hearing on 12 May.')).status).toBe(201);

  const custodian = person('custodian');
  await page.getByLabel(en('staff.email')).fill(custodian.email);
  await page.getByLabel(en('staff.password')).fill(custodian.password);
  await page.getByLabel(en('staff.totp')).fill(await code(custodian));
  await page.getByRole('button', { name: en('staff.signIn') }).click();
  await page.getByRole('heading', { name: en('custodian.title') }).waitFor({ timeout: 60_000 });
  await page.getByText(/disciplinary hearing/).waitFor();
  await shot(page, 'staff-identity-requests');
  await page.getByRole('button', { name: en('staffNav.account') }).click();
  await page.getByTestId('session-end').waitFor();
  await page.screenshot({ path: path.join(OUT, 'staff-account.png'), fullPage: true });

  expect(w.problems).toEqual([]);
  await w.context.close();
});


it('takes the screenshots of two administration screens', async () => {
  const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
  const admin = readAdminCatalogue();
  const a = (key: string) => admin[key]!;
  const adminPerson = people.find((p) => p.roles.includes('admin'))!;
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [adminPerson.id]);
  const w = await watchedContext(browser, { width: 1280, height: 860, locale: 'en-GB' });
  const page = await w.newPage();
  await page.goto(`${stack.api.url}/staff`);
  await page.getByLabel(en('staff.email')).fill(adminPerson.email);
  await page.getByLabel(en('staff.password')).fill(adminPerson.password);
  await page.getByLabel(en('staff.totp')).fill(totpCode(base32Decode(adminPerson.totpSecret), Date.now()));
  await page.getByRole('button', { name: en('staff.signIn') }).click();
  await page.getByRole('button', { name: a('admin.navEntry') }).click({ timeout: 60_000 });
  const adminNav = page.getByRole('navigation', { name: a('admin.navLabel') });

  // A context's deadlines and retention.
  await adminNav.getByRole('button', { name: a('admin.nav.contexts') }).click();
  await page.getByRole('button', { name: /^Edit: / }).first().click();
  await page.locator('#ctx-acknowledgeDays').scrollIntoViewIfNeeded();
  await shot(page, 'admin-context');

  // The same context's Translations section, with a French translation being typed.
  await page.getByRole('heading', { name: a('admin.translations.title') }).waitFor();
  await page.locator('#ctx-translate-into').selectOption('fr');
  await page.locator('#tr-fr-category-bribery-extortion').fill('Corruption et extorsion');
  await page.getByRole('heading', { name: a('admin.translations.title') }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
  await shot(page, 'admin-translations');

  // The routing rules with a dry run's explanation.
  await adminNav.getByRole('button', { name: a('admin.nav.routing') }).click();
  await page.getByRole('button', { name: a('admin.routing.addRule') }).click();
  await page.locator('#rule-0-name').fill('Bribery at border posts');
  const contexts = await stack.pool.query<{ id: string }>("SELECT id FROM contexts WHERE channel = 'public' ORDER BY position LIMIT 1");
  await page.locator('#rule-0-context').selectOption(contexts.rows[0]!.id);
  await page.locator('#rule-0-category').selectOption('bribery-extortion');
  await page.locator('#rule-0-priority').selectOption('high');
  await page.getByRole('button', { name: a('admin.routing.addDefault') }).click();
  await page.getByRole('button', { name: a('admin.routing.save') }).click();
  await page.locator('#dry-context').selectOption(contexts.rows[0]!.id);
  await page.locator('#dry-category').selectOption('bribery-extortion');
  await page.getByRole('button', { name: a('admin.dryRun.run') }).click();
  await page.getByRole('heading', { name: a('admin.dryRun.resultTitle') }).waitFor();
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.getByRole('heading', { name: a('admin.dryRun.resultTitle') }).scrollIntoViewIfNeeded();
  await shot(page, 'admin-routing');

  expect(w.problems).toEqual([]);
  await w.context.close();
});

it('takes the screenshots of a report recorded on behalf of a caller', async () => {
  const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
  // The demo has no intake officer; one joins the first unit for these pictures.
  await ready();
  const unit = await stack.pool.query<{ unit_id: string }>('SELECT unit_id FROM staff_users WHERE id = $1', [people[0]!.id]);
  const officer = { id: randomUUID(), email: 'neema.hotline@demo.sauti.invalid', displayName: 'Neema Wekesa', keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...officer, unitId: unit.rows[0]!.unit_id, roles: ['intake'], status: 'active', publicKey: officer.keyPair.publicKey });
  await signedInStaff(stack, officer);
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [officer.id]);
  const { password, totpSecret } = staffCredentials(officer.id);
  const w = await watchedContext(browser, { width: 1280, height: 860, locale: 'en-GB' });
  const page = await w.newPage();
  await page.goto(`${stack.api.url}/staff`);
  await page.getByLabel(en('staff.email')).fill(officer.email);
  await page.getByLabel(en('staff.password')).fill(password);
  await page.getByLabel(en('staff.totp')).fill(nextTotp(totpSecret));
  await page.getByRole('button', { name: en('staff.signIn') }).click();
  await page.getByRole('heading', { name: en('onBehalf.title') }).waitFor({ timeout: 90_000 });
  await page.getByLabel(en('onBehalf.hotline')).check();
  await shot(page, 'staff-on-behalf');

  await page.getByRole('button', { name: en('onBehalf.start') }).click();
  await page.getByRole('heading', { name: en('step.channel') }).waitFor();
  await page.getByLabel(/Report corruption \(citizens and traders\)/).check();
  await page.getByRole('button', { name: en('action.next') }).click();
  await page.getByRole('heading', { name: en('step.details') }).waitFor();
  await page.getByLabel(en('details.category')).selectOption('bribery-extortion');
  await page.getByLabel(en('details.region')).selectOption('namanga');
  await page.getByRole('textbox', { name: 'What happened?' }).fill('The caller says the Malaba weighbridge clerk asks 20 USD per lorry before weighing.');
  for (const step of ['step.exclusions', 'step.attachments', 'step.review']) {
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en(step) }).waitFor();
  }
  await page.getByRole('button', { name: en('send.button') }).click();
  await page.getByRole('heading', { name: en('receipt.title') }).waitFor({ timeout: 90_000 });
  await page.getByText(en('onBehalf.readOut')).waitFor();
  await shot(page, 'staff-on-behalf-receipt');

  expect(w.problems).toEqual([]);
  await w.context.close();
});

function readAdminCatalogue(): Record<string, string> {
  return JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n', 'admin-en.json'), 'utf8')) as Record<string, string>;
}
