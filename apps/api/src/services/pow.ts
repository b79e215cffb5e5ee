import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPow } from '@sauti/crypto';
import { fail, ok, type Result } from '@sauti/core';
import { spendPowChallenge, type Db } from '@sauti/db';

/**
 * What a challenge is bound to (docs/protocol.md §6): nothing (any endpoint, as before), one intake
 * context (a report in that context only), or one address (a sign-in or recovery for that address
 * only; the address appears only as a keyed hash, `accountTag`).
 */
export type PowScope = { kind: 'none' } | { kind: 'context'; contextId: string } | { kind: 'account'; tag: string };

/** How a request means to use a challenge: the context or account it is for, and the least work it needs now. */
export type PowUse = { contextId?: string; account?: string; minDifficulty?: number };

/** The keyed hash that names an address in a challenge: the same for an address with or without an account. */
export function accountTag(serverSecret: Buffer, email: string): string {
  return createHmac('sha256', serverSecret).update(`sip1-pow-account|${email.toLowerCase()}`).digest().subarray(0, 16).toString('base64url');
}

const CHALLENGE_NOT_OURS = 'The proof-of-work challenge is not one this server issued; ask for a new one.';
const SCOPE = /^(c-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|a-[A-Za-z0-9_-]{22})$/;

/** Splits a challenge into its signed body, difficulty, scope and tag; null if it has neither known shape. */
function parseChallenge(challenge: string): { body: string; expires: string; difficulty: string; scope: PowScope; tag: string } | null {
  const parts = challenge.split('.');
  if (parts[0] === 'p1' && parts.length === 5 && parts[4]) {
    return { body: parts.slice(0, 4).join('.'), expires: parts[1]!, difficulty: parts[2]!, scope: { kind: 'none' }, tag: parts[4] };
  }
  if (parts[0] === 'p2' && parts.length === 6 && parts[5] && SCOPE.test(parts[3]!)) {
    const s = parts[3]!;
    const scope: PowScope = s.startsWith('c-') ? { kind: 'context', contextId: s.slice(2) } : { kind: 'account', tag: s.slice(2) };
    return { body: parts.slice(0, 5).join('.'), expires: parts[1]!, difficulty: parts[2]!, scope, tag: parts[5] };
  }
  return null;
}

/**
 * Proof-of-work challenges (docs/protocol.md §6) are stateless: issuing one writes nothing, so a flood
 * of requests for challenges costs the server no storage. An unbound challenge is
 * `p1.<expires unix s>.<difficulty>.<16 random bytes>.<HMAC tag>`; one bound to a context or an
 * address is `p2.<expires>.<difficulty>.<c-contextId | a-accountTag>.<16 random bytes>.<HMAC tag>`
 * (ADR 0002). Only spent ones are stored.
 */
export class PowService {
  constructor(
    private readonly secret: Buffer,
    private readonly difficulty: () => number,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
    private readonly random: () => Buffer = () => randomBytes(16),
  ) {}

  issue(scope: PowScope = { kind: 'none' }, difficulty: number = this.difficulty()): { challenge: string; difficulty: number; expiresAt: Date } {
    const expiresAt = new Date(Math.floor(this.now().getTime() / 1000) * 1000 + this.ttlSeconds * 1000);
    const random = this.random().toString('base64url');
    const expires = expiresAt.getTime() / 1000;
    const body =
      scope.kind === 'none'
        ? `p1.${expires}.${difficulty}.${random}`
        : `p2.${expires}.${difficulty}.${scope.kind === 'context' ? `c-${scope.contextId}` : `a-${scope.tag}`}.${random}`;
    return { challenge: `${body}.${this.tag(body)}`, difficulty, expiresAt };
  }

  /**
   * Checks signature, expiry, what the challenge is bound to, and the work; the caller must still
   * spend it once (see `digest`). A challenge bound to a context is good only for a report in that
   * context, one bound to an address only for that address; an unbound one anywhere, if it asks for
   * at least `use.minDifficulty` bits (an address's also applies to a challenge bound to it).
   */
  check(challenge: string, nonce: string, use: PowUse = {}): Result<{ expiresAt: Date; digest: Buffer; scope: PowScope; difficulty: number }> {
    const parsed = parseChallenge(challenge);
    if (!parsed) return fail('invalid', CHALLENGE_NOT_OURS, [{ field: 'pow.challenge', message: 'is not a challenge from POST /api/v1/pow' }]);
    const expected = Buffer.from(this.tag(parsed.body));
    const given = Buffer.from(parsed.tag);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return fail('invalid', CHALLENGE_NOT_OURS, [{ field: 'pow.challenge', message: 'has an invalid signature' }]);
    }
    const expiresAt = new Date(Number(parsed.expires) * 1000);
    if (!(expiresAt.getTime() > this.now().getTime())) {
      return fail('invalid', 'The proof-of-work challenge has expired; ask for a new one and submit again.', [
        { field: 'pow.challenge', message: 'has expired' },
      ]);
    }
    const difficulty = Number(parsed.difficulty);
    const bound = checkBinding(parsed.scope, difficulty, use);
    if (!bound.ok) return bound;
    if (!verifyPow(challenge, nonce, difficulty)) {
      return fail('invalid', 'The proof of work is wrong: the nonce does not solve the challenge.', [
        { field: 'pow.nonce', message: `does not give ${difficulty} leading zero bits` },
      ]);
    }
    return ok({ expiresAt, digest: createHash('sha256').update(challenge).digest(), scope: parsed.scope, difficulty });
  }

  /**
   * Only the signature and the work, ignoring expiry, binding and whether it was spent: cheap
   * enough to run on a large body before validating it, so that junk without work is refused first.
   * (An expired challenge may still accompany an identical retry of a report already accepted.)
   */
  provesWork(challenge: unknown, nonce: unknown): boolean {
    if (typeof challenge !== 'string' || typeof nonce !== 'string' || challenge.length > 512 || !/^(0|[1-9][0-9]{0,19})$/.test(nonce)) return false;
    const parsed = parseChallenge(challenge);
    if (!parsed || !/^\d{1,2}$/.test(parsed.difficulty)) return false;
    const expected = Buffer.from(this.tag(parsed.body));
    const given = Buffer.from(parsed.tag);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    return verifyPow(challenge, nonce, Number(parsed.difficulty));
  }

  private tag(body: string): string {
    return createHmac('sha256', this.secret).update(`sip1-pow|${body}`).digest().subarray(0, 16).toString('base64url');
  }
}

