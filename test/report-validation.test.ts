import { randomBytes, ready, toB64 } from '../packages/crypto/src';
import { prepareReport, ReporterClient, type Intake, type IntakeContext, type ReportRequest } from '../packages/client/src';
import { seedOrganisation } from './helpers/fixtures';
import { cheapReport as cheapSealedReport } from './helpers/reports';
import { startStack, type TestStack } from './helpers/stack';

let stack: TestStack;
let client: ReporterClient;
let intake: Intake;
let context: IntakeContext;
let org: Awaited<ReturnType<typeof seedOrganisation>>;

const cheapReport = (overrides: Partial<Parameters<typeof prepareReport>[1]> = {}) => cheapSealedReport(intake, context, { category: 'other', ...overrides });

async function submitWith(mutate: (r: ReportRequest) => unknown) {
  const request = { ...cheapReport().request, pow: await client.proofOfWork() };
  return client.submit(JSON.stringify(mutate(structuredClone(request)) ?? request));
}

const b64len = (n: number) => toB64(new Uint8Array(n));

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  org = await seedOrganisation(stack.pool, { investigators: 3, maxExclusions: 1 });
  client = new ReporterClient(stack.api.url);
  intake = await client.intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
});

afterAll(async () => {
  await stack?.stop();
});

describe('POST /api/v1/reports — idempotency', () => {
  it('when the same body is sent again, then the answer is 200 with the same reference; another body with the same id is 409', async () => {
    const request = { ...cheapReport().request, pow: await client.proofOfWork() };
    const body = JSON.stringify(request);
    const first = await client.submit(body);
    expect(first.status).toBe(201);
    const retry = await client.submit(body);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);

    const other = { ...cheapReport({ caseId: request.id }).request, pow: await client.proofOfWork() };
    const conflict = await client.submit(other);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatch(/different report was already submitted with this id/);
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM cases WHERE id = $1', [request.id]);
    expect(rows[0].n).toBe(1);
  });

  it('when a lookup is already used by another case, then the answer is 409', async () => {
    const first = cheapReport();
    expect((await client.submit({ ...first.request, pow: await client.proofOfWork() })).status).toBe(201);
    const second = cheapReport({ reporterKeys: first.reporterKeys });
    const answer = await client.submit({ ...second.request, pow: await client.proofOfWork() });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(/receipt is already used/);
  });
});

