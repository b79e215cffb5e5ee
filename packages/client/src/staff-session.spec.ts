import { ready, toB64 } from '@sauti/crypto';
import { StaffSession } from './staff-session';

/** A fake API: salt and challenges as asked, and the given answers to /auth/login in turn. */
function fakeApi(logins: { status: number; body: unknown }[]) {
  const calls: { path: string; body: unknown }[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname;
    calls.push({ path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (path === '/api/v1/auth/salt') return json(200, { salt: toB64(new Uint8Array(16)) });
    if (path === '/api/v1/pow') return json(201, { challenge: `challenge-${calls.length}`, difficulty: 1, expiresAt: '2026-11-30T12:00:00.000Z' });
    if (path === '/api/v1/auth/login') return json(logins[0]!.status, logins.shift()!.body);
    throw new Error(`unexpected ${path}`);
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('StaffSession.login and the address-bound proof of work (docs/protocol.md §6.1)', () => {
  beforeAll(ready);
  const failed = { status: 401, body: { error: 'Sign-in failed', reason: 'sign_in_failed' } };

  it('when the challenge turns out too short (failures for the address meanwhile), then it asks again naming the address and sends once more', async () => {
    const api = fakeApi([{ status: 400, body: { error: 'More work is needed now', issues: [{ field: 'pow.challenge', message: 'asks for 6 bits; 8 are needed now' }] } }, failed]);
    const answer = await new StaffSession('http://api.test', { fetch: api.fetchFn }).login('a@x.example', 'a password', '123456', { unlock: false });
    expect(answer.status).toBe(401);
    expect(api.calls.map((c) => c.path)).toEqual(['/api/v1/auth/salt', '/api/v1/pow', '/api/v1/auth/login', '/api/v1/pow', '/api/v1/auth/login']);
    expect(api.calls.filter((c) => c.path === '/api/v1/pow').map((c) => c.body)).toEqual([{ email: 'a@x.example' }, { email: 'a@x.example' }]);
  });

  it('when the answer is any other refusal, then it is not sent again', async () => {
    const api = fakeApi([{ status: 400, body: { error: 'bad', issues: [{ field: 'email', message: 'must be an e-mail address' }] } }]);
    const answer = await new StaffSession('http://api.test', { fetch: api.fetchFn }).login('a@x.example', 'a password', '123456', { unlock: false });
    expect(answer.status).toBe(400);
    expect(api.calls.filter((c) => c.path === '/api/v1/auth/login')).toHaveLength(1);
  });
});
