import { FailureCounter } from './rate-limit';

describe('FailureCounter.delayMs (sign-in cost rises, never a refusal)', () => {
  const counter = new FailureCounter(
    { status: 'end' } as never,
    { QUEUE_PREFIX: 't', LOGIN_FREE_FAILURES: 5, LOGIN_PENALTY_MAX_SECONDS: 30, LOGIN_FAILURE_WINDOW_SECONDS: 3600 },
    { warn: () => undefined } as never,
  );

  it('is free for the first failures, then doubles from 1 s, capped', () => {
    expect([0, 4].map((n) => counter.delayMs(n))).toEqual([0, 0]);
    expect([5, 6, 7, 9].map((n) => counter.delayMs(n))).toEqual([1000, 2000, 4000, 16000]);
    expect(counter.delayMs(50)).toBe(30_000);
  });

  it('fails open when Redis is not ready: no failures read, none counted', async () => {
    await expect(counter.failures('k')).resolves.toBe(0);
    await expect(counter.record('k')).resolves.toBe(0);
  });
});