describe('POST /api/v1/reports — every check of docs/protocol.md §4 answers 400 with the field', () => {
  const cases: [string, (r: ReportRequest) => unknown, string][] = [
    ['an id that is not a UUID v4', (r) => ({ ...r, id: 'ABC' }), 'id'],
    ['an uppercase UUID', (r) => ({ ...r, id: r.id.toUpperCase() }), 'id'],
    ['a UUID of another version', (r) => ({ ...r, id: '0f8b1c2e-3d4a-1b5c-8d6e-7f8091a2b3c4' }), 'id'],
    ['an unknown context', (r) => ({ ...r, contextId: '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4' }), 'contextId'],
    ['a category of no context', (r) => ({ ...r, routing: { ...r.routing, category: 'tax' } }), 'routing.category'],
    ['a region of no context', (r) => ({ ...r, routing: { ...r.routing, region: 'atlantis' } }), 'routing.region'],
    ['a bad language tag', (r) => ({ ...r, routing: { ...r.routing, language: 'English!' } }), 'routing.language'],
    ['urgent as a string', (r) => ({ ...r, routing: { ...r.routing, urgent: 'yes' } }), 'routing.urgent'],
    ['a key wrap missing', (r) => ({ ...r, keyWraps: r.keyWraps.slice(1) }), 'keyWraps'],
    ['a key wrap twice', (r) => ({ ...r, keyWraps: [...r.keyWraps, r.keyWraps[0]] }), 'keyWraps.3.recipientId'],
    ['a key wrap for a stranger', (r) => ({ ...r, keyWraps: [...r.keyWraps.slice(1), { recipientId: '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4', sealedKey: r.keyWraps[0]!.sealedKey }] }), 'keyWraps.2.recipientId'],
    ['no key wraps at all', (r) => ({ ...r, keyWraps: [] }), 'keyWraps'],
    ['a sealed key of 111 bytes', (r) => ({ ...r, keyWraps: r.keyWraps.map((w, i) => (i === 0 ? { ...w, sealedKey: b64len(111) } : w)) }), 'keyWraps.0.sealedKey'],
    ['a sealed key that is not base64url', (r) => ({ ...r, keyWraps: r.keyWraps.map((w, i) => (i === 0 ? { ...w, sealedKey: 'not base64!' } : w)) }), 'keyWraps.0.sealedKey'],
    ['a reporter public key of 31 bytes', (r) => ({ ...r, reporter: { ...r.reporter, publicKey: b64len(31) } }), 'reporter.publicKey'],
    ['a lookup of 33 bytes', (r) => ({ ...r, reporter: { ...r.reporter, lookup: b64len(33) } }), 'reporter.lookup'],
    ['a reporter sealed key of 81 bytes', (r) => ({ ...r, reporter: { ...r.reporter, sealedKey: b64len(81) } }), 'reporter.sealedKey'],
    ['a report over 1 MiB', (r) => ({ ...r, report: b64len(1024 * 1024 + 1) }), 'report'],
    ['an empty report', (r) => ({ ...r, report: '' }), 'report'],
    ['an excluded id that is no recipient', (r) => ({ ...r, excludedRecipientIds: ['0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4'] }), 'excludedRecipientIds.0'],
    ['an unknown field', (r) => ({ ...r, ip: '1.2.3.4' }), '(body)'],
    ['a missing reporter', (r) => ({ ...r, reporter: undefined }), 'reporter'],
    ['a nonce with a sign', (r) => ({ ...r, pow: { ...(r as { pow: object }).pow, nonce: '-1' } }), 'pow.nonce'],
    ['identity wrapped to nobody', (r) => ({ ...r, identity: { ciphertext: b64len(80), keyWraps: [], reporterSealedKey: b64len(80) } }), 'identity.keyWraps'],
  ];

  it.each(cases)('when the request has %s, then it is refused with 400 naming %s', async (_name, mutate, field) => {
    const answer = await submitWith(mutate);
    expect(answer.status).toBe(400);
    const issues = (answer.body as unknown as { issues: { field: string; message: string }[] }).issues;
    expect(issues.map((i) => i.field)).toContain(field);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
  });

  it('when more recipients are excluded than the context allows, then 400 says the limit', async () => {
    const [a, b] = context.recipients;
    const prepared = cheapReport({ exclude: [a!.id, b!.id] });
    const answer = await client.submit({ ...prepared.request, pow: await client.proofOfWork() });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/allows at most 1/);
  });

  it('when an identity is not wrapped to every custodian, then it is refused', async () => {
    const prepared = cheapReport({ identity: { name: 'X' } });
    const request = { ...prepared.request, identity: { ...prepared.request.identity!, keyWraps: [{ ...prepared.request.identity!.keyWraps[0]!, recipientId: context.recipients[0]!.id }] } };
    const answer = await client.submit({ ...request, pow: await client.proofOfWork() });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ field: 'identity.keyWraps' })]) });
  });

  it('when a confidential identity is given correctly, then it is accepted and kept as ciphertext', async () => {
    const prepared = cheapReport({ identity: { name: 'Officer X', phone: '+254 700 000 000' } });
    const answer = await client.submit({ ...prepared.request, pow: await client.proofOfWork() });
    expect(answer.status).toBe(201);
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM identity_wraps WHERE case_id = $1', [prepared.request.id]);
    expect(rows[0].n).toBe(1);
  });

  it('when a refused request is made, then nothing of it was written', async () => {
    const before = await stack.pool.query('SELECT (SELECT count(*) FROM cases) AS c, (SELECT count(*) FROM case_key_wraps) AS w, (SELECT count(*) FROM outbox) AS o');
    await submitWith((r) => ({ ...r, keyWraps: r.keyWraps.slice(1) }));
    const after = await stack.pool.query('SELECT (SELECT count(*) FROM cases) AS c, (SELECT count(*) FROM case_key_wraps) AS w, (SELECT count(*) FROM outbox) AS o');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});

