import fc from 'fast-check';
import { coarsestNeeded, protectCounts, protectedShare, type ProtectedCount } from './suppression';

/**
 * Everything a reader can conclude about the suppressed cells of one response, found by brute
 * force (independently of the module's own interval reasoning): every assignment of values to the
 * suppressed cells that agrees with what is shown.
 */
function possibleValues(cells: ProtectedCount[], total: ProtectedCount, threshold: number): Set<number>[] {
  const hidden = cells.flatMap((c, i) => (c.suppressed ? [i] : []));
  const shownSum = cells.reduce((s, c) => s + (c.value ?? 0), 0);
  const known = total.value;
  // Without a known total a withheld cell is unbounded; cap the search well above anything the totals allow.
  const cap = known ?? 4 * threshold;
  const candidates = hidden.map((i) => {
    const kind = cells[i]!.suppressed!;
    const values: number[] = [];
    for (let v = kind === 'small' ? 1 : threshold; v <= (kind === 'small' ? threshold - 1 : cap); v++) values.push(v);
    return values;
  });
  const seen = hidden.map(() => new Set<number>());
  const walk = (j: number, sum: number, chosen: number[]) => {
    if (known !== null && shownSum + sum > known) return;
    if (j === hidden.length) {
      if (known === null || shownSum + sum === known) chosen.forEach((v, k) => seen[k]!.add(v));
      return;
    }
    for (const v of candidates[j]!) walk(j + 1, sum + v, [...chosen, v]);
  };
  walk(0, 0, []);
  return seen;
}

describe('small-cell protection', () => {
  it('when a one-way table has a single small cell, then it and one more cell are withheld and the total still adds up', () => {
    const { cells, total } = protectCounts([12, 3, 20, 0], 5);
    expect(cells).toEqual([
      { value: null, suppressed: 'complementary' },
      { value: null, suppressed: 'small' },
      { value: 20, suppressed: null },
      { value: 0, suppressed: null },
    ]);
    expect(total).toEqual({ value: 35, suppressed: null });
  });

  it('when no cell is small, then everything is shown', () => {
    expect(protectCounts([5, 9, 0], 5)).toEqual({ cells: [{ value: 5, suppressed: null }, { value: 9, suppressed: null }, { value: 0, suppressed: null }], total: { value: 14, suppressed: null } });
  });

  it('when the whole table is smaller than the threshold, then only empty cells are shown', () => {
    const { cells, total } = protectCounts([0, 2, 1], 5);
    expect(cells.map((c) => c.value)).toEqual([0, null, null]);
    expect(total).toEqual({ value: null, suppressed: 'small' });
  });

  it('when a threshold below 3 is asked for, then it is refused (a "fewer than 2" cell would be exactly 1)', () => {
    expect(() => protectCounts([1], 2)).toThrow(RangeError);
  });

  it('for any table and threshold, no suppressed cell can be recovered from the total and the other cells of the response, and what is shown is true', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 14 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 3, max: 6 }), (values, threshold) => {
        const { cells, total } = protectCounts(values, threshold);
        const actual = values.reduce((a, b) => a + b, 0);
        // Shown figures are the true ones, and every suppressed cell's true value is within what its label claims.
        if (total.value !== null && total.value !== actual) return false;
        for (const [i, c] of cells.entries()) {
          const v = values[i]!;
          if (c.suppressed === null && c.value !== v) return false;
          if (c.suppressed === 'small' && !(v >= 1 && v < threshold)) return false;
          if (c.suppressed === 'complementary' && v < threshold) return false;
          if (v > 0 && v < threshold && c.suppressed === null) return false;
        }
        // The true values are among the possibilities, and each suppressed cell has at least two.
        const possible = possibleValues(cells, total, threshold);
        const hidden = cells.flatMap((c, i) => (c.suppressed ? [i] : []));
        return hidden.every((i, k) => possible[k]!.has(values[i]!) && possible[k]!.size >= 2);
      }),
      { numRuns: 3000 },
    );
  });

  it('when a share rests on a small group (counted or not counted), then it is withheld', () => {
    expect(protectedShare(10, 12, 5)).toBeNull();
    expect(protectedShare(2, 20, 5)).toBeNull();
    expect(protectedShare(4, 4, 5)).toBeNull();
    expect(protectedShare(20, 20, 5)).toBe(1);
    expect(protectedShare(0, 20, 5)).toBe(0);
    expect(protectedShare(10, 20, 5)).toBe(0.5);
  });

  it('when months hold small counts, then the series coarsens to quarters, then years', () => {
    expect(coarsestNeeded({ month: [6, 0, 9], quarter: [15], year: [15] }, 5)).toBe('month');
    expect(coarsestNeeded({ month: [6, 2, 9], quarter: [8, 9], year: [17] }, 5)).toBe('quarter');
    expect(coarsestNeeded({ month: [1, 2], quarter: [3], year: [3] }, 5)).toBe('year');
  });
});
