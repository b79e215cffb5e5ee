import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { insertStaffUser } from '../../packages/db/src';
import { base32Decode, totpCode } from '../../apps/api/src/services/totp';
import { giveOpenCases, seedOrganisation } from '../helpers/fixtures';
import { axeSerious, closeBrowserPage, expectAccessible, failOnPageProblems, openBrowserPage, requestsContaining, tr, type WatchedContext } from '../helpers/browser';
import { signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// A real browser running Argon2id once for the sign-in.
jest.setTimeout(180_000);

const a = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

let stack: TestStack;
let browser: Browser;
let w: WatchedContext;
let page: Page;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
const adminPerson = { id: randomUUID(), email: `admin.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
const invitee = `baraka.${randomUUID().slice(0, 6)}@test.sauti.invalid`;
const label = `adm${randomUUID().slice(0, 4)}`;

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true' } });
  org = await seedOrganisation(stack.pool, { investigators: 2, label });
  await insertStaffUser(stack.pool, { ...adminPerson, displayName: 'Admin Achieng', unitId: null, roles: ['admin'], status: 'active' });
  // Gives the admin a real password and authenticator; the browser then signs in with them.
  await signedInStaff(stack, adminPerson);
  // A second border post, so that a rule can name two.
  await stack.pool.query(`INSERT INTO context_regions (context_id, id, label, position) VALUES ($1, 'busia', 'Busia', 1)`, [org.contextId]);
  ({ browser, w, page } = await openBrowserPage('en-GB'));
});

afterAll(async () => {
  await closeBrowserPage({ browser, w });
  await stack?.stop();
});

failOnPageProblems(() => w);

async function openAdmin(view: string): Promise<void> {
  await page.getByRole('navigation', { name: a('admin.navLabel') }).getByRole('button', { name: a(view) }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(a(view)) }).waitFor();
}

describe('an administrator at work in the browser', () => {
  it('when the admin signs in, then "Administration" is offered and opens on people and invitations, which pass axe', async () => {
    const { password, totpSecret } = staffCredentials(adminPerson.id);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [adminPerson.id]);
    await page.goto(`${stack.api.url}/staff`);
    await page.getByRole('heading', { name: tr('en', 'staff.loginTitle') }).waitFor();
    await page.getByLabel(exactly(tr('en', 'staff.email'))).fill(adminPerson.email);
    await page.getByLabel(exactly(tr('en', 'staff.password'))).fill(password);
    await page.getByLabel(exactly(tr('en', 'staff.totp'))).fill(totpCode(totpSecret, Date.now()));
    await page.getByRole('button', { name: tr('en', 'staff.signIn') }).click();
    await page.getByRole('button', { name: a('admin.navEntry') }).click({ timeout: 90_000 });
    await page.getByRole('heading', { level: 1, name: new RegExp(a('admin.nav.people')) }).waitFor();
    await page.getByRole('cell', { name: 'investigator 0', exact: true }).waitFor();
    await expectAccessible(page, 'people');
  });

  it('when the admin invites a person, then a bad address is named next to its field, and a good one sends the invitation e-mail', async () => {
    await page.getByLabel(exactly(a('admin.people.email'))).first().fill('not an address');
    await page.getByLabel(exactly(a('admin.people.name'))).first().fill('Baraka Otieno');
    await page.getByRole('button', { name: a('admin.people.invite') }).click();
    await page.getByText('must be an e-mail address such as name@customs.example').first().waitFor();
    // Said once, next to its field.
    expect(await page.getByText('must be an e-mail address such as name@customs.example').count()).toBe(1);
    await page.getByLabel(exactly(a('admin.people.email'))).first().fill(invitee);
    // "Roles" is marked required; with none chosen, one error in the reader's language, and nothing is sent.
    const roles = page.getByRole('group', { name: a('admin.people.roles') }).first();
    expect(await roles.locator('legend').textContent()).toContain('*');
    await roles.getByLabel(a('admin.role.investigator')).uncheck();
    const before = w.requests.length;
    await page.getByRole('button', { name: a('admin.people.invite') }).click();
    await page.getByText(a('admin.people.rolesRequired')).waitFor();
    expect(await page.getByText(a('admin.people.rolesRequired')).count()).toBe(1);
    expect(await page.getByText(/\broles\b/).count()).toBe(0);
    expect(w.requests.slice(before).filter((r) => r.url.includes('/api/'))).toEqual([]);
    await roles.getByLabel(a('admin.role.investigator')).check();
    await page.getByRole('group', { name: a('admin.people.roles') }).first().getByLabel(a('admin.role.supervisor')).check();
    await page.locator('#invite-unit').selectOption(org.unitId);
    await page.getByRole('button', { name: a('admin.people.invite') }).click();
    await page.getByText(a('admin.people.invited', { email: invitee })).waitFor();
    await page.getByRole('cell', { name: invitee, exact: true }).waitFor();
    const mail = await waitFor('the invitation e-mail', async () => stack.mail.find((m) => m.to.includes(invitee)));
    expect(mail.raw.replace(/=\r?\n/g, '')).toMatch(/\/staff\/activate#[A-Za-z0-9_-]{43}/);
    const { rows } = await stack.pool.query<{ roles: string[]; unit_id: string; status: string }>('SELECT roles, unit_id, status FROM staff_users WHERE email = $1', [invitee]);
    expect(rows[0]).toEqual({ roles: ['investigator', 'supervisor'], unit_id: org.unitId, status: 'invited' });
  });

  it('when the admin edits a context\'s deadlines, then an unlawful value is refused next to its field and lawful ones are saved', async () => {
    await openAdmin('admin.nav.contexts');
    await expectAccessible(page, 'contexts');
    const { rows: ctx } = await stack.pool.query<{ name: string }>('SELECT name FROM contexts WHERE id = $1', [org.contextId]);
    await page.getByRole('button', { name: `${a('admin.edit')}: ${ctx[0]!.name}` }).click();
    await page.getByRole('heading', { name: new RegExp(a('admin.contexts.editTitle')) }).waitFor();
    await expectAccessible(page, 'context editor');
    await page.getByLabel(exactly(a('admin.contexts.acknowledgeDays'))).fill('9');
    await page.getByRole('button', { name: a('admin.contexts.save') }).click();
    await page.locator('#ctx-acknowledgeDays-error').getByText(/at most 7/).waitFor();
    await page.getByLabel(exactly(a('admin.contexts.acknowledgeDays'))).fill('5');
    await page.getByLabel(exactly(a('admin.contexts.feedbackDays'))).fill('60');
    await page.getByLabel(exactly(a('admin.contexts.retentionDays'))).fill('400');
    await page.getByRole('button', { name: a('admin.contexts.save') }).click();
    await page.getByText(a('admin.saved'), { exact: true }).first().waitFor();
    const { rows } = await stack.pool.query('SELECT acknowledge_days, feedback_days, retention_days FROM contexts WHERE id = $1', [org.contextId]);
    expect(rows[0]).toEqual({ acknowledge_days: 5, feedback_days: 60, retention_days: 400 });
    // Categories: a new one appears in the list at once.
    await page.locator('#categories-new-id').fill('undervaluation');
    await page.locator('#categories-new-label').fill('Undervaluation');
    await page.getByRole('button', { name: a('admin.list.add') }).first().click();
    await page.getByRole('button', { name: `${a('admin.list.remove')}: undervaluation` }).waitFor();
  });

  it('when the admin adds, reorders and removes intake questions, then a bad id is refused at its field and the saved questions are what reporters get from /intake', async () => {
    const intakeQuestions = async () => {
      const intake = (await (await fetch(`${stack.api.url}/api/v1/intake`)).json()) as { contexts: { id: string; questions: unknown[] }[] };
      return intake.contexts.find((c) => c.id === org.contextId)!.questions;
    };
    await page.getByRole('heading', { name: a('admin.questions.title') }).waitFor();
    await page.getByText(a('admin.questions.none')).waitFor();
    await page.getByRole('button', { name: a('admin.questions.add') }).click();
    // The new question's first field takes the focus, so the keyboard carries on there.
    await page.waitForFunction("document.activeElement !== null && document.activeElement.id === 'question-0-id'", null, { timeout: 5_000 });
    await page.keyboard.type('Goods Type');
    await page.locator('#question-0-label').fill('What goods were declared?');
    await page.getByRole('button', { name: a('admin.questions.add') }).click();
    await page.locator('#question-1-id').fill('office-shift');
    await page.locator('#question-1-label').fill('Which shift was it?');
    await page.locator('#question-1-kind').selectOption('textarea');
    await page.getByLabel(a('admin.questions.required')).nth(1).check();
    await page.getByRole('button', { name: a('admin.questions.save') }).click();
    await page.locator('#question-0-id-error').getByText(/lowercase letters/).waitFor();
    await expectAccessible(page, 'intake questions with an issue');
    expect(await intakeQuestions()).toEqual([]);

    await page.locator('#question-0-id').fill('goods-type');
    await page.getByRole('button', { name: `${a('admin.list.up')}: ${a('admin.questions.itemTitle', { n: 2, label: 'Which shift was it?' })}` }).click();
    await page.getByRole('button', { name: a('admin.questions.save') }).click();
    await page.getByText(a('admin.questions.saved', { n: 2 })).waitFor();
    expect(await intakeQuestions()).toEqual([
      { id: 'office-shift', label: 'Which shift was it?', kind: 'textarea', required: true },
      { id: 'goods-type', label: 'What goods were declared?', kind: 'text', required: false },
    ]);
    await expectAccessible(page, 'intake questions');

    await page.getByRole('button', { name: `${a('admin.list.remove')}: ${a('admin.questions.itemTitle', { n: 1, label: 'Which shift was it?' })}` }).click();
    await page.getByRole('button', { name: a('admin.questions.save') }).click();
    await page.getByText(a('admin.questions.saved', { n: 1 })).waitFor();
    expect(await intakeQuestions()).toEqual([{ id: 'goods-type', label: 'What goods were declared?', kind: 'text', required: false }]);
  });

  it('when the admin saves a bad routing rule set, then each issue is shown at its rule; fixed, the set is saved and the dry run explains a decision', async () => {
    await openAdmin('admin.nav.routing');
    await expectAccessible(page, 'routing rules');
    await page.getByRole('button', { name: a('admin.routing.addRule') }).click();
    await page.getByRole('group', { name: a('admin.routing.ruleTitle', { n: 1, name: '…' }) }).waitFor();
    await page.locator('#rule-0-name').fill('Bribery at Namanga');
    await page.getByRole('group', { name: a('admin.routing.ruleTitle', { n: 1, name: 'Bribery at Namanga' }) }).waitFor();
    await page.locator('#rule-0-context').selectOption(org.contextId);
    await page.locator('#rule-0-category').selectOption('bribery-extortion');
    // A condition may name several offices or border posts.
    await page.getByRole('group', { name: a('admin.routing.regions') }).getByLabel('Namanga').check();
    await page.getByRole('group', { name: a('admin.routing.regions') }).getByLabel('Busia').check();
    await page.locator('#rule-0-unit').selectOption(org.unitId);
    await page.locator('#rule-0-ack').fill('9');
    await page.getByRole('button', { name: a('admin.routing.save') }).click();
    // The schema's issue sits next to the rule's own field…
    await page.locator('#rule-0-ack-error').getByText(/at most 7/).waitFor();
    await expectAccessible(page, 'routing rules with issues');
    await page.locator('#rule-0-ack').fill('');
    await page.getByRole('button', { name: a('admin.routing.save') }).click();
    // …and a problem of the whole set (no default rule) above the list.
    await page.getByText(/needs exactly one default rule/).first().waitFor();
    expect(await stack.pool.query('SELECT 1 FROM routing_rules').then((r) => r.rowCount)).toBe(0);

    await page.getByRole('button', { name: a('admin.routing.addDefault') }).click();
    await page.getByRole('button', { name: a('admin.routing.save') }).click();
    await page.getByText(a('admin.routing.saved', { n: 2 })).waitFor();
    const { rows } = await stack.pool.query<{ name: string; is_default: boolean; region_ids: string[] | null }>('SELECT name, is_default, region_ids FROM routing_rules ORDER BY position');
    expect(rows).toEqual([
      { name: 'Bribery at Namanga', is_default: false, region_ids: ['namanga', 'busia'] },
      { name: a('admin.routing.defaultName'), is_default: true, region_ids: null },
    ]);

    // A report from the second of the rule's places matches it.
    await page.locator('#dry-context').selectOption(org.contextId);
    await page.locator('#dry-category').selectOption('bribery-extortion');
    await page.locator('#dry-region').selectOption('busia');
    await page.getByRole('button', { name: a('admin.dryRun.run') }).click();
    await page.getByText(a('admin.dryRun.stepMatch', { rule: 'Bribery at Namanga' })).waitFor();
    await page.locator('#dry-region').selectOption('');

    await page.locator('#dry-context').selectOption(org.contextId);
    await page.locator('#dry-category').selectOption('other');
    await page.getByRole('button', { name: a('admin.dryRun.run') }).click();
    await page.getByRole('heading', { name: a('admin.dryRun.resultTitle') }).waitFor();
    // The reasoning comes as data and is said in the page's language (here English, from the catalogue).
    await page.getByText(a('admin.dryRun.stepMismatch', { rule: 'Bribery at Namanga', field: a('admin.routing.category'), value: 'Other', wants: 'Bribery' })).waitFor();
    // Names, not ids: the category the reporter chose and the one the rule wants.
    expect(await page.locator('ol.explanation').textContent()).not.toMatch(/bribery-extortion|\bother\b/);
    await page.getByText(a('admin.dryRun.stepMatchDefault', { rule: a('admin.routing.defaultName') })).waitFor();
    await page.getByRole('definition').filter({ hasText: a('admin.routing.defaultName') }).waitFor();
    await expectAccessible(page, 'dry run');
  });

  it('when the admin changes the rules and leaves without saving, then she is asked first and can stay; Back between admin screens follows their addresses', async () => {
    expect(new URL(page.url()).pathname).toBe('/staff/admin/routing');
    await page.getByRole('button', { name: a('admin.routing.addRule') }).click();
    let asked: string | null = null;
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.getByRole('navigation', { name: a('admin.navLabel') }).getByRole('button', { name: a('admin.nav.units') }).click();
    await waitFor('the question', async () => asked);
    expect(asked).toBe(a('admin.routing.unsavedLeave'));
    // She stayed: the unsaved rule is still there.
    await page.getByRole('group', { name: a('admin.routing.ruleTitle', { n: 2, name: '…' }) }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/admin/routing');
    page.once('dialog', (d) => void d.accept());
    await openAdmin('admin.nav.units');
    expect(new URL(page.url()).pathname).toBe('/staff/admin/units');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: new RegExp(a('admin.routing.title')) }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/admin/routing');
    // Leaving anyway dropped the unsaved rule: only the saved two are shown.
    await page.getByRole('group', { name: a('admin.routing.ruleTitle', { n: 2, name: a('admin.routing.defaultName') }) }).waitFor();
    expect(await page.getByRole('group', { name: a('admin.routing.ruleTitle', { n: 3, name: '…' }) }).count()).toBe(0);
  });

  it('when the admin opens queue health, units and legal hold, then each screen works and passes axe', async () => {
    await openAdmin('admin.nav.queues');
    // Plain names, and a state that says what healthy means.
    const triage = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `${a('admin.queues.name.triage')} triage` }) });
    await triage.getByText(a('admin.queues.healthy')).waitFor();
    await page.getByText(a('admin.queues.healthHint', { n: 50 })).waitFor();
    await page.getByText(a('admin.queues.noFailedNotifications')).waitFor();
    await expectAccessible(page, 'queue health');

    await openAdmin('admin.nav.units');
    await page.getByText(`Unit ${label}`, { exact: true }).waitFor();
    await expectAccessible(page, 'units');

    await openAdmin('admin.nav.legalHold');
    await page.getByLabel(exactly(a('admin.hold.caseId'))).fill('not-a-case');
    await page.getByRole('button', { name: a('admin.hold.place') }).click();
    await page.getByText(a('admin.hold.badId')).waitFor();
    await page.getByLabel(exactly(a('admin.hold.caseId'))).fill('SA-NONE-0000');
    await page.getByRole('button', { name: a('admin.hold.place') }).click();
    await page.getByText(a('admin.hold.notFound', { id: 'SA-NONE-0000' })).waitFor();
    expect(await page.getByText('There is no case').count()).toBe(0);
    // The reference people see, typed as they might read it out: lower case, spaces.
    await giveOpenCases(stack.pool, org.contextId, org.investigators[0]!.id, 1);
    const { rows } = await stack.pool.query<{ id: string; reference: string }>('SELECT id, reference FROM cases WHERE context_id = $1 LIMIT 1', [org.contextId]);
    await page.getByLabel(exactly(a('admin.hold.caseId'))).fill(rows[0]!.reference.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: a('admin.hold.place') }).click();
    await page.getByText(a('admin.hold.placed', { id: rows[0]!.reference.toUpperCase() })).waitFor();
    const held = await stack.pool.query<{ legal_hold: boolean }>('SELECT legal_hold FROM cases WHERE id = $1', [rows[0]!.id]);
    expect(held.rows[0]!.legal_hold).toBe(true);
    await expectAccessible(page, 'legal hold');
  });

  it('when the admin switches to Arabic, then the administration screens are right-to-left and translated, and pass axe', async () => {
    await page.locator('#language').selectOption('ar');
    await page.getByRole('heading', { level: 1, name: new RegExp(tr('ar', 'admin.title')) }).waitFor();
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    await page.getByRole('navigation', { name: tr('ar', 'admin.navLabel') }).getByRole('button', { name: tr('ar', 'admin.nav.routing') }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(tr('ar', 'admin.routing.title')) }).waitFor();
    await expectAccessible(page, 'routing rules in Arabic');
    await page.locator('#language').selectOption('en');
  });

  it('when the admin resets the authenticator of an investigator who lost her phone, then she sets up a new one from the e-mailed link with her password, which never leaves the browser', async () => {
    const investigator = org.investigators[1]!;
    await signedInStaff(stack, investigator);
    const { password } = staffCredentials(investigator.id);
    await openAdmin('admin.nav.people');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `${a('admin.people.totpReset')}: ${investigator.displayName}` }).click();
    await page.getByText(a('admin.people.totpResetDone', { name: investigator.displayName })).waitFor();
    const mail = await waitFor('the reset e-mail', async () => stack.mail.find((m) => m.to.includes(investigator.email)));
    const token = /\/staff\/totp-reset#([A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;

    const own = await w.newPage();
    await own.goto(`${stack.api.url}/staff/totp-reset#${token}`);
    await own.getByRole('heading', { name: a('admin.totp.title') }).waitFor();
    expect({ screen: 'totp reset', violations: await axeSerious(own) }).toEqual({ screen: 'totp reset', violations: [] });
    const secret = base32Decode(((await own.locator('.totp-secret').textContent()) ?? '').replace(/\s/g, ''));
    await own.getByLabel(exactly(a('admin.totp.password'))).fill('not my password at all');
    await own.getByLabel(exactly(a('admin.totp.code'))).fill(totpCode(secret, Date.now()));
    await own.getByRole('button', { name: a('admin.totp.submit') }).click();
    await own.getByText(a('admin.totp.passwordWrong')).waitFor();
    await own.getByLabel(exactly(a('admin.totp.password'))).fill(password);
    await own.getByRole('button', { name: a('admin.totp.submit') }).click();
    await own.getByText(a('admin.totp.done')).waitFor();
    expect(new URL(own.url()).pathname + new URL(own.url()).hash).toBe('/staff');
    await own.close();
    const { rows } = await stack.pool.query<{ totp_secret: Buffer }>('SELECT totp_secret FROM staff_users WHERE id = $1', [investigator.id]);
    expect(rows[0]!.totp_secret.equals(secret)).toBe(true);
    expect(requestsContaining(w.requests, password)).toEqual([]);
  });

  it('when someone without the admin role signs in, then no "Administration" entry is offered', async () => {
    const investigator = org.investigators[0]!;
    await signedInStaff(stack, investigator);
    const { password, totpSecret } = staffCredentials(investigator.id);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [investigator.id]);
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${stack.api.url}/staff`);
    await other.getByLabel(exactly(tr('en', 'staff.email'))).fill(investigator.email);
    await other.getByLabel(exactly(tr('en', 'staff.password'))).fill(password);
    await other.getByLabel(exactly(tr('en', 'staff.totp'))).fill(totpCode(totpSecret, Date.now()));
    await other.getByRole('button', { name: tr('en', 'staff.signIn') }).click();
    await other.getByRole('heading', { name: tr('en', 'inbox.title') }).waitFor({ timeout: 90_000 });
    expect(await other.getByRole('button', { name: a('admin.navEntry') }).count()).toBe(0);
    await other.context().close();
  });
});
