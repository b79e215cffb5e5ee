import { formatReceipt, openKeyWrap, openReport, ready, toB64, toHex } from '../packages/crypto/src';
import { openReporterCase, prepareReport, ReporterClient, type Intake, type IntakeContext } from '../packages/client/src';
import { giveOpenCases, seedOrganisation, type TestStaff } from './helpers/fixtures';
import { scanForSecrets } from './helpers/privacy-scan';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor, waitForCount } from './helpers/wait';

const CANARY = 'CANARY-plaintext-7f3a9c: the officer at Namanga asked for 200 USD';
const USER_AGENT = 'SautiTestAgent/1.0 (ua-canary-51d2)';

let stack: TestStack;
let client: ReporterClient;
let intake: Intake;
let context: IntakeContext;
let org: Awaited<ReturnType<typeof seedOrganisation>>;

async function withPow<T extends object>(request: T): Promise<T & { pow: { challenge: string; nonce: string } }> {
  return { ...request, pow: await client.proofOfWork() };
}

beforeAll(async () => {
  await ready();
  stack = await startStack();
  org = await seedOrganisation(stack.pool);
  client = new ReporterClient(stack.api.url, { 'user-agent': USER_AGENT });
  intake = await client.intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
});

afterAll(async () => {
  await stack?.stop();
});

