import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { ReporterClient } from '../../packages/client/src';
import { MESSAGE_PAGE_DEFAULT } from '../../packages/core/src';
import { totpCode } from '../../apps/api/src/services/totp';
import { seedOrganisation } from '../helpers/fixtures';
import { reporterWithCase } from '../helpers/files';
import { closeBrowserPage, expectAccessible, failOnPageProblems, openBrowserPage, tr, type WatchedContext } from '../helpers/browser';
import { signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';

// Issue 11: the staff case view shows the newest page of the dialogue; "Show older messages" brings
// the pages before it, in order, and a keyboard reaches it. A real Chromium with Argon2id at sign-in.
jest.setTimeout(240_000);

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

// More than one page (the page size is MESSAGE_PAGE_DEFAULT, a protocol constant, not configuration).
const TOTAL = MESSAGE_PAGE_DEFAULT + 5;
const texts = Array.from({ length: TOTAL }, (_, i) => `OLDER-TEST message ${String(i + 1).padStart(2, '0')}`);

let stack: TestStack;
let browser: Browser;
let w: WatchedContext;
let page: Page;
let caseId: string;
let investigator: Awaited<ReturnType<typeof seedOrganisation>>['investigators'][number];

beforeAll(async () => {
  await ready();
  // The reporter writes them all at once: lift the per-case message rate for this file.
  stack = await startStack({ worker: false, env: { SERVE_WEB: 'true', RATE_CASE_MESSAGES: '1000/60' } });
  const org = await seedOrganisation(stack.pool, { investigators: 1, withCustodian: false });
  investigator = org.investigators[0]!;
  const intake = await new ReporterClient(stack.api.url).intake();
  const reporter = await reporterWithCase(stack.api.url, intake, intake.contexts.find((c) => c.id === org.contextId)!);
  caseId = reporter.caseId;
  for (const text of texts) expect((await reporter.client.sendMessage(reporter.caseKey, caseId, text)).status).toBe(201);
  await signedInStaff(stack, investigator); // gives the account a password and TOTP secret
  ({ browser, w, page } = await openBrowserPage('en-GB'));
});

afterAll(async () => {
  await closeBrowserPage({ browser, w });
  await stack?.stop();
});

failOnPageProblems(() => w);

const shownMessages = () => page.locator('ol.messages .message-text').allTextContents();

describe('the staff case view pages its dialogue', () => {
  it('when a case has more messages than one page, then the newest page shows, and "Show older messages" (reached and pressed with the keyboard) adds the older ones in order', async () => {
    // A bookmark of the case: the sign-in comes first, then the case itself.
    await page.goto(`${stack.api.url}/staff/cases/${caseId}`);
    await page.getByRole('heading', { name: en('staff.loginTitle') }).waitFor();
    const { password, totpSecret } = staffCredentials(investigator.id);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [investigator.id]);
    await page.getByLabel(exactly(en('staff.email'))).fill(investigator.email);
    await page.getByLabel(exactly(en('staff.password'))).fill(password);
    await page.getByLabel(exactly(en('staff.totp'))).fill(totpCode(totpSecret, Date.now()));
    await page.getByRole('button', { name: en('staff.signIn') }).click();
    await page.getByRole('heading', { name: en('staff.dialogue') }).waitFor({ timeout: 120_000 });
    await page.getByText(texts.at(-1)!, { exact: true }).waitFor();

    // The newest page only, oldest first.
    expect(await shownMessages()).toEqual(texts.slice(TOTAL - MESSAGE_PAGE_DEFAULT));
    const older = page.getByRole('button', { name: en('messages.older') });
    expect(await older.count()).toBe(1);
    await expectAccessible(page, 'staff case view with older messages to load');

    // Keyboard: Tab from the top of the page until the button has focus, then Enter.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 200 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await older.evaluate((button) => button === button.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText(texts[0]!, { exact: true }).waitFor();

    // Every message once, in the order they were written; nothing older is left to offer.
    expect(await shownMessages()).toEqual(texts);
    expect(await older.count()).toBe(0);
    await expectAccessible(page, 'staff case view with every message');
  });
});
