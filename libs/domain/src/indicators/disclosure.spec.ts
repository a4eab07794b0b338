import type { ArmResult, ComparisonResult, IndicatorResult } from './comparison-types';
import { isSmallCell, MIN_CELL_SIZE, withholdSmallCells } from './disclosure';

const arm = (n: number, value: number | null): ArmResult => ({ n, value, ciLow: value, ciHigh: value, adjusted: value, adjustedNote: null });
const indicator = (bundle: ArmResult, ffs: ArmResult): IndicatorResult => ({
  code: 'PAID_PER_CARE_QUARTER',
  unit: 'EUR',
  kind: 'MEAN',
  mcid: null,
  arms: { BUNDLE: bundle, FFS: ffs },
  difference: { value: 1, ciLow: 0, ciHigh: 2, mdd: 3 },
  clustered: {
    arms: {
      BUNDLE: { clusters: 3, ciLow: 400, ciHigh: 500, designEffect: 1.5 },
      FFS: { clusters: 2, ciLow: 50, ciHigh: 150, designEffect: 2.25 },
    },
    difference: { ciLow: 250, ciHigh: 450, df: 3.2, mdd: 280 },
  },
});
const comparison = (i: IndicatorResult): ComparisonResult => ({
  practices: { BUNDLE: 1, FFS: 1 },
  caseMix: {} as ComparisonResult['caseMix'],
  indicators: [i],
});

describe('withholdSmallCells', () => {
  it.each([
    [0, false],
    [1, true],
    [4, true],
    [5, false],
    [120, false],
  ])('should call a cell of %i patients small: %s', (patients, small) => {
    expect(MIN_CELL_SIZE).toBe(5);
    expect(isSmallCell(patients)).toBe(small);
  });

  it('should keep n but drop value, interval, adjusted value and the difference when an arm has 4 patients', () => {
    const [shown] = withholdSmallCells(comparison(indicator(arm(5, 450), arm(4, 100)))).indicators;
    expect(shown.arms.BUNDLE).toEqual(arm(5, 450));
    expect(shown.arms.FFS).toEqual({ n: 4, value: null, ciLow: null, ciHigh: null, adjusted: null, adjustedNote: 'withheld: fewer than 5 patients' });
    // 450 - difference would give the FFS value back.
    expect(shown.difference).toEqual({ value: null, ciLow: null, ciHigh: null, mdd: null });
    expect(shown.withheld).toEqual(['FFS']);
    // The clustered interval of the withheld arm and the clustered difference go too; the practice counts stay.
    expect(shown.clustered).toEqual({
      arms: {
        BUNDLE: { clusters: 3, ciLow: 400, ciHigh: 500, designEffect: 1.5 },
        FFS: { clusters: 2, ciLow: null, ciHigh: null, designEffect: null },
      },
      difference: { ciLow: null, ciHigh: null, df: null, mdd: null },
    });
  });

  it('should leave an indicator untouched when both arms have at least 5 patients or none', () => {
    const whole = indicator(arm(5, 450), arm(0, null));
    expect(withholdSmallCells(comparison(whole)).indicators[0]).toEqual(whole);
  });
});
