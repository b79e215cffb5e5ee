import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPow } from '@sauti/crypto';
import { fail, ok, type Result } from '@sauti/core';
import { spendPowChallenge, type Db } from '@sauti/db';

/**
 * Proof-of-work challenges (docs/protocol.md §6) are stateless: issuing one writes nothing, so a flood
 * of requests for challenges costs the server no storage. A challenge is
 * `p1.<expires unix s>.<difficulty>.<16 random bytes>.<HMAC tag>`; only spent ones are stored.
 */
export class PowService {
  constructor(
    private readonly secret: Buffer,
    private readonly difficulty: () => number,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  issue(): { challenge: string; difficulty: number; expiresAt: Date } {
    const difficulty = this.difficulty();
    const expiresAt = new Date(Math.floor(this.now().getTime() / 1000) * 1000 + this.ttlSeconds * 1000);
    const body = `p1.${expiresAt.getTime() / 1000}.${difficulty}.${randomBytes(16).toString('base64url')}`;
    return { challenge: `${body}.${this.tag(body)}`, difficulty, expiresAt };
  }

  /** Checks signature, expiry and the work; the caller must still spend it once (see `digest`). */
  check(challenge: string, nonce: string): Result<{ expiresAt: Date; digest: Buffer }> {
    const parts = challenge.split('.');
    const [version, expires, difficulty, , tag] = parts;
    if (parts.length !== 5 || version !== 'p1' || !tag) {
      return fail('invalid', 'The proof-of-work challenge is not one this server issued; ask for a new one.', [
        { field: 'pow.challenge', message: 'is not a challenge from POST /api/v1/pow' },
      ]);
    }
    const body = parts.slice(0, 4).join('.');
    const expected = Buffer.from(this.tag(body));
    const given = Buffer.from(tag);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return fail('invalid', 'The proof-of-work challenge is not one this server issued; ask for a new one.', [
        { field: 'pow.challenge', message: 'has an invalid signature' },
      ]);
    }
    const expiresAt = new Date(Number(expires) * 1000);
    if (!(expiresAt.getTime() > this.now().getTime())) {
      return fail('invalid', 'The proof-of-work challenge has expired; ask for a new one and submit again.', [
        { field: 'pow.challenge', message: 'has expired' },
      ]);
    }
    if (!verifyPow(challenge, nonce, Number(difficulty))) {
      return fail('invalid', 'The proof of work is wrong: the nonce does not solve the challenge.', [
        { field: 'pow.nonce', message: `does not give ${difficulty} leading zero bits` },
      ]);
    }
    return ok({ expiresAt, digest: createHash('sha256').update(challenge).digest() });
  }

  /**
   * Only the signature and the work, ignoring expiry and whether it was spent: cheap enough to run
   * on a large body before validating it, so that junk without work is refused first. (An expired
   * challenge may still accompany an identical retry of a report already accepted.)
   */
  provesWork(challenge: unknown, nonce: unknown): boolean {
    if (typeof challenge !== 'string' || typeof nonce !== 'string' || challenge.length > 512 || !/^(0|[1-9][0-9]{0,19})$/.test(nonce)) return false;
    const parts = challenge.split('.');
    const [version, , difficulty, , tag] = parts;
    if (parts.length !== 5 || version !== 'p1' || !tag || !/^\d{1,2}$/.test(difficulty ?? '')) return false;
    const expected = Buffer.from(this.tag(parts.slice(0, 4).join('.')));
    const given = Buffer.from(tag);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    return verifyPow(challenge, nonce, Number(difficulty));
  }

  private tag(body: string): string {
    return createHmac('sha256', this.secret).update(`sip1-pow|${body}`).digest().subarray(0, 16).toString('base64url');
  }
}

/**
 * docs/protocol.md §6: difficulty rises with the recent rate of challenges. Up to `quietPerMinute`
 * challenges in the last 60 s, the base difficulty; each doubling of the rate beyond adds one bit
 * (each bit doubles the expected work), never above `max`. Counted per process, in one-second
 * buckets, so it falls back within a minute of the flood ending.
 */
export class AdaptiveDifficulty {
  private readonly buckets = new Map<number, number>();

  constructor(
    private readonly base: number,
    private readonly max: number,
    private readonly quietPerMinute: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Counts one challenge and answers the difficulty it gets. */
  next(): number {
    const second = Math.floor(this.now() / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + 1);
    return this.current();
  }

  recentPerMinute(): number {
    const second = Math.floor(this.now() / 1000);
    let total = 0;
    for (const [s, n] of this.buckets) {
      if (s <= second - 60) this.buckets.delete(s);
      else total += n;
    }
    return total;
  }

  current(): number {
    const rate = this.recentPerMinute();
    if (rate <= this.quietPerMinute) return this.base;
    return Math.max(this.base, Math.min(this.max, this.base + Math.ceil(Math.log2(rate / this.quietPerMinute))));
  }
}

export const POW_ALREADY_USED = {
  message: 'This proof of work was already used; ask for a new challenge and submit again.',
  issue: { field: 'pow.challenge', message: 'was already used' },
};

/** Checks a solved challenge and spends it (once); for requests that cost work but write nothing else first. */
export async function spendProof(pool: Db, pow: PowService, proof: { challenge: string; nonce: string }): Promise<Result<true>> {
  const work = pow.check(proof.challenge, proof.nonce);
  if (!work.ok) return work;
  if (!(await spendPowChallenge(pool, work.value.digest, work.value.expiresAt))) return fail('invalid', POW_ALREADY_USED.message, [POW_ALREADY_USED.issue]);
  return ok(true);
}
