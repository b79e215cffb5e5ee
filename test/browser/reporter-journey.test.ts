import type { Browser, Dialog, Page } from 'playwright-core';
import { seedOrganisation, type TestStaff } from '../helpers/fixtures';
import { expectAccessible, launchChromium, scrollWidth, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { signedInStaff } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// Issue 13, the reporter's side: drafts that survive Back and reload, "Leave quickly", the
// follow-up page's news and real deadlines, files chosen before sending, the proof-of-work
// estimate, real plurals and the page without JavaScript.

const DRAFT = 'DRAFT-CANARY-5e1a: the officer at the Namanga post asked for 50 USD';
const REPLY = 'REPLY-CANARY-8c2f: thank you, which day was it?';
const NEUTRAL = 'https://www.wikipedia.org/';
const DRAFT_KEY = 'sauti.draft.v1';

jest.setTimeout(180_000);

let stack: TestStack;
let browser: Browser;
let org: Awaited<ReturnType<typeof seedOrganisation>>;

beforeAll(async () => {
  // A proof of work long enough (2^15 tries on average) for its progress to be shown.
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '15' } });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  // This context's own deadlines, unlike the law's 7 days / 3 months.
  await stack.pool.query('UPDATE contexts SET acknowledge_days = 3, feedback_days = 20 WHERE id = $1', [org.contextId]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

const heading = (page: Page, key: string) => page.getByRole('heading', { name: en(key) });
const storedDraft = (page: Page) => page.evaluate(`sessionStorage.getItem(${JSON.stringify(DRAFT_KEY)})`) as Promise<string | null>;
/** The draft is saved after the screen updates (an effect), so the tests wait for it to land. */
const draftStored = (page: Page, ok: (draft: string | null) => boolean, what: string) =>
  waitFor(what, async () => ok(await storedDraft(page)), 10_000, async () => String(await storedDraft(page)));
/** Everything this origin keeps beyond the tab: nothing of a report may be there. */
const lastingStorage = (page: Page) => page.evaluate('JSON.stringify({ local: { ...localStorage }, cookie: document.cookie })') as Promise<string>;

/** Landing → channel → details with the canary typed in; returns on the exclusions step. */
async function startDraft(page: Page): Promise<void> {
  await page.goto(`${stack.api.url}/`);
  await page.getByRole('button', { name: en('landing.start') }).click();
  await heading(page, 'step.channel').waitFor();
  await page.getByLabel(/^Context /).check();
  await page.getByRole('button', { name: en('action.next') }).click();
  await heading(page, 'step.details').waitFor();
  await page.getByLabel(en('details.category')).selectOption('bribery-extortion');
  await page.getByLabel(en('details.freeText')).fill(DRAFT);
}

describe('a draft in the wizard', () => {
  let w: WatchedContext;
  afterEach(async () => {
    await w?.context.close();
  });

  it('when the reporter presses Back and reloads mid-wizard, then the step and the text survive in this tab only, the browser warns before leaving, and sending clears it', async () => {
    w = await watchedContext(browser, { locale: 'en-GB' });
    const page = await w.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d: Dialog) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await startDraft(page);
    await page.getByRole('button', { name: en('action.next') }).click();
    await heading(page, 'step.exclusions').waitFor();

    // The browser's Back goes to the previous step, with the text still there; Forward comes back.
    await page.goBack();
    await heading(page, 'step.details').waitFor();
    expect(await page.getByLabel(en('details.freeText')).inputValue()).toBe(DRAFT);
    await page.goForward();
    await heading(page, 'step.exclusions').waitFor();
    await page.goBack();
    await heading(page, 'step.details').waitFor();
    expect(page.url()).toBe(`${stack.api.url}/`);

    // A reload: the browser asks first (unsent text), then the same step comes back with the text.
    await page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    await heading(page, 'step.details').waitFor();
    await page.getByText(en('draft.restored')).waitFor();
    expect(await page.getByLabel(en('details.freeText')).inputValue()).toBe(DRAFT);
    expect(await page.getByLabel(en('details.category')).inputValue()).toBe('bribery-extortion');
    expect(await storedDraft(page)).toContain(DRAFT);
    expect(await lastingStorage(page)).not.toContain('DRAFT-CANARY');
    await expectAccessible(page, 'restored details step');

    // Another tab of the same browser does not see it.
    const other = await w.newPage();
    await other.goto(`${stack.api.url}/`);
    await other.getByRole('heading', { name: en('landing.title') }).waitFor();
    expect(await storedDraft(other)).toBeNull();
    await other.close();

    // Through to the review; "Change" on the review comes straight back to it.
    for (const step of ['step.exclusions', 'step.attachments', 'step.review']) {
      await page.getByRole('button', { name: en('action.next') }).click();
      await heading(page, step).waitFor();
    }
    await page.getByRole('button', { name: en('review.changeNamed', { what: en('details.category') }) }).click();
    await heading(page, 'step.details').waitFor();
    await page.getByLabel(en('details.category')).selectOption('other');
    await page.getByRole('button', { name: en('review.return') }).click();
    await heading(page, 'step.review').waitFor();
    await page.getByText('Other', { exact: true }).waitFor();

    // Sent: the receipt page, and nothing of the draft left in the tab's storage.
    await page.getByRole('button', { name: en('send.button') }).click();
    await heading(page, 'receipt.title').waitFor({ timeout: 90_000 });
    expect(await storedDraft(page)).toBeNull();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await lastingStorage(page)).not.toContain('DRAFT-CANARY');
    expect(w.problems).toEqual([]);
  });

  it('when the reporter presses Back on the first step, then the landing page shows, and Cancel forgets the draft', async () => {
    w = await watchedContext(browser, { locale: 'en-GB' });
    const page = await w.newPage();
    page.on('dialog', (d: Dialog) => void d.accept());
    await page.goto(`${stack.api.url}/`);
    await page.getByRole('button', { name: en('landing.start') }).click();
    await heading(page, 'step.channel').waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: en('landing.title') }).waitFor();
    await page.goForward();
    await heading(page, 'step.channel').waitFor();
    await page.getByLabel(/^Context /).check();
    await draftStored(page, (d) => d !== null, 'a draft in the tab once a channel is chosen');
    await page.getByRole('button', { name: en('action.cancel') }).click();
    await page.getByRole('heading', { name: en('landing.title') }).waitFor();
    await draftStored(page, (d) => d === null, 'no draft left in the tab after Cancel');
    expect(w.problems).toEqual([]);
  });
});

