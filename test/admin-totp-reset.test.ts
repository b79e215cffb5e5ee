import { randomUUID } from 'node:crypto';
import { deriveStaffKeys, fromB64, generateKeyPair, ready, toB64 } from '../packages/crypto/src';
import { ReporterClient, StaffClient } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { base32Decode, totpCode } from '../apps/api/src/services/totp';
import { nextTotp, signedInStaff, staffCredentials } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

let stack: TestStack;
let admin: StaffClient;
let adminId: string;

type Person = { id: string; email: string; keyPair: ReturnType<typeof generateKeyPair> };

async function person(roles: string[] = ['investigator']): Promise<Person> {
  const p = { id: randomUUID(), email: `t.${randomUUID().slice(0, 8)}@test.sauti.invalid`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...p, displayName: `Person ${p.id.slice(0, 4)}`, unitId: null, roles, status: 'active', publicKey: p.keyPair.publicKey });
  return p;
}

/** A solved proof of work (protocol §6), as the web client sends with the reset. */
const pow = () => new ReporterClient(stack.api.url).proofOfWork();

async function loginKeyOf(email: string, password: string): Promise<string> {
  const salt = (await new StaffClient(stack.api.url).call<{ salt: string }>('POST', '/api/v1/auth/salt', { email })).body.salt;
  return toB64(deriveStaffKeys(password, fromB64(salt)).loginKey);
}

async function resetMailToken(email: string): Promise<string> {
  const mail = await waitFor('the reset e-mail', async () => stack.mail.find((m) => m.to.includes(email)) ?? null, 20_000);
  const raw = mail.raw.replace(/=\r?\n/g, '');
  expect(raw).toMatch(/Subject: Sauti: set up your authenticator again/);
  return /\/staff\/totp-reset#([A-Za-z0-9_-]{43})/.exec(raw)![1]!;
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: true });
  const a = await person(['admin']);
  adminId = a.id;
  admin = await signedInStaff(stack, a);
});

afterAll(async () => {
  await stack?.stop();
});