describe('the reporting path, end to end', () => {
  let receipt: string;
  let caseId: string;
  let authKey: Uint8Array;
  let investigatorB: TestStaff;

  it('when a reporter submits a sealed report, then it is accepted, assigned to the least-loaded eligible investigator and one content-free e-mail is sent', async () => {
    const [a, b, c] = org.investigators as [TestStaff, TestStaff, TestStaff];
    investigatorB = b;
    // Workload: a has 2 open cases, b has 1, c has none but is excluded by the reporter.
    await giveOpenCases(stack.pool, org.contextId, a.id, 2);
    await giveOpenCases(stack.pool, org.contextId, b.id, 1);

    const prepared = prepareReport(intake, {
      context, body: { text: CANARY, answers: { when: 'last Tuesday' } }, category: 'bribery-extortion', region: 'namanga', exclude: [c.id],
    });
    receipt = prepared.receipt;
    caseId = prepared.request.id;
    const answer = await client.submit(await withPow(prepared.request));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id: caseId, status: 'received' });
    expect(answer.body.reference).toMatch(/^SA-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(answer.headers.get('set-cookie')).toBeNull();

    const assignee = await waitFor('assignment', async () => {
      const { rows } = await stack.pool.query<{ assignee_id: string | null; acknowledge_due_at: Date | null; received_at: Date }>(
        'SELECT assignee_id, acknowledge_due_at, received_at FROM cases WHERE id = $1', [caseId]);
      return rows[0]?.assignee_id ? rows[0] : null;
    });
    expect(assignee.assignee_id).toBe(b.id);
    expect(assignee.acknowledge_due_at!.getTime() - assignee.received_at.getTime()).toBe(7 * 86_400_000);

    const mail = await waitFor('the notification e-mail', async () => stack.mail.length > 0 && stack.mail);
    await new Promise((r) => setTimeout(r, 500)); // a second e-mail would arrive in this time
    expect(stack.mail).toHaveLength(1);
    expect(mail[0]!.to).toEqual([b.email]);
    const raw = mail[0]!.raw;
    for (const leak of [CANARY, answer.body.reference, caseId, 'bribery', 'Bribery', 'namanga', 'Namanga', receipt]) {
      expect(raw).not.toContain(leak);
    }
    expect(raw).toMatch(/A new case awaits you/);

    const { rows: audit } = await stack.pool.query('SELECT action, details FROM audit_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    expect(audit.map((r) => r.action)).toEqual(['case.received', 'case.assigned']);
  });

  it('when the assigned investigator opens its key wrap in its own client, then it reads the report', async () => {
    const { rows } = await stack.pool.query<{ sealed_key: Buffer; report: Buffer }>(
      'SELECT w.sealed_key, c.report FROM case_key_wraps w JOIN cases c ON c.id = w.case_id WHERE w.case_id = $1 AND w.recipient_id = $2',
      [caseId, investigatorB.id]);
    const keys = openKeyWrap(investigatorB.keyPair, new Uint8Array(rows[0]!.sealed_key));
    expect(openReport(keys.caseKey, caseId, new Uint8Array(rows[0]!.report))).toMatchObject({ text: CANARY });
    const excluded = org.investigators[2]!;
    const { rowCount } = await stack.pool.query('SELECT 1 FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, excluded.id]);
    expect(rowCount).toBe(0);
  });

  it('when the reporter comes back with the receipt, then it decrypts its report and posts a message', async () => {
    const reporter = new ReporterClient(stack.api.url, { 'user-agent': USER_AGENT });
    const login = await reporter.login(receipt, intake.receiptSalt);
    expect(login.status).toBe(201);
    authKey = login.keys.authKey;
    const view = await reporter.getCase();
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id: caseId, status: 'received', acknowledgedAt: null, identity: null, messages: [], files: [] });
    expect(view.body.statusHistory).toEqual([{ status: 'received', at: view.body.receivedAt }]);
    expect(JSON.stringify(view.body)).not.toContain(investigatorB.displayName);
    const opened = openReporterCase(view.body, login.keys.keyPair);
    expect(opened.report).toMatchObject({ text: CANARY });

    const messageId = '3f0e2a4c-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    const sent = await reporter.sendMessage(opened.caseKey, caseId, `${CANARY} — more detail`, messageId);
    expect(sent.status).toBe(201);
    const again = await reporter.getCase();
    expect(openReporterCase(again.body, login.keys.keyPair).messages).toEqual([{ id: messageId, author: 'reporter', text: `${CANARY} — more detail` }]);

    // The assignee hears of activity, again without content.
    await waitForCount('e-mails received (the activity e-mail included)', async () => stack.mail.length, 2);
    expect(stack.mail[1]!.to).toEqual([investigatorB.email]);
    expect(stack.mail[1]!.raw).not.toContain(CANARY);

    expect(await reporter.logout()).toBe(204);
    expect((await reporter.getCase()).status).toBe(401);
  });

  it('when the run is over, then no table, Redis key or log line holds the plaintext, the receipt, the authKey, an IP address or the user agent', async () => {
    const { hits, scanned } = await scanForSecrets(stack, [
      { label: 'plaintext canary', value: CANARY },
      { label: 'plaintext canary (part)', value: 'asked for 200 USD' },
      { label: 'receipt', value: receipt },
      { label: 'formatted receipt', value: formatReceipt(receipt) },
      { label: 'authKey (bytes)', value: authKey },
      { label: 'authKey (b64)', value: toB64(authKey) },
      { label: 'authKey (hex)', value: toHex(authKey) },
      { label: 'IPv4 loopback', value: '127.0.0.1' },
      { label: 'IPv6 loopback', value: '::1' },
      { label: 'IPv4-mapped loopback', value: '::ffff:' },
      { label: 'user agent', value: 'ua-canary-51d2' },
      { label: 'user agent', value: 'SautiTestAgent' },
    ]);
    // The scan must have looked at something real for its silence to mean anything.
    expect(scanned.rows).toBeGreaterThan(20);
    expect(scanned.redisKeys).toBeGreaterThan(3);
    expect(scanned.logLines).toBeGreaterThan(10);
    expect(hits).toEqual([]);
  });

  it('when the scanner is given a value that is stored, then it finds it (the scan can fail)', async () => {
    const { rows } = await stack.pool.query<{ reference: string; report: Buffer }>('SELECT reference, report FROM cases WHERE id = $1', [caseId]);
    const { hits } = await scanForSecrets(stack, [
      { label: 'reference', value: rows[0]!.reference },
      { label: 'ciphertext bytes', value: new Uint8Array(rows[0]!.report.subarray(10, 40)) },
      { label: 'job id in redis', value: caseId },
      { label: 'a log field', value: '"route":"/api/v1/reports"' },
    ]);
    expect(new Set(hits.map((h) => h.label))).toEqual(new Set(['reference', 'ciphertext bytes', 'job id in redis', 'a log field']));
  });
});
