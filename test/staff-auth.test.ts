import { randomUUID } from 'node:crypto';
import { bytesEqual, deriveStaffKeys, fromB64, generateKeyPair, ready, solvePow, toB64 } from '../packages/crypto/src';
import { proofOfWork, ReporterClient, StaffClient } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { totpCode } from '../apps/api/src/services/totp';
import { nextTotp, signedInStaff, staffCredentials } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

// jest ignores testTimeout inside a project's config (it is a global option), so each file sets its own.
jest.setTimeout(60_000);

let stack: TestStack;
let admin: StaffClient;

type Person = { id: string; email: string; keyPair: ReturnType<typeof generateKeyPair> };

async function person(roles: string[] = ['investigator']): Promise<Person> {
  const p = { id: randomUUID(), email: `p.${randomUUID().slice(0, 8)}@test.sauti.invalid`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...p, displayName: `Person ${p.id.slice(0, 4)}`, unitId: null, roles, status: 'active', publicKey: p.keyPair.publicKey });
  return p;
}

/** Signs in by hand (not through the helper), so that failures are visible. */
async function attempt(p: { email: string }, password: string, totp: string) {
  const client = new StaffClient(stack.api.url);
  const answer = await client.login(p.email, password, totp);
  return { client, answer };
}

async function median(fn: () => Promise<unknown>, n = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  const a = await person(['admin']);
  admin = await signedInStaff(stack, a);
});

afterAll(async () => {
  await stack?.stop();
});

