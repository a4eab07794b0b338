import { axisRange, clip, limitsOf } from './axis-bounds';

describe('axis limits of a quantity', () => {
  it.each([
    // Shares are displayed × 100: 0 to 100 %.
    ['fraction of patients', false, { min: 0, max: 100 }],
    // A difference of two shares in [0, 100]: [0 - 100, 100 - 0] = ±100 percentage points.
    ['fraction of patients', true, { min: -100, max: 100 }],
    ['CCQ points', false, { min: 0, max: 6 }],
    // CCQ difference: [0 - 6, 6 - 0].
    ['CCQ points', true, { min: -6, max: 6 }],
    ['CAT points', false, { min: 0, max: 40 }],
    ['sessions', false, { min: 0 }],
    ['patients', false, { min: 0 }],
    ['days', false, { min: 0 }],
    ['m', false, { min: 0 }],
    // A difference of two metre values has no bound (no maximum walking distance in the unit).
    ['m', true, {}],
    // Euros: paid minus counterfactual may be negative.
    ['EUR', false, {}],
  ])('should bound %p (difference %p) to %p when the unit is read', (unit, difference, expected) => {
    expect(limitsOf(unit as string, difference as boolean)).toEqual(expected);
  });
});

describe('axis range', () => {
  it('should stop at 0 and 100 % when a share interval runs past them', () => {
    // Values -3 .. 104: padding 4 % of 107 = 4.28 gives -7.28 .. 108.28, both past the limits: fixed at 0 and 100.
    expect(axisRange([-3, 50, 104], { min: 0, max: 100 })).toEqual({ min: 0, max: 100 });
  });

  it('should suggest a padded range when the values stay inside the limits', () => {
    // 10 .. 60: pad (60 - 10) × 0.04 = 2 -> suggested 8 .. 62.
    expect(axisRange([10, 60, null], { min: 0, max: 100 })).toEqual({ suggestedMin: 8, suggestedMax: 62 });
  });

  it('should never go below 0 sessions when the values are near 0', () => {
    // 0.2 .. 1.4: pad 1.2 × 0.04 = 0.048 -> 0.152 .. 1.448; with 0 in the values low = 0 - 0.056 < 0: fixed at 0.
    expect(axisRange([0, 0.2, 1.4], { min: 0 })).toEqual({ min: 0, suggestedMax: 1.456 });
  });

  it('should widen a single value to ±1 before padding when all values are equal', () => {
    // 5 -> 4 .. 6, pad 2 × 0.04 = 0.08 -> 3.92 .. 6.08.
    expect(axisRange([5, 5], {})).toEqual({ suggestedMin: 3.92, suggestedMax: 6.08 });
  });

  it('should give only the limits when there are no values', () => {
    expect(axisRange([null, undefined], { min: 0, max: 100 })).toEqual({ min: 0, max: 100 });
    expect(axisRange([], {})).toEqual({});
  });

  it('should clip an interval end into the limits', () => {
    expect(clip(-3, { min: 0, max: 100 })).toBe(0);
    expect(clip(104, { min: 0, max: 100 })).toBe(100);
    expect(clip(-3, {})).toBe(-3);
  });
});