describe('leave quickly', () => {
  it('when the reporter presses "Leave quickly" mid-report, then a neutral site replaces the page at once, without a question, and the draft is gone from the tab', async () => {
    const w = await watchedContext(browser, { locale: 'en-GB', width: 360, height: 740 });
    await w.context.route(`${NEUTRAL}**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Wikipedia</title><p>Wikipedia</p>' }));
    const page = await w.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d: Dialog) => {
      dialogs.push(d.type());
      void d.dismiss();
    });

    // On every reporter page, and not in the staff area.
    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByRole('button', { name: en('leave.button') }).waitFor();
    await page.goto(`${stack.api.url}/staff`);
    await page.getByRole('heading', { name: en('staff.loginTitle') }).waitFor();
    expect(await page.getByRole('button', { name: en('leave.button') }).count()).toBe(0);

    await startDraft(page);
    await draftStored(page, (d) => d?.includes(DRAFT) ?? false, 'the typed text in the tab\'s draft');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'details step at 360 px with Leave quickly');
    // Reached with the keyboard like any control.
    await page.getByRole('button', { name: en('leave.button') }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(NEUTRAL);
    expect(dialogs).toEqual([]);

    // Back shows Sauti again, but fresh: no draft, no text.
    await page.goBack();
    await page.waitForURL(`${stack.api.url}/`);
    await page.getByRole('button', { name: en('leave.button') }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.content()).not.toContain('DRAFT-CANARY');
    expect(w.problems).toEqual([]);
    await w.context.close();
  });
});

describe('sending, the receipt and coming back', () => {
  let w: WatchedContext;
  let receipt: string;
  let caseId: string;
  let assignee: TestStaff;

  beforeAll(async () => {
    w = await watchedContext(browser, { locale: 'en-GB' });
  });
  afterAll(async () => {
    await w?.context.close();
  });

  it('when the proof of work runs, then it shows a bar and an estimate, not a count of tries; the receipt names the context\'s own deadlines with real plurals', async () => {
    const page = await w.newPage();
    await startDraft(page);
    for (const step of ['step.exclusions', 'step.attachments']) {
      await page.getByRole('button', { name: en('action.next') }).click();
      await heading(page, step).waitFor();
    }
    await page.getByLabel(en('attachments.add')).setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('evidence') });
    await page.getByRole('button', { name: en('action.next') }).click();
    await heading(page, 'step.review').waitFor();

    // Watch what the progress panel shows while the work runs.
    await page.evaluate(`(() => {
      window.__powSeen = { bar: false, texts: [] };
      new MutationObserver(() => {
        if (document.querySelector('progress[aria-label=${JSON.stringify(en('progress.pow'))}]')) window.__powSeen.bar = true;
        for (const d of document.querySelectorAll('.progress-detail')) window.__powSeen.texts.push(d.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('button', { name: en('send.button') }).click();
    await heading(page, 'receipt.title').waitFor({ timeout: 90_000 });
    const seen = (await page.evaluate('window.__powSeen')) as { bar: boolean; texts: string[] };
    expect(seen.bar).toBe(true);
    expect(seen.texts.some((s) => s === en('progress.powEstimating') || /^about \d+ s left$/.test(s) || s === en('progress.powLonger'))).toBe(true);
    expect(seen.texts.filter((s) => /attempts|tries/.test(s))).toEqual([]);
    // The challenge for the report named its context (protocol §6: a flood elsewhere does not slow this one).
    const asked = w.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/v1/pow') && r.body).map((r) => JSON.parse(r.body!.toString()) as { contextId?: string });
    expect(asked).toContainEqual({ contextId: org.contextId });

    await page.getByText(en('receipt.next1', { days: 3 })).waitFor();
    await page.getByText(en('receipt.next2', { days: 20 })).waitFor();
    expect(en('receipt.next1', { days: 3 })).toBe('An investigator must confirm receipt within 3 days.');
    await page.getByText('1 file attached.').waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/\(s\)|7 days|3 months/);
    receipt = ((await page.getByTestId('receipt').textContent()) ?? '').replace(/[^0-9A-Z]/g, '');
    expect(receipt).toHaveLength(20);
    await page.getByLabel(en('receipt.saved')).check();
    await page.getByRole('button', { name: en('receipt.finish') }).click();
    await page.getByRole('heading', { name: en('landing.title') }).waitFor();

    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM cases ORDER BY received_at DESC LIMIT 1');
    caseId = rows[0]!.id;
    const assigneeId = await waitFor('triage', async () => {
      const r = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1 AND acknowledge_due_at IS NOT NULL', [caseId]);
      return r.rows[0]?.assignee_id ?? null;
    }, 60_000);
    assignee = org.investigators.find((p) => p.id === assigneeId)!;
    expect(w.problems).toEqual([]);
  });

  it('when a reply is waiting, then the follow-up page says so at the top with the case\'s real deadline; files are listed and removable before they are sent', async () => {
    const staff = await signedInStaff(stack, { id: assignee.id, email: assignee.email, keyPair: assignee.keyPair });
    expect((await staff.sendMessage(caseId, REPLY)).status).toBe(201);
    const due = await stack.pool.query<{ acknowledge_due_at: Date }>('SELECT acknowledge_due_at FROM cases WHERE id = $1', [caseId]);
    const ackDate = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(due.rows[0]!.acknowledge_due_at);

    const page = await w.newPage();
    await page.goto(`${stack.api.url}/follow-up`);
    await page.getByLabel(en('followUp.receiptLabel')).fill(receipt);
    await page.getByRole('button', { name: en('followUp.open') }).click();
    const news = page.getByText(en('case.replyWaiting'));
    await news.waitFor({ timeout: 60_000 });
    await page.getByText(en('case.checkBackAck', { date: ackDate })).waitFor();
    await page.getByText(en('timeline.ackDue', { date: ackDate })).waitFor();
    // At the top: before the status timeline.
    expect(await page.evaluate(`(() => {
      const news = [...document.querySelectorAll('.reply-waiting')][0];
      const timeline = document.getElementById('timeline-title');
      return Boolean(news && timeline && (news.compareDocumentPosition(timeline) & Node.DOCUMENT_POSITION_FOLLOWING));
    })()`)).toBe(true);
    await page.getByRole('button', { name: en('case.readReply') }).click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('messages-title');
    await page.getByText(REPLY).waitFor();
    await expectAccessible(page, 'follow-up with a reply waiting');

    // Two files chosen: listed, one removed, nothing sent until "Encrypt and send".
    const uploadsBefore = w.requests.filter((r) => r.url.includes('/files')).length;
    await page.getByLabel(en('files.add')).setInputFiles([
      { name: 'keep.txt', mimeType: 'text/plain', buffer: Buffer.from('keep me') },
      { name: 'wrong.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one') },
    ]);
    await page.getByRole('button', { name: en('attachments.removeNamed', { name: 'wrong.txt' }) }).waitFor();
    expect(w.requests.filter((r) => r.url.includes('/files')).length).toBe(uploadsBefore);
    await expectAccessible(page, 'files chosen, not yet sent');
    await page.getByRole('button', { name: en('attachments.removeNamed', { name: 'wrong.txt' }) }).click();
    await page.getByRole('button', { name: en('files.send', { n: 1 }) }).click();
    await page.getByText(en('files.uploaded', { name: 'keep.txt' })).waitFor();
    const stored = await waitFor('the file row', async () => {
      const r = await stack.pool.query<{ n: string }>("SELECT count(*) AS n FROM case_files WHERE case_id = $1 AND author = 'reporter' AND uploaded_at IS NOT NULL", [caseId]);
      return Number(r.rows[0]!.n) === 2 ? 2 : null;
    }, 30_000);
    expect(stored).toBe(2);
    expect(w.problems).toEqual([]);
  });
});

describe('without JavaScript', () => {
  it('when JavaScript is off, then "Loading securely…" does not stay on the page, and other ways to report are given', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${stack.api.url}/`);
    // (Playwright's text search skips <noscript>, so these look the elements up by CSS.)
    const other = page.locator('noscript .noscript-other h2');
    await other.waitFor();
    expect(await other.textContent()).toBe('Other ways to report');
    expect(await page.locator('noscript .noscript-other p[lang="en"]').textContent()).toMatch(/by telephone, by post or in person/);
    expect(await page.locator('noscript .noscript-other p[lang="sw"]').isVisible()).toBe(true);
    expect(await page.locator('.boot-message').isVisible()).toBe(false);
    expect(await page.locator('#app').isVisible()).toBe(false);
    await context.close();
  });
});
