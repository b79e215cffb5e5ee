import { ready, solvePow } from '@sauti/crypto';
import { PowService } from './pow';

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
