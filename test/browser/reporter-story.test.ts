import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { ready, toB64 } from '../../packages/crypto/src';
import { MESSAGE_PAGE_DEFAULT } from '../../packages/core/src';
import { staffCases } from '../../packages/client/src';
import { insertContext } from '../../packages/db/src';
import { seedOrganisation, type TestStaff } from '../helpers/fixtures';
import { expectAccessible, launchChromium, requestsContaining, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { nextTotp, signedInStaff, staffCredentials, type StaffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const CANARY = 'CANARY-web-51f0: le douanier de Namanga a exigé 200 USD pour libérer le camion';
const FILE_CANARY = 'FILE-CANARY-9c2e: reçu manuscrit du paiement';
const REPLY = 'REPLY-CANARY-3d7a: merci, pouvez-vous préciser la date ?';
const ANSWER = 'ANSWER-CANARY-77b1: le mardi 4 mars vers 15 h';
const NOTE = 'NOTE-CANARY-0b4e: check the Namanga shift roster for that Tuesday';
const REASON = 'REASON-CANARY-a51c: report is specific and credible';

// A real browser, Argon2id and proof of work: slower than the API tests.
jest.setTimeout(120_000);

let stack: TestStack;
let browser: Browser;
let org: Awaited<ReturnType<typeof seedOrganisation>>;

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8' } });
  org = await seedOrganisation(stack.pool, { investigators: 3, maxExclusions: 1 });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of staffContexts) await c.context.close();
  await browser?.close();
  await stack?.stop();
});

const staffContexts: WatchedContext[] = [];

/**
 * Gives a seeded investigator a real account (password, TOTP) through the staff helper, then clears
 * the TOTP step it just used so that the browser's sign-in with the current code is accepted.
 */
async function staffSignIn(person: TestStaff): Promise<StaffCredentials> {
  await signedInStaff(stack, { id: person.id, email: person.email, keyPair: person.keyPair });
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [person.id]);
  return staffCredentials(person.id);
}

function expectNoProblems(w: WatchedContext): void {
  expect(w.problems).toEqual([]);
}

