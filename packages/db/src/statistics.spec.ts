import fc from 'fast-check';
import { histogramPercentile } from './statistics';

/** percentile_cont as PostgreSQL defines it, over the expanded values. */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = sorted[Math.floor(h)]!;
  const hi = sorted[Math.ceil(h)]!;
  return lo + (hi - lo) * (h - Math.floor(h));
}

describe('percentiles from a histogram of whole days', () => {
  it('when a histogram is built from any list of days, then its median and 90th percentile equal percentile_cont over the list', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 200 }), fc.constantFrom(0.5, 0.9), (days, p) => {
        const hist = new Map<number, number>();
        for (const d of days) hist.set(d, (hist.get(d) ?? 0) + 1);
        return Math.abs(histogramPercentile(hist, p)! - percentileCont(days, p)) < 1e-9;
      }),
    );
  });

  it('when nothing was measured, then there is no percentile', () => {
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
    expect(histogramPercentile(undefined, 0.9)).toBeNull();
  });
});
