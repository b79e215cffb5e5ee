import { ready, solvePow } from '@sauti/crypto';
import { AdaptiveDifficulty, PowService } from './pow';

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