describe('the crypto worker in Chromium', () => {
  it('when the self-check runs the SIP/1 test vectors in the real browser worker, then every vector passes without a CSP violation', async () => {
    const vectors = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'packages', 'crypto', 'test-vectors.json'), 'utf8')) as { vectors: unknown[] };
    expect(vectors.vectors.length).toBeGreaterThan(50);
    // §10's survey vectors (blind RSA on Web Crypto, sealed responses) run in the same self-check.
    const survey = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'packages', 'crypto', 'survey-vectors.json'), 'utf8')) as { vectors: unknown[] };
    expect(survey.vectors.length).toBeGreaterThan(10);
    const w = await watchedContext(browser, { locale: 'en-GB' });
    const page = await w.newPage();
    const response = await page.goto(`${stack.api.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    await page.getByRole('button', { name: tr('en', 'selfCheck.run') }).click();
    await page.getByText(tr('en', 'selfCheck.passed', { n: vectors.vectors.length + survey.vectors.length })).waitFor({ timeout: 60_000 });
    expectNoProblems(w);
    await w.context.close();
  });

  it('when a page breaks the CSP, then the watcher reports it (so a clean run means something)', async () => {
    const w = await watchedContext(browser);
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/`);
    await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.appendChild(s); })()`);
    await waitFor('the violation report', async () => w.problems.length > 0, 5000);
    expect(w.problems.join('\n')).toMatch(/script-src/);
    await w.context.close();
  });
});

describe('a reporter in French, from first visit to reading the reply', () => {
  const fr = (key: string, params?: Record<string, string | number>) => tr('fr', key, params);
  let w: WatchedContext;
  let receipt: string;
  let caseId: string;
  let excluded: TestStaff;
  let assignee: TestStaff;

  beforeAll(async () => {
    w = await watchedContext(browser, { locale: 'fr-FR' });
  });
  afterAll(async () => {
    await w?.context.close();
  });

  it('when she sends a report with an exclusion and an attachment, then she gets a receipt she can download, and the case goes to an investigator she did not exclude', async () => {
    excluded = org.investigators[2]!;
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/`);
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.getByRole('heading', { name: fr('landing.title') }).waitFor();
    await expectAccessible(page, 'landing');
    await page.getByRole('button', { name: fr('landing.start') }).click();

    // Step 1: channel. "Continue" without a choice shows the error summary.
    await page.getByRole('heading', { name: fr('step.channel') }).waitFor();
    await page.getByRole('button', { name: fr('action.next') }).click();
    await page.getByRole('alert').getByText(fr('channel.required')).waitFor();
    await expectAccessible(page, 'channel step with an error');
    await page.getByLabel(/^Context /).check();
    await page.getByRole('button', { name: fr('action.next') }).click();

    // Step 2: details.
    await page.getByRole('heading', { name: fr('step.details') }).waitFor();
    await page.getByLabel(fr('details.category')).selectOption('bribery-extortion');
    await page.getByLabel(fr('details.region')).selectOption('namanga');
    await page.getByLabel(fr('details.freeText')).fill(CANARY);
    await expectAccessible(page, 'details step');
    await page.getByRole('button', { name: fr('action.next') }).click();

    // Step 3: exclusions, by display name and unit.
    await page.getByRole('heading', { name: fr('step.exclusions') }).waitFor();
    await page.getByLabel(new RegExp(`^${excluded.displayName} — Unit`)).check();
    await expectAccessible(page, 'exclusions step');
    await page.getByRole('button', { name: fr('action.next') }).click();

    // Step 4: attachments.
    await page.getByRole('heading', { name: fr('step.attachments') }).waitFor();
    await page.getByLabel(fr('attachments.add')).setInputFiles({ name: 'preuve.txt', mimeType: 'text/plain', buffer: Buffer.from(FILE_CANARY) });
    await page.getByText('preuve.txt').waitFor();
    await expectAccessible(page, 'attachments step');
    await page.getByRole('button', { name: fr('action.next') }).click();

    // Step 5: review; the URL never changed.
    await page.getByRole('heading', { name: fr('step.review') }).waitFor();
    expect(page.url()).toBe(`${stack.api.url}/`);
    await page.getByText(CANARY).waitFor();
    await expectAccessible(page, 'review step');
    await page.getByRole('button', { name: fr('send.button') }).click();

    // The receipt page.
    await page.getByRole('heading', { name: fr('receipt.title') }).waitFor({ timeout: 60_000 });
    receipt = ((await page.getByTestId('receipt').textContent()) ?? '').replace(/[^0-9A-Z]/g, '');
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    await page.getByText(fr('receipt.filesSent', { n: 1 })).waitFor();
    await expectAccessible(page, 'receipt page');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: fr('receipt.download') }).click()]);
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(saved.replace(/-/g, '')).toContain(receipt);
    expect(download.suggestedFilename()).toMatch(/^sauti-receipt-SA-.*\.txt$/);

    // Leaving needs the confirmation.
    const finish = page.getByRole('button', { name: fr('receipt.finish') });
    expect(await finish.isDisabled()).toBe(true);
    await page.getByLabel(fr('receipt.saved')).check();
    await finish.click();
    await page.getByRole('heading', { name: fr('landing.title') }).waitFor();

    // The server side: triaged to someone she did not exclude, with the file stored.
    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM cases ORDER BY received_at DESC LIMIT 1');
    caseId = rows[0]!.id;
    const assigneeId = await waitFor('assignment', async () => {
      const r = await stack.pool.query<{ assignee_id: string | null; language: string }>('SELECT assignee_id, language FROM cases WHERE id = $1', [caseId]);
      expect(r.rows[0]!.language).toBe('fr');
      return r.rows[0]!.assignee_id;
    }, 60_000);
    expect(assigneeId).not.toBe(excluded.id);
    assignee = org.investigators.find((p) => p.id === assigneeId)!;
    const wraps = await stack.pool.query<{ recipient_id: string }>('SELECT recipient_id FROM case_key_wraps WHERE case_id = $1', [caseId]);
    expect(wraps.rows.map((r) => r.recipient_id)).not.toContain(excluded.id);
    expectNoProblems(w);
  });

  it('when the assigned investigator signs in in her browser, then she decrypts the report and the attachment, acknowledges with a reason, notes and replies; the excluded investigator sees nothing', async () => {
    const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
    const creds = await staffSignIn(assignee);
    const staff = await watchedContext(browser, { locale: 'en-GB' });
    staffContexts.push(staff);
    const page = await staff.newPage();
    await page.goto(`${stack.api.url}/staff`);
    await page.getByRole('heading', { name: en('staff.loginTitle') }).waitFor();
    await expectAccessible(page, 'staff sign-in');
    await page.getByLabel(en('staff.email')).fill(assignee.email);
    await page.getByLabel(en('staff.password')).fill(creds.password);
    await page.getByLabel(en('staff.totp')).fill(nextTotp(creds.totpSecret));
    await page.getByRole('button', { name: en('staff.signIn') }).click();
    await page.getByRole('heading', { name: en('inbox.title') }).waitFor({ timeout: 60_000 });
    await page.getByText(en('inbox.count', { n: 1 })).waitFor();
    await expectAccessible(page, 'inbox');
    const reference = (await page.getByRole('row').nth(1).getByRole('button').textContent())!;
    expect(reference).toMatch(/^SA-/);
    expect(await page.getByRole('row').nth(1).textContent()).toMatch(/due in \d+ day/);
    await page.getByRole('button', { name: reference }).click();

    await page.getByRole('heading', { name: en('case.title', { reference }) }).waitFor();
    await page.getByText(CANARY).waitFor();
    await expectAccessible(page, 'staff case view');
    // Staff download is a deliberate second step: it warns that a decrypted copy stays on the computer.
    await page.getByRole('button', { name: en('files.downloadNamed', { name: 'preuve.txt' }) }).click();
    await page.getByText(en('files.downloadWarning')).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en('files.downloadAnyway') }).click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(FILE_CANARY);

    await page.getByLabel(en('staff.addNote')).fill(NOTE);
    await page.getByRole('button', { name: en('staff.saveNote') }).click();
    await page.getByText(NOTE).waitFor();
    await page.getByLabel(en('staff.newStatus')).selectOption('acknowledged');
    await page.getByLabel(en('staff.reason')).fill(REASON);
    await page.getByRole('button', { name: en('staff.changeStatus') }).click();
    await page.getByText(REASON).waitFor();
    await page.getByLabel(en('staff.reply')).fill(REPLY);
    await page.getByRole('button', { name: en('messages.send') }).click();
    await page.getByText(REPLY).waitFor();
    await expectAccessible(page, 'staff case view after handling');
    expect(staff.problems).toEqual([]);
    for (const secret of [creds.password, toB64(assignee.keyPair.privateKey), CANARY, FILE_CANARY, NOTE, REASON, REPLY]) {
      expect({ secret, leaks: requestsContaining(staff.requests, secret).map((r) => r.url) }).toEqual({ secret, leaks: [] });
    }

    // The excluded investigator holds no key wrap: the case is not in her inbox, and the API refuses it.
    const outsiderCreds = await staffSignIn(excluded);
    const other = await watchedContext(browser, { locale: 'en-GB' });
    staffContexts.push(other);
    const outsiderPage = await other.newPage();
    await outsiderPage.goto(`${stack.api.url}/staff`);
    await outsiderPage.getByLabel(en('staff.email')).fill(excluded.email);
    await outsiderPage.getByLabel(en('staff.password')).fill(outsiderCreds.password);
    await outsiderPage.getByLabel(en('staff.totp')).fill(nextTotp(outsiderCreds.totpSecret));
    await outsiderPage.getByRole('button', { name: en('staff.signIn') }).click();
    await outsiderPage.getByText(en('inbox.count', { n: 0 })).waitFor({ timeout: 60_000 });
    const outsider = await signedInStaff(stack, { id: excluded.id, email: excluded.email, keyPair: excluded.keyPair });
    expect([403, 404]).toContain((await outsider.getCase(caseId)).status);
    expect(other.problems).toEqual([]);
  });

  it('when she returns with her receipt (first with a typo), then the typo names the group, and with the right receipt she reads the reply, answers and downloads her file', async () => {
    // A page of later replies, so that the first reply is no longer on the newest page of messages
    // (issue 11): she reaches it with "older messages".
    const handler = await signedInStaff(stack, { id: assignee.id, email: assignee.email, keyPair: assignee.keyPair });
    await handler.unlockPrivateKey(staffCredentials(assignee.id).password);
    const later = Array.from({ length: MESSAGE_PAGE_DEFAULT }, (_, i) => `LATER-${i}`);
    for (const text of later) expect((await handler.sendMessage(caseId, text)).status).toBe(201);
    const page = await w.newPage();
    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByRole('heading', { name: fr('followUp.title') }).waitFor();
    await expectAccessible(page, 'follow-up');
    const input = page.getByLabel(fr('followUp.receiptLabel'));

    // A character receipts never use (U) in group 2.
    const typo = `${receipt.slice(0, 5)}-U${receipt.slice(6, 10)}-${receipt.slice(10, 15)}-${receipt.slice(15)}`;
    await input.fill(typo);
    await page.getByRole('button', { name: fr('followUp.open') }).click();
    await page.getByText(fr('receipt.typo.symbol', { group: 2 })).waitFor();
    await expectAccessible(page, 'follow-up with a typo');

    // Lower case with spaces is the same receipt.
    await input.fill(receipt.toLowerCase().replace(/(.{5})/g, '$1 ').trim());
    await page.getByRole('button', { name: fr('followUp.open') }).click();
    await page.getByRole('heading', { name: /^Signalement SA-/ }).waitFor({ timeout: 60_000 });
    await page.getByText(later.at(-1)!, { exact: true }).waitFor();
    expect(await page.getByText(REPLY).count()).toBe(0);
    await page.getByRole('button', { name: fr('messages.older') }).click();
    await page.getByText(REPLY).waitFor();
    await page.getByText(later[0]!, { exact: true }).waitFor();
    // Everything is there now: no more older pages to offer.
    expect(await page.getByRole('button', { name: fr('messages.older') }).count()).toBe(0);
    await page.getByText(fr('status.acknowledgedExplain')).waitFor();
    await page.getByText(/Retour attendu au plus tard le/).waitFor();
    // Internal notes and status reasons are under staffKey: the reporter's page never shows them.
    expect(await page.content()).not.toContain(NOTE);
    expect(await page.content()).not.toContain(REASON);
    await expectAccessible(page, 'case view');

    await page.getByLabel(fr('messages.write')).fill(ANSWER);
    await page.getByRole('button', { name: fr('messages.send') }).click();
    await page.getByText(fr('messages.sent')).waitFor();
    await page.getByText(ANSWER).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: fr('files.downloadNamed', { name: 'preuve.txt' }) }).click()]);
    expect(download.suggestedFilename()).toBe('preuve.txt');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(FILE_CANARY);
    expectNoProblems(w);

    const investigator = await signedInStaff(stack, { id: assignee.id, email: assignee.email, keyPair: assignee.keyPair });
    await investigator.unlockPrivateKey(staffCredentials(assignee.id).password);
    const opened = await investigator.openCase(caseId);
    // The newest page: the later replies but the first, then her answer; the first reply is on the page before.
    expect(opened.messages.map((m) => m.text)).toEqual([...later.slice(1), ANSWER]);
    const first = await staffCases.olderCaseMessages(investigator.session, caseId, opened.view.olderMessages!);
    expect(first.messages.map((m) => m.text)).toEqual([REPLY, later[0]]);
    expect(opened.notes.map((n) => n.text)).toEqual([NOTE]);
  });

  it('then no request the pages sent carried the receipt, the report, the reply, the answer, the file or a private key', async () => {
    const apiCalls = w.requests.filter((r) => r.url.includes('/api/v1/'));
    expect(apiCalls.some((r) => r.url.endsWith('/api/v1/reports') && r.method === 'POST')).toBe(true);
    expect(apiCalls.some((r) => r.url.includes('/content') && r.method === 'PUT')).toBe(true);
    const formatted = receipt.replace(/(.{5})(?!$)/g, '$1-');
    const secrets = [receipt, formatted, receipt.toLowerCase(), CANARY, NOTE, REASON, 'CANARY-web-51f0', FILE_CANARY, REPLY, ANSWER,
      ...org.investigators.map((p) => toB64(p.keyPair.privateKey)), ...org.investigators.map((p) => Buffer.from(p.keyPair.privateKey).toString('hex'))];
    for (const secret of secrets) expect({ secret, leaks: requestsContaining(w.requests, secret).map((r) => r.url) }).toEqual({ secret, leaks: [] });
  });
});

