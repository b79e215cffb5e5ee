import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { generateKeyPair, hash, randomBytes, ready, toB64, verifyPow } from '../packages/crypto/src';
import { prepareReport, ReporterClient, StaffClient, type Intake, type IntakeContext } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { REDIS_URL } from './helpers/env';
import { prepareFile, reporterWithCase } from './helpers/files';
import { seedOrganisation, type TestStaff } from './helpers/fixtures';
import { readyRequest } from './helpers/reports';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

// Abuse resistance (issue 11, docs/threat-model.md "Abuse").
jest.setTimeout(120_000);

let stack: TestStack;
let intake: Intake;
let context: IntakeContext;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let admin: StaffClient;
let adminId: string;

const bytes = (n: number) => toB64(new Uint8Array(n).fill(7));

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false, env: { RATE_CASE_MESSAGES: '30/600', REPORTER_SESSIONS_PER_CASE: '3', METRICS_WINDOW_SECONDS: '3600' } });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  intake = await new ReporterClient(stack.api.url).intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
  adminId = randomUUID();
  const a = { id: adminId, email: `admin.${adminId.slice(0, 6)}@test.sauti.invalid`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...a, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active', publicKey: a.keyPair.publicKey });
  admin = await signedInStaff(stack, a);
});

afterAll(async () => {
  await stack?.stop();
});

