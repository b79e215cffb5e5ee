import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import argon2 from 'argon2';

/**
 * loginKey is stored only as an argon2id hash (docs/protocol.md §3). Argon2 is the one expensive
 * thing anyone can make the server do, so every hash and verification in the process passes one
 * gate: at most `concurrency` at once, the rest wait in a queue for at most `queueMs`; beyond that
 * the request is refused (Argon2Busy → 503 with Retry-After) instead of piling up.
 */

/** The gate is full and a place did not free up in time. */
export class Argon2Busy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('argon2 gate full');
    this.name = 'Argon2Busy';
  }
}

type Waiter = { resolve: () => void; timer: NodeJS.Timeout };

export class Argon2Gate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private concurrency = 2,
    private queueMs = 3000,
  ) {}

  configure(settings: { concurrency: number; queueMs: number }): void {
    this.concurrency = settings.concurrency;
    this.queueMs = settings.queueMs;
  }

  /** True when a verification would start at once (a place is free and nobody waits). */
  hasFreePlace(): boolean {
    return this.active < this.concurrency && this.waiting.length === 0;
  }

  get stats(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Waits for a place in the queue's order; the same wait whatever the caller does with it. */
  acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    // A bounded queue: a flood cannot grow memory without end.
    if (this.waiting.length >= this.concurrency * 64) return Promise.reject(new Argon2Busy(Math.ceil(this.queueMs / 1000)));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new Argon2Busy(Math.max(1, Math.ceil(this.queueMs / 1000))));
        }, this.queueMs),
      };
      this.waiting.push(waiter);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(); // the place passes on; `active` is unchanged
    } else {
      this.active--;
    }
  }
}

/** One gate per process; createApp sets its size from the configuration. */
export const argon2Gate = new Argon2Gate();

/** Recent verification times (ms), so that a sign-in for an unknown address can take as long without the work. */
const recent: number[] = [];
const RECENT_MAX = 64;

export function hashLoginKey(loginKey: Buffer): Promise<string> {
  return argon2Gate.run(() => argon2.hash(loginKey, { type: argon2.argon2id }));
}

export async function verifyLoginKey(hash: string, loginKey: Buffer): Promise<boolean> {
  return argon2Gate.run(async () => {
    const started = performance.now();
    try {
      return await argon2.verify(hash, loginKey);
    } catch {
      return false;
    } finally {
      recent.push(performance.now() - started);
      if (recent.length > RECENT_MAX) recent.shift();
    }
  });
}

let dummy: Promise<string> | null = null;

/**
 * Stands in for a verification for an address without an account, so that a failed sign-in takes
 * as long whether or not the address exists. When the gate has a free place it is a real
 * verification against a hash nobody can match: the same work, the same time. When the gate is
 * busy (a flood), it waits its turn like a real one (the same queueing, the same 503 when full),
 * then waits as long as a recent real verification took — without spending the CPU a flood of
 * unknown addresses asks for.
 */
export async function burnVerification(loginKey: Buffer): Promise<void> {
  if (recent.length < 8 || argon2Gate.hasFreePlace()) {
    dummy ??= argon2.hash(randomBytes(32), { type: argon2.argon2id });
    await verifyLoginKey(await dummy, loginKey);
    return;
  }
  await argon2Gate.acquire();
  argon2Gate.release();
  await sleep(recent[Math.floor(Math.random() * recent.length)]!);
}