describe('the internal channel: a confidential identity', () => {
  it('when a customs officer gives her identity, then it is sealed for the custodian and her report still reaches an investigator', async () => {
    const internalId = randomUUID();
    await insertContext(stack.pool, {
      id: internalId, slug: `internal-${internalId.slice(0, 6)}`, name: 'Internal channel', channel: 'internal', maxExclusions: 2, position: 1,
      questions: [{ id: 'what', kind: 'textarea', label: 'What happened?', required: true }],
      categories: [{ id: 'abuse-of-office', label: 'Abuse of office' }], regions: [],
      recipientIds: org.investigators.map((p) => p.id), custodianIds: org.custodians.map((p) => p.id),
    });
    const w = await watchedContext(browser, { locale: 'en-GB' });
    const page = await w.newPage();
    const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
    await page.goto(`${stack.api.url}/`);
    await page.getByRole('button', { name: en('landing.start') }).click();
    await page.getByLabel(/Internal channel/).check();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.details') }).waitFor();
    await page.getByRole('button', { name: en('action.next') }).click();
    // The operator's question is isolated (U+2068 … U+2069) inside the sentence, so that Arabic keeps its order.
    await page.getByRole('alert').getByText(en('details.answerRequired', { question: '\u2068What happened?\u2069' })).waitFor();
    await page.getByLabel(en('details.category')).selectOption('abuse-of-office');
    await page.getByRole('textbox', { name: 'What happened?' }).fill('A supervisor sells shift rosters.');
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('button', { name: en('action.next') }).click(); // no exclusion
    await page.getByRole('button', { name: en('action.next') }).click(); // no file
    await page.getByRole('heading', { name: en('step.identity') }).waitFor();
    await page.getByLabel(en('identity.confidential')).check();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByText(en('identity.nameRequired')).first().waitFor();
    await page.getByLabel(en('identity.name')).fill('Officer Zawadi Identity-Canary');
    await page.getByLabel(en('identity.contact')).fill('+254 700 000 000');
    await expectAccessible(page, 'identity step');
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('button', { name: en('send.button') }).click();
    await page.getByRole('heading', { name: en('receipt.title') }).waitFor({ timeout: 60_000 });
    const { rows } = await stack.pool.query<{ id: string; identity: Buffer | null; custodians: string[] }>(
      `SELECT c.id, c.identity_ciphertext AS identity, array(SELECT w.recipient_id::text FROM identity_wraps w WHERE w.case_id = c.id) AS custodians
         FROM cases c WHERE c.context_id = $1`, [internalId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.identity).not.toBeNull();
    expect(rows[0]!.custodians).toEqual(org.custodians.map((p) => p.id));
    expect(requestsContaining(w.requests, 'Identity-Canary')).toEqual([]);
    expectNoProblems(w);
    await page.getByLabel(en('receipt.saved')).check();
    await page.getByRole('button', { name: en('receipt.finish') }).click();
    await w.context.close();
  });
});
