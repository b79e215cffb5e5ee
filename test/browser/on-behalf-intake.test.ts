import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { generateKeyPair, ready } from '../../packages/crypto/src';
import { openReporterCase, ReporterClient } from '../../packages/client/src';
import { insertStaffUser } from '../../packages/db/src';
import { seedOrganisation, type TestStaff } from '../helpers/fixtures';
import { closeBrowserPage, expectAccessible, failOnPageProblems, openBrowserPage, requestsContaining, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { nextTotp, signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// A real browser running Argon2id twice (the officer's sign-in, the caller's receipt).
jest.setTimeout(240_000);

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const CALL = 'HOTLINE-CANARY-3f1c: the caller says the Malaba weighbridge clerk asks 20 USD per lorry';

let stack: TestStack;
let browser: Browser;
let w: WatchedContext;
let page: Page;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let officer: TestStaff;
let receipt: string;
let caseId: string;

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true' } });
  org = await seedOrganisation(stack.pool, { investigators: 1 });
  // An intake officer who is not among the context's recipients.
  officer = { id: randomUUID(), email: `neema.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: 'Neema Hotline', keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...officer, unitId: org.unitId, roles: ['intake'], status: 'active', publicKey: officer.keyPair.publicKey });
  await signedInStaff(stack, officer);
  ({ browser, w, page } = await openBrowserPage('en-GB'));
});

afterAll(async () => {
  await closeBrowserPage({ browser, w });
  await stack?.stop();
});

failOnPageProblems(() => w);

describe('an intake officer records a hotline call in her browser; the caller follows up with the receipt', () => {
  it('when she signs in, then she starts on "Record a report", and must say how the report reached her', async () => {
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [officer.id]);
    const { password, totpSecret } = staffCredentials(officer.id);
    await page.goto(`${stack.api.url}/staff`);
    await page.getByLabel(en('staff.email')).fill(officer.email);
    await page.getByLabel(en('staff.password')).fill(password);
    await page.getByLabel(en('staff.totp')).fill(nextTotp(totpSecret));
    await page.getByRole('button', { name: en('staff.signIn') }).click();
    await page.getByRole('heading', { name: en('onBehalf.title') }).waitFor({ timeout: 90_000 });
    expect(new URL(page.url()).pathname).toBe('/staff/intake');
    await page.getByText('(Intake officer)').waitFor();
    await expectAccessible(page, 'on-behalf intake start');
    await page.getByRole('button', { name: en('onBehalf.start') }).click();
    await page.getByText(en('onBehalf.viaMissing')).waitFor();
    await page.getByLabel(en('onBehalf.hotline')).check();
    await page.getByRole('button', { name: en('onBehalf.start') }).click();
    await page.getByRole('heading', { name: en('step.channel') }).waitFor();
  });

  it('when she types the call into the reporter\'s wizard and sends it, then it is sealed in her browser without a proof of work, and she gets the receipt to read out or print', async () => {
    // Signing in cost a proof of work (protocol §6); recording the report must not cost another.
    const powBefore = w.requests.filter((r) => r.url.endsWith('/api/v1/pow')).length;
    await page.getByLabel(/^Context /).check();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.details') }).waitFor();
    await page.getByLabel(en('details.category')).selectOption('bribery-extortion');
    await page.getByLabel(en('details.freeText')).fill(CALL);
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.exclusions') }).waitFor();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.attachments') }).waitFor();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.review') }).waitFor();
    await page.getByRole('button', { name: en('send.button') }).click();

    await page.getByRole('heading', { name: en('receipt.title') }).waitFor({ timeout: 90_000 });
    await page.getByText(en('onBehalf.readOut')).waitFor();
    await page.getByRole('button', { name: en('receipt.print') }).waitFor(); // one Print button, the receipt's own
    receipt = ((await page.getByTestId('receipt').textContent()) ?? '').replace(/[^0-9A-Z]/g, '');
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    await expectAccessible(page, 'receipt for the caller');
    // Filed through the staff endpoint, with no proof of work; the text never left the browser in clear.
    expect(w.requests.filter((r) => r.url.endsWith('/api/v1/staff/on-behalf-reports') && r.method === 'POST')).toHaveLength(1);
    expect(w.requests.filter((r) => r.url.endsWith('/api/v1/pow'))).toHaveLength(powBefore);
    expect(requestsContaining(w.requests, 'HOTLINE-CANARY')).toEqual([]);
    await page.getByLabel(en('receipt.saved')).check();
    await page.getByRole('button', { name: en('receipt.finish') }).click();
    await page.getByRole('heading', { name: en('onBehalf.title') }).waitFor();
  });

  it('then the case records the hotline, the audit log records the officer, the case goes to the context\'s recipients, and the officer cannot read it', async () => {
    const { rows } = await stack.pool.query<{ id: string; intake_channel: string }>('SELECT id, intake_channel FROM cases WHERE context_id = $1', [org.contextId]);
    expect(rows).toHaveLength(1);
    caseId = rows[0]!.id;
    expect(rows[0]!.intake_channel).toBe('hotline');
    const audit = await stack.pool.query<{ action: string; actor_id: string; details: Record<string, unknown> }>(
      'SELECT action, actor_id, details FROM audit_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    expect(audit.rows.find((r) => r.action.startsWith('case.re'))).toMatchObject({ action: 'case.recorded_on_behalf', actor_id: officer.id, details: { intakeChannel: 'hotline' } });
    const wraps = await stack.pool.query<{ recipient_id: string }>('SELECT recipient_id FROM case_key_wraps WHERE case_id = $1', [caseId]);
    expect(wraps.rows.map((r) => r.recipient_id)).toEqual([org.investigators[0]!.id]);
    const client = await signedInStaff(stack, officer);
    const read = await client.call('GET', `/api/v1/staff/cases/${caseId}`);
    expect(read.status).toBe(404);
    // Someone without the intake role may not file on anyone's behalf.
    const investigator = await signedInStaff(stack, org.investigators[0]!);
    const refused = await investigator.call('POST', '/api/v1/staff/on-behalf-reports', {});
    expect(refused.status).toBe(403);
  });

  it('when the caller signs in with the receipt (as the follow-up page does), then the case opens for them like any other, and the investigator sees it was received by telephone', async () => {
    const reporter = new ReporterClient(stack.api.url);
    const intake = await reporter.intake();
    const login = await reporter.login(receipt, intake.receiptSalt);
    const opened = openReporterCase((await reporter.getCase()).body, login.keys.keyPair);
    expect(JSON.stringify(opened.report)).toContain(CALL);

    await waitFor('triage', async () => {
      const r = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
      return r.rows[0]?.assignee_id ?? null;
    });
    const investigator = org.investigators[0]!;
    await signedInStaff(stack, investigator);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [investigator.id]);
    const { password, totpSecret } = staffCredentials(investigator.id);
    const other = await watchedContext(browser, { locale: 'en-GB' });
    const staffPage = await other.newPage();
    await staffPage.goto(`${stack.api.url}/staff/cases/${caseId}`);
    await staffPage.getByLabel(en('staff.email')).fill(investigator.email);
    await staffPage.getByLabel(en('staff.password')).fill(password);
    await staffPage.getByLabel(en('staff.totp')).fill(nextTotp(totpSecret));
    await staffPage.getByRole('button', { name: en('staff.signIn') }).click();
    await staffPage.getByText(CALL).waitFor({ timeout: 90_000 });
    expect(await staffPage.locator('dl.facts').textContent()).toContain(en('onBehalf.hotline'));
    expect(other.problems).toEqual([]);
    await other.context.close();
  });
});
