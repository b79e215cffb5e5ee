import { ready, solvePow } from '@sauti/crypto';
import type { ApiDeps } from '../deps';
import { authDeps } from '../routes/auth';
import { addressPow } from './auth';
import { accountDifficulty, accountTag, AdaptiveDifficulty, PowService, ScopedDifficulty } from './pow';

describe('PowService', () => {
  beforeAll(ready);
  let now = new Date('2026-11-26T12:00:00Z');
  const service = new PowService(Buffer.alloc(32, 7), () => 4, 600, () => now);

  it('when a challenge is solved in time, then it checks and yields a digest to spend', () => {
    const { challenge, difficulty } = service.issue();
    const result = service.check(challenge, solvePow(challenge, difficulty));
    expect(result.ok).toBe(true);
  });

  it('when the challenge has expired, then it is refused with a message saying to ask again', () => {
    const { challenge, difficulty } = service.issue();
    const nonce = solvePow(challenge, difficulty);
    now = new Date(now.getTime() + 601_000);
    const result = service.check(challenge, nonce);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/expired/) } });
  });

  it('when another deployment issued the challenge, then its signature does not check', () => {
    const other = new PowService(Buffer.alloc(32, 8), () => 4, 600, () => now);
    const { challenge, difficulty } = other.issue();
    expect(service.check(challenge, solvePow(challenge, difficulty))).toMatchObject({ ok: false, error: { issues: [{ field: 'pow.challenge', message: 'has an invalid signature' }] } });
  });

  it('when the challenge is garbage, then it is refused, not thrown', () => {
    for (const junk of ['', 'p1', 'p1.a.b.c.d', 'x'.repeat(300)]) expect(service.check(junk, '0').ok).toBe(false);
  });
});

describe('AdaptiveDifficulty (docs/protocol.md §6: difficulty may rise under load)', () => {
  it('stays at the base while quiet, adds a bit per doubling of the rate, is capped, and falls back after a quiet minute', () => {
    let t = 1_000_000;
    const d = new AdaptiveDifficulty(18, 21, 10, () => t);
    for (let i = 0; i < 10; i++) expect(d.next()).toBe(18);
    expect(d.next()).toBe(19); // 11 in the last minute: > 10
    for (let i = 0; i < 9; i++) d.next();
    expect(d.current()).toBe(19); // 20 = 2 × quiet
    d.next();
    expect(d.current()).toBe(20); // 21 > 2 × quiet
    for (let i = 0; i < 200; i++) d.next();
    expect(d.current()).toBe(21); // capped
    t += 61_000;
    expect(d.current()).toBe(18);
  });
});

