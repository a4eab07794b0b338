import type { ArmResult, IndicatorResult } from './comparison-types';
import { comparisonChanges } from './comparison-changes';

const arm = (n: number, value: number | null, ciLow: number | null, ciHigh: number | null): ArmResult => ({
  n,
  value,
  ciLow,
  ciHigh,
  adjusted: null,
  adjustedNote: null,
});
const paid = (
  bundle: ArmResult,
  ffs: ArmResult,
  difference: IndicatorResult['difference'],
): IndicatorResult => ({
  code: 'PAID_PER_CARE_QUARTER',
  unit: 'EUR',
  kind: 'MEAN',
  mcid: null,
  arms: { BUNDLE: bundle, FFS: ffs },
  difference,
  clustered: null,
});

describe('comparisonChanges', () => {
  it('should list n, value and bounds that moved when a late session changes one arm', () => {
    const before = paid(arm(12, 405.625, 387.97, 423.28), arm(12, 89.21, 73.02, 105.4), {
      value: 316.415,
      ciLow: 293.84,
      ciHigh: 338.99,
      mdd: 30.48,
    });
    // One BUNDLE patient more: n 12 -> 13, value 405.625 -> 403.5 (change -2.125), the difference with it.
    const after = paid(arm(13, 403.5, 386.1, 420.9), arm(12, 89.21, 73.02, 105.4), {
      value: 314.29,
      ciLow: 292.0,
      ciHigh: 336.58,
      mdd: 30.48,
    });
    const changes = comparisonChanges({ indicators: [before] }, { indicators: [after] });
    expect(changes.map((c) => c.figure)).toEqual([
      'BUNDLE.n',
      'BUNDLE.value',
      'BUNDLE.ciLow',
      'BUNDLE.ciHigh',
      'difference.value',
      'difference.ciLow',
      'difference.ciHigh',
    ]);
    expect(changes[0]).toEqual({
      code: 'PAID_PER_CARE_QUARTER',
      figure: 'BUNDLE.n',
      before: 12,
      after: 13,
      change: 1,
    });
    // 403.5 - 405.625 = -2.125
    expect(changes[1].change).toBeCloseTo(-2.125, 12);
  });

  it('should report nothing when the figures differ only in the 13th digit', () => {
    const a = paid(arm(12, 405.625, 387.97437800143626, 423.28), arm(0, null, null, null), {
      value: null,
      ciLow: null,
      ciHigh: null,
      mdd: null,
    });
    const b = paid(arm(12, 405.625, 387.9743780014363, 423.28), arm(0, null, null, null), {
      value: null,
      ciLow: null,
      ciHigh: null,
      mdd: null,
    });
    expect(comparisonChanges({ indicators: [a] }, { indicators: [b] })).toEqual([]);
  });

  it('should give a null change when a figure appears or disappears', () => {
    const a = paid(arm(1, 390, null, null), arm(0, null, null, null), {
      value: null,
      ciLow: null,
      ciHigh: null,
      mdd: null,
    });
    const b = paid(arm(2, 390, 380, 400), arm(0, null, null, null), {
      value: null,
      ciLow: null,
      ciHigh: null,
      mdd: null,
    });
    expect(comparisonChanges({ indicators: [a] }, { indicators: [b] })).toEqual([
      { code: 'PAID_PER_CARE_QUARTER', figure: 'BUNDLE.n', before: 1, after: 2, change: 1 },
      { code: 'PAID_PER_CARE_QUARTER', figure: 'BUNDLE.ciLow', before: null, after: 380, change: null },
      { code: 'PAID_PER_CARE_QUARTER', figure: 'BUNDLE.ciHigh', before: null, after: 400, change: null },
    ]);
  });
});
