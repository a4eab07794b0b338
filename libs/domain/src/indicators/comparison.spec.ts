import type { Arm } from '../model';
import { buildComparison } from './comparison';
import {
  IndicatorCode,
  MEAN_INDICATORS,
  MeanIndicator,
  PROPORTION_INDICATORS,
  ProportionIndicator,
  RATE_INDICATORS,
  RateIndicator,
} from './catalogue';
import { ArmStratumSummary, MeanSummary, ProportionSummary, RateSummary } from './comparison-types';

// Hand-made sufficient statistics in, DOMAIN.md section 7 figures out. Every expected number is worked
// out in the comment above it; t quantiles with whole df are from a t table, Welch's fractional df were
// computed by inverting the regularised incomplete beta function (mpmath), chi-square quantiles from a table.
// z = 1.959964, z^2 = 3.841459; MDD factor 1.959964 + 0.841621 = 2.801585.

interface StratumInput {
  patients?: number;
  practices?: number;
  meanAge?: number | null;
  profiles?: Record<string, number>;
  means?: Partial<Record<MeanIndicator, MeanSummary>>;
  proportions?: Partial<Record<ProportionIndicator, ProportionSummary>>;
  rates?: Partial<Record<RateIndicator, RateSummary>>;
  waitDays?: ArmStratumSummary['waitDays'];
}

/** A summary row with nothing measured, overridden by `input`; goldStage null is the crude (all stages) row. */
function row(arm: Arm, goldStage: number | null, input: StratumInput = {}): ArmStratumSummary {
  const patients = input.patients ?? 0;
  return {
    arm,
    goldStage,
    patients,
    practices: input.practices ?? 1,
    meanAge: input.meanAge ?? null,
    profiles: input.profiles ?? {},
    means: {
      ...(Object.fromEntries(MEAN_INDICATORS.map((c) => [c, { n: 0, mean: null, variance: null }])) as Record<MeanIndicator, MeanSummary>),
      ...input.means,
    },
    proportions: {
      ...(Object.fromEntries(PROPORTION_INDICATORS.map((c) => [c, { successes: 0, n: 0 }])) as Record<ProportionIndicator, ProportionSummary>),
      ...input.proportions,
    },
    rates: {
      ...(Object.fromEntries(RATE_INDICATORS.map((c) => [c, { events: 0, personYears: 0, n: patients }])) as Record<RateIndicator, RateSummary>),
      ...input.rates,
    },
    waitDays: input.waitDays ?? { n: patients, median: null, p90: null },
  };
}

/** count, mean and sample variance (n - 1) of raw values: what the SQL gives. */
function stats(values: number[]): MeanSummary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : null;
  return { n, mean, variance };
}

function find(result: ReturnType<typeof buildComparison>, code: IndicatorCode) {
  const indicator = result.indicators.find((i) => i.code === code);
  if (!indicator) throw new Error(`no ${code}`);
  return indicator;
}

