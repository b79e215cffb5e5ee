/**
 * Every wait in the tests and benchmarks polls with a deadline: when the time is up it fails with
 * what it waited for and what it last saw, instead of hanging (issue 17: a benchmark once sat 12
 * minutes on 999 of 1000 notifications).
 */

/** Polls until check() returns a truthy value or the time is up; `seen` describes the last state in the error. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
  seen?: () => Promise<string> | string,
): Promise<T> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      const last = seen ? ` (last seen: ${await seen()})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Seconds since `startedMs`, for messages. */
const since = (startedMs: number) => ((Date.now() - startedMs) / 1000).toFixed(0);

/**
 * Polls counters until each reaches its target, e.g. `{ 'cases triaged': 1000, 'notifications sent': 1000 }`;
 * fails with the counts it saw — "999 of 1000 notifications sent after 120 s" — when the time is up
 * or, with `stallMs`, as soon as no counter has moved for that long (a slow machine is not a hang).
 */
export async function waitForCounts(
  targets: Record<string, number>,
  count: () => Promise<Record<string, number>>,
  options: { timeoutMs?: number; stallMs?: number; intervalMs?: number } = {},
): Promise<Record<string, number>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const started = Date.now();
  let lastChange = started;
  let previous = '';
  for (;;) {
    const counts = await count();
    const short = Object.entries(targets).filter(([name, target]) => (counts[name] ?? 0) < target);
    if (short.length === 0) return counts;
    const now = Date.now();
    const key = JSON.stringify(counts);
    if (key !== previous) {
      previous = key;
      lastChange = now;
    }
    const stalled = options.stallMs !== undefined && now - lastChange > options.stallMs;
    if (stalled || now - started > timeoutMs) {
      const seen = Object.entries(targets).map(([name, target]) => `${counts[name] ?? 0} of ${target} ${name}`).join(', ');
      throw new Error(`${seen} after ${since(started)} s${stalled ? ` (no progress for ${since(lastChange)} s)` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

/** One counter: waits until count() ≥ target; fails with "N of target <what> after S s". */
export async function waitForCount(what: string, count: () => Promise<number>, target: number, timeoutMs = 20_000): Promise<number> {
  const counts = await waitForCounts({ [what]: target }, async () => ({ [what]: await count() }), { timeoutMs });
  return counts[what]!;
}
