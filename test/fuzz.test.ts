import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { generateKeyPair, ready, toB64 } from '../packages/crypto/src';
import { ReporterClient, type Intake, type IntakeContext } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { reporterWithCase, type ReporterOnCase } from './helpers/files';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

/**
 * Property-based fuzzing of every public, reporter, staff and admin endpoint (issue 11): generated
 * hostile bodies, paths and headers, sent as the right role and as the wrong ones. Whatever comes
 * in, the answer is never a 5xx, never shows a stack trace or SQL, and never hangs.
 *
 * FUZZ_RUNS sets the number of requests (CI: 1500; `npm run fuzz`: 5000). FUZZ_SEED replays a run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const REQUEST_TIMEOUT_MS = 20_000;
jest.setTimeout(Math.max(180_000, RUNS * 1_500));

let stack: TestStack;
let intake: Intake;
let context: IntakeContext;
let reporter: ReporterOnCase;
type Role = 'anonymous' | 'reporter' | 'investigator' | 'admin';
const roleHeaders: Record<Role, Record<string, string>> = { anonymous: {}, reporter: {}, investigator: {}, admin: {} };
const ids: Record<string, string> = {};

const b64 = (n: number) => toB64(new Uint8Array(n).fill(3));

/** Every route, with a plausible body so that mutations reach the deep validation, not only the parser. */
/** `ends`: the route ends the caller's own session; it is fuzzed without the suite's credentials so the roles stay signed in. */
type Route = { method: string; path: string; body?: () => unknown; ends?: true };
const ROUTES: Route[] = [
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/api/v1/intake' },
  { method: 'POST', path: '/api/v1/pow', body: () => ({ contextId: randomUUID() }) },
  { method: 'POST', path: '/api/v1/reports', body: () => ({ id: randomUUID(), contextId: ids.context, pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'POST', path: '/api/v1/reporter/session', body: () => ({ authKey: b64(32), pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'DELETE', path: '/api/v1/reporter/session', ends: true },
  { method: 'GET', path: '/api/v1/reporter/case' },
  { method: 'GET', path: '/api/v1/reporter/case/messages' },
  { method: 'POST', path: '/api/v1/reporter/case/messages', body: () => ({ id: randomUUID(), body: b64(60) }) },
  { method: 'POST', path: '/api/v1/reporter/case/files', body: () => ({ id: randomUUID(), meta: b64(60), size: 100 }) },
  { method: 'PUT', path: '/api/v1/reporter/case/files/:fileId/content' },
  { method: 'GET', path: '/api/v1/reporter/case/files/:fileId/content' },
  { method: 'POST', path: '/api/v1/auth/salt', body: () => ({ email: 'a@test.sauti.invalid' }) },
  { method: 'POST', path: '/api/v1/auth/login', body: () => ({ email: 'a@test.sauti.invalid', loginKey: b64(32), totp: '123456', pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'POST', path: '/api/v1/auth/logout', ends: true },
  { method: 'POST', path: '/api/v1/auth/activation/start', body: () => ({ token: 'x'.repeat(43), pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'POST', path: '/api/v1/auth/activation', body: () => ({ token: 'x'.repeat(43), pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'POST', path: '/api/v1/auth/password', body: () => ({ currentLoginKey: b64(32), salt: b64(16), loginKey: b64(32), encryptedPrivateKey: b64(72) }) },
  { method: 'POST', path: '/api/v1/auth/recovery/start', body: () => ({ email: 'a@test.sauti.invalid', totp: '123456', pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'POST', path: '/api/v1/auth/recovery/complete', body: () => ({ email: 'a@test.sauti.invalid', challenge: b64(32), salt: b64(16), loginKey: b64(32), encryptedPrivateKey: b64(72), pow: { challenge: 'p1.1.1.x.y', nonce: '1' } }) },
  { method: 'POST', path: '/api/v1/auth/totp-reset/start', body: () => ({ token: 'x'.repeat(43) }) },
  { method: 'POST', path: '/api/v1/auth/totp-reset/complete', body: () => ({ token: 'x'.repeat(43), totp: '123456', pow: { challenge: 'p2.1.1.c-x.y.z', nonce: '1' } }) },
  { method: 'GET', path: '/api/v1/staff/me' },
  { method: 'GET', path: '/api/v1/staff/directory' },
  { method: 'GET', path: '/api/v1/staff/stats' },
  { method: 'GET', path: '/api/v1/staff/cases' },
  { method: 'GET', path: '/api/v1/staff/cases/:caseId' },
  { method: 'GET', path: '/api/v1/staff/cases/:caseId/export' },
  { method: 'GET', path: '/api/v1/staff/cases/:caseId/messages' },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/status', body: () => ({ to: 'acknowledged' }) },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/messages', body: () => ({ id: randomUUID(), body: b64(60) }) },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/notes', body: () => ({ id: randomUUID(), body: b64(60) }) },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/feedback-extension', body: () => ({ days: 120, reason: b64(60) }) },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/grants', body: () => ({ recipientId: ids.investigator, sealedKey: b64(112) }) },
  { method: 'DELETE', path: '/api/v1/staff/cases/:caseId/grants/:userId' },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/recusal' },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/identity-requests', body: () => ({ id: randomUUID(), reason: b64(60), custodianReasons: [] }) },
  { method: 'GET', path: '/api/v1/staff/identity-requests' },
  { method: 'POST', path: '/api/v1/staff/identity-requests/:uuid/approve', body: () => ({ sealedKey: b64(80) }) },
  { method: 'POST', path: '/api/v1/staff/identity-requests/:uuid/deny' },
  { method: 'GET', path: '/api/v1/staff/cases/:caseId/files' },
  { method: 'POST', path: '/api/v1/staff/cases/:caseId/files', body: () => ({ id: randomUUID(), meta: b64(60), size: 100 }) },
  { method: 'PUT', path: '/api/v1/staff/cases/:caseId/files/:fileId/content' },
  { method: 'GET', path: '/api/v1/staff/cases/:caseId/files/:fileId/content' },
  { method: 'GET', path: '/api/v1/admin/staff' },
  { method: 'PATCH', path: '/api/v1/admin/staff/:userId', body: () => ({ displayName: 'Renamed' }) },
  { method: 'POST', path: '/api/v1/admin/staff/:userId/enable' },
  { method: 'POST', path: '/api/v1/admin/staff/:userId/disable' },
  { method: 'POST', path: '/api/v1/admin/staff/:userId/totp-reset' },
  { method: 'POST', path: '/api/v1/admin/invites', body: () => ({ email: `f.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: 'F', roles: ['analyst'] }) },
  { method: 'GET', path: '/api/v1/admin/units' },
  { method: 'POST', path: '/api/v1/admin/units', body: () => ({ name: 'Unit' }) },
  { method: 'PATCH', path: '/api/v1/admin/units/:unitId', body: () => ({ name: 'Unit' }) },
  { method: 'GET', path: '/api/v1/admin/contexts' },
  { method: 'POST', path: '/api/v1/admin/contexts', body: () => ({ slug: `f-${randomUUID().slice(0, 6)}`, name: 'F', channel: 'public', active: false }) },
  { method: 'GET', path: '/api/v1/admin/contexts/:contextId' },
  { method: 'PATCH', path: '/api/v1/admin/contexts/:contextId', body: () => ({ description: 'x', questions: [{ id: 'q', label: 'Q' }] }) },
  { method: 'POST', path: '/api/v1/admin/contexts/:contextId/categories', body: () => ({ id: 'c', label: 'C' }) },
  { method: 'PUT', path: '/api/v1/admin/contexts/:contextId/regions/order', body: () => ({ ids: ['namanga'] }) },
  { method: 'PATCH', path: '/api/v1/admin/contexts/:contextId/categories/:item', body: () => ({ label: 'L' }) },
  { method: 'DELETE', path: '/api/v1/admin/contexts/:contextId/regions/:item' },
  { method: 'PUT', path: '/api/v1/admin/contexts/:contextId/recipients', body: () => ({ userIds: [ids.investigator] }) },
  { method: 'PUT', path: '/api/v1/admin/contexts/:contextId/custodians', body: () => ({ userIds: [] }) },
  { method: 'GET', path: '/api/v1/admin/routing-rules' },
  { method: 'PUT', path: '/api/v1/admin/routing-rules', body: () => ({ rules: [{ id: randomUUID(), name: 'R' }] }) },
  { method: 'POST', path: '/api/v1/admin/routing-rules/dry-run', body: () => ({ contextId: ids.context, categoryId: 'other' }) },
  { method: 'PUT', path: '/api/v1/admin/cases/:caseId/legal-hold', body: () => ({ hold: true, reason: 'x' }) },
  { method: 'GET', path: '/api/v1/admin/notifications/failed' },
  { method: 'POST', path: '/api/v1/admin/notifications/retry' },
  { method: 'GET', path: '/api/v1/admin/queues' },
  { method: 'GET', path: '/api/v1/admin/queues/:queue/failed' },
  { method: 'POST', path: '/api/v1/admin/queues/:queue/jobs/:job/retry' },
];

/** Strings a hostile client would try: NUL, lone surrogates, prototype keys, SQL, paths, huge and odd numbers. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', "' OR 1=1 --", '"; DROP TABLE cases; --', '__proto__', 'constructor', '../../etc/passwd',
    '%00', '%2e%2e%2f', '${7*7}', '<script>alert(1)</script>', 'A'.repeat(70_000), '-1', '1e309', 'NaN', 'null', '0x10', '\r\nX-Injected: 1',
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ maxLength: 20 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_VALUE, [], {}, [[[[[]]]]]),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 5 }),
);

/** A body: a mutated plausible one, arbitrary JSON, prototype-polluting keys, or bytes that are not JSON at all. */
function bodyFor(route: Route): fc.Arbitrary<{ raw: string | undefined }> {
  const plausible = route.body ?? (() => ({}));
  const mutated = fc
    .tuple(fc.integer({ min: 0, max: 8 }), hostileString, hostileValue, fc.boolean())
    .map(([pick, key, value, addKey]) => {
      const body = plausible() as Record<string, unknown>;
      const keys = Object.keys(body);
      if (keys.length > 0 && !addKey) body[keys[pick % keys.length]!] = value;
      else body[key] = value;
      return { raw: JSON.stringify(body) };
    });
  return fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ raw: JSON.stringify(v) })) },
    { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":', '[', '"', 'null', '', '{}'.repeat(10)).map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constant({ raw: undefined }) },
  );
}

/** Percent-encodes any string, lone surrogates included (they become U+FFFD's bytes), byte by byte. */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');

const segment = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(ids[name] ?? randomUUID()) },
    { weight: 2, arbitrary: fc.uuid().map(String) },
    { weight: 2, arbitrary: hostileString.map((s) => pct(s).slice(0, 4000)) },
    { weight: 1, arbitrary: fc.constantFrom('%00', '..', '%2e%2e', '%ZZ', '%', '%C0%AF', '%ED%A0%80', '%FF', 'A'.repeat(3000)) },
  );

const headerArb = fc.record({
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', undefined),
  csrf: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constant('wrong'), fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
  authorization: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.constantFrom('Bearer x', 'Bearer ' + 'A'.repeat(43), 'Basic Zm9vOmJhcg==', 'Bearer \u00ff')),
});

function rightRole(route: Route): Role {
  if (route.path.startsWith('/api/v1/admin')) return 'admin';
  if (route.path.startsWith('/api/v1/staff') || route.path === '/api/v1/auth/password') return 'investigator';
  if (route.path.startsWith('/api/v1/reporter')) return 'reporter';
  return 'anonymous';
}

let requests = 0;
const failures: string[] = [];
const statuses = new Map<number, number>();

type Headerset = { contentType?: string; csrf?: string; authorization?: string };

async function send(route: Route, role: Role, path: string, body: string | undefined, h: Headerset) {
  const headers: Record<string, string> = route.ends ? {} : { ...roleHeaders[role] };
  if (h.contentType) headers['content-type'] = h.contentType;
  if (h.csrf !== undefined && role !== 'anonymous') headers['x-csrf-token'] = h.csrf;
  if (h.authorization) headers.authorization = h.authorization;
  const hasBody = !['GET', 'HEAD'].includes(route.method) && body !== undefined;
  requests++;
  let answer: Response;
  try {
    answer = await fetch(stack.api.url + path, {
      method: route.method,
      headers,
      body: hasBody ? body : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    // A refusal that closes the connection (e.g. 411 with Connection: close) is fine; a timeout is a hang.
    if ((error as Error).name === 'TimeoutError') failures.push(`HANG ${route.method} ${path} as ${role}`);
    return;
  }
  const text = await answer.text();
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (/\n\s+at .+[(:]\d+|node_modules|\.ts:\d+|Error: /.test(text)) problems.push('stack trace');
  if (/\b(SELECT .* FROM|INSERT INTO|UPDATE \w+ SET|syntax error at|violates .* constraint|relation "|column "|invalid byte sequence|pg_)\b/i.test(text)) problems.push('SQL text');
  if (problems.length > 0) failures.push(`${problems.join(', ')}: ${route.method} ${path.slice(0, 200)} as ${role} → ${answer.status} ${text.slice(0, 300)}`);
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false, env: { LOG_LEVEL: 'warn' } });
  const org = await seedOrganisation(stack.pool, { investigators: 1 });
  intake = await new ReporterClient(stack.api.url).intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
  reporter = await reporterWithCase(stack.api.url, intake, context);
  const adminId = randomUUID();
  const a = { id: adminId, email: `admin.${adminId.slice(0, 6)}@test.sauti.invalid`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...a, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active', publicKey: a.keyPair.publicKey });
  const admin = await signedInStaff(stack, a);
  const investigator = await signedInStaff(stack, org.investigators[0]!);
  // Admin actions on people (disable, TOTP reset, rename) land on a bystander, not on the suite's own roles.
  const bystander = randomUUID();
  await insertStaffUser(stack.pool, { id: bystander, email: `by.${bystander.slice(0, 6)}@test.sauti.invalid`, displayName: 'Bystander', unitId: null, roles: ['investigator'], status: 'active' });
  // Cookie and CSRF token as the client sends them on an unsafe request; the fuzzer may override the token.
  const staffHeaders = (client: typeof admin): Record<string, string> => client.session.transport.authHeaders('POST');
  roleHeaders.reporter = reporter.auth;
  roleHeaders.admin = staffHeaders(admin);
  roleHeaders.investigator = staffHeaders(investigator);
  Object.assign(ids, {
    caseId: reporter.caseId, context: org.contextId, contextId: org.contextId, investigator: org.investigators[0]!.id, userId: bystander,
    unitId: org.unitId, fileId: randomUUID(), uuid: randomUUID(), item: 'other', queue: 'notify', job: '1',
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('fuzzing every endpoint', () => {
  it(`when ${RUNS} generated hostile requests hit every endpoint as every role, then none answers 5xx, shows a stack or SQL, or hangs`, async () => {
    const routeArb = fc.constantFrom(...ROUTES).chain((route) => {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      return fc.record({
        route: fc.constant(route),
        // Mostly the role the route is for (so the fuzz reaches validation and services), else any other.
        role: fc.oneof({ weight: 3, arbitrary: fc.constant(rightRole(route)) }, { weight: 1, arbitrary: fc.constantFrom<Role>('anonymous', 'reporter', 'investigator', 'admin') }),
        segments: fc.tuple(...names.map(segment)) as fc.Arbitrary<string[]>,
        // Keys the api reads (paging, filters) as often as arbitrary ones, so their parsing is reached.
        query: fc.option(fc.tuple(fc.oneof(hostileString, fc.constantFrom('before', 'limit', 'page', 'pageSize', 'category', 'status')), hostileString).map(([k, v]) => `?${pct(k)}=${pct(v)}`.slice(0, 2000)), { nil: '' }),
        body: bodyFor(route),
        headers: headerArb,
      });
    });
    await fc.assert(
      fc.asyncProperty(routeArb, async ({ route, role, segments, query, body, headers }) => {
        let i = 0;
        const path = route.path.replace(/:(\w+)/g, () => segments[i++] ?? '') + query;
        await send(route, role, path, body.raw, headers);
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    process.stdout.write(`fuzz: ${requests} requests, ${[...statuses.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0)} answered 5xx; statuses ${JSON.stringify(Object.fromEntries([...statuses.entries()].sort((a, b) => a[0] - b[0])))}\n`);
    expect(failures).toEqual([]);
    expect(requests).toBe(RUNS);
  });
});