const ASK_AGAIN_NAMING = (what: string) => `ask for a new challenge from POST /api/v1/pow naming ${what}, and solve it.`;

function checkBinding(scope: PowScope, difficulty: number, use: PowUse): Result<true> {
  if (scope.kind === 'context' && scope.contextId !== use.contextId) {
    return fail('invalid', `This proof of work was issued for ${use.contextId ? 'another reporting channel' : 'a report'}; ${ASK_AGAIN_NAMING(use.contextId ? 'this channel (contextId)' : 'nothing')}`, [
      { field: 'pow.challenge', message: use.contextId ? 'was issued for another context' : 'was issued for a report in one context' },
    ]);
  }
  if (scope.kind === 'account' && scope.tag !== use.account) {
    return fail('invalid', `This proof of work was issued for ${use.account ? 'another e-mail address' : 'a sign-in'}; ${ASK_AGAIN_NAMING(use.account ? 'this address (email)' : 'nothing')}`, [
      { field: 'pow.challenge', message: use.account ? 'was issued for another address' : 'was issued for a sign-in with one address' },
    ]);
  }
  // A challenge bound to a context was counted for it when issued; an unbound one, or one bound to
  // an address (whose failures may have grown since), must ask for the work needed now.
  if (scope.kind !== 'context' && difficulty < (use.minDifficulty ?? 0)) {
    const what = use.account ? 'this address (email)' : 'this channel (contextId)';
    return fail('invalid', `More work is needed now than this proof of work gives; ${ASK_AGAIN_NAMING(what)}`, [
      { field: 'pow.challenge', message: `asks for ${difficulty} bits; ${use.minDifficulty} are needed now` },
    ]);
  }
  return ok(true);
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

/**
 * docs/protocol.md §6: the difficulty of a challenge is the larger of the global one (all challenges)
 * and, when it names a context, that context's (challenges bound to it and reports in it made with
 * unbound challenges), each adaptive as above; a context's is quiet up to its own, lower rate.
 * Contexts are counted only once known to be open, so the map stays as small as intake.
 */
export class ScopedDifficulty {
  private readonly all: AdaptiveDifficulty;
  private readonly contexts = new Map<string, AdaptiveDifficulty>();

  constructor(
    private readonly base: number,
    private readonly max: number,
    quietPerMinute: number,
    private readonly contextQuietPerMinute: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.all = new AdaptiveDifficulty(base, max, quietPerMinute, now);
  }

  /** Counts one challenge (for the context, if any) and answers the difficulty it gets. */
  next(contextId?: string): number {
    const global = this.all.next();
    return contextId ? Math.max(global, this.context(contextId).next()) : global;
  }

  /** Counts a report in a context made with an unbound challenge (a bound one was counted when issued). */
  countReport(contextId: string): void {
    this.context(contextId).next();
  }

  /** What a challenge for the context (or none) would ask now, without counting it. */
  current(contextId?: string): number {
    const global = this.all.current();
    const context = contextId ? this.contexts.get(contextId) : undefined;
    return context ? Math.max(global, context.current()) : global;
  }

  private context(contextId: string): AdaptiveDifficulty {
    let d = this.contexts.get(contextId);
    if (!d) this.contexts.set(contextId, (d = new AdaptiveDifficulty(this.base, this.max, this.contextQuietPerMinute, this.now)));
    return d;
  }
}

/**
 * docs/protocol.md §6.1: the difficulty of a challenge naming an address, after `failures` recent
 * failed attempts for it: the base for the first `freeFailures`, then one more bit (twice the
 * expected work) for each further failure, never above `max`.
 */
export function accountDifficulty(base: number, max: number, freeFailures: number, failures: number): number {
  return Math.max(base, Math.min(max, base + Math.max(0, failures - freeFailures)));
}

export const POW_ALREADY_USED = {
  message: 'This proof of work was already used; ask for a new challenge and submit again.',
  issue: { field: 'pow.challenge', message: 'was already used' },
};

/** Checks a solved challenge and spends it (once); for requests that cost work but write nothing else first. */
export async function spendProof(pool: Db, pow: PowService, proof: { challenge: string; nonce: string }, use: PowUse = {}): Promise<Result<true>> {
  const work = pow.check(proof.challenge, proof.nonce, use);
  if (!work.ok) return work;
  if (!(await spendPowChallenge(pool, work.value.digest, work.value.expiresAt))) return fail('invalid', POW_ALREADY_USED.message, [POW_ALREADY_USED.issue]);
  return ok(true);
}
