/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, so this file sees DOM types.
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { prepareReport, ReporterClient } from '../../packages/client/src';
import { replaceRoutingRules } from '../../packages/db/src';
import { totpCode } from '../../apps/api/src/services/totp';
import { seedOrganisation } from '../helpers/fixtures';
import { closeBrowserPage, expectAccessible, failOnPageProblems, openBrowserPage, scrollWidth, tr, type WatchedContext } from '../helpers/browser';
import { signedInStaff, staffCredentials } from '../helpers/staff';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// A real browser running Argon2id for each sign-in.
jest.setTimeout(240_000);

const fr = (key: string, params?: Record<string, string | number>) => tr('fr', key, params);
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

const RAISED = 'WORKSPACE-CANARY-1: the Namanga scanner operator waves lorries through for cash';
const URGENT = 'WORKSPACE-CANARY-2: a clerk threatens a trader tonight';

/** A PNG of `size`×`size` red pixels, made here so the test needs no fixture file. */
function redPng(size: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([255, 0, 0]))]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A one-page PDF whose page is a filled blue square (no fonts, so it draws the same everywhere). */
function bluePdf(): Buffer {
  const content = '0 0 1 rg 20 20 160 160 re f';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The share of a canvas's or image's pixels that are mostly `channel` (0 red, 2 blue). */
async function shareOf(p: Page, selector: string, channel: 0 | 2): Promise<number> {
  // As a string: the test runs in Node, whose types have no DOM.
  return (await p.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const c = document.createElement('canvas');
    c.width = el instanceof HTMLCanvasElement ? el.width : el.naturalWidth;
    c.height = el instanceof HTMLCanvasElement ? el.height : el.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(el, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let hits = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + ${channel}] > 200 && d[i + ${channel === 0 ? 2 : 0}] < 60) hits++;
    return hits / (d.length / 4);
  })()`)) as number;
}

let stack: TestStack;
let browser: Browser;
let w: WatchedContext;
let page: Page;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let raisedId: string;
let urgentId: string;

beforeAll(async () => {
  await ready();
  stack = await startStack({ env: { SERVE_WEB: 'true' } });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  // A rule raises bribery to "high": the reporter did not mark it urgent, yet the inbox must say "High".
  await replaceRoutingRules(stack.pool, [
    { id: randomUUID(), name: 'Bribery first', contextId: null, channel: null, categoryId: 'bribery-extortion', regionIds: null, urgent: null,
      targetUnitId: null, priority: 'high', acknowledgeDays: null, feedbackDays: null, isDefault: false },
    { id: randomUUID(), name: 'Everything else', contextId: null, channel: null, categoryId: null, regionIds: null, urgent: null,
      targetUnitId: null, priority: 'normal', acknowledgeDays: null, feedbackDays: null, isDefault: true },
  ]);
  const reporter = new ReporterClient(stack.api.url);
  const intake = await reporter.intake();
  const context = intake.contexts.find((c) => c.id === org.contextId)!;
  const send = async (text: string, options: { category: string; region?: string; language: string; urgent: boolean }) => {
    const prepared = prepareReport(intake, { context, body: { v: 1, answers: [], text }, ...options });
    expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
    return prepared.request.id;
  };
  raisedId = await send(RAISED, { category: 'bribery-extortion', region: 'namanga', language: 'ar', urgent: false });
  urgentId = await send(URGENT, { category: 'other', language: 'fr', urgent: true });
  for (const id of [raisedId, urgentId]) {
    await waitFor('triage', async () => {
      const { rows } = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [id]);
      return rows[0]?.assignee_id ?? null;
    });
  }
  // The first investigator holds both cases (both were sealed to her) and is assigned the raised one.
  await stack.pool.query('UPDATE cases SET assignee_id = $2 WHERE id = $1', [raisedId, org.investigators[0]!.id]);
  await stack.pool.query('UPDATE cases SET assignee_id = $2 WHERE id = $1', [urgentId, org.investigators[1]!.id]);
  await signedInStaff(stack, org.investigators[0]!);
  ({ browser, w, page } = await openBrowserPage('fr-FR'));
});

afterAll(async () => {
  await closeBrowserPage({ browser, w });
  await stack?.stop();
});

failOnPageProblems(() => w);

const me = () => org.investigators[0]!;

async function fillSignIn(password: string, code: string): Promise<void> {
  await page.getByRole('heading', { name: fr('staff.loginTitle') }).waitFor();
  await page.getByLabel(exactly(fr('staff.email'))).fill(me().email);
  await page.getByLabel(exactly(fr('staff.password'))).fill(password);
  await page.getByLabel(exactly(fr('staff.totp'))).fill(code);
  await page.getByRole('button', { name: fr('staff.signIn') }).click();
}

async function signIn(): Promise<void> {
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL, failed_logins = 0, locked_until = NULL WHERE id = $1', [me().id]);
  const { password, totpSecret } = staffCredentials(me().id);
  await fillSignIn(password, totpCode(totpSecret, Date.now()));
}

describe('an investigator works her inbox in French: what the cases are, where she is, and why a sign-in failed', () => {
  it('when she mistypes her password, then she is told so in French, without the English server text and without "your session has ended"', async () => {
    await page.goto(`${stack.api.url}/staff`);
    const { totpSecret } = staffCredentials(me().id);
    await fillSignIn('not the password at all', totpCode(totpSecret, Date.now()));
    await page.getByText(fr('error.signInFailed')).waitFor({ timeout: 90_000 });
    const alert = (await page.getByRole('alert').allTextContents()).join(' ');
    expect(alert).not.toContain(fr('error.unauthenticated'));
    expect(alert).not.toMatch(/Sign-in failed|Details/);
    await expectAccessible(page, 'sign-in with a wrong password');
  });

  it('when she enters a code that was already used, then she is told to wait for the next code, in French', async () => {
    const { password, totpSecret } = staffCredentials(me().id);
    // The current code was just spent (by another sign-in of hers through the API).
    await stack.pool.query('UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [me().id]);
    await signedInStaff(stack, me());
    await fillSignIn(password, totpCode(totpSecret, Date.now()));
    await page.getByText(fr('error.totpReused')).waitFor({ timeout: 90_000 });
    const alert = (await page.getByRole('alert').allTextContents()).join(' ');
    expect(alert).not.toContain(fr('error.unauthenticated'));
    expect(alert).not.toMatch(/already used|Details/);
  });

  it('when she signs in, then the inbox names category, office, channel, routing priority and assignee, and her role is in French', async () => {
    await signIn();
    await page.getByRole('heading', { name: fr('inbox.title') }).waitFor({ timeout: 90_000 });
    await page.getByText(`(${fr('admin.role.investigator')})`).waitFor();
    await page.getByRole('columnheader', { name: fr('inbox.category') }).waitFor(); // the list has loaded
    const headers = await page.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(expect.arrayContaining([fr('inbox.category'), fr('inbox.region'), fr('inbox.channel'), fr('inbox.assignee'), fr('inbox.priority')]));
    const { rows } = await stack.pool.query<{ id: string; reference: string }>('SELECT id, reference FROM cases WHERE id = ANY($1)', [[raisedId, urgentId]]);
    const ref = (id: string) => rows.find((r) => r.id === id)!.reference;
    const raisedRow = page.getByRole('row').filter({ hasText: ref(raisedId) });
    const cells = await raisedRow.getByRole('cell').allTextContents();
    // Rule-raised "high", though the reporter did not mark it urgent; names, not ids.
    expect(cells).toEqual(expect.arrayContaining([fr('admin.routing.priority.high'), 'Bribery', 'Namanga', fr('channel.public'), fr('inbox.assigneeMe')]));
    const urgentCells = await page.getByRole('row').filter({ hasText: ref(urgentId) }).getByRole('cell').allTextContents();
    expect(urgentCells).toEqual(expect.arrayContaining(['Other', org.investigators[1]!.displayName]));
    expect(urgentCells.join(' ')).toContain(fr('inbox.reporterUrgent'));
    // The rule-raised case comes first in priority order.
    expect(await page.getByRole('row').nth(1).textContent()).toContain(ref(raisedId));
    await expectAccessible(page, 'inbox with facts');
  });

  it('when she filters and opens a case, then the address names them, the case shows its facts, and the status menu never goes back to "received"', async () => {
    await page.getByLabel(exactly(fr('inbox.status'))).selectOption('received');
    await waitFor('the filter in the address', async () => (page.url().endsWith('/staff?status=received') ? true : null));
    const { rows } = await stack.pool.query<{ reference: string }>('SELECT reference FROM cases WHERE id = $1', [raisedId]);
    await page.getByRole('button', { name: rows[0]!.reference }).click();
    await page.getByText(RAISED).waitFor();
    expect(page.url()).toBe(`${stack.api.url}/staff/cases/${raisedId}`);
    const facts = page.locator('dl.facts');
    const factText = (await facts.textContent()) ?? '';
    for (const expected of [fr('admin.routing.priority.high'), 'Bribery', 'Namanga', fr('channel.public'), fr('inbox.assigneeMe')]) expect(factText).toContain(expected);
    // The reporter wrote in Arabic: the language is named, in French.
    expect(factText).toContain(new Intl.DisplayNames(['fr'], { type: 'language' }).of('ar')!);
    expect(factText).not.toMatch(/\bar\b/);
    const options = await page.getByLabel(exactly(fr('staff.newStatus'))).locator('option').allTextContents();
    expect(options.slice(1)).toEqual([fr('status.acknowledged')]);
    await expectAccessible(page, 'case view with facts');
  });

  it('when she presses the browser\'s Back, then she is in the filtered inbox with her keys, and Forward opens the case again', async () => {
    await page.goBack();
    await page.getByRole('heading', { name: fr('inbox.title') }).waitFor();
    expect(page.url()).toBe(`${stack.api.url}/staff?status=received`);
    expect(await page.getByLabel(exactly(fr('inbox.status'))).inputValue()).toBe('received');
    expect(await page.getByRole('heading', { name: fr('staff.loginTitle') }).count()).toBe(0);
    await page.goForward();
    // Decrypting the report again proves the private key is still in the worker.
    await page.getByText(RAISED).waitFor();
    await page.getByRole('button', { name: fr('staff.backToInbox') }).click();
    await page.getByRole('heading', { name: fr('inbox.title') }).waitFor();
    expect(page.url()).toBe(`${stack.api.url}/staff?status=received`);
  });

  it('when she reloads a case or opens its bookmark, then she signs in again and lands on that case; the address holds no secret', async () => {
    await page.goto(`${stack.api.url}/staff/cases/${urgentId}`);
    await signIn();
    await page.getByText(URGENT).waitFor({ timeout: 90_000 });
    expect(page.url()).toBe(`${stack.api.url}/staff/cases/${urgentId}`);
    await page.reload();
    await signIn();
    await page.getByText(URGENT).waitFor({ timeout: 90_000 });
    const { password } = staffCredentials(me().id);
    for (const r of w.requests) expect(r.url).not.toContain(encodeURIComponent(password));
  });

  it('when the page is 360 px wide and used with the keyboard only, then she reaches a case from the inbox with Tab and Enter, and nothing overflows but the table', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: fr('staff.backToInbox') }).click();
    await page.getByRole('heading', { name: fr('inbox.title') }).waitFor();
    const { rows } = await stack.pool.query<{ reference: string }>('SELECT reference FROM cases WHERE id = $1', [raisedId]);
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (((await page.evaluate('document.activeElement && document.activeElement.textContent')) as string | null) === rows[0]!.reference) break;
    }
    await page.keyboard.press('Enter');
    await page.getByText(RAISED).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await expectAccessible(page, 'case view at 360 px');
  });

  it('when she opens an image and a PDF of the case, then they are shown in the page from memory (pdf.js in its worker, no eval under the CSP), and a download asks first', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const input = page.getByLabel(fr('files.add'));
    await input.setInputFiles({ name: 'photo-pont.png', mimeType: 'image/png', buffer: redPng(40) });
    await page.getByRole('button', { name: fr('files.send', { n: 1 }) }).click(); // chosen files are sent on request
    await page.getByText(fr('files.uploaded', { name: 'photo-pont.png' })).waitFor({ timeout: 60_000 });
    await input.setInputFiles({ name: 'facture.pdf', mimeType: 'application/pdf', buffer: bluePdf() });
    await page.getByRole('button', { name: fr('files.send', { n: 1 }) }).click();
    await page.getByText(fr('files.uploaded', { name: 'facture.pdf' })).waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: fr('files.previewNamed', { name: 'photo-pont.png' }) }).click();
    const image = page.getByRole('img', { name: fr('preview.imageAlt', { name: 'photo-pont.png' }) });
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    await waitFor('the image decoded', async () => ((await page.evaluate('document.querySelector(".file-preview img").naturalWidth')) === 40 ? true : null));
    expect(await shareOf(page, '.file-preview img', 0)).toBeGreaterThan(0.9);
    await page.getByRole('button', { name: fr('preview.close') }).click();

    await page.getByRole('button', { name: fr('files.previewNamed', { name: 'facture.pdf' }) }).click();
    const sheet = page.getByRole('img', { name: fr('preview.page', { page: 1, total: 1 }) });
    await sheet.waitFor({ timeout: 60_000 });
    // The square covers 64% of the page: pdf.js really drew it.
    await waitFor('the page drawn', async () => ((await shareOf(page, '.file-preview canvas', 2)) > 0.5 ? true : null));
    // Its worker is the app's own file; nothing else was fetched for the preview.
    const pdfWorker = w.requests.filter((r) => /pdf\.worker/.test(r.url));
    expect(pdfWorker.length).toBeGreaterThan(0);
    for (const r of pdfWorker) expect(r.url.startsWith(stack.api.url)).toBe(true);
    expect(w.requests.filter((r) => !r.url.startsWith(stack.api.url) && !r.url.startsWith('blob:'))).toEqual([]);
    await expectAccessible(page, 'PDF preview');

    // Download is a second, deliberate step, after a warning that it leaves a decrypted copy.
    let downloaded = false;
    page.once('download', () => (downloaded = true));
    await page.getByRole('button', { name: fr('files.downloadNamed', { name: 'facture.pdf' }) }).click();
    await page.getByText(fr('files.downloadWarning')).waitFor();
    expect(downloaded).toBe(false);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: fr('files.downloadAnyway') }).click()]);
    expect(download.suggestedFilename()).toBe('facture.pdf');
    expect(readFileSync((await download.path())!).equals(bluePdf())).toBe(true);
  });
});
