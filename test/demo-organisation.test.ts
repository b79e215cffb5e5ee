import { ready } from '../packages/crypto/src';
import { StaffClient } from '../packages/client/src';
import { seedDemoOrganisation } from '../apps/api/src/demo/demo-organisation';
import { base32Decode, totpCode } from '../apps/api/src/services/totp';
import { startStack, type TestStack } from './helpers/stack';

let stack: TestStack;

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the demo organisation', () => {
  let people: NonNullable<Awaited<ReturnType<typeof seedDemoOrganisation>>>;

  it('when the database is empty, then units, investigators with real keys, a custodian, an admin and two contexts are created', async () => {
    people = (await seedDemoOrganisation(stack.pool))!;
    expect(people).not.toBeNull();
    expect(people.filter((p) => p.roles.includes('investigator')).length).toBeGreaterThanOrEqual(3);
    expect(people.some((p) => p.roles.includes('custodian'))).toBe(true);
    expect(people.some((p) => p.roles.includes('admin'))).toBe(true);
    const { rows: units } = await stack.pool.query('SELECT name, supervisor_id FROM units ORDER BY name');
    expect(units.map((u) => u.name)).toEqual(['Border Operations Integrity', 'Internal Affairs']);
    const intake = await new StaffClient(stack.api.url).call<{ contexts: { channel: string; categories: unknown[]; regions: unknown[]; recipients: unknown[]; custodians: unknown[] }[] }>('GET', '/api/v1/intake');
    expect(intake.body.contexts.map((c) => c.channel)).toEqual(['public', 'internal']);
    for (const c of intake.body.contexts) {
      expect(c.categories).toHaveLength(8);
      expect(c.regions.length).toBeGreaterThanOrEqual(4);
      expect(c.recipients.length).toBeGreaterThanOrEqual(3);
      expect(c.custodians).toHaveLength(1);
    }
  });

  it('when a demo investigator signs in with the printed password and TOTP secret, then the private key unlocks', async () => {
    const person = people.find((p) => p.roles.includes('investigator'))!;
    const client = new StaffClient(stack.api.url);
    const answer = await client.login(person.email, person.password, totpCode(base32Decode(person.totpSecret), Date.now()), { unlock: true });
    expect(answer.status).toBe(200);
    expect(client.unlocked).toBe(true);
    expect(person.totpUri).toMatch(/^otpauth:\/\/totp\//);
  });

  it('when the database already has an organisation, then nothing is created again', async () => {
    expect(await seedDemoOrganisation(stack.pool)).toBeNull();
  });
});