describe('staff sign-in', () => {
  it('when the salt of an unknown address is asked for, then it is 16 bytes, stable, per address, and shaped like a real one', async () => {
    const anon = new StaffClient(stack.api.url);
    const salt = async (email: string) => (await anon.call<{ salt: string }>('POST', '/api/v1/auth/salt', { email })).body.salt;
    const unknown = await salt('nobody@test.sauti.invalid');
    expect(fromB64(unknown)).toHaveLength(16);
    expect(await salt('NOBODY@test.sauti.invalid')).toBe(unknown);
    expect(await salt('somebody-else@test.sauti.invalid')).not.toBe(unknown);
    const p = await person();
    await signedInStaff(stack, p);
    const real = await salt(p.email);
    expect(fromB64(real)).toHaveLength(16);
    const { rows } = await stack.pool.query<{ password_salt: Buffer }>('SELECT password_salt FROM staff_users WHERE id = $1', [p.id]);
    expect(real).toBe(rows[0]!.password_salt.toString('base64url'));
    expect((await anon.call('POST', '/api/v1/auth/salt', { email: 'not an address' })).status).toBe(400);
  });

  it('when the address is unknown, the password wrong or the code wrong, then the answer is the same 401 and takes about as long', async () => {
    const p = await person();
    await signedInStaff(stack, p);
    const { password, totpSecret } = staffCredentials(p.id);
    const unknown = await attempt({ email: 'ghost@test.sauti.invalid' }, password, nextTotp(totpSecret));
    const wrongPassword = await attempt(p, 'not the password', nextTotp(totpSecret));
    const wrongCode = await attempt(p, password, '000000');
    for (const a of [unknown, wrongPassword, wrongCode]) {
      expect(a.answer.status).toBe(401);
      expect(a.answer.body).toEqual(unknown.answer.body);
      expect(a.answer.headers.get('set-cookie')).toBeNull();
    }
    // Both paths run one argon2 verification: the unknown address must not answer visibly faster.
    const loginKey = toB64(new Uint8Array(32));
    const anon = new StaffClient(stack.api.url);
    const tUnknown = await median(async () => anon.call('POST', '/api/v1/auth/login', { email: 'ghost2@test.sauti.invalid', loginKey, totp: '123456', pow: await proofOfWork(anon.session.transport) }));
    const other = await person();
    await signedInStaff(stack, other);
    const tKnown = await median(async () => anon.call('POST', '/api/v1/auth/login', { email: other.email, loginKey, totp: '123456', pow: await proofOfWork(anon.session.transport) }));
    expect(tUnknown / tKnown).toBeGreaterThan(0.33);
    expect(tUnknown / tKnown).toBeLessThan(3);
  });

  it('when a TOTP code was already used, then it is refused even with the right password', async () => {
    const p = await person();
    await signedInStaff(stack, p);
    const { password, totpSecret } = staffCredentials(p.id);
    const code = totpCode(totpSecret, Date.now() + 30_000);
    expect((await attempt(p, password, code)).answer.status).toBe(200);
    expect((await attempt(p, password, code)).answer.status).toBe(401);
    const { rows } = await stack.pool.query('SELECT details FROM audit_events WHERE actor_id = $1 AND action = $2', [p.id, 'auth.login_failed']);
    expect(rows.map((r) => r.details.reason)).toContain('totp_reused');
  });

  // Issue 11 changed this behaviour on purpose: a lockout that refuses the right password and code
  // let anyone who knows an investigator's address keep them out. Failures now make each further
  // attempt for that address wait longer (1, 2, 4 … s, capped), the holder is told, and the right
  // password with a fresh code still signs in.
  it('when an account fails five times, then further attempts wait longer but the right password and code still sign in; the holder is told; other accounts are unaffected', async () => {
    const p = await person();
    const bystander = await person();
    await signedInStaff(stack, p);
    const { password, totpSecret } = staffCredentials(p.id);
    for (let i = 0; i < 5; i++) expect((await attempt(p, `wrong ${i}`, '111111')).answer.status).toBe(401);
    const { rows } = await stack.pool.query<{ failed_logins: number }>('SELECT failed_logins FROM staff_users WHERE id = $1', [p.id]);
    expect(rows[0]!.failed_logins).toBe(5);
    // The holder hears of it (content-free digest) and admins see it in the audit log.
    const told = await stack.pool.query('SELECT kind FROM notifications WHERE user_id = $1', [p.id]);
    expect(told.rows.map((r) => r.kind)).toEqual(['sign_in_failures']);
    const slowed = await stack.pool.query('SELECT details FROM audit_events WHERE actor_id = $1 AND action = $2', [p.id, 'auth.failures_slowed']);
    expect(slowed.rows).toHaveLength(1);
    // Per account, never per address: someone else signs in from the same machine at once.
    await signedInStaff(stack, bystander);
    // The sixth attempt waits out the penalty (2^0 = 1 s) and then succeeds: not refused.
    const started = Date.now();
    const right = await attempt(p, password, nextTotp(totpSecret, 1));
    expect(right.answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const after = await stack.pool.query<{ failed_logins: number }>('SELECT failed_logins FROM staff_users WHERE id = $1', [p.id]);
    expect(after.rows[0]!.failed_logins).toBe(0);
  });

  // Issue 11 item 4: beyond the delay, each further failure makes the address's proof of work one
  // bit longer (docs/protocol.md §6.1); known and unknown addresses alike.
  it('when an address keeps failing, then its challenges ask for more work (the same for an unknown address), a stale or unbound challenge is refused, and the right password and code still sign in', async () => {
    const p = await person();
    const ghost = { email: `ghost.${randomUUID().slice(0, 8)}@test.sauti.invalid` };
    const bystander = await person();
    await signedInStaff(stack, p);
    const { password, totpSecret } = staffCredentials(p.id);
    const difficultyFor = async (email: string) => (await new ReporterClient(stack.api.url).pow({ email })).difficulty;
    expect([await difficultyFor(p.email), await difficultyFor(ghost.email)]).toEqual([6, 6]);
    const early = await new ReporterClient(stack.api.url).pow({ email: p.email });
    // Wrong sign-ins straight to the API (a wrong loginKey; no Argon2id here), each with a challenge naming the address.
    const wrongSignIn = async (email: string) => {
      const c = new ReporterClient(stack.api.url);
      return (await c.call('POST', '/api/v1/auth/login', { email, loginKey: toB64(new Uint8Array(32).fill(9)), totp: '111111', pow: await c.proofOfWork(undefined, { email }) })).status;
    };
    for (let i = 0; i < 7; i++) expect([await wrongSignIn(p.email), await wrongSignIn(ghost.email)]).toEqual([401, 401]);
    // 7 failures, 5 free: two more bits for both, and none for anyone else.
    expect([await difficultyFor(p.email), await difficultyFor(ghost.email), await difficultyFor(bystander.email)]).toEqual([8, 8, 6]);
    expect(await difficultyFor(p.email.toUpperCase())).toBe(8);

    const { loginKey } = deriveStaffKeys(password, fromB64((await new StaffClient(stack.api.url).call<{ salt: string }>('POST', '/api/v1/auth/salt', { email: p.email })).body.salt));
    const loginBody = (pow: { challenge: string; nonce: string }, email = p.email) => ({ email, loginKey: toB64(loginKey), totp: nextTotp(totpSecret, 1), pow });
    const solved = (c: { challenge: string; difficulty: number }) => ({ challenge: c.challenge, nonce: solvePow(c.challenge, c.difficulty) });
    // A challenge issued before the failures, an unbound one, one for another address: each a 400 naming pow.challenge.
    const stale = await new StaffClient(stack.api.url).call<{ error: string; issues: { field: string; message: string }[] }>('POST', '/api/v1/auth/login', loginBody(solved(early)));
    expect([stale.status, stale.body.issues]).toEqual([400, [{ field: 'pow.challenge', message: 'asks for 6 bits; 8 are needed now' }]]);
    expect(stale.body.error).toMatch(/naming this address/);
    const unbound = await new StaffClient(stack.api.url).call<{ issues: { message: string }[] }>('POST', '/api/v1/auth/login', loginBody(await new ReporterClient(stack.api.url).proofOfWork()));
    expect([unbound.status, unbound.body.issues?.[0]?.message]).toEqual([400, 'asks for 6 bits; 8 are needed now']);
    const elsewhere = await new StaffClient(stack.api.url).call<{ issues: { message: string }[] }>(
      'POST', '/api/v1/auth/login', loginBody(solved(await new ReporterClient(stack.api.url).pow({ email: bystander.email }))),
    );
    expect([elsewhere.status, elsewhere.body.issues?.[0]?.message]).toEqual([400, 'was issued for another address']);
    // None of those counted as a failure: still two extra bits.
    expect(await difficultyFor(p.email)).toBe(8);

    // The right password and code: the client names the address, solves the longer work, waits, and is in.
    const right = await attempt(p, password, nextTotp(totpSecret, 1));
    expect(right.answer.status).toBe(200);
    expect(await difficultyFor(p.email)).toBe(6);
    expect(await difficultyFor(ghost.email)).toBe(8);
  }, 180_000);

  it('when a signed-in person gets the current password wrong on a password change, then it counts as a failed sign-in', async () => {
    const p = await person();
    const client = await signedInStaff(stack, p);
    const bad = await client.call('POST', '/api/v1/auth/password', {
      currentLoginKey: toB64(new Uint8Array(32)), salt: toB64(new Uint8Array(16)), loginKey: toB64(new Uint8Array(32)), encryptedPrivateKey: toB64(new Uint8Array(72)),
    });
    expect(bad.status).toBe(403);
    const { rows } = await stack.pool.query('SELECT details FROM audit_events WHERE actor_id = $1 AND action = $2', [p.id, 'auth.password_change_failed']);
    expect(rows.map((r) => r.details.failures)).toEqual([1]);
  });

  it('when the login body is malformed, then the answer is a 400 naming the fields', async () => {
    const anon = new StaffClient(stack.api.url);
    const bad = await anon.call<{ issues: { field: string }[] }>('POST', '/api/v1/auth/login', { email: 'x@test.sauti.invalid', loginKey: 'short', totp: '12' });
    expect(bad.status).toBe(400);
    // Since issue 11 a sign-in also needs a solved proof of work, so a body without one names it too.
    expect(bad.body.issues.map((i) => i.field).sort()).toEqual(['loginKey', 'pow', 'totp']);
    expect((await anon.call('POST', '/api/v1/auth/login', '{not json')).status).toBe(400);
    expect((await anon.call('POST', '/api/v1/auth/login', 'email=x', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
  });
});

describe('staff sessions', () => {
  it('when an unsafe request lacks the CSRF header or has a wrong one, then it is refused with 401; a GET needs only the cookie', async () => {
    const p = await person();
    const client = await signedInStaff(stack, p);
    const token = client.csrfToken;
    expect((await client.call('GET', '/api/v1/staff/me')).status).toBe(200);
    client.csrfToken = null;
    const missing = await client.call<{ error: string }>('POST', '/api/v1/auth/logout');
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatch(/X-CSRF-Token/);
    client.csrfToken = 'A'.repeat(43);
    expect((await client.call('POST', '/api/v1/auth/logout')).status).toBe(401);
    client.csrfToken = token;
    expect((await client.call('GET', '/api/v1/staff/me')).status).toBe(200);
  });

  it('when a session is idle for more than 30 minutes or older than 12 hours, then it has ended', async () => {
    const p = await person();
    const idle = await signedInStaff(stack, p);
    await stack.pool.query(`UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [p.id]);
    expect((await idle.call('GET', '/api/v1/staff/me')).status).toBe(401);
    const old = await signedInStaff(stack, p);
    await stack.pool.query(`UPDATE staff_sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $1`, [p.id]);
    expect((await old.call('GET', '/api/v1/staff/me')).status).toBe(200);
    await stack.pool.query(`UPDATE staff_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [p.id]);
    expect((await old.call('GET', '/api/v1/staff/me')).status).toBe(401);
  });

  it('when a person signs out, then the cookie is cleared and the session no longer works', async () => {
    const p = await person();
    const client = await signedInStaff(stack, p);
    const cookie = (await client.call('GET', '/api/v1/staff/me')).status;
    expect(cookie).toBe(200);
    const out = await client.call('POST', '/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^sauti_staff=; Max-Age=0; Path=\/api; HttpOnly; SameSite=Strict$/);
    const { rowCount } = await stack.pool.query('SELECT 1 FROM staff_sessions WHERE user_id = $1', [p.id]);
    expect(rowCount).toBe(0);
  });

  it('when an admin disables a person, then their open sessions end at once and they cannot sign in', async () => {
    const p = await person();
    const client = await signedInStaff(stack, p);
    const disabled = await admin.call('POST', `/api/v1/admin/staff/${p.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({ endedSessions: 1 });
    expect((await client.call('GET', '/api/v1/staff/me')).status).toBe(401);
    const { password, totpSecret } = staffCredentials(p.id);
    expect((await attempt(p, password, nextTotp(totpSecret, 1))).answer.status).toBe(401);
    expect((await admin.call('POST', `/api/v1/admin/staff/${p.id}/enable`)).status).toBe(200);
    expect((await attempt(p, password, nextTotp(totpSecret, 1))).answer.status).toBe(200);
  });

  it('when the public URL is https, then the cookie is Secure', async () => {
    const secure = await startStack({ worker: false, env: { PUBLIC_URL: 'https://sauti.example' } });
    try {
      const p = { id: randomUUID(), email: `s.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
      await insertStaffUser(secure.pool, { ...p, displayName: 'S', unitId: null, roles: ['analyst'], status: 'active' });
      const { password, totpSecret } = await (async () => {
        await signedInStaff(secure, p);
        return staffCredentials(p.id);
      })();
      const { answer } = await (async () => {
        const c = new StaffClient(secure.api.url);
        await secure.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [p.id]);
        return { answer: await c.login(p.email, password, nextTotp(totpSecret)) };
      })();
      expect(answer.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await secure.stop();
    }
  });
});

describe('password change and recovery', () => {
  it('when a person changes the password, then the same private key opens under the new one, the old one fails, and other sessions end', async () => {
    const p = await person();
    const client = await signedInStaff(stack, p);
    const other = await signedInStaff(stack, p);
    const { password, totpSecret } = staffCredentials(p.id);
    const changed = await client.changePassword(password, 'a brand new passphrase 2026');
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ endedSessions: 1 });
    expect((await other.call('GET', '/api/v1/staff/me')).status).toBe(401);
    expect((await client.call('GET', '/api/v1/staff/me')).status).toBe(200);
    expect((await attempt(p, password, nextTotp(totpSecret, 1))).answer.status).toBe(401);
    const fresh = await attempt(p, 'a brand new passphrase 2026', nextTotp(totpSecret, 1));
    expect(fresh.answer.status).toBe(200);
    expect(fresh.client.unlocked).toBe(true);
    const wrong = await client.changePassword('not my password', 'whatever else 123');
    expect(wrong.status).toBe(403);
  });

  it('when a person recovers with the recovery key and a TOTP code, then a new password opens the same private key', async () => {
    const p = await person();
    await signedInStaff(stack, p);
    const { recoveryKeyText, totpSecret } = staffCredentials(p.id);
    const anon = new StaffClient(stack.api.url);
    const recovered = await anon.recover(p.email, recoveryKeyText, nextTotp(totpSecret, 1), 'recovered passphrase 99');
    expect(recovered.status).toBe(200);
    const { rows } = await stack.pool.query<{ password_salt: Buffer; public_key: Buffer }>('SELECT password_salt, public_key FROM staff_users WHERE id = $1', [p.id]);
    expect(bytesEqual(rows[0]!.public_key, p.keyPair.publicKey)).toBe(true);
    // The new loginKey is the one derived from the new password and salt.
    expect(deriveStaffKeys('recovered passphrase 99', rows[0]!.password_salt).loginKey).toHaveLength(32);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [p.id]);
    const login = await attempt(p, 'recovered passphrase 99', nextTotp(totpSecret));
    expect(login.answer.status).toBe(200);
    expect(login.client.unlocked).toBe(true);

    // A challenge cannot be answered by someone without the private key.
    const start = await anon.call<{ sealedChallenge: string }>('POST', '/api/v1/auth/recovery/start', { email: p.email, totp: nextTotp(totpSecret, 1), pow: await proofOfWork(anon.session.transport) });
    expect(start.status).toBe(200);
    const forged = await anon.call('POST', '/api/v1/auth/recovery/complete', {
      email: p.email, challenge: toB64(new Uint8Array(32)), salt: toB64(new Uint8Array(16)), loginKey: toB64(new Uint8Array(32)), encryptedPrivateKey: toB64(new Uint8Array(72)),
      pow: await proofOfWork(anon.session.transport),
    });
    expect(forged.status).toBe(401);
  });
});