describe('proof of work', () => {
  it('when a challenge is reused, then the second report is refused with 400', async () => {
    const pow = await client.proofOfWork();
    expect((await client.submit({ ...cheapReport().request, pow })).status).toBe(201);
    const second = await client.submit({ ...cheapReport().request, pow });
    expect(second.status).toBe(400);
    expect(second.body.error).toMatch(/already used/);
  });

  it('when the challenge is forged, then 400', async () => {
    const pow = await client.proofOfWork();
    const parts = pow.challenge.split('.');
    parts[2] = '0'; // claim difficulty 0
    const answer = await client.submit({ ...cheapReport().request, pow: { challenge: parts.join('.'), nonce: '0' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/not one this server issued/);
  });

  it('when the nonce does not solve the challenge, then 400', async () => {
    const pow = await client.proofOfWork();
    // Find a nonce that fails: the solution is the smallest, so try the next ones until one fails.
    let wrong = BigInt(pow.nonce) + 1n;
    const { verifyPow } = await import('../packages/crypto/src');
    while (verifyPow(pow.challenge, wrong.toString(), stack.config.POW_DIFFICULTY)) wrong++;
    const answer = await client.submit({ ...cheapReport().request, pow: { challenge: pow.challenge, nonce: wrong.toString() } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/proof of work is wrong/);
  });

  it('when asked for a challenge, then it comes with the deployment difficulty and an expiry', async () => {
    const answer = await client.call<{ challenge: string; difficulty: number; expiresAt: string }>('POST', '/api/v1/pow');
    expect(answer.status).toBe(201);
    expect(answer.body.difficulty).toBe(6);
    expect(new Date(answer.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('reporter sessions', () => {
  it('when the authKey is unknown, then 401 with one generic message, the same for every unknown key', async () => {
    const a = await client.call('POST', '/api/v1/reporter/session', { authKey: toB64(randomBytes(32)), pow: await client.proofOfWork() });
    const b = await client.call('POST', '/api/v1/reporter/session', { authKey: toB64(randomBytes(32)), pow: await client.proofOfWork() });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body).toEqual(b.body);
    expect(a.body).toEqual({ error: 'This receipt does not open any report. Check it and try again.' });
  });

  it('when no or a bad token is sent, then the case is not shown', async () => {
    expect((await client.call('GET', '/api/v1/reporter/case')).status).toBe(401);
    const stranger = new ReporterClient(stack.api.url);
    stranger.token = toB64(randomBytes(32));
    expect((await stranger.getCase()).status).toBe(401);
  });

  it('when a message is retried with the same id and body, then 200; with another body, 409', async () => {
    const prepared = cheapReport();
    expect((await client.submit({ ...prepared.request, pow: await client.proofOfWork() })).status).toBe(201);
    const reporter = new ReporterClient(stack.api.url);
    const session = await reporter.call<{ token: string }>('POST', '/api/v1/reporter/session', { authKey: toB64(prepared.reporterKeys.authKey), pow: await reporter.proofOfWork() });
    expect(session.status).toBe(201);
    reporter.token = session.body.token;
    const message = { id: '9d6f0b2a-1c3e-4f5a-9b7c-8d9e0f1a2b3c', body: b64len(60) };
    expect((await reporter.call('POST', '/api/v1/reporter/case/messages', message)).status).toBe(201);
    expect((await reporter.call('POST', '/api/v1/reporter/case/messages', message)).status).toBe(200);
    expect((await reporter.call('POST', '/api/v1/reporter/case/messages', { ...message, body: b64len(61) })).status).toBe(409);
    expect((await reporter.call('POST', '/api/v1/reporter/case/messages', { id: 'x', body: 'y' })).status).toBe(400);
  });
});

describe('hostile and malformed HTTP', () => {
  it('when the JSON is malformed, then 400 says so', async () => {
    const answer = await client.call('POST', '/api/v1/reports', '{"id": ');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'The request body is not valid JSON.' });
  });

  it('when the body is larger than the limit, then 413 names the limit', async () => {
    const answer = await client.call('POST', '/api/v1/reporter/session', JSON.stringify({ authKey: 'A'.repeat(70 * 1024) }));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/larger than the limit of 64 KiB/);
  });

  it('when the content type is not JSON, then 415', async () => {
    const response = await fetch(new URL('/api/v1/reports', stack.api.url), { method: 'POST', body: 'id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(415);
  });

  it('when the body is JSON but not an object, then 400', async () => {
    expect((await client.call('POST', '/api/v1/reports', '[]')).status).toBe(400);
    expect((await client.call('POST', '/api/v1/reports', 'null')).status).toBe(400);
  });

  it('when an unknown API path is asked for, then 404 in JSON', async () => {
    const answer = await client.call('GET', '/api/v1/nope');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'There is nothing at this address.' });
  });

  it('when any answer is sent, then it carries the security headers and no cookie', async () => {
    const response = await fetch(new URL('/api/v1/intake', stack.api.url));
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self';script-src 'self' 'wasm-unsafe-eval';style-src 'self';img-src 'self' data: blob:;connect-src 'self';worker-src 'self' blob:;font-src 'self';object-src 'none';base-uri 'none';frame-ancestors 'none';form-action 'self'",
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('when the intake is asked for, then it names the limits a client must respect', async () => {
    expect(intake.limits).toEqual({ reportMaxBytes: 1024 * 1024, fileMaxBytes: 100 * 1024 * 1024, caseFilesMaxBytes: 500 * 1024 * 1024, caseFilesMaxCount: 100 });
    expect(intake.receiptSalt).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('when health and readiness are asked, then both answer', async () => {
    expect((await client.call('GET', '/healthz')).status).toBe(200);
    const ready = await client.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', postgres: 'up', redis: 'up' });
  });
});