describe('challenges bound to a context or an address (docs/protocol.md §6)', () => {
  beforeAll(ready);
  const now = new Date('2026-11-26T12:00:00Z');
  const CONTEXT = '5b0c8a1e-2f3d-4c5b-9a6e-7d8c9b0a1f2e';
  const OTHER = '0e1d2c3b-4a59-4867-8756-a4b3c2d1e0f9';
  const fixed = new PowService(Buffer.alloc(32, 7), () => 4, 600, () => now, () => Buffer.alloc(16, 1));

  it('test vector: the exact challenge strings for a fixed secret, time and randomness (unbound p1, context-bound and address-bound p2; docs/protocol.md §6, computed independently with Python hmac)', () => {
    expect(fixed.issue().challenge).toBe('p1.1795695000.4.AQEBAQEBAQEBAQEBAQEBAQ.MAUSag8WZsSLduKfrjLrXQ');
    expect(fixed.issue({ kind: 'context', contextId: CONTEXT }, 5).challenge).toBe(
      'p2.1795695000.5.c-5b0c8a1e-2f3d-4c5b-9a6e-7d8c9b0a1f2e.AQEBAQEBAQEBAQEBAQEBAQ.7r869X1kVjw2O1LkgfZg3Q',
    );
    const tag = accountTag(Buffer.alloc(32, 7), 'Amina.Otieno@KRA.example');
    expect(tag).toBe(accountTag(Buffer.alloc(32, 7), 'amina.otieno@kra.example'));
    expect(tag).toBe('S-EYXnmsLISokeDByYMUew');
    expect(fixed.issue({ kind: 'account', tag }, 6).challenge).toBe('p2.1795695000.6.a-S-EYXnmsLISokeDByYMUew.AQEBAQEBAQEBAQEBAQEBAQ.G876Zhtte_DXgUQi8U6aiQ');
  });

  const solve = (issued: { challenge: string; difficulty: number }) => ({ challenge: issued.challenge, nonce: solvePow(issued.challenge, issued.difficulty) });

  it('when a challenge names a context, then it proves work for a report in that context only, and says so otherwise', () => {
    const p = solve(fixed.issue({ kind: 'context', contextId: CONTEXT }, 4));
    expect(fixed.check(p.challenge, p.nonce, { contextId: CONTEXT })).toMatchObject({ ok: true, value: { scope: { kind: 'context', contextId: CONTEXT }, difficulty: 4 } });
    expect(fixed.provesWork(p.challenge, p.nonce)).toBe(true);
    expect(fixed.check(p.challenge, p.nonce, { contextId: OTHER })).toMatchObject({
      ok: false, error: { message: expect.stringMatching(/another reporting channel/), issues: [{ field: 'pow.challenge', message: 'was issued for another context' }] },
    });
    expect(fixed.check(p.challenge, p.nonce, {})).toMatchObject({ ok: false, error: { issues: [{ field: 'pow.challenge' }] } });
    // Bound when issued: a context's difficulty rising afterwards does not void it.
    expect(fixed.check(p.challenge, p.nonce, { contextId: CONTEXT, minDifficulty: 9 }).ok).toBe(true);
  });

  it('when an unbound challenge asks for less work than the context or address needs now, then it is refused; with enough work it is accepted anywhere', () => {
    const p = solve(fixed.issue());
    expect(fixed.check(p.challenge, p.nonce, { contextId: CONTEXT, minDifficulty: 4 }).ok).toBe(true);
    expect(fixed.check(p.challenge, p.nonce, { contextId: CONTEXT, minDifficulty: 5 })).toMatchObject({
      ok: false, error: { message: expect.stringMatching(/naming this channel \(contextId\)/), issues: [{ field: 'pow.challenge', message: 'asks for 4 bits; 5 are needed now' }] },
    });
    expect(fixed.check(p.challenge, p.nonce, { account: 'x', minDifficulty: 5 })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/naming this address/) } });
  });

  it('when a challenge names an address, then it is good for that address only, and only while it asks for the work its failures now call for', () => {
    const tag = accountTag(Buffer.alloc(32, 7), 'a@x.example');
    const p = solve(fixed.issue({ kind: 'account', tag }, 5));
    expect(fixed.check(p.challenge, p.nonce, { account: tag, minDifficulty: 5 }).ok).toBe(true);
    expect(fixed.check(p.challenge, p.nonce, { account: accountTag(Buffer.alloc(32, 7), 'b@x.example'), minDifficulty: 4 })).toMatchObject({
      ok: false, error: { issues: [{ field: 'pow.challenge', message: 'was issued for another address' }] },
    });
    expect(fixed.check(p.challenge, p.nonce, { contextId: CONTEXT })).toMatchObject({ ok: false, error: { issues: [{ field: 'pow.challenge', message: 'was issued for a sign-in with one address' }] } });
    expect(fixed.check(p.challenge, p.nonce, { account: tag, minDifficulty: 6 })).toMatchObject({ ok: false, error: { issues: [{ message: 'asks for 5 bits; 6 are needed now' }] } });
  });

  it('when a bound challenge is tampered with (another context or scope spliced in), then its signature does not check', () => {
    const { challenge } = fixed.issue({ kind: 'context', contextId: CONTEXT }, 4);
    const spliced = challenge.replace(CONTEXT, OTHER);
    expect(fixed.check(spliced, solvePow(spliced, 4), { contextId: OTHER })).toMatchObject({ ok: false, error: { issues: [{ message: 'has an invalid signature' }] } });
    const unbound = challenge.replace(`p2.`, 'p1.').replace(`.c-${CONTEXT}`, '');
    expect(fixed.check(unbound, solvePow(unbound, 4))).toMatchObject({ ok: false, error: { issues: [{ message: 'has an invalid signature' }] } });
    for (const junk of ['p2.1.4.c-nope.r.t', 'p2.1.4.x-abc.r.t', `p2.1.4.c-${CONTEXT}.r`]) expect(fixed.check(junk, '0').ok).toBe(false);
  });
});

