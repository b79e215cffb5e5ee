import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { generateKeyPair, ready, toB64 } from '../../packages/crypto/src';
import { openReporterCase, prepareReport, ReporterClient } from '../../packages/client/src';
import { insertStaffUser } from '../../packages/db/src';
import { seedOrganisation, type TestStaff } from '../helpers/fixtures';
import { expectAccessible, launchChromium, requestsContaining, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { nextTotp, signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

jest.setTimeout(180_000);

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const REPORT = 'SHARE-CANARY-5e1a: the Busia scanner operator takes 50 USD per truck to skip the scan';
const REPORTER_MESSAGE = 'SHARE-MSG-CANARY-77c2: he works the night shift';
const REASON = 'IDREQ-CANARY-2b9f: we need to interview the reporter as a witness before the hearing';
const IDENTITY = { v: 1, name: 'IDENTITY-CANARY Achieng Otieno', contact: '+254 711 000 111' };
const ODD_REPORT = 'ODD-BODY-CANARY-41d7: the clerk at Malaba waives the inspection for a fee';
const ODD_ANSWER = 'ODD-ANSWER-CANARY Malaba gate 3';

let stack: TestStack;
let browser: Browser;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let colleague: TestStaff;
let caseId: string;
let assignee: TestStaff;
const contexts: WatchedContext[] = [];

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true' } });
  org = await seedOrganisation(stack.pool, { investigators: 2, maxExclusions: 1 });
  // A colleague in the unit who is not among the context's recipients: she can only get the case by a grant.
  colleague = { id: randomUUID(), email: `baraka.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: 'Baraka Colleague', keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...colleague, unitId: org.unitId, roles: ['investigator'], status: 'active', publicKey: colleague.keyPair.publicKey });

  // A reporter sends a report with a confidential identity, then a message (so the inbox has an unread marker).
  const reporter = new ReporterClient(stack.api.url);
  const intake = await reporter.intake();
  const context = intake.contexts.find((c) => c.id === org.contextId)!;
  const prepared = prepareReport(intake, { context, body: { v: 1, answers: [], text: REPORT }, category: 'bribery-extortion', identity: IDENTITY });
  caseId = prepared.request.id;
  expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
  const assigneeId = await waitFor('assignment', async () => {
    const { rows } = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
    return rows[0]?.assignee_id ?? null;
  });
  assignee = org.investigators.find((p) => p.id === assigneeId)!;
  const login = await reporter.login(prepared.receipt, intake.receiptSalt);
  const opened = openReporterCase((await reporter.getCase()).body, login.keys.keyPair);
  expect((await reporter.sendMessage(opened.caseKey, caseId, REPORTER_MESSAGE)).status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.context.close();
  await browser?.close();
  await stack?.stop();
});

/** A browser of its own for one staff member, signed in with password and TOTP through the page. */
async function staffPage(person: TestStaff): Promise<Page> {
  await signedInStaff(stack, { id: person.id, email: person.email, keyPair: person.keyPair });
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [person.id]);
  const creds = staffCredentials(person.id);
  const w = await watchedContext(browser, { locale: 'en-GB' });
  contexts.push(w);
  const page = await w.newPage();
  await page.goto(`${stack.api.url}/staff`);
  await page.getByLabel(en('staff.email')).fill(person.email);
  await page.getByLabel(en('staff.password')).fill(creds.password);
  await page.getByLabel(en('staff.totp')).fill(nextTotp(creds.totpSecret));
  await page.getByRole('button', { name: en('staff.signIn') }).click();
  await page.getByRole('button', { name: en('staff.signOut') }).waitFor({ timeout: 90_000 });
  return page;
}

async function openTheCase(page: Page): Promise<void> {
  await page.getByRole('heading', { name: en('inbox.title') }).waitFor();
  await page.getByRole('row').nth(1).getByRole('button').click();
  await page.getByText(REPORT).waitFor();
}

describe('sharing a case and disclosing an identity, each in the staff member\'s own browser', () => {
  let handler: Page;

  it('when the assignee grants the case to a colleague and makes her the assignee, then the colleague reads it in her browser; when access is removed, her inbox is empty', async () => {
    handler = await staffPage(assignee);
    await handler.getByText(en('inbox.unreadCount', { n: 1 })).waitFor();
    await openTheCase(handler);
    await handler.getByText(REPORTER_MESSAGE).waitFor();
    // The other recipient already holds the case, so only the colleague is offered.
    const options = await handler.getByLabel(en('sharing.colleague')).locator('option').allTextContents();
    expect(options.slice(1)).toEqual([expect.stringMatching(/^Baraka Colleague — Unit /)]);
    await handler.getByLabel(en('sharing.colleague')).selectOption(colleague.id);
    await handler.getByLabel(en('sharing.assign')).check();
    await expectAccessible(handler, 'case view with sharing');
    await handler.getByRole('button', { name: en('sharing.grant') }).click();
    await handler.getByText(en('sharing.grantedAssigned', { name: colleague.displayName })).waitFor();
    const { rows } = await stack.pool.query<{ assignee_id: string }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
    expect(rows[0]!.assignee_id).toBe(colleague.id);

    const other = await staffPage(colleague);
    await other.getByText(en('inbox.count', { n: 1 })).waitFor();
    await openTheCase(other);
    await other.getByText(REPORTER_MESSAGE).waitFor();
    await expectAccessible(other, 'granted colleague reading the case');

    await handler.getByRole('button', { name: en('sharing.revokeNamed', { name: colleague.displayName }) }).click();
    await handler.getByText(en('sharing.revoked', { name: colleague.displayName })).waitFor();
    await other.getByRole('button', { name: en('staff.backToInbox') }).click();
    await other.getByText(en('inbox.count', { n: 0 })).waitFor();
    const after = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
    expect(after.rows[0]!.assignee_id).not.toBe(colleague.id);
  });

  it('when the handler asks for the identity with a reason and the custodian approves in her browser, then the handler reads the identity', async () => {
    await handler.getByLabel(en('identity.reason')).fill(REASON);
    await handler.getByRole('button', { name: en('identity.ask') }).click();
    await handler.getByText(en('identity.asked')).waitFor();
    await handler.getByText(REASON).waitFor();
    await handler.getByText(en('identity.status.pending')).waitFor();
    await expectAccessible(handler, 'case view with an identity request');

    const custodian = await staffPage(org.custodians[0]!);
    // A custodian who holds no case starts on the queue.
    await custodian.getByRole('heading', { name: en('custodian.title') }).waitFor();
    await custodian.getByText(REASON).waitFor();
    await expectAccessible(custodian, 'custodian queue');
    const { rows } = await stack.pool.query<{ reference: string }>('SELECT reference FROM cases WHERE id = $1', [caseId]);
    const reference = rows[0]!.reference;
    await custodian.getByRole('button', { name: en('custodian.approveNamed', { name: assignee.displayName, reference }) }).click();
    // Approving is confirmed in a second step, with a reason (issue 13 item 9).
    await custodian.getByLabel(en('custodian.approveReason')).fill('The interview is authorised.');
    await custodian.getByRole('button', { name: en('custodian.confirmApprove') }).click();
    await custodian.getByText(en('custodian.approved', { name: assignee.displayName, reference })).waitFor();
    await custodian.getByText(en('custodian.count', { n: 0 })).waitFor();

    await handler.getByRole('button', { name: en('staff.backToInbox') }).click();
    await openTheCase(handler);
    await handler.getByText(en('identity.status.approved')).waitFor();
    await handler.getByRole('button', { name: en('identity.show') }).click();
    await handler.getByTestId('reporter-identity').getByText(IDENTITY.name).waitFor();
    await handler.getByText(IDENTITY.contact).waitFor();
    await expectAccessible(handler, 'case view with the identity shown');
  });

  it('when the holder exports the case, then the browser saves a ciphertext bundle of that case and the audit log records the export', async () => {
    const [download] = await Promise.all([handler.waitForEvent('download'), handler.getByRole('button', { name: en('staff.export') }).click()]);
    const saved = readFileSync((await download.path())!, 'utf8');
    const bundle = JSON.parse(saved) as { format: string; case: { id: string } };
    expect(bundle.format).toBe('sauti-case-export/1');
    expect(bundle.case.id).toBe(caseId);
    expect(download.suggestedFilename()).toMatch(/^sauti-case-[A-Za-z0-9-]+\.json$/);
    // Ciphertext only: the report and the reporter's message are not in the file as text.
    expect(saved).not.toContain(REPORT);
    expect(saved).not.toContain(REPORTER_MESSAGE);
    await handler.getByText(en('staff.exported', { name: download.suggestedFilename() })).waitFor();
    const { rows } = await stack.pool.query<{ actor_id: string }>("SELECT actor_id FROM audit_events WHERE action = 'case.exported' AND case_id = $1", [caseId]);
    expect(rows).toEqual([{ actor_id: assignee.id }]);
    await expectAccessible(handler, 'case view after an export');
  });

  it('when an independent client sealed the report with answers as an object instead of a list, then the case view shows its text and answers under a notice', async () => {
    const reporter = new ReporterClient(stack.api.url);
    const intake = await reporter.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId)!;
    // docs/protocol.md §9 asks for a list of { id, label, value }; this client sent an object.
    const body = { v: 1, answers: { where: ODD_ANSWER }, text: ODD_REPORT };
    const prepared = prepareReport(intake, { context, body, category: 'bribery-extortion' });
    const submitted = await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() });
    expect(submitted.status).toBe(201);
    const page = await staffPage(assignee);
    await page.getByRole('heading', { name: en('inbox.title') }).waitFor();
    await page.getByRole('row').filter({ hasText: submitted.body.reference }).getByRole('button').click();
    await page.getByText(ODD_REPORT).waitFor();
    await page.getByText(ODD_ANSWER).waitFor();
    await page.getByText(en('report.malformed')).waitFor();
    await expectAccessible(page, 'case view of a malformed report');
  });

  it('then no page sent the report, the message, the reason, the identity, a password or a private key, and none reported a problem', async () => {
    const people = [...org.investigators, ...org.custodians, colleague];
    const signedIn = [assignee, colleague, org.custodians[0]!];
    const secrets = [REPORT, REPORTER_MESSAGE, REASON, ODD_REPORT, ODD_ANSWER, 'IDREQ-CANARY', IDENTITY.name, IDENTITY.contact,
      ...signedIn.map((p) => staffCredentials(p.id).password), ...people.map((p) => toB64(p.keyPair.privateKey)), ...people.map((p) => Buffer.from(p.keyPair.privateKey).toString('hex'))];
    for (const w of contexts) {
      expect(w.problems).toEqual([]);
      for (const secret of secrets) expect({ secret, leaks: requestsContaining(w.requests, secret).map((r) => r.url) }).toEqual({ secret, leaks: [] });
    }
    expect(contexts.flatMap((w) => w.requests).some((r) => r.url.endsWith('/approve') && r.method === 'POST')).toBe(true);
  });
});