describe('admin TOTP reset', () => {
  it('when an admin resets a person who lost their phone, then sessions end, the old codes stop working, and the person re-enrols with password + link + new code, keeping keys and cases', async () => {
    const p = await person();
    const session = await signedInStaff(stack, p);
    const { password, totpSecret: oldSecret } = staffCredentials(p.id);
    const { rows: before } = await stack.pool.query('SELECT public_key, encrypted_private_key, login_key_hash FROM staff_users WHERE id = $1', [p.id]);

    const reset = await admin.call<{ userId: string; inviteId: string; expiresAt: string; endedSessions: number }>('POST', `/api/v1/admin/staff/${p.id}/totp-reset`);
    expect(reset.status).toBe(201);
    expect(reset.body).toMatchObject({ userId: p.id, endedSessions: 1 });
    expect(JSON.stringify(reset.body)).not.toMatch(/totp-reset#/);
    expect((await session.call('GET', '/api/v1/staff/me')).status).toBe(401);
    // The lost phone's codes sign in no more.
    expect((await new StaffClient(stack.api.url).login(p.email, password, nextTotp(oldSecret, 1))).status).toBe(401);

    const token = await resetMailToken(p.email);
    // The token is no activation link: it cannot make new keys.
    expect((await new StaffClient(stack.api.url).call('POST', '/api/v1/auth/activation/start', { token, pow: await pow() })).status).toBe(404);

    const anon = new StaffClient(stack.api.url);
    const start = await anon.call<{ userId: string; email: string; totpSecret: string; otpauthUri: string }>('POST', '/api/v1/auth/totp-reset/start', { token });
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ userId: p.id, email: p.email });
    expect(start.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const newSecret = base32Decode(start.body.totpSecret);
    expect(newSecret.equals(oldSecret)).toBe(false);
    // Opening the page twice shows the same secret (one per reset).
    expect((await anon.call<{ totpSecret: string }>('POST', '/api/v1/auth/totp-reset/start', { token })).body.totpSecret).toBe(start.body.totpSecret);

    const loginKey = await loginKeyOf(p.email, password);
    const wrongPassword = await anon.call<{ issues: { field: string }[] }>('POST', '/api/v1/auth/totp-reset/complete', {
      token, loginKey: await loginKeyOf(p.email, 'not the password'), totp: totpCode(newSecret, Date.now()), pow: await pow(),
    });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body.issues[0]!.field).toBe('loginKey');
    const wrongCode = await anon.call<{ issues: { field: string }[] }>('POST', '/api/v1/auth/totp-reset/complete', { token, loginKey, totp: totpCode(oldSecret, Date.now()), pow: await pow() });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.issues[0]!.field).toBe('totp');

    // Without a proof of work: a 400 naming pow, before the link is looked up (issue 11, protocol §6).
    const noWork = await anon.call<{ issues: { field: string }[] }>('POST', '/api/v1/auth/totp-reset/complete', { token, loginKey, totp: totpCode(newSecret, Date.now()) });
    expect([noWork.status, noWork.body.issues.map((i) => i.field)]).toEqual([400, ['pow']]);
    const done = await anon.call('POST', '/api/v1/auth/totp-reset/complete', { token, loginKey, totp: totpCode(newSecret, Date.now()), pow: await pow() });
    expect(done.status).toBe(200);
    expect((await anon.call('POST', '/api/v1/auth/totp-reset/complete', { token, loginKey, totp: totpCode(newSecret, Date.now() + 30_000), pow: await pow() })).status).toBe(404);

    // Same password, same keys, new authenticator.
    const { rows: after } = await stack.pool.query('SELECT public_key, encrypted_private_key, login_key_hash FROM staff_users WHERE id = $1', [p.id]);
    expect(after[0]).toEqual(before[0]);
    const again = new StaffClient(stack.api.url);
    expect((await again.login(p.email, password, totpCode(newSecret, Date.now() + 30_000))).status).toBe(200);

    const actions = (await stack.pool.query<{ action: string; actor_id: string; details: Record<string, unknown> }>('SELECT action, actor_id, details FROM audit_events ORDER BY seq')).rows;
    expect(actions.find((a) => a.action === 'admin.totp_reset')).toMatchObject({ actor_id: adminId, details: { userId: p.id, endedSessions: 1 } });
    expect(actions.find((a) => a.action === 'staff.totp_reenrolled')).toMatchObject({ actor_id: p.id });
    expect(actions.find((a) => a.action === 'auth.totp_reset_failed')).toMatchObject({ details: { reason: 'login_key' } });
  });

  it('when the reset is refused or the input is bad, then each answer is a 4xx with a message to act on', async () => {
    const invited = randomUUID();
    await insertStaffUser(stack.pool, { id: invited, email: `inv.${invited.slice(0, 6)}@test.sauti.invalid`, displayName: 'Invited', unitId: null, roles: ['analyst'], status: 'invited' });
    const notActivated = await admin.call<{ error: string }>('POST', `/api/v1/admin/staff/${invited}/totp-reset`);
    expect(notActivated.status).toBe(409);
    expect(notActivated.body.error).toMatch(/invitation/);
    const disabled = await person();
    await signedInStaff(stack, disabled);
    expect((await admin.call('POST', `/api/v1/admin/staff/${disabled.id}/disable`)).status).toBe(200);
    expect((await admin.call<{ error: string }>('POST', `/api/v1/admin/staff/${disabled.id}/totp-reset`)).body.error).toMatch(/disabled/);
    expect((await admin.call('POST', `/api/v1/admin/staff/${adminId}/totp-reset`)).status).toBe(409);
    expect((await admin.call('POST', `/api/v1/admin/staff/${randomUUID()}/totp-reset`)).status).toBe(404);
    expect((await admin.call('POST', '/api/v1/admin/staff/nope/totp-reset')).status).toBe(404);

    const anon = new StaffClient(stack.api.url);
    expect((await anon.call('POST', '/api/v1/auth/totp-reset/start', { token: 'short' })).status).toBe(400);
    expect((await anon.call('POST', '/api/v1/auth/totp-reset/start', { token: 'A'.repeat(43) })).status).toBe(404);
    expect((await anon.call('POST', '/api/v1/auth/totp-reset/start', 'token', { contentType: 'text/plain' })).status).toBe(415);
    const bad = await anon.call<{ issues: { field: string }[] }>('POST', '/api/v1/auth/totp-reset/complete', { token: 'A'.repeat(43), loginKey: 'x', totp: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.field).sort()).toEqual(['loginKey', 'pow', 'totp']);
  });

  it('when a newer reset or invitation replaces a reset link, then the older link no longer works', async () => {
    const p = await person();
    await signedInStaff(stack, p);
    expect((await admin.call('POST', `/api/v1/admin/staff/${p.id}/totp-reset`)).status).toBe(201);
    const first = await resetMailToken(p.email);
    stack.mail.splice(0, stack.mail.length);
    expect((await admin.call('POST', `/api/v1/admin/staff/${p.id}/totp-reset`)).status).toBe(201);
    const second = await resetMailToken(p.email);
    expect(second).not.toBe(first);
    const anon = new StaffClient(stack.api.url);
    expect((await anon.call('POST', '/api/v1/auth/totp-reset/start', { token: first })).status).toBe(404);
    expect((await anon.call('POST', '/api/v1/auth/totp-reset/start', { token: second })).status).toBe(200);
  });

  it('when someone who is not an admin asks for a reset, then a non-admin gets 403 and an anonymous caller 401', async () => {
    const p = await person();
    const investigator = await signedInStaff(stack, p);
    expect((await investigator.call('POST', `/api/v1/admin/staff/${adminId}/totp-reset`)).status).toBe(403);
    expect((await new StaffClient(stack.api.url).call('POST', `/api/v1/admin/staff/${p.id}/totp-reset`)).status).toBe(401);
  });
});
