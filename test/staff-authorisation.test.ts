import { randomBytes as cryptoRandom, randomUUID } from 'node:crypto';
import { generateKeyPair, ready, toB64 } from '../packages/crypto/src';
import { prepareReport, ReporterClient, StaffClient } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { seedOrganisation, type TestStaff } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

// jest ignores testTimeout inside a project's config (it is a global option), so each file sets its own.
jest.setTimeout(120_000);

/**
 * Every staff and admin endpoint, called as every role, anonymously, with a reporter's bearer
 * token, and as a member of another unit. Case routes answer 404 to anyone who does not hold the
 * case, so that its existence is not confirmed; role checks answer 403.
 */

type Caller = 'anonymous' | 'reporter' | 'admin' | 'analyst' | 'supervisor' | 'custodian' | 'investigator' | 'otherUnit' | 'otherCustodian';

let stack: TestStack;
let clients: Record<Caller, StaffClient>;
let caseA: string;
let caseB: string;
let orgA: Awaited<ReturnType<typeof seedOrganisation>>;
let orgB: Awaited<ReturnType<typeof seedOrganisation>>;
let analystId: string;
let invitedOnlyId: string;
let resetTargetId: string;

const bytes = (n: number) => toB64(new Uint8Array(cryptoRandom(n)));

async function submit(contextId: string, identity: unknown): Promise<{ id: string; receipt: string; salt: string }> {
  const reporter = new ReporterClient(stack.api.url);
  const intake = await reporter.intake();
  const context = intake.contexts.find((c) => c.id === contextId)!;
  const prepared = prepareReport(intake, { context, body: { text: 'matrix' }, category: 'other', ...(identity ? { identity } : {}) });
  const answer = await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() });
  expect(answer.status).toBe(201);
  return { id: prepared.request.id, receipt: prepared.receipt, salt: intake.receiptSalt };
}

