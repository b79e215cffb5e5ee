import { createHmac } from 'node:crypto';
import type { Config } from '@sauti/config';
import type { Logger } from '@sauti/log';
import type { RequestHandler } from 'express';
import type IORedis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors';

/**
 * Rate limits (docs/threat-model.md "Abuse"), counted in Redis by rate-limiter-flexible. A limit is
 * keyed only by what the server legitimately knows about a request — an account, a case, a
 * reporter lookup, a route, or nothing (a global bucket) — never by a network address, a user
 * agent or anything derived from them. Keys that name a person or a receipt are HMAC'd with the
 * deployment secret, so Redis holds no address or lookup in clear.
 *
 * When Redis cannot answer, each limit either lets the request through (fail open: intake and
 * reporters must keep working, as a report answered 201 never depends on Redis) or refuses it with
 * a 503 (fail closed: unauthenticated account endpoints, where the limit is the protection).
 */

export type LimitName =
  | 'pow'
  | 'reports'
  | 'reporterSession'
  | 'reporterSessionLookup'
  | 'caseMessages'
  | 'caseFiles'
  | 'login'
  | 'recoveryAccount'
  | 'staffAccount';

type Spec = { points: number; seconds: number; failOpen: boolean; message: (retryAfter: number) => string };

const wait = (s: number) => (s < 120 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`);

function specs(config: Config): Record<LimitName, Spec> {
  return {
    pow: { ...config.RATE_POW_GLOBAL, failOpen: true, message: (s) => `Many reports are being sent right now. Wait ${wait(s)} and try again; what you wrote is kept on this page.` },
    reports: { ...config.RATE_REPORTS_GLOBAL, failOpen: true, message: (s) => `Many reports are being sent right now. Wait ${wait(s)} and submit again; what you wrote is kept on this page.` },
    reporterSession: { ...config.RATE_REPORTER_SESSION_GLOBAL, failOpen: true, message: (s) => `Many people are signing in with receipts right now. Wait ${wait(s)} and try again.` },
    reporterSessionLookup: { ...config.RATE_REPORTER_SESSION_LOOKUP, failOpen: true, message: (s) => `This receipt was used to sign in many times in a short while. Wait ${wait(s)} and try again.` },
    caseMessages: { ...config.RATE_CASE_MESSAGES, failOpen: true, message: (s) => `Many messages were sent on this case in a short while. Wait ${wait(s)} before sending the next one; your text is kept.` },
    caseFiles: { ...config.RATE_CASE_FILES, failOpen: true, message: (s) => `Many files were added to this case in a short while. Wait ${wait(s)} before adding the next one.` },
    login: { ...config.RATE_LOGIN_GLOBAL, failOpen: false, message: (s) => `Sauti is receiving very many sign-in attempts right now. Wait ${wait(s)} and try again.` },
    recoveryAccount: { ...config.RATE_RECOVERY_ACCOUNT, failOpen: false, message: (s) => `Recovery was tried many times for this address. Wait ${wait(s)} and try again, or ask an administrator.` },
    staffAccount: { ...config.RATE_STAFF_ACCOUNT, failOpen: true, message: (s) => `Your account sent very many requests in a short while. Wait ${wait(s)} and try again.` },
  };
}

const REDIS_DOWN = 'Sauti cannot check its request limits right now. Please try again in a minute.';

/** A Redis that accepts connections but does not answer must not hold requests: after this, the limit counts as unavailable. */
const REDIS_ANSWER_MS = 500;

function answerWithin<T>(work: Promise<T>, ms = REDIS_ANSWER_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('rate limit store did not answer in time')), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export class RateLimits {
  private readonly limiters: Record<LimitName, { limiter: RateLimiterRedis; spec: Spec }>;

  constructor(
    redis: IORedis,
    config: Config,
    private readonly secret: Buffer,
    private readonly log: Logger,
  ) {
    const all = specs(config);
    this.limiters = Object.fromEntries(
      (Object.keys(all) as LimitName[]).map((name) => {
        const spec = all[name];
        const limiter = new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${config.QUEUE_PREFIX}:rl:${name}`,
          points: spec.points,
          duration: spec.seconds,
          // Never wait for a Redis that is away: decide at once (fail open or closed).
          rejectIfRedisNotReady: true,
        });
        return [name, { limiter, spec }];
      }),
    ) as Record<LimitName, { limiter: RateLimiterRedis; spec: Spec }>;
  }

  /** An opaque key for a person's address or a receipt lookup: nothing in Redis reads back to either. */
  keyOf(kind: string, value: string | Buffer): string {
    return createHmac('sha256', this.secret).update(`sauti-rl|${kind}|`).update(value).digest('base64url').slice(0, 32);
  }

  /** Counts one request; throws a 429 with Retry-After over the limit, or a 503 when a fail-closed limit cannot be checked. */
  async consume(name: LimitName, key = 'all', points = 1): Promise<void> {
    const { limiter, spec } = this.limiters[name];
    try {
      await answerWithin(limiter.consume(key, points));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new AppError(429, spec.message(retryAfter), undefined, { 'Retry-After': String(retryAfter) });
      }
      this.log.warn({ limit: name, failOpen: spec.failOpen, err: { type: (error as Error)?.name } }, 'rate limit not checked: redis unavailable');
      if (!spec.failOpen) throw new AppError(503, REDIS_DOWN, undefined, { 'Retry-After': '30' });
    }
  }

  /** Middleware form, for limits whose key comes from the request's principal or route. */
  middleware(name: LimitName, key: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string = () => 'all'): RequestHandler {
    return async (req, res, next) => {
      await this.consume(name, key(req, res));
      next();
    };
  }
}

/**
 * Failed sign-ins per address (known or not, so that the count tells nothing about whether an
 * account exists). It never refuses: it returns how long the next attempt must wait.
 */
export class FailureCounter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: IORedis,
    private readonly config: Pick<Config, 'QUEUE_PREFIX' | 'LOGIN_FREE_FAILURES' | 'LOGIN_PENALTY_MAX_SECONDS' | 'LOGIN_FAILURE_WINDOW_SECONDS'>,
    private readonly log: Logger,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.QUEUE_PREFIX}:rl:login-failures`,
      points: 1_000_000,
      duration: config.LOGIN_FAILURE_WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
    });
  }

  /** Failures recorded for the key in the window; 0 when Redis cannot say (fail open: no delay). */
  async failures(key: string): Promise<number> {
    try {
      return (await answerWithin(this.limiter.get(key)))?.consumedPoints ?? 0;
    } catch (error) {
      this.log.warn({ err: { type: (error as Error)?.name } }, 'login failure count not read: redis unavailable');
      return 0;
    }
  }

  /** The wait before an attempt is checked: 0 for the first LOGIN_FREE_FAILURES, then 1, 2, 4 … seconds, capped. */
  delayMs(failures: number): number {
    const over = failures - this.config.LOGIN_FREE_FAILURES;
    if (over < 0) return 0;
    return Math.min(this.config.LOGIN_PENALTY_MAX_SECONDS, 2 ** over) * 1000;
  }

  async record(key: string): Promise<number> {
    try {
      return (await answerWithin(this.limiter.penalty(key, 1))).consumedPoints;
    } catch (error) {
      this.log.warn({ err: { type: (error as Error)?.name } }, 'login failure not counted: redis unavailable');
      return 0;
    }
  }

  async clear(key: string): Promise<void> {
    try {
      await answerWithin(this.limiter.delete(key));
    } catch {
      // Fail open: the window ends the count anyway.
    }
  }
}