describe('ScopedDifficulty: global and per context', () => {
  it('when one context is flooded, then its challenges get harder, another context and unbound ones stay at the base, and it falls back when quiet', () => {
    let t = 5_000_000;
    const d = new ScopedDifficulty(10, 14, 1000, 4, () => t);
    const A = 'a', B = 'b';
    for (let i = 0; i < 4; i++) expect(d.next(A)).toBe(10);
    expect(d.next(A)).toBe(11); // 5 > 4 per minute for A
    for (let i = 0; i < 20; i++) d.next(A);
    expect(d.current(A)).toBe(13); // 25 ≈ 6 × 4: +3 bits
    expect(d.next(B)).toBe(10);
    expect(d.next()).toBe(10);
    expect(d.current(B)).toBe(10);
    t += 61_000;
    expect(d.current(A)).toBe(10);
  });

  it('when reports arrive in a context with unbound challenges, then they count for that context too', () => {
    const d = new ScopedDifficulty(10, 14, 1000, 4, () => 0);
    for (let i = 0; i < 8; i++) d.countReport('a');
    expect(d.current('a')).toBe(11);
    expect(d.next('a')).toBe(12); // 9 > 2 × 4
    expect(d.current()).toBe(10);
  });

  it('the difficulty is the larger of the global and the context one', () => {
    const d = new ScopedDifficulty(10, 20, 2, 1000, () => 0);
    for (let i = 0; i < 8; i++) d.next();
    expect(d.next('quiet')).toBe(13); // 9 challenges globally, 2 quiet: +3 bits; the context alone is quiet
  });
});

describe('accountDifficulty (§6.1: a longer proof of work after failures)', () => {
  it('is the base for the free failures, one more bit per further failure, capped', () => {
    expect([0, 5, 6, 7, 12, 100].map((n) => accountDifficulty(18, 24, 5, n))).toEqual([18, 18, 19, 20, 24, 24]);
  });
});

describe('an address\'s sign-in difficulty as the api configures it (§6.1)', () => {
  const at = (failures: number, config: Record<string, number>) =>
    addressPow(
      authDeps({
        pool: {}, deployment: { serverSecret: Buffer.alloc(32, 7) }, config: { LOGIN_FREE_FAILURES: 5, ...config },
        failures: { failures: async () => failures, delayMs: () => 0, record: async () => failures, clear: async () => undefined },
      } as unknown as ApiDeps),
      'Someone@Example.org',
    );

  it('rises one bit per failure beyond the free ones, at most LOGIN_POW_EXTRA_BITS above the base and never above POW_DIFFICULTY_MAX; the tag is the address\'s keyed hash', async () => {
    const config = { POW_DIFFICULTY: 18, POW_DIFFICULTY_MAX: 24, LOGIN_POW_EXTRA_BITS: 3 };
    const levels = await Promise.all([0, 5, 6, 8, 9, 50].map(async (n) => (await at(n, config)).minDifficulty));
    expect(levels).toEqual([18, 18, 19, 21, 21, 21]);
    expect((await at(50, { ...config, POW_DIFFICULTY_MAX: 20 })).minDifficulty).toBe(20);
    expect((await at(0, config)).account).toBe(accountTag(Buffer.alloc(32, 7), 'someone@example.org'));
  });
});