describe('buildComparison', () => {
  describe('a mean indicator with two GOLD strata', () => {
    // PAID_PER_CARE_QUARTER, euros. BUNDLE: stage 2 {10, 12}, stage 3 {20, 22}; FFS: stage 2 {8, 10, 12}, stage 3 {18}.
    const code = 'PAID_PER_CARE_QUARTER';
    const summaries = [
      row('BUNDLE', null, { patients: 4, means: { [code]: stats([10, 12, 20, 22]) } }),
      row('BUNDLE', 2, { patients: 2, means: { [code]: stats([10, 12]) } }),
      row('BUNDLE', 3, { patients: 2, means: { [code]: stats([20, 22]) } }),
      row('FFS', null, { patients: 4, means: { [code]: stats([8, 10, 12, 18]) } }),
      row('FFS', 2, { patients: 3, means: { [code]: stats([8, 10, 12]) } }),
      row('FFS', 3, { patients: 1, means: { [code]: stats([18]) } }),
    ];
    const result = find(buildComparison(summaries), code);

    it('should give the crude mean with its t interval on n - 1 df when an arm has n >= 2', () => {
      // BUNDLE: mean 64 / 4 = 16; squared deviations 36 + 16 + 16 + 36 = 104, s^2 = 104 / 3 = 34.666667;
      // SE = sqrt(34.666667 / 4) = 2.943920; t(0.975, 3) = 3.182446; 16 -/+ 9.368868 = [6.631132, 25.368868]
      expect(result.arms.BUNDLE.n).toBe(4);
      expect(result.arms.BUNDLE.value).toBeCloseTo(16, 12);
      expect(result.arms.BUNDLE.ciLow).toBeCloseTo(6.631132, 6);
      expect(result.arms.BUNDLE.ciHigh).toBeCloseTo(25.368868, 6);
      // FFS: mean 48 / 4 = 12; squared deviations 16 + 4 + 0 + 36 = 56, s^2 = 18.666667; SE = sqrt(18.666667 / 4)
      // = 2.160247; 12 -/+ 3.182446 x 2.160247 = 12 -/+ 6.874870 = [5.125130, 18.874870]
      expect(result.arms.FFS.value).toBeCloseTo(12, 12);
      expect(result.arms.FFS.ciLow).toBeCloseTo(5.12513, 6);
      expect(result.arms.FFS.ciHigh).toBeCloseTo(18.87487, 6);
    });

    it('should standardise to the pooled GOLD mix of patients with a value when adjusting', () => {
      // Pooled: stage 2 has 2 + 3 = 5, stage 3 has 2 + 1 = 3 of 8.
      // BUNDLE: 5/8 x 11 + 3/8 x 21 = 6.875 + 7.875 = 14.75; FFS: 5/8 x 10 + 3/8 x 18 = 6.25 + 6.75 = 13.
      expect(result.arms.BUNDLE.adjusted).toBeCloseTo(14.75, 12);
      expect(result.arms.FFS.adjusted).toBeCloseTo(13, 12);
      expect(result.arms.BUNDLE.adjustedNote).toBe('directly standardised by GOLD stage');
    });

    it('should give the Welch interval and the MDD on the crude values when both arms have n >= 2', () => {
      // d = 16 - 12 = 4; v1 = 34.666667 / 4 = 8.666667, v2 = 18.666667 / 4 = 4.666667; SE = sqrt(13.333333) = 3.651484
      // df = 13.333333^2 / (8.666667^2 / 3 + 4.666667^2 / 3) = 177.777778 / 32.296296 = 5.504587; t(0.975, 5.504587) = 2.501299
      // CI 4 -/+ 2.501299 x 3.651484 = 4 -/+ 9.133452 = [-5.133452, 13.133452]; MDD 2.801585 x 3.651484 = 10.229942
      expect(result.difference.value).toBeCloseTo(4, 12);
      expect(result.difference.ciLow).toBeCloseTo(-5.133452, 6);
      expect(result.difference.ciHigh).toBeCloseTo(13.133452, 6);
      expect(result.difference.mdd).toBeCloseTo(10.229942, 6);
    });
  });

  describe('a mean indicator with too few or identical values', () => {
    it('should give no interval but a value when an arm has one patient', () => {
      // BUNDLE one value 5: mean 5, no interval, no Welch interval; FFS {3, 5}: 4 -/+ 12.706205 x 1 = [-8.706205, 16.706205]
      const code = 'CAT_CHANGE_3M';
      const result = find(
        buildComparison([
          row('BUNDLE', null, { patients: 1, means: { [code]: stats([5]) } }),
          row('BUNDLE', 2, { patients: 1, means: { [code]: stats([5]) } }),
          row('FFS', null, { patients: 2, means: { [code]: stats([3, 5]) } }),
          row('FFS', 2, { patients: 2, means: { [code]: stats([3, 5]) } }),
        ]),
        code,
      );
      expect(result.arms.BUNDLE).toMatchObject({ n: 1, value: 5, ciLow: null, ciHigh: null, adjusted: 5 });
      expect(result.arms.FFS.ciLow).toBeCloseTo(-8.706205, 6);
      expect(result.arms.FFS.ciHigh).toBeCloseTo(16.706205, 6);
      expect(result.difference).toEqual({ value: 1, ciLow: null, ciHigh: null, mdd: null });
    });

    it('should give the point itself as the interval when both arms have zero variance', () => {
      // BUNDLE {2, 2}, FFS {1, 1, 1}: d = 1, SE 0, interval [1, 1], MDD 0.
      const code = 'SESSIONS_PER_CARE_QUARTER';
      const result = find(
        buildComparison([
          row('BUNDLE', null, { patients: 2, means: { [code]: stats([2, 2]) } }),
          row('BUNDLE', 3, { patients: 2, means: { [code]: stats([2, 2]) } }),
          row('FFS', null, { patients: 3, means: { [code]: stats([1, 1, 1]) } }),
          row('FFS', 3, { patients: 3, means: { [code]: stats([1, 1, 1]) } }),
        ]),
        code,
      );
      expect(result.difference).toEqual({ value: 1, ciLow: 1, ciHigh: 1, mdd: 0 });
      expect(result.arms.BUNDLE).toMatchObject({ value: 2, ciLow: 2, ciHigh: 2 });
    });
  });

  describe('a proportion with two GOLD strata', () => {
    // BASELINE_COMPLETE. BUNDLE: stage 2 3/4, stage 3 1/2 (crude 4/6); FFS: stage 2 1/2, stage 3 2/5 (crude 3/7).
    const code = 'BASELINE_COMPLETE';
    const result = find(
      buildComparison([
        row('BUNDLE', null, { patients: 6, proportions: { [code]: { successes: 4, n: 6 } } }),
        row('BUNDLE', 2, { patients: 4, proportions: { [code]: { successes: 3, n: 4 } } }),
        row('BUNDLE', 3, { patients: 2, proportions: { [code]: { successes: 1, n: 2 } } }),
        row('FFS', null, { patients: 7, proportions: { [code]: { successes: 3, n: 7 } } }),
        row('FFS', 2, { patients: 2, proportions: { [code]: { successes: 1, n: 2 } } }),
        row('FFS', 3, { patients: 5, proportions: { [code]: { successes: 2, n: 5 } } }),
      ]),
      code,
    );

    it('should give the Wilson score interval per arm when p is strictly between 0 and 1', () => {
      // 4/6: centre 2x + z^2 = 11.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 1.959964 sqrt(3.841459 + 5.333333) = 5.936715,
      //   2(n + z^2) = 19.682918 -> [5.904744 / 19.682918, 17.778174 / 19.682918] = [0.299993, 0.903229]
      expect(result.arms.BUNDLE).toMatchObject({ n: 6 });
      expect(result.arms.BUNDLE.value).toBeCloseTo(4 / 6, 12);
      expect(result.arms.BUNDLE.ciLow).toBeCloseTo(0.299993, 6);
      expect(result.arms.BUNDLE.ciHigh).toBeCloseTo(0.903229, 6);
      // 3/7: centre 9.841459, spread 1.959964 sqrt(3.841459 + 6.857143) = 6.410791, 2(n + z^2) = 21.682918
      //   -> [3.430668 / 21.682918, 16.252250 / 21.682918] = [0.158220, 0.749542]
      expect(result.arms.FFS.ciLow).toBeCloseTo(0.15822, 6);
      expect(result.arms.FFS.ciHigh).toBeCloseTo(0.749542, 6);
    });

    it('should give the Newcombe hybrid interval and the MDD from the unpooled SE for the difference', () => {
      // d = 0.666667 - 0.428571 = 0.238095
      // L = d - sqrt((0.666667 - 0.299993)^2 + (0.749542 - 0.428571)^2) = 0.238095 - 0.487310 = -0.249215
      // U = d + sqrt((0.903229 - 0.666667)^2 + (0.428571 - 0.158220)^2) = 0.238095 + 0.359237 = 0.597333
      // SE = sqrt(0.666667 x 0.333333 / 6 + 0.428571 x 0.571429 / 7) = sqrt(0.037037 + 0.034985) = 0.268370; MDD 0.751861
      expect(result.difference.value).toBeCloseTo(0.238095, 6);
      expect(result.difference.ciLow).toBeCloseTo(-0.249215, 6);
      expect(result.difference.ciHigh).toBeCloseTo(0.597333, 6);
      expect(result.difference.mdd).toBeCloseTo(0.751861, 6);
    });

    it('should standardise the stage shares when adjusting', () => {
      // Pooled: stage 2 4 + 2 = 6, stage 3 2 + 5 = 7 of 13.
      // BUNDLE 6/13 x 0.75 + 7/13 x 0.5 = 8/13 = 0.615385; FFS 6/13 x 0.5 + 7/13 x 0.4 = 5.8/13 = 0.446154
      expect(result.arms.BUNDLE.adjusted).toBeCloseTo(8 / 13, 12);
      expect(result.arms.FFS.adjusted).toBeCloseTo(5.8 / 13, 12);
    });
  });

  it('should weight LOW_INTENSITY_QUARTERS by patients with a judged quarter while estimating per quarter', () => {
    // BUNDLE: stage 2 2 of 5 quarters (2 patients), stage 3 1 of 2 (1 patient) -> crude 3/7;
    // FFS: stage 2 1 of 1 (1 patient), stage 3 3 of 6 (3 patients) -> crude 4/7.
    // Weights from patients: stage 2 2 + 1 = 3, stage 3 1 + 3 = 4 of 7 (from quarters it would be 6 and 8 of 14).
    // BUNDLE 3/7 x 2/5 + 4/7 x 1/2 = (1.2 + 2) / 7 = 0.457143; FFS 3/7 x 1 + 4/7 x 1/2 = 5/7 = 0.714286
    // Wilson 3/7 = [0.158220, 0.749542] (above); 4/7: centre 11.841459, spread 6.410791, 21.682918 -> [0.250458, 0.841780]
    const code = 'LOW_INTENSITY_QUARTERS';
    const result = find(
      buildComparison([
        row('BUNDLE', null, { patients: 3, proportions: { [code]: { successes: 3, n: 7, patients: 3 } } }),
        row('BUNDLE', 2, { patients: 2, proportions: { [code]: { successes: 2, n: 5, patients: 2 } } }),
        row('BUNDLE', 3, { patients: 1, proportions: { [code]: { successes: 1, n: 2, patients: 1 } } }),
        row('FFS', null, { patients: 4, proportions: { [code]: { successes: 4, n: 7, patients: 4 } } }),
        row('FFS', 2, { patients: 1, proportions: { [code]: { successes: 1, n: 1, patients: 1 } } }),
        row('FFS', 3, { patients: 3, proportions: { [code]: { successes: 3, n: 6, patients: 3 } } }),
      ]),
      code,
    );
    expect(result.arms.BUNDLE.n).toBe(7);
    expect(result.arms.BUNDLE.adjusted).toBeCloseTo(3.2 / 7, 12);
    expect(result.arms.FFS.adjusted).toBeCloseTo(5 / 7, 12);
    expect(result.arms.FFS.ciLow).toBeCloseTo(0.250458, 6);
    expect(result.arms.FFS.ciHigh).toBeCloseTo(0.84178, 6);
  });

  describe('a rate with two GOLD strata', () => {
    // EXACERBATION_RATE. BUNDLE: stage 2 2 events / 1.5 patient-years (2 patients), stage 3 3 / 2.5 (3 patients);
    // FFS: stage 2 1 / 2 (2 patients), stage 3 6 / 3 (2 patients).
    const code = 'EXACERBATION_RATE';
    const result = find(
      buildComparison([
        row('BUNDLE', null, { patients: 5, rates: { [code]: { events: 5, personYears: 4, n: 5 } } }),
        row('BUNDLE', 2, { patients: 2, rates: { [code]: { events: 2, personYears: 1.5, n: 2 } } }),
        row('BUNDLE', 3, { patients: 3, rates: { [code]: { events: 3, personYears: 2.5, n: 3 } } }),
        row('FFS', null, { patients: 4, rates: { [code]: { events: 7, personYears: 5, n: 4 } } }),
        row('FFS', 2, { patients: 2, rates: { [code]: { events: 1, personYears: 2, n: 2 } } }),
        row('FFS', 3, { patients: 2, rates: { [code]: { events: 6, personYears: 3, n: 2 } } }),
      ]),
      code,
    );

    it('should give the exact Poisson interval divided by patient-years per arm', () => {
      // BUNDLE 5 / 4 = 1.25; chi2(0.025, 10) / 2 = 3.246973 / 2 = 1.623486, chi2(0.975, 12) / 2 = 23.336664 / 2 = 11.668332
      //   -> [1.623486 / 4, 11.668332 / 4] = [0.405872, 2.917083]
      expect(result.arms.BUNDLE).toMatchObject({ n: 5, value: 1.25 });
      expect(result.arms.BUNDLE.ciLow).toBeCloseTo(0.405872, 6);
      expect(result.arms.BUNDLE.ciHigh).toBeCloseTo(2.917083, 6);
      // FFS 7 / 5 = 1.4; chi2(0.025, 14) / 2 = 5.628726 / 2 = 2.814363, chi2(0.975, 16) / 2 = 28.845351 / 2 = 14.422675
      //   -> [0.562873, 2.884535]
      expect(result.arms.FFS.value).toBeCloseTo(1.4, 12);
      expect(result.arms.FFS.ciLow).toBeCloseTo(0.562873, 6);
      expect(result.arms.FFS.ciHigh).toBeCloseTo(2.884535, 6);
    });

    it('should give a normal interval and the MDD for the rate difference', () => {
      // d = 1.25 - 1.4 = -0.15; SE = sqrt(5 / 4^2 + 7 / 5^2) = sqrt(0.3125 + 0.28) = 0.769740
      // CI -0.15 -/+ 1.959964 x 0.769740 = [-1.658663, 1.358663]; MDD 2.801585 x 0.769740 = 2.156493
      expect(result.difference.value).toBeCloseTo(-0.15, 12);
      expect(result.difference.ciLow).toBeCloseTo(-1.658663, 6);
      expect(result.difference.ciHigh).toBeCloseTo(1.358663, 6);
      expect(result.difference.mdd).toBeCloseTo(2.156493, 6);
    });

    it('should standardise the stage rates with patient weights when adjusting', () => {
      // Pooled patients: stage 2 2 + 2 = 4, stage 3 3 + 2 = 5 of 9.
      // BUNDLE 4/9 x 2/1.5 + 5/9 x 3/2.5 = 0.592593 + 0.666667 = 1.259259; FFS 4/9 x 0.5 + 5/9 x 2 = 1.333333
      expect(result.arms.BUNDLE.adjusted).toBeCloseTo(1.259259, 6);
      expect(result.arms.FFS.adjusted).toBeCloseTo(4 / 3, 12);
    });
  });

  it('should give medians, p90 and the difference of medians without interval or adjustment for WAIT_DAYS', () => {
    // BUNDLE median 17.5 (p90 30), FFS median 12 (p90 40): difference 17.5 - 12 = 5.5.
    const result = find(
      buildComparison([
        row('BUNDLE', null, { patients: 4, waitDays: { n: 4, median: 17.5, p90: 30 } }),
        row('BUNDLE', 2, { patients: 4 }),
        row('FFS', null, { patients: 3, waitDays: { n: 3, median: 12, p90: 40 } }),
        row('FFS', 2, { patients: 3 }),
      ]),
      'WAIT_DAYS',
    );
    expect(result.arms.BUNDLE).toEqual({
      n: 4, value: 17.5, ciLow: null, ciHigh: null, adjusted: null, adjustedNote: 'not adjusted (definition)', p90: 30,
    });
    expect(result.arms.FFS).toMatchObject({ n: 3, value: 12, p90: 40, adjusted: null });
    expect(result.difference).toEqual({ value: 5.5, ciLow: null, ciHigh: null, mdd: null });
  });

  it('should count patients and give the difference of counts for ENROLLED', () => {
    // 4 - 3 = 1; no interval, no adjustment.
    const result = find(
      buildComparison([
        row('BUNDLE', null, { patients: 4 }),
        row('BUNDLE', 2, { patients: 4 }),
        row('FFS', null, { patients: 3 }),
        row('FFS', 3, { patients: 3 }),
      ]),
      'ENROLLED',
    );
    expect(result.arms.BUNDLE).toMatchObject({ n: 4, value: 4, ciLow: null, ciHigh: null, adjusted: null });
    expect(result.arms.FFS).toMatchObject({ n: 3, value: 3, adjusted: null });
    expect(result.difference).toEqual({ value: 1, ciLow: null, ciHigh: null, mdd: null });
  });

  describe('a GOLD stage of the pool missing in one arm', () => {
    // SIX_MWT_CHANGE_3M. BUNDLE: stage 2 {20, 40}, stage 3 {10}, no stage 4 patient; FFS: stage 2 {30}, stage 3 {0}, stage 4 {10, 20}.
    // Stage 4 is in the pool (0 + 2 patients), so BUNDLE cannot be standardised.
    const code = 'SIX_MWT_CHANGE_3M';
    const result = buildComparison([
      row('BUNDLE', null, { patients: 3, practices: 2, meanAge: 70, profiles: { '3': 2, '4': 1 }, means: { [code]: stats([20, 40, 10]) } }),
      row('BUNDLE', 2, { patients: 2, means: { [code]: stats([20, 40]) } }),
      row('BUNDLE', 3, { patients: 1, means: { [code]: stats([10]) } }),
      row('FFS', null, { patients: 4, practices: 3, meanAge: 65.5, profiles: { '2': 1, '5': 3 }, means: { [code]: stats([30, 0, 10, 20]) } }),
      row('FFS', 2, { patients: 1, means: { [code]: stats([30]) } }),
      row('FFS', 3, { patients: 1, means: { [code]: stats([0]) } }),
      row('FFS', 4, { patients: 2, means: { [code]: stats([10, 20]) } }),
    ]);
    const indicator = find(result, code);

    it('should give a null adjusted value and name the stage when the arm has no patient of it', () => {
      expect(indicator.arms.BUNDLE.adjusted).toBeNull();
      expect(indicator.arms.BUNDLE.adjustedNote).toBe('GOLD stage 4 has no included patient in this arm');
      // The crude value stays: (20 + 40 + 10) / 3 = 23.333333.
      expect(indicator.arms.BUNDLE.value).toBeCloseTo(70 / 3, 12);
    });

    it('should still adjust the other arm when it has every pooled stage', () => {
      // Pooled: stage 2 2 + 1 = 3, stage 3 1 + 1 = 2, stage 4 0 + 2 = 2 of 7.
      // FFS 3/7 x 30 + 2/7 x 0 + 2/7 x 15 = (90 + 0 + 30) / 7 = 120 / 7 = 17.142857
      expect(indicator.arms.FFS.adjusted).toBeCloseTo(120 / 7, 12);
      expect(indicator.arms.FFS.adjustedNote).toBe('directly standardised by GOLD stage');
    });

    it('should also call a stage missing when the arm has patients of it but none with a value', () => {
      // Same data plus a BUNDLE stage 4 row of 1 patient without a 3-month change: still no estimate for stage 4.
      const withEmptyStage = buildComparison([
        ...[
          row('BUNDLE', null, { patients: 4, means: { [code]: stats([20, 40, 10]) } }),
          row('BUNDLE', 2, { patients: 2, means: { [code]: stats([20, 40]) } }),
          row('BUNDLE', 3, { patients: 1, means: { [code]: stats([10]) } }),
          row('BUNDLE', 4, { patients: 1 }),
        ],
        row('FFS', null, { patients: 4, means: { [code]: stats([30, 0, 10, 20]) } }),
        row('FFS', 2, { patients: 1, means: { [code]: stats([30]) } }),
        row('FFS', 3, { patients: 1, means: { [code]: stats([0]) } }),
        row('FFS', 4, { patients: 2, means: { [code]: stats([10, 20]) } }),
      ]);
      expect(find(withEmptyStage, code).arms.BUNDLE).toMatchObject({
        adjusted: null,
        adjustedNote: 'GOLD stage 4 has no included patient in this arm',
      });
    });

    it('should report practices and the case mix per arm from the rows', () => {
      expect(result.practices).toEqual({ BUNDLE: 2, FFS: 3 });
      expect(result.caseMix.BUNDLE).toEqual({
        goldStage: { '2': 2, '3': 1, '4': 0 },
        profile: { '1': 0, '2': 0, '3': 2, '4': 1, '5': 0, '6': 0 },
        meanAge: 70,
      });
      expect(result.caseMix.FFS.goldStage).toEqual({ '2': 1, '3': 1, '4': 2 });
      expect(result.caseMix.FFS.meanAge).toBe(65.5);
    });
  });
});