describe('rate limits', () => {
  it('when one reporter token sends messages rapidly, then the case limit answers 429 with Retry-After and a sentence to act on, and nothing past it is stored', async () => {
    const reporter = await reporterWithCase(stack.api.url, intake, context);
    const statuses: number[] = [];
    let refusal: { status: number; headers: Headers; body: unknown } | null = null;
    for (let i = 0; i < 40; i++) {
      const answer = await reporter.client.call('POST', '/api/v1/reporter/case/messages', { id: randomUUID(), body: bytes(200) });
      statuses.push(answer.status);
      if (answer.status === 429) refusal ??= answer;
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(Number(refusal!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((refusal!.body as { error: string }).error).toMatch(/Wait .* before sending the next one/);
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM messages WHERE case_id = $1', [reporter.caseId]);
    expect(rows[0].n).toBe(30);
  });

  it('when limits are counted, then no Redis key holds an address, a user agent, an e-mail address or a case-independent client trait', async () => {
    const redis = new IORedis(REDIS_URL);
    try {
      const keys = await redis.keys(`${stack.config.QUEUE_PREFIX}:rl:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).not.toMatch(/127\.0\.0\.1|::1|::ffff|localhost|@|node|undici|Mozilla/i);
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe('reporter sessions', () => {
  it('when a receipt opens more sessions than the per-case cap, then the oldest end', async () => {
    const client = new ReporterClient(stack.api.url);
    const authKey = randomBytes(32);
    const prepared = prepareReport(intake, {
      context, body: { text: 'sessions' }, category: 'other', reporterKeys: { authKey, lookup: hash(authKey), keyPair: generateKeyPair() },
    });
    expect((await client.submit({ ...prepared.request, pow: await client.proofOfWork() })).status).toBe(201);
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await client.call<{ token: string }>('POST', '/api/v1/reporter/session', { authKey: toB64(authKey), pow: await client.proofOfWork() });
      expect(s.status).toBe(201);
      tokens.push(s.body.token);
    }
    const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reporter_sessions WHERE case_id = $1', [prepared.request.id]);
    expect(rows[0]!.n).toBe(3);
    const statusWith = async (token: string) => {
      const c = new ReporterClient(stack.api.url);
      c.token = token;
      return (await c.call('GET', '/api/v1/reporter/case')).status;
    };
    expect(await Promise.all(tokens.map(statusWith))).toEqual([401, 401, 200, 200, 200]);
  });

  it('when a session is older than its absolute lifetime, then activity no longer keeps it alive', async () => {
    const reporter = await reporterWithCase(stack.api.url, intake, context);
    expect((await reporter.client.call('GET', '/api/v1/reporter/case')).status).toBe(200);
    await stack.pool.query(`UPDATE reporter_sessions SET created_at = now() - interval '5 hours' WHERE case_id = $1`, [reporter.caseId]);
    expect((await reporter.client.call('GET', '/api/v1/reporter/case')).status).toBe(401);
  });
});

describe('input hygiene', () => {
  it('when staff/admin text fields carry NUL or a lone surrogate, then each is a 400 naming the field, never a 500', async () => {
    const ruleId = randomUUID();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/admin/invites', { email: `n.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: 'A\u0000', roles: ['analyst'] }, 'displayName'],
      ['POST', '/api/v1/admin/units', { name: 'U\u0000' }, 'name'],
      ['PATCH', `/api/v1/admin/staff/${adminId}`, { displayName: 'x\ud800' }, 'displayName'],
      ['PATCH', `/api/v1/admin/contexts/${org.contextId}`, { description: 'd\u0000' }, 'description'],
      ['PATCH', `/api/v1/admin/contexts/${org.contextId}`, { questions: [{ id: 'q1', label: 'L\u0000' }] }, 'questions.0.label'],
      ['POST', `/api/v1/admin/contexts/${org.contextId}/categories`, { id: 'c1', label: 'C\u0000' }, 'label'],
      ['PUT', '/api/v1/admin/routing-rules', { rules: [{ id: ruleId, name: 'R\u0000' }] }, 'rules.0.name'],
      ['GET', '/api/v1/staff/cases?category=x%00y', undefined, 'category'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await admin.call<{ issues?: { field: string; message: string }[] }>(method, path, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.body.issues?.map((i) => i.field)).toContain(field);
    }
  });

  it('when a page is framed, then X-Frame-Options says DENY, as frame-ancestors does', async () => {
    const answer = await fetch(`${stack.api.url}/api/v1/intake`);
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('when a report carries no valid proof of work and an invalid body, then the proof of work is what is refused', async () => {
    const client = new ReporterClient(stack.api.url);
    const request = await readyRequest(client, intake, context);
    const challenge = request.pow!.challenge;
    let nonce = 0;
    while (verifyPow(challenge, String(nonce), Number(challenge.split('.')[2]))) nonce++; // a nonce that surely fails
    const forged = { ...request, pow: { challenge, nonce: String(nonce) }, wraps: 'not even a list' };
    const answer = await client.call<{ issues?: { field: string }[] }>('POST', '/api/v1/reports', forged);
    expect(answer.status).toBe(400);
    expect(answer.body.issues?.map((i) => i.field)).toEqual(['pow.nonce']);
  });

  it('when recovery is completed, an account activated (start and finish) or a TOTP reset completed, then each costs a proof of work, spent once, with the same answer for known and unknown addresses', async () => {
    const client = new ReporterClient(stack.api.url);
    const recovery = (email: string) => ({ email, challenge: bytes(32), salt: bytes(16), loginKey: bytes(32), encryptedPrivateKey: bytes(72) });
    const activation = { token: 'A'.repeat(43), salt: bytes(16), loginKey: bytes(32), publicKey: bytes(32), encryptedPrivateKey: bytes(72), recoveryEncryptedPrivateKey: bytes(72), totp: '123456' };
    // Without one: a 400 naming pow, before any account is looked up.
    const totpReset = { token: 'A'.repeat(43), loginKey: bytes(32), totp: '123456' };
    for (const [path, body] of [
      ['/api/v1/auth/recovery/complete', recovery(org.investigators[0]!.email)],
      ['/api/v1/auth/activation', activation],
      ['/api/v1/auth/activation/start', { token: activation.token }],
      ['/api/v1/auth/totp-reset/complete', totpReset],
    ] as const) {
      const answer = await client.call<{ issues?: { field: string }[] }>('POST', path, body);
      expect([path, answer.status, answer.body.issues?.map((i) => i.field)]).toEqual([path, 400, ['pow']]);
    }
    // With one: the usual refusal, identical for a known and an unknown address; the same proof twice is refused.
    const known = await client.call('POST', '/api/v1/auth/recovery/complete', { ...recovery(org.investigators[0]!.email), pow: await client.proofOfWork() });
    const unknown = await client.call('POST', '/api/v1/auth/recovery/complete', { ...recovery(`ghost.${randomUUID().slice(0, 6)}@test.sauti.invalid`), pow: await client.proofOfWork() });
    expect(known.status).toBe(401);
    expect(JSON.stringify(unknown.body)).toBe(JSON.stringify(known.body));
    expect(unknown.status).toBe(known.status);
    const proof = await client.proofOfWork();
    expect((await client.call('POST', '/api/v1/auth/activation', { ...activation, pow: proof })).status).toBe(404);
    const again = await client.call<{ issues?: { field: string }[] }>('POST', '/api/v1/auth/activation', { ...activation, pow: proof });
    expect([again.status, again.body.issues?.map((i) => i.field)]).toEqual([400, ['pow.challenge']]);
    // Activation start and TOTP-reset completion the same way: with a proof, the link's usual 404; the proof is then spent.
    for (const [path, body] of [['/api/v1/auth/activation/start', { token: activation.token }], ['/api/v1/auth/totp-reset/complete', totpReset]] as const) {
      const work = await client.proofOfWork();
      expect([path, (await client.call('POST', path, { ...body, pow: work })).status]).toEqual([path, 404]);
      const reused = await client.call<{ issues?: { field: string }[] }>('POST', path, { ...body, pow: work });
      expect([path, reused.status, reused.body.issues?.map((i) => i.field)]).toEqual([path, 400, ['pow.challenge']]);
    }
  });

  it('when an analyst (demoted investigator) still holds a case key, then extending the deadline and adding files are refused like messages', async () => {
    const reporter = await reporterWithCase(stack.api.url, intake, context);
    const holder: TestStaff = org.investigators[0]!;
    await stack.pool.query(`UPDATE staff_users SET roles = '{analyst}' WHERE id = $1`, [holder.id]);
    try {
      const analyst = await signedInStaff(stack, holder);
      const base = `/api/v1/staff/cases/${reporter.caseId}`;
      expect((await analyst.call('GET', base)).status).toBe(200);
      expect((await analyst.call('POST', `${base}/feedback-extension`, { days: 120, reason: bytes(60) })).status).toBe(403);
      const file = prepareFile(reporter.caseId, reporter.caseKey, 10);
      expect((await analyst.call('POST', `${base}/files`, file.registration)).status).toBe(403);
      expect((await analyst.call('POST', `${base}/messages`, { id: randomUUID(), body: bytes(60) })).status).toBe(403);
    } finally {
      await stack.pool.query(`UPDATE staff_users SET roles = '{investigator}' WHERE id = $1`, [holder.id]);
    }
  });
});

describe('who receives reports', () => {
  it('when an admin changes the recipients or custodians of a context, then every admin and supervisor is told (content-free) and it is audited', async () => {
    const supervisorId = randomUUID();
    await insertStaffUser(stack.pool, { id: supervisorId, email: `sup.${supervisorId.slice(0, 6)}@test.sauti.invalid`, displayName: 'Sup', unitId: org.unitId, roles: ['supervisor'], status: 'active' });
    const before = await stack.pool.query<{ user_id: string }>(`SELECT user_id FROM notifications WHERE kind = 'access_changed'`);
    expect(before.rows).toHaveLength(0);
    const put = await admin.call('PUT', `/api/v1/admin/contexts/${org.contextId}/recipients`, { userIds: [org.investigators[1]!.id] });
    expect(put.status).toBe(200);
    const told = await stack.pool.query<{ user_id: string }>(`SELECT user_id FROM notifications WHERE kind = 'access_changed'`);
    expect(told.rows.map((r) => r.user_id).sort()).toEqual([adminId, supervisorId].sort());
    const audit = await stack.pool.query(`SELECT details FROM audit_events WHERE action = 'admin.context_people_changed' AND actor_id = $1`, [adminId]);
    expect(audit.rows.at(-1)!.details.removed).toEqual([org.investigators[0]!.id]);
    // The same list again changes nothing and tells nobody.
    await admin.call('PUT', `/api/v1/admin/contexts/${org.contextId}/recipients`, { userIds: [org.investigators[1]!.id] });
    expect((await stack.pool.query(`SELECT 1 FROM notifications WHERE kind = 'access_changed'`)).rowCount).toBe(2);
  });
});

describe('/metrics', () => {
  it('when a report arrives, then /metrics does not show it until the next window (no timing of single reports)', async () => {
    const window = () => Math.floor(Date.now() / (stack.config.METRICS_WINDOW_SECONDS * 1000));
    for (let attempt = 0; attempt < 3; attempt++) {
      const w = window();
      const before = await (await fetch(`${stack.api.url}/metrics`)).text();
      const client = new ReporterClient(stack.api.url);
      // A fresh intake: an earlier test changed this context's recipients.
      const fresh = await client.intake();
      expect((await client.submit(await readyRequest(client, fresh, fresh.contexts.find((c) => c.id === org.contextId)!))).status).toBe(201);
      const after = await (await fetch(`${stack.api.url}/metrics`)).text();
      if (window() !== w) continue; // crossed a window boundary: the snapshot may rightly have moved
      expect(after).toBe(before);
      return;
    }
    throw new Error('three window boundaries crossed in a row');
  });
});

describe('when Redis is down', () => {
  let down: TestStack;
  beforeAll(async () => {
    down = await startStack({ worker: false, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    await seedOrganisation(down.pool, { investigators: 1 });
  });
  afterAll(async () => {
    await down?.stop();
  });

  it('then intake still accepts reports (fail open) and the sign-in bucket refuses with 503 (fail closed)', async () => {
    const client = new ReporterClient(down.api.url);
    const downIntake = await client.intake();
    const request = await readyRequest(client, downIntake, downIntake.contexts[0]!);
    expect((await client.submit(request)).status).toBe(201);
    const login = await new StaffClient(down.api.url).call('POST', '/api/v1/auth/login', { email: 'x@test.sauti.invalid', loginKey: bytes(32), totp: '123456' });
    expect(login.status).toBe(503);
    expect(login.headers.get('retry-after')).toBe('30');
  });
});