async function staffPerson(roles: string[], unitId: string | null): Promise<TestStaff> {
  const p = { id: randomUUID(), email: `${roles[0]}.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: `${roles[0]} person`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...p, unitId, roles, status: 'active', publicKey: p.keyPair.publicKey });
  return p;
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  orgA = await seedOrganisation(stack.pool, { investigators: 1, label: `a${randomUUID().slice(0, 6)}` });
  orgB = await seedOrganisation(stack.pool, { investigators: 1, label: `b${randomUUID().slice(0, 6)}` });
  const a = await submit(orgA.contextId, { name: 'matrix reporter' });
  caseA = a.id;
  caseB = (await submit(orgB.contextId, null)).id;

  const reporter = new ReporterClient(stack.api.url);
  expect((await reporter.login(a.receipt, a.salt)).status).toBe(201);

  const admin = await staffPerson(['admin'], null);
  const analyst = await staffPerson(['analyst'], null);
  analystId = analyst.id;
  const supervisor = await staffPerson(['supervisor'], orgA.unitId);
  // An activated person whose authenticator the admin resets (it ends only that person's sessions).
  const resetTarget = await staffPerson(['investigator'], orgB.unitId);
  await signedInStaff(stack, resetTarget);
  resetTargetId = resetTarget.id;
  invitedOnlyId = randomUUID();
  await insertStaffUser(stack.pool, { id: invitedOnlyId, email: `inv.${invitedOnlyId.slice(0, 6)}@test.sauti.invalid`, displayName: 'Invited', unitId: null, roles: ['investigator'], status: 'invited' });
  clients = {
    anonymous: new StaffClient(stack.api.url),
    reporter: new StaffClient(stack.api.url, { headers: { authorization: `Bearer ${reporter.token}` } }),
    admin: await signedInStaff(stack, admin),
    analyst: await signedInStaff(stack, analyst),
    supervisor: await signedInStaff(stack, supervisor),
    custodian: await signedInStaff(stack, orgA.custodians[0]!),
    investigator: await signedInStaff(stack, orgA.investigators[0]!),
    otherUnit: await signedInStaff(stack, orgB.investigators[0]!),
    otherCustodian: await signedInStaff(stack, orgB.custodians[0]!),
  };
});

afterAll(async () => {
  await stack?.stop();
});

type Row = { method: string; path: () => string; body?: () => unknown; expect: Partial<Record<Caller, number>>; otherwise: number };
const STAFF = ['admin', 'analyst', 'supervisor', 'custodian', 'investigator', 'otherUnit', 'otherCustodian'] as const;
const all = (status: number) => Object.fromEntries(STAFF.map((c) => [c, status])) as Partial<Record<Caller, number>>;
let requestId = '';

const ROWS: Row[] = [
  { method: 'GET', path: () => '/api/v1/staff/me', expect: all(200), otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/staff/directory', expect: all(200), otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/staff/stats', expect: { ...all(403), admin: 200, analyst: 200, supervisor: 200 }, otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/staff/cases', expect: { ...all(200), analyst: 403 }, otherwise: 401 },
  // Integrity monitoring (issue 14): analysts, supervisors and admins; a unit-scoped supervisor may not break down by unit.
  { method: 'GET', path: () => '/api/v1/staff/statistics/summary', expect: { ...all(403), admin: 200, analyst: 200, supervisor: 200 }, otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/staff/statistics/breakdown?dimension=category', expect: { ...all(403), admin: 200, analyst: 200, supervisor: 200 }, otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/staff/statistics/breakdown?dimension=unit', expect: { ...all(403), admin: 200, analyst: 200 }, otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/admin/category-factors', expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'PUT', path: () => '/api/v1/admin/category-factors', body: () => ({ items: [] }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'PUT', path: () => `/api/v1/admin/staff/${analystId}/statistics-scope`, body: () => ({ allUnits: true }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'GET', path: () => `/api/v1/staff/cases/${caseA}`, expect: { ...all(404), investigator: 200 }, otherwise: 401 },
  { method: 'GET', path: () => `/api/v1/staff/cases/${caseA}/export`, expect: { ...all(404), investigator: 200 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/feedback-extension`, body: () => ({ days: 120, reason: bytes(60) }), expect: { ...all(404), investigator: 409 }, otherwise: 401 },
  // The case is still "received": the holder gets as far as the lifecycle, which refuses the jump.
  { method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/status`, body: () => ({ to: 'in_progress' }), expect: { ...all(404), investigator: 409 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/messages`, body: () => ({ id: randomUUID(), body: bytes(60) }), expect: { ...all(404), investigator: 201 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/notes`, body: () => ({ id: randomUUID(), body: bytes(60) }), expect: { ...all(404), investigator: 201 }, otherwise: 401 },
  {
    method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/grants`, body: () => ({ recipientId: orgA.investigators[0]!.id, sealedKey: bytes(112) }),
    expect: { ...all(404), investigator: 409 }, otherwise: 401,
  },
  { method: 'DELETE', path: () => `/api/v1/staff/cases/${caseA}/grants/${orgA.investigators[0]!.id}`, expect: { ...all(404), investigator: 400 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/recusal`, expect: { ...all(404), investigator: 409 }, otherwise: 401 },
  {
    method: 'POST', path: () => `/api/v1/staff/cases/${caseA}/identity-requests`,
    body: () => ({ id: (requestId ||= randomUUID()), reason: bytes(60), custodianReasons: [{ recipientId: orgA.custodians[0]!.id, sealedReason: bytes(80) }] }),
    expect: { ...all(404), investigator: 201 }, otherwise: 401,
  },
  { method: 'GET', path: () => '/api/v1/staff/identity-requests', expect: { ...all(403), custodian: 200, otherCustodian: 200 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/staff/identity-requests/${requestId}/deny`, expect: { ...all(403), custodian: 200, otherCustodian: 404 }, otherwise: 401 },
  {
    method: 'POST', path: () => `/api/v1/staff/identity-requests/${requestId}/approve`, body: () => ({ sealedKey: bytes(80), sealedReason: bytes(80) }),
    expect: { ...all(403), custodian: 409, otherCustodian: 404 }, otherwise: 401,
  },
  { method: 'GET', path: () => '/api/v1/admin/staff', expect: { ...all(403), admin: 200 }, otherwise: 401 },
  {
    method: 'POST', path: () => '/api/v1/admin/invites', body: () => ({ email: `new.${randomUUID().slice(0, 8)}@test.sauti.invalid`, displayName: 'New', roles: ['analyst'] }),
    expect: { ...all(403), admin: 201 }, otherwise: 401,
  },
  { method: 'PATCH', path: () => `/api/v1/admin/staff/${analystId}`, body: () => ({ displayName: 'Analyst renamed' }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/admin/staff/${invitedOnlyId}/enable`, expect: { ...all(403), admin: 409 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/admin/staff/${invitedOnlyId}/disable`, expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/admin/units', expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'POST', path: () => '/api/v1/admin/units', body: () => ({ name: `Unit ${randomUUID().slice(0, 8)}` }), expect: { ...all(403), admin: 201 }, otherwise: 401 },
  { method: 'PATCH', path: () => `/api/v1/admin/units/${orgB.unitId}`, body: () => ({ supervisorId: null }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/admin/staff/${resetTargetId}/totp-reset`, expect: { ...all(403), admin: 201 }, otherwise: 401 },
  { method: 'GET', path: () => '/api/v1/admin/contexts', expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'GET', path: () => `/api/v1/admin/contexts/${orgA.contextId}`, expect: { ...all(403), admin: 200 }, otherwise: 401 },
  {
    method: 'POST', path: () => '/api/v1/admin/contexts', body: () => ({ slug: `m-${randomUUID().slice(0, 8)}`, name: 'Matrix', channel: 'public', active: false }),
    expect: { ...all(403), admin: 201 }, otherwise: 401,
  },
  { method: 'PATCH', path: () => `/api/v1/admin/contexts/${orgB.contextId}`, body: () => ({ description: 'matrix' }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'PUT', path: () => `/api/v1/admin/contexts/${orgB.contextId}/categories/order`, body: () => ({ ids: ['other', 'bribery-extortion'] }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'POST', path: () => `/api/v1/admin/contexts/${orgB.contextId}/categories`, body: () => ({ id: `c-${randomUUID().slice(0, 8)}`, label: 'Matrix' }), expect: { ...all(403), admin: 201 }, otherwise: 401 },
  { method: 'PATCH', path: () => `/api/v1/admin/contexts/${orgB.contextId}/categories/other`, body: () => ({ label: 'Other matters' }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'DELETE', path: () => `/api/v1/admin/contexts/${orgB.contextId}/regions/namanga`, expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'PUT', path: () => `/api/v1/admin/contexts/${orgB.contextId}/recipients`, body: () => ({ userIds: [orgB.investigators[0]!.id] }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
  { method: 'PUT', path: () => `/api/v1/admin/contexts/${orgB.contextId}/custodians`, body: () => ({ userIds: [orgB.custodians[0]!.id] }), expect: { ...all(403), admin: 200 }, otherwise: 401 },
];

describe('the authorisation matrix', () => {
  it('when every staff and admin endpoint is called by every kind of caller, then each gets exactly the expected status', async () => {
    const mismatches: string[] = [];
    // Order matters for the identity rows: the other custodian and non-custodians go before the custodian decides.
    const order: Caller[] = ['anonymous', 'reporter', 'admin', 'analyst', 'supervisor', 'otherUnit', 'otherCustodian', 'investigator', 'custodian'];
    for (const row of ROWS) {
      for (const caller of order) {
        const expected = row.expect[caller] ?? row.otherwise;
        const answer = await clients[caller].call(row.method, row.path(), row.body?.());
        if (answer.status !== expected) mismatches.push(`${row.method} ${row.path()} as ${caller}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`);
        if (answer.status === 401 || answer.status === 403 || answer.status === 404) {
          expect(typeof (answer.body as { error?: unknown }).error).toBe('string');
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('when members of two units list their cases, then each sees only its own unit\'s case, and a supervisor sees none it was not granted', async () => {
    const ids = async (c: Caller) => (await clients[c].listCases()).body.items.map((i) => i.id);
    expect(await ids('investigator')).toEqual([caseA]);
    expect(await ids('otherUnit')).toEqual([caseB]);
    expect(await ids('supervisor')).toEqual([]);
    expect(await ids('admin')).toEqual([]);
    expect((await clients.otherUnit.getCase(caseA)).status).toBe(404);
    expect((await clients.investigator.getCase(caseB)).status).toBe(404);
    // A case that does not exist at all looks exactly like one that is not yours.
    const missing = await clients.investigator.getCase(randomUUID());
    const foreign = await clients.investigator.getCase(caseB);
    expect(missing.body).toEqual(foreign.body);
    expect((await clients.investigator.getCase('not-a-uuid')).status).toBe(404);
  });

  it('when the holder grants the case to the supervisor, then the supervisor sees it and may reopen it after closing, and a plain investigator may not', async () => {
    const investigator = clients.investigator;
    // The matrix above posted random bytes as messages: they read as null, the rest of the case still opens.
    const opened = await investigator.openCase(caseA);
    expect(opened.messages.every((m) => m.text === null)).toBe(true);
    const directory = await investigator.call<{ items: { id: string; publicKey: string; roles: string[] }[] }>('GET', '/api/v1/staff/directory');
    const sup = directory.body.items.find((p) => p.roles.includes('supervisor'))!;
    expect((await investigator.grant(caseA, sup)).status).toBe(201);
    expect((await clients.supervisor.listCases()).body.items.map((i) => i.id)).toEqual([caseA]);
    expect((await investigator.changeStatus(caseA, 'acknowledged')).status).toBe(200);
    expect((await investigator.changeStatus(caseA, 'closed', { outcome: 'not_actionable' })).status).toBe(200);
    expect((await investigator.changeStatus(caseA, 'in_progress', { reason: 'new evidence' })).status).toBe(403);
    const reopened = await clients.supervisor.changeStatus(caseA, 'in_progress', { reason: 'new evidence' });
    expect(reopened.status).toBe(200);
    // Analysts see counts, never ids.
    const stats = await clients.analyst.call('GET', '/api/v1/staff/stats');
    expect(JSON.stringify(stats.body)).not.toContain(caseA);
  });

  it('when the supervisor revokes the investigator, then the investigator loses the case and the supervisor becomes the assignee', async () => {
    await stack.pool.query('UPDATE cases SET assignee_id = $2 WHERE id = $1', [caseA, orgA.investigators[0]!.id]);
    const revoked = await clients.supervisor.revoke(caseA, orgA.investigators[0]!.id);
    expect(revoked.status).toBe(200);
    expect((await clients.investigator.getCase(caseA)).status).toBe(404);
    const { rows } = await stack.pool.query('SELECT assignee_id FROM cases WHERE id = $1', [caseA]);
    expect(rows[0]!.assignee_id).toBe((await clients.supervisor.call<{ id: string }>('GET', '/api/v1/staff/me')).body.id);
    // The last holder cannot recuse: nobody would be left to read the case.
    expect((await clients.supervisor.recuse(caseA)).status).toBe(409);
  });
});
