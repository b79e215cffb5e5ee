import type { Browser } from 'playwright-core';
import { fromUtf8, openSealed, ready } from '../../packages/crypto/src';
import { prepareReport, ReporterClient } from '../../packages/client/src';
import { totpCode } from '../../apps/api/src/services/totp';
import { seedOrganisation } from '../helpers/fixtures';
import { expectAccessible, launchChromium, requestsContaining, tr, watchedContext } from '../helpers/browser';
import { signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// Issue 13 item 9: the custodian confirms a disclosure with a required reason (sealed to the
// requester, never readable by the server), and the reporter is told on the follow-up page.

jest.setTimeout(180_000);

const IDENTITY = { v: 1, name: 'IDENTITY-CANARY Wanjiru Kamau', contact: '+254 700 000 001' };
const APPROVAL = 'APPROVAL-CANARY-4b7e: the witness interview is authorised by the board';
const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

let stack: TestStack;
let browser: Browser;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let caseId: string;
let reference: string;
let receipt: string;

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' } });
  org = await seedOrganisation(stack.pool, { investigators: 1 });
  const client = new ReporterClient(stack.api.url);
  const intake = await client.intake();
  const context = intake.contexts.find((c) => c.id === org.contextId)!;
  const prepared = prepareReport(intake, { context, body: { v: 1, text: 'report with a confidential identity' }, category: 'bribery-extortion', identity: IDENTITY });
  caseId = prepared.request.id;
  receipt = prepared.receipt;
  expect((await client.submit({ ...prepared.request, pow: await client.proofOfWork() })).status).toBe(201);
  await waitFor('assignment', async () => {
    const { rows } = await stack.pool.query<{ assignee_id: string | null; reference: string }>('SELECT assignee_id, reference FROM cases WHERE id = $1', [caseId]);
    reference = rows[0]!.reference;
    return rows[0]?.assignee_id ?? null;
  }, 60_000);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('disclosing a reporter\'s identity', () => {
  it('when the custodian approves, then a confirmation asks for a reason, which is sealed to the requester and never readable by the server', async () => {
    const investigator = org.investigators[0]!;
    const requester = await signedInStaff(stack, investigator);
    expect((await requester.requestIdentity(caseId, 'Needed to interview the reporter as a witness.')).status).toBe(201);

    const custodian = org.custodians[0]!;
    await signedInStaff(stack, custodian);
    const { password, totpSecret } = staffCredentials(custodian.id);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [custodian.id]);
    const w = await watchedContext(browser, { locale: 'en-GB', width: 360, height: 740 });
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/staff`);
    await page.getByLabel(exactly(en('staff.email'))).fill(custodian.email);
    await page.getByLabel(exactly(en('staff.password'))).fill(password);
    await page.getByLabel(exactly(en('staff.totp'))).fill(totpCode(totpSecret, Date.now()));
    await page.getByRole('button', { name: en('staff.signIn') }).click();
    await page.getByRole('heading', { name: en('custodian.title') }).waitFor({ timeout: 90_000 });

    // One click does not disclose: it opens the confirmation, focused on the reason.
    await page.getByRole('button', { name: en('custodian.approveNamed', { name: investigator.displayName, reference }) }).click();
    await page.getByRole('heading', { name: en('custodian.confirmTitle', { reference }) }).waitFor();
    expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('TEXTAREA');
    expect((await stack.pool.query("SELECT status FROM identity_requests WHERE case_id = $1", [caseId])).rows[0]).toEqual({ status: 'pending' });
    await page.getByRole('button', { name: en('custodian.confirmApprove') }).click();
    await page.getByText(en('custodian.approveReasonMissing')).waitFor();
    await expectAccessible(page, 'approval confirmation with a missing reason');
    expect((await stack.pool.query("SELECT status FROM identity_requests WHERE case_id = $1", [caseId])).rows[0]).toEqual({ status: 'pending' });

    await page.getByLabel(en('custodian.approveReason')).fill(APPROVAL);
    await page.getByRole('button', { name: en('custodian.confirmApprove') }).click();
    await page.getByText(en('custodian.approved', { name: investigator.displayName, reference })).waitFor();

    // Recorded: sealed to the requester (who can open it), not readable by the server, audited content-free.
    const { rows } = await stack.pool.query<{ status: string; decision_reason: Buffer }>('SELECT status, decision_reason FROM identity_requests WHERE case_id = $1', [caseId]);
    expect(rows[0]!.status).toBe('approved');
    expect(rows[0]!.decision_reason.toString('latin1')).not.toContain('APPROVAL-CANARY');
    expect(JSON.parse(fromUtf8(openSealed(investigator.keyPair, new Uint8Array(rows[0]!.decision_reason), 'approval reason')))).toEqual({ text: APPROVAL });
    const audit = await stack.pool.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_events WHERE action = 'identity.approved' AND case_id = $1", [caseId]);
    expect(audit.rows[0]!.details).toMatchObject({ reasonSealed: true });
    expect(JSON.stringify(audit.rows)).not.toContain('APPROVAL-CANARY');
    expect(requestsContaining(w.requests, APPROVAL)).toEqual([]);
    expect(await requester.readIdentity(caseId)).toEqual(IDENTITY);
    expect(w.problems).toEqual([]);
    await w.context.close();
  });

  it('when the reporter comes back, then the follow-up page says that their identity was disclosed, and when', async () => {
    const { rows } = await stack.pool.query<{ at: Date }>('SELECT identity_disclosed_at AS at FROM cases WHERE id = $1', [caseId]);
    const w = await watchedContext(browser, { locale: 'en-GB' });
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByLabel(en('followUp.receiptLabel')).fill(receipt);
    await page.getByRole('button', { name: en('followUp.open') }).click();
    await page.getByRole('heading', { name: en('case.title', { reference }) }).waitFor({ timeout: 60_000 });
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(rows[0]!.at);
    await page.getByText(en('case.identityDisclosed', { date })).waitFor();
    await expectAccessible(page, 'follow-up after a disclosure');
    expect(w.problems).toEqual([]);
    await w.context.close();
  });
});
