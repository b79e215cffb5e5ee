import { randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../packages/crypto/src';
import { prepareReport, ReporterClient, type Intake, type StaffClient } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

let stack: TestStack;
let admin: StaffClient;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let reporter: ReporterClient;

async function person(roles: string[]) {
  const p = { id: randomUUID(), email: `p.${randomUUID().slice(0, 8)}@test.sauti.invalid`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...p, displayName: `${roles[0]} ${p.id.slice(0, 4)}`, unitId: org.unitId, roles, status: 'active', publicKey: p.keyPair.publicKey });
  return p;
}

async function submitWith(intake: Intake): Promise<{ status: number; id: string }> {
  const context = intake.contexts.find((c) => c.id === org.contextId)!;
  const prepared = prepareReport(intake, { context, body: { text: 'cache story' }, category: 'other' });
  const answer = await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() });
  return { status: answer.status, id: prepared.request.id };
}

const recipientsOf = (intake: Intake) => intake.contexts.find((c) => c.id === org.contextId)!.recipients.map((r) => r.id).sort();

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  admin = await signedInStaff(stack, await person(['admin']));
  reporter = new ReporterClient(stack.api.url);
});

afterAll(async () => {
  await stack?.stop();
});

describe('intake contexts from a cache invalidated by LISTEN/NOTIFY', () => {
  it('when an admin changes the recipients, then the very next report is checked against the new set: the old set is refused, the new one accepted and wrapped to exactly it', async () => {
    const before = await reporter.intake();
    expect((await submitWith(before)).status).toBe(201); // the cache holds the context now
    const newcomer = await person(['investigator']);
    const kept = org.investigators[0]!.id;
    const changed = await admin.call('PUT', `/api/v1/admin/contexts/${org.contextId}/recipients`, { userIds: [kept, newcomer.id] });
    expect(changed.status).toBe(200);

    const stale = await submitWith(before);
    expect(stale.status).toBe(400);
    const after = await reporter.intake();
    expect(recipientsOf(after)).toEqual([kept, newcomer.id].sort());
    const fresh = await submitWith(after);
    expect(fresh.status).toBe(201);
    const { rows } = await stack.pool.query<{ recipient_id: string }>('SELECT recipient_id FROM case_key_wraps WHERE case_id = $1 ORDER BY recipient_id', [fresh.id]);
    expect(rows.map((r) => r.recipient_id)).toEqual([kept, newcomer.id].sort());
  });

  it('when a change reaches the database without a notification, then intake keeps serving its copy until one arrives — it is a cache, not a fresh read', async () => {
    const name = (intake: Intake) => intake.contexts.find((c) => c.id === org.contextId)!.name;
    const shown = name(await reporter.intake());
    await stack.pool.query('BEGIN; ALTER TABLE contexts DISABLE TRIGGER contexts_intake; UPDATE contexts SET name = $$Renamed quietly$$; ALTER TABLE contexts ENABLE TRIGGER contexts_intake; COMMIT');
    expect(name(await reporter.intake())).toBe(shown);
    await stack.pool.query(`NOTIFY sauti_intake`);
    await waitFor('the cache to drop its copy', async () => name(await reporter.intake()) === 'Renamed quietly');
  });
});
