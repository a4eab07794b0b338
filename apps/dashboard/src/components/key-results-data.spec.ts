import type { Comparison, Indicator } from '../api/types';
import { armValueText, formatDesignEffect, formatInterval } from './comparison-cells';
import { excludesZero, significantQualityAccess } from './key-results-data';

// Intl puts a no-break space between the euro sign and the amount; compare with plain spaces.
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

function indicator(code: string, unit: string, ci: [number | null, number | null]): Indicator {
  const arm = { n: 10, value: 1, ciLow: 0, ciHigh: 2, adjusted: null, adjustedNote: null };
  return {
    code: code as Indicator['code'],
    unit,
    kind: 'MEAN',
    mcid: null,
    arms: { BUNDLE: arm, FFS: arm },
    difference: { value: ci[0] === null || ci[1] === null ? null : (ci[0] + ci[1]) / 2, ciLow: ci[0], ciHigh: ci[1], mdd: null },
    clustered: null,
  };
}

describe('key results: which differences the quality card lists', () => {
  it.each([
    // [ciLow, ciHigh, excludes 0]
    [0.5, 2, true], // wholly above 0
    [-2, -0.1, true], // wholly below 0
    [-1, 1, false], // straddles 0
    [0, 1, false], // touches 0: 0 lies in the closed interval
    [-1, 0, false],
    [null, null, false], // no interval (a median or a count)
  ])('should say %p to %p excludes 0 is %p when the difference has that interval', (low, high, expected) => {
    expect(excludesZero(indicator('CAT_CHANGE_3M', 'CAT points', [low, high]))).toBe(expected);
  });

  it('should list only quality and access indicators whose CI excludes 0, in catalogue order, when cost differs too', () => {
    const comparison = {
      indicators: [
        indicator('PAID_PER_CARE_QUARTER', 'EUR', [13.23, 105.11]), // cost: not a quality or access result
        indicator('SESSIONS_PER_CARE_QUARTER', 'sessions', [0.2, 1.5]), // cost and volume as well
        indicator('BASELINE_COMPLETE', 'fraction', [-0.2, -0.05]), // quality (completeness), below 0
        indicator('SIX_MWT_CHANGE_3M', 'm', [-13, 11]), // straddles 0
        indicator('CAT_RESPONDER_3M', 'fraction', [0.028, 0.453]), // above 0
        indicator('WAIT_DAYS', 'days', [null, null]), // access, no interval
      ],
    } as unknown as Comparison;
    expect(significantQualityAccess(comparison).map((i) => i.code)).toEqual(['BASELINE_COMPLETE', 'CAT_RESPONDER_3M']);
  });

  it('should list nothing when no quality or access interval excludes 0', () => {
    const comparison = { indicators: [indicator('PAID_PER_CARE_QUARTER', 'EUR', [1, 2]), indicator('CCQ_CHANGE_3M', 'CCQ points', [-0.3, 0.1])] } as unknown as Comparison;
    expect(significantQualityAccess(comparison)).toEqual([]);
  });
});

describe('comparison cells', () => {
  it('should write an interval of euro differences with a dash between when both bounds are there', () => {
    expect(plain(formatInterval(-16.38, 134.73, 'EUR', true))).toBe('€ -16,38 – € 134,73');
    // Fractions as percentage points: 0.028 -> 2,8 pp, 0.453 -> 45,3 pp.
    expect(formatInterval(0.028, 0.453, 'fraction', true)).toBe('2,8 pp – 45,3 pp');
  });

  it('should write a dash when a bound is missing', () => {
    expect(formatInterval(null, 3, 'm', true)).toBe('–');
  });

  it.each([
    [1.8349, '1,83'],
    [6.625, '6,63'],
    [0.04, '0,04'],
    [null, '–'],
  ])('should write design effect %p as %p when it is shown', (value, expected) => {
    expect(formatDesignEffect(value)).toBe(expected);
  });

  it('should show a median with its 90th percentile instead of an interval when the indicator is WAIT_DAYS', () => {
    const wait = indicator('WAIT_DAYS', 'days', [null, null]);
    wait.arms.BUNDLE = { n: 153, value: 15, ciLow: null, ciHigh: null, adjusted: null, adjustedNote: null, p90: 34 };
    expect(armValueText(wait, 'BUNDLE')).toBe('15,0 (P90 34)');
  });
});
