import { randomUUID } from 'node:crypto';
import { ready, solvePow } from '../packages/crypto/src';
import { ReporterClient, type Intake, type IntakeContext } from '../packages/client/src';
import { seedOrganisation } from './helpers/fixtures';
import { cheapReport } from './helpers/reports';
import { startStack, type TestStack } from './helpers/stack';

// Issue 11 item 3: proof-of-work difficulty per context as well as global (docs/protocol.md §6).
jest.setTimeout(120_000);

let stack: TestStack;
let intake: Intake;
let contextA: IntakeContext;
let contextB: IntakeContext;
let contextC: IntakeContext;
const client = () => new ReporterClient(stack.api.url);

beforeAll(async () => {
  await ready();
  // A high global quiet rate and a low per-context one: only the per-context count can move here.
  stack = await startStack({ worker: false, env: { POW_DIFFICULTY: '6', POW_DIFFICULTY_MAX: '12', POW_QUIET_PER_MINUTE: '100000', POW_CONTEXT_QUIET_PER_MINUTE: '4' } });
  const a = await seedOrganisation(stack.pool, { investigators: 1, withCustodian: false });
  const b = await seedOrganisation(stack.pool, { investigators: 1, withCustodian: false });
  const quiet = await seedOrganisation(stack.pool, { investigators: 1, withCustodian: false });
  intake = await client().intake();
  contextA = intake.contexts.find((c) => c.id === a.contextId)!;
  contextB = intake.contexts.find((c) => c.id === b.contextId)!;
  contextC = intake.contexts.find((c) => c.id === quiet.contextId)!;
});

afterAll(async () => {
  await stack?.stop();
});

const solved = (c: { challenge: string; difficulty: number }) => ({ challenge: c.challenge, nonce: solvePow(c.challenge, c.difficulty) });
type Refusal = { error?: string; issues?: { field: string; message: string }[] };

describe('per-context proof-of-work difficulty', () => {
  it('when a client names nothing (an older client), then it gets an unbound challenge at the global difficulty and its report is accepted', async () => {
    const c = client();
    const challenge = await c.pow();
    expect(challenge.difficulty).toBe(6);
    expect(challenge.challenge.startsWith('p1.')).toBe(true);
    const answer = await c.submit({ ...cheapReport(intake, contextB).request, pow: solved(challenge) });
    expect(answer.status).toBe(201);
  });

  it('when context A is flooded with challenges, then A\'s difficulty rises and B\'s and the global one do not; a report in A with a challenge naming A is accepted', async () => {
    const c = client();
    const flood: number[] = [];
    for (let i = 0; i < 16; i++) flood.push((await c.pow({ contextId: contextA.id })).difficulty);
    expect(flood.slice(0, 4)).toEqual([6, 6, 6, 6]);
    expect(flood).toEqual([...flood].sort((x, y) => x - y));
    expect(flood.at(-1)).toBe(8); // 16 in a minute = 4 × the quiet rate: two more bits
    expect((await c.pow({ contextId: contextB.id })).difficulty).toBe(6);
    expect((await c.pow()).difficulty).toBe(6);

    const forA = await c.pow({ contextId: contextA.id });
    expect(forA.difficulty).toBeGreaterThanOrEqual(8);
    expect((await c.submit({ ...cheapReport(intake, contextA).request, pow: solved(forA) })).status).toBe(201);
    const forB = await c.pow({ contextId: contextB.id });
    expect((await c.submit({ ...cheapReport(intake, contextB).request, pow: solved(forB) })).status).toBe(201);
  });

  it('when a challenge bound to one context comes with a report to another, then the answer is a 400 saying so, and nothing is stored', async () => {
    const c = client();
    const forA = solved(await c.pow({ contextId: contextA.id }));
    const request = { ...cheapReport(intake, contextB).request, pow: forA };
    const answer = await c.submit(request);
    expect(answer.status).toBe(400);
    const body = answer.body as Refusal;
    expect(body.error).toMatch(/issued for another reporting channel.*naming this channel/);
    expect(body.issues).toEqual([{ field: 'pow.challenge', message: 'was issued for another context' }]);
    const { rows } = await stack.pool.query('SELECT 1 FROM cases WHERE id = $1', [request.id]);
    expect(rows).toHaveLength(0);
  });

  it('when context A is busy, then an unbound challenge with fewer bits than A needs is refused there (no dodging the count) but still accepted in B', async () => {
    const c = client();
    const unbound = solved(await c.pow());
    const answer = await c.submit({ ...cheapReport(intake, contextA).request, pow: unbound });
    expect(answer.status).toBe(400);
    expect((answer.body as Refusal).issues).toEqual([{ field: 'pow.challenge', message: expect.stringMatching(/^asks for 6 bits; \d+ are needed now$/) }]);
    expect((await c.submit({ ...cheapReport(intake, contextB).request, pow: unbound })).status).toBe(201);
  });

  it('when reports keep arriving in a context with unbound challenges, then they count for it and its challenges get harder', async () => {
    const c = client();
    // A context not used so far: its count starts at zero.
    const context = contextC;
    const latest = intake;
    expect((await c.pow({ contextId: context.id })).difficulty).toBe(6); // counts 1
    for (let i = 0; i < 4; i++) expect((await c.submit({ ...cheapReport(latest, context).request, pow: await c.proofOfWork() })).status).toBe(201);
    expect((await c.pow({ contextId: context.id })).difficulty).toBe(7); // 6 events > 4 per minute
  });

  it('when the challenge request names a context that is not open, or both a context and an address, then it is a 400 naming the field', async () => {
    const c = client();
    const unknown = await c.call<Refusal>('POST', '/api/v1/pow', { contextId: randomUUID() });
    expect([unknown.status, unknown.body.issues?.map((i) => i.field)]).toEqual([400, ['contextId']]);
    const both = await c.call<Refusal>('POST', '/api/v1/pow', { contextId: contextA.id, email: 'a@b.example' });
    expect([both.status, both.body.issues?.map((i) => i.field)]).toEqual([400, ['email']]);
    const junk = await c.call<Refusal>('POST', '/api/v1/pow', { contextId: 'x'.repeat(40), extra: 1 });
    expect(junk.status).toBe(400);
  });

  it('when a challenge bound to a context is used to open a reporter session, then it is refused (bound challenges serve their one use)', async () => {
    const c = client();
    const forA = solved(await c.pow({ contextId: contextA.id }));
    const answer = await c.call<Refusal>('POST', '/api/v1/reporter/session', { authKey: Buffer.alloc(32, 3).toString('base64url'), pow: forA });
    expect([answer.status, answer.body.issues?.map((i) => i.field)]).toEqual([400, ['pow.challenge']]);
  });
});
