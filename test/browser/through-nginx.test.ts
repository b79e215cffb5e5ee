import type { Browser } from 'playwright-core';
import { ready } from '../../packages/crypto/src';
import { seedOrganisation } from '../helpers/fixtures';
import { launchChromium, requestsContaining, tr, watchedContext, type WatchedContext } from '../helpers/browser';
import { freePort, selfSignedCertificate, startNginx, tempPrefix, writeNginxConf, type RunningNginx } from '../helpers/nginx';
import { startStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// A reporter's story over https, through infra/nginx/sauti.conf as shipped (only its marked values
// changed), to an api started by this test. Chromium accepts the test's self-signed certificate.
jest.setTimeout(120_000);

const CANARY = 'NGINX-CANARY-6d2f: the scanner at Busia was switched off for a payment';
const FILE_CANARY = 'NGINX-FILE-CANARY-1a9b: photo of the ledger';
const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

let stack: TestStack;
let nginx: RunningNginx;
let prefix: ReturnType<typeof tempPrefix>;
let browser: Browser;
let w: WatchedContext;
let httpPort: number;
let org: Awaited<ReturnType<typeof seedOrganisation>>;

beforeAll(async () => {
  await ready();
  const httpsPort = await freePort();
  httpPort = await freePort();
  stack = await startStack({ env: { SERVE_WEB: 'true', POW_DIFFICULTY: '8', PUBLIC_URL: `https://localhost:${httpsPort}` } });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  prefix = tempPrefix('nginx-story');
  const { cert, key } = selfSignedCertificate(prefix.dir);
  const conf = writeNginxConf(prefix.dir, { httpsPort, httpPort, upstream: new URL(stack.api.url).host, cert, key });
  nginx = await startNginx(prefix.dir, conf, httpsPort);
  browser = await launchChromium(['--ignore-certificate-errors']);
  w = await watchedContext(browser, { locale: 'en-GB' });
});

afterAll(async () => {
  await w?.context.close();
  await browser?.close();
  await nginx?.stop();
  prefix?.remove();
  await stack?.stop();
});

describe('a reporter behind nginx over https', () => {
  let receipt: string;
  let caseId: string;

  it('when she sends a report with an attachment through the proxy, then she gets a receipt and the case is stored and triaged', async () => {
    const page = await w.newPage();
    const response = await page.goto(`${nginx.url}/`);
    expect(response?.status()).toBe(200);
    // One HSTS header (nginx's), not nginx's and the api's.
    expect(response?.headers()['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    await page.getByRole('button', { name: en('landing.start') }).click();
    await page.getByRole('heading', { name: en('step.channel') }).waitFor();
    await page.getByLabel(/^Context /).check();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.details') }).waitFor();
    await page.getByLabel(en('details.category')).selectOption('bribery-extortion');
    await page.getByLabel(en('details.freeText')).fill(CANARY);
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.exclusions') }).waitFor();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.attachments') }).waitFor();
    await page.getByLabel(en('attachments.add')).setInputFiles({ name: 'ledger.txt', mimeType: 'text/plain', buffer: Buffer.from(FILE_CANARY) });
    await page.getByText('ledger.txt').waitFor();
    await page.getByRole('button', { name: en('action.next') }).click();
    await page.getByRole('heading', { name: en('step.review') }).waitFor();
    await page.getByRole('button', { name: en('send.button') }).click();

    await page.getByRole('heading', { name: en('receipt.title') }).waitFor({ timeout: 60_000 });
    receipt = ((await page.getByTestId('receipt').textContent()) ?? '').replace(/[^0-9A-Z]/g, '');
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    // The encrypted file went through nginx's unbuffered upload path.
    await page.getByText(en('receipt.filesSent', { n: 1 })).waitFor();
    expect(w.requests.filter((r) => r.method === 'PUT' && r.url.startsWith(`${nginx.url}/api/`) && r.url.endsWith('/content'))).toHaveLength(1);

    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM cases WHERE context_id = $1', [org.contextId]);
    expect(rows).toHaveLength(1);
    caseId = rows[0]!.id;
    await waitFor('triage', async () => {
      const r = await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
      return r.rows[0]!.assignee_id;
    }, 60_000);
    const files = await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM case_files WHERE case_id = $1', [caseId]);
    expect(Number(files.rows[0]!.n)).toBe(1);
    expect(w.problems).toEqual([]);
  });

  it('when she opens the follow-up page with her receipt, then her report opens over the same https origin', async () => {
    const page = await w.newPage();
    await page.goto(`${nginx.url}/follow-up`);
    await page.getByRole('heading', { name: en('followUp.title') }).waitFor();
    await page.getByLabel(en('followUp.receiptLabel')).fill(receipt);
    await page.getByRole('button', { name: en('followUp.open') }).click();
    await page.getByRole('heading', { name: /^Report SA-/ }).waitFor({ timeout: 60_000 });
    // The report itself sits in a collapsed section: decrypted and on the page.
    await page.getByText(CANARY).waitFor({ state: 'attached' });
    await page.getByText('ledger.txt').waitFor();
    expect(new URL(page.url()).origin).toBe(nginx.url);
    expect(w.problems).toEqual([]);
  });

  it('then every request went to the https origin, and none carried the receipt, the report or the file in clear', () => {
    expect(w.requests.length).toBeGreaterThan(0);
    expect(w.requests.filter((r) => !r.url.startsWith(`${nginx.url}/`) && !r.url.startsWith('blob:') && !r.url.startsWith('data:'))).toEqual([]);
    expect(requestsContaining(w.requests, receipt)).toEqual([]);
    expect(requestsContaining(w.requests, CANARY)).toEqual([]);
    expect(requestsContaining(w.requests, FILE_CANARY)).toEqual([]);
  });

  it('when plain http is asked for, then nginx redirects to https', async () => {
    const answer = await fetch(`http://127.0.0.1:${httpPort}/follow-up`, { redirect: 'manual' });
    expect(answer.status).toBe(301);
    expect(answer.headers.get('location')).toBe('https://127.0.0.1/follow-up');
  });
});
