/**
 * Small-cell protection for statistics (issue 14). A count between 1 and threshold−1 is never
 * shown ("fewer than 5"); when the shown total and the other cells of the same table would let a
 * reader work such a cell out, further cells are withheld (complementary suppression), and if no
 * choice of cells protects them, the total is withheld too.
 *
 * What a reader of one table knows: every shown cell exactly; a "small" cell lies in
 * [1, threshold−1]; a "withheld" (complementary) cell is at least threshold; and, when the total is
 * shown, the sum of all cells. A suppressed cell is safe when those facts allow at least two values
 * for it. Complementary cells are taken in the table's own order, never by size, so that being
 * chosen says nothing about a cell's value beyond "at least threshold".
 */

/** 'small': 1..threshold−1 ("fewer than N"); 'complementary': withheld to protect a small cell. */
export type Suppression = 'small' | 'complementary';
export type ProtectedCount = { value: number | null; suppressed: Suppression | null };

export const MIN_SUPPRESSION_THRESHOLD = 3;

type Range = { lo: number; hi: number };

/** The values a suppressed cell can take given the ranges of all suppressed cells and their known sum. */
export function feasibleRange(ranges: readonly Range[], index: number, knownSum: number | null): Range {
  const own = ranges[index]!;
  if (knownSum === null) return own;
  let loOthers = 0;
  let hiOthers = 0;
  ranges.forEach((r, i) => {
    if (i === index) return;
    loOthers += r.lo;
    hiOthers += r.hi;
  });
  return { lo: Math.max(own.lo, knownSum - hiOthers), hi: Math.min(own.hi, knownSum - loOthers) };
}

function rangeOf(kind: Suppression, threshold: number): Range {
  return kind === 'small' ? { lo: 1, hi: threshold - 1 } : { lo: threshold, hi: Number.POSITIVE_INFINITY };
}

function anyRecoverable(kinds: (Suppression | null)[], values: readonly number[], total: number, threshold: number): boolean {
  const idx = kinds.flatMap((k, i) => (k ? [i] : []));
  if (idx.length === 0) return false;
  const shown = values.reduce((sum, v, i) => (kinds[i] ? sum : sum + v), 0);
  const ranges = idx.map((i) => rangeOf(kinds[i]!, threshold));
  return ranges.some((_, j) => {
    const r = feasibleRange(ranges, j, total - shown);
    return r.lo >= r.hi;
  });
}

/**
 * Protects one table: `values` are its cells (a flattened two-way table is one table whose only
 * margin is the grand total). Returns each cell and the total as shown.
 */
export function protectCounts(values: readonly number[], threshold: number): { cells: ProtectedCount[]; total: ProtectedCount } {
  if (!Number.isInteger(threshold) || threshold < MIN_SUPPRESSION_THRESHOLD) {
    throw new RangeError(`The suppression threshold must be an integer of at least ${MIN_SUPPRESSION_THRESHOLD}.`);
  }
  const total = values.reduce((a, b) => a + b, 0);
  const kinds: (Suppression | null)[] = values.map((v) => (v > 0 && v < threshold ? 'small' : null));
  let totalShown = true;
  if (total > 0 && total < threshold) {
    // Nothing of a table this small is shown but where it is empty.
    totalShown = false;
  } else {
    while (anyRecoverable(kinds, values, total, threshold)) {
      const next = values.findIndex((v, i) => v > 0 && kinds[i] === null);
      if (next === -1) {
        totalShown = false;
        break;
      }
      kinds[next] = 'complementary';
    }
  }
  return {
    cells: values.map((v, i) => ({ value: kinds[i] ? null : v, suppressed: kinds[i] ?? null })),
    total: totalShown ? { value: total, suppressed: null } : { value: null, suppressed: total < threshold ? 'small' : 'complementary' },
  };
}

/**
 * A proportion num/den is shown only when neither the cases counted nor the cases not counted
 * form a small cell (either would reveal a small group); otherwise null.
 */
export function protectedShare(num: number, den: number, threshold: number): number | null {
  if (den < threshold) return null;
  const rest = den - num;
  if ((num > 0 && num < threshold) || (rest > 0 && rest < threshold)) return null;
  return den === 0 ? null : num / den;
}

/** Time buckets from finest to coarsest; the first whose non-empty buckets all reach the threshold is used. */
export const GRANULARITIES = ['month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export function coarsestNeeded(countsByGranularity: Record<Granularity, readonly number[]>, threshold: number): Granularity {
  for (const g of GRANULARITIES) {
    if (countsByGranularity[g].every((n) => n === 0 || n >= threshold)) return g;
  }
  return 'year';
}
