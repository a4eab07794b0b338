import { INestApplicationContext } from '@nestjs/common';
/// <reference path="../../../libs/domain/src/statistics/jstat.d.ts" />
import { jStat } from 'jstat';
import { DAYS_PER_YEAR } from '@copd/domain';
import { generateExperiment } from '../src/modules/demo-data/demo-generator';
import { scenarioDocument } from './fixtures/scenario';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

/*
 * DOMAIN.md 7a through import, worker and GET /api/v1/indicators/comparison: the worked example (one practice:
 * no clustered interval), the 24-patient scenario (2 practices per arm, pinned by hand), and a generated
 * experiment of 9 practices recomputed here independently: from the rows of patient_facts, with this file's own
 * per-patient values, ratio of totals, CR1 variance and jstat's t quantile, without the domain's functions.
 */

interface ClusteredArm {
  clusters: number;
  ciLow: number | null;
  ciHigh: number | null;
  designEffect: number | null;
}
interface Clustered {
  arms: Record<'BUNDLE' | 'FFS', ClusteredArm>;
  difference: { ciLow: number | null; ciHigh: number | null; df: number | null; mdd: number | null };
}
interface Indicator {
  code: string;
  arms: Record<
    'BUNDLE' | 'FFS',
    { n: number; value: number | null; ciLow: number | null; ciHigh: number | null }
  >;
  clustered: Clustered | null;
}
type Doc = { practices: Record<'BUNDLE' | 'FFS', number>; indicators: Indicator[] };

const find = (doc: Doc, code: string) => doc.indicators.find((i) => i.code === code)!;

describe('practice-clustered intervals (DOMAIN.md 7a) through the comparison API', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  const comparison = async (query = '') =>
    (await ctx.http().get(`/api/v1/indicators/comparison${query}`).expect(200)).body as Doc;

  beforeEach(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
  });
  afterEach(async () => {
    await worker?.close();
    await ctx?.close();
  });

  it('should give one cluster and null intervals when the worked example has one practice in the bundle arm and none in FFS', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
    const doc = await comparison();
    // Practice 12345678 has patient P: G_BUNDLE = 1 < 2, so V is null and so is everything drawn from it; G_FFS = 0.
    const none = { clusters: 0, ciLow: null, ciHigh: null, designEffect: null };
    const onePractice = { clusters: 1, ciLow: null, ciHigh: null, designEffect: null };
    const noDifference = { ciLow: null, ciHigh: null, df: null, mdd: null };
    expect(find(doc, 'PAID_PER_CARE_QUARTER').clustered).toEqual({
      arms: { BUNDLE: onePractice, FFS: none },
      difference: noDifference,
    });
    expect(find(doc, 'LOW_INTENSITY_QUARTERS').clustered).toEqual({
      arms: { BUNDLE: onePractice, FFS: none },
      difference: noDifference,
    });
    // Intake 232 days before the analysis date: nobody is judged for guideline volume, so P's practice is no cluster (D_g = 0).
    expect(find(doc, 'ABOVE_GUIDELINE_VOLUME').clustered).toEqual({
      arms: { BUNDLE: none, FFS: none },
      difference: noDifference,
    });
    // WAIT_DAYS and ENROLLED have no clustered version.
    expect(find(doc, 'WAIT_DAYS').clustered).toBeNull();
    expect(find(doc, 'ENROLLED').clustered).toBeNull();
  });

  it('should pin PAID_PER_CARE_QUARTER clustered by hand when the scenario has two practices per arm', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(scenarioDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
    const doc = await comparison();
    const clustered = find(doc, 'PAID_PER_CARE_QUARTER').clustered!;
    // BUNDLE 11110001: B01 382.5 + B03 390 + B05 450 + B06 382.5 + B08 450 + B11 390 = T 2445, D 6;
    //        11110002: B02 382.5 + B04 405 + B07 390 + B09 450 + B10 405 + B12 390 = T 2422.5, D 6.
    //   value 4867.5 / 12 = 405.625; e = 2445 - 405.625 x 6 = 11.25 and -11.25;
    //   V = 2/1 x (11.25^2 + 11.25^2) / 12^2 = 2 x 253.125 / 144 = 3.515625; sqrt 1.875; t(0.975, 1) = 12.7062047
    //   CI 405.625 -/+ 12.7062047 x 1.875 = [381.8008661, 429.4491339].
    //   Naive s^2 / n = 771.73295455 / 12 = 64.31107955 (indicators-scenario.int-spec): design effect 3.515625 / 64.31107955 = 0.0546659.
    expect(clustered.arms.BUNDLE.clusters).toBe(2);
    expect(clustered.arms.BUNDLE.ciLow).toBeCloseTo(381.8008661, 5);
    expect(clustered.arms.BUNDLE.ciHigh).toBeCloseTo(429.4491339, 5);
    expect(clustered.arms.BUNDLE.designEffect).toBeCloseTo(0.0546659304, 8);
    // FFS 22220001: F01 69.6 + F03 85 + F04 73.75 + F06 91.666667 + F09 69.5 + F11 77.5 = T 467.016667, D 6;
    //     22220002: F02 121.666667 + F05 69.333333 + F07 77.5 + F08 85 + F10 95 + F12 155 = T 603.5, D 6.
    //   value 1070.516667 / 12 = 89.2097222; e = 467.016667 - 535.258333 = -68.2416667 and +68.2416667;
    //   V = 2 x 2 x 68.2416667^2 / 144 = 129.3590297; sqrt 11.3736111; CI 89.2097222 -/+ 12.7062047 x 11.3736111
    //   = [-55.3057091, 233.7251536]. Design effect 129.3590297 / (648.92224537 / 12) = 2.3921331.
    expect(clustered.arms.FFS.clusters).toBe(2);
    expect(clustered.arms.FFS.ciLow).toBeCloseTo(-55.3057091, 5);
    expect(clustered.arms.FFS.ciHigh).toBeCloseTo(233.7251536, 5);
    expect(clustered.arms.FFS.designEffect).toBeCloseTo(2.39213306, 6);
    // Difference 316.4152778; SE = sqrt(3.515625 + 129.3590297) = 11.5271269;
    //   df = 132.8746547^2 / (3.515625^2 / 1 + 129.3590297^2 / 1) = 1.0543144; t(0.975, 1.0543144) = 11.2591186 (mpmath)
    //   CI 316.4152778 -/+ 11.2591186 x 11.5271269 = [186.6299892, 446.2005663]; MDD 2.801585 x 11.5271269 = 32.2942258.
    expect(clustered.difference.df).toBeCloseTo(1.0543144189, 8);
    expect(clustered.difference.ciLow).toBeCloseTo(186.6299892, 3);
    expect(clustered.difference.ciHigh).toBeCloseTo(446.2005663, 3);
    expect(clustered.difference.mdd).toBeCloseTo(32.2942258, 6);
    // The unclustered figures stay as they were (indicators-scenario.int-spec pins them).
    expect(find(doc, 'PAID_PER_CARE_QUARTER').arms.BUNDLE.ciLow).toBeCloseTo(387.974378, 5);
  });

  it('should equal an independent recomputation from patient_facts when 9 generated practices are compared, filtered or not', async () => {
    const document = generateExperiment({ practices: 9, patients: 360, seed: 717 });
    await ctx.http().post('/api/v1/experiment-data').send(document).expect(200);
    await waitForIndicators(ctx.dataSource, 60_000);
    for (const [query, where] of [
      ['', 'TRUE'],
      ['?goldStage=3,4', 'f.gold_stage IN (3, 4)'],
    ] as const) {
      const doc = await comparison(query);
      // Enough practices in each arm that every interval exists: the comparison below is not of nulls.
      expect(doc.practices.BUNDLE).toBeGreaterThanOrEqual(3);
      expect(doc.practices.FFS).toBeGreaterThanOrEqual(3);
      const rows: FactRow[] = await ctx.dataSource.query(
        `SELECT f.arm, f.practice_id, f.care_quarters, f.paid_cents::int AS paid_cents, f.sessions, f.judged_quarters,
                f.low_intensity_quarters, f.guideline_eligible, f.above_guideline, f.exacerbations, f.followup_days,
                f.six_mwt_base, f.six_mwt_3m
         FROM patient_facts f WHERE ${where}`,
      );
      expect(rows.length).toBeGreaterThan(100);
      for (const [code, estimator] of Object.entries(ESTIMATORS)) {
        const expected = recompute(rows, estimator);
        const actual = find(doc, code).clustered!;
        expectClose(actual, expected, `${code}${query}`);
      }
    }
  });
});

interface FactRow {
  arm: 'BUNDLE' | 'FFS';
  practice_id: string;
  care_quarters: number;
  paid_cents: number;
  sessions: number;
  judged_quarters: number;
  low_intensity_quarters: number;
  guideline_eligible: boolean;
  above_guideline: boolean | null;
  exacerbations: number;
  followup_days: number;
  six_mwt_base: number | null;
  six_mwt_3m: number | null;
}

/** Per patient: the numerator and denominator contribution (null: not included), and how the naive variance is formed. */
interface Estimator {
  unit: (r: FactRow) => { t: number; d: number } | null;
  naive: 'mean' | 'share' | 'rate';
}

// Written from DOMAIN.md 6 and 7a, not from the repository's SQL.
const ESTIMATORS: Record<string, Estimator> = {
  PAID_PER_CARE_QUARTER: { unit: (r) => ({ t: r.paid_cents / r.care_quarters / 100, d: 1 }), naive: 'mean' },
  SESSIONS_PER_CARE_QUARTER: { unit: (r) => ({ t: r.sessions / r.care_quarters, d: 1 }), naive: 'mean' },
  SIX_MWT_CHANGE_3M: {
    unit: (r) =>
      r.six_mwt_base !== null && r.six_mwt_3m !== null ? { t: r.six_mwt_3m - r.six_mwt_base, d: 1 } : null,
    naive: 'mean',
  },
  ABOVE_GUIDELINE_VOLUME: {
    unit: (r) => (r.guideline_eligible ? { t: r.above_guideline ? 1 : 0, d: 1 } : null),
    naive: 'share',
  },
  // Judged quarters are the units: a patient contributes its low-intensity and judged quarter counts.
  LOW_INTENSITY_QUARTERS: {
    unit: (r) => ({ t: r.low_intensity_quarters, d: r.judged_quarters }),
    naive: 'share',
  },
  EXACERBATION_RATE: {
    unit: (r) => ({ t: r.exacerbations, d: r.followup_days / DAYS_PER_YEAR }),
    naive: 'rate',
  },
};

function recompute(rows: FactRow[], estimator: Estimator): Clustered {
  const arm = (name: 'BUNDLE' | 'FFS') => {
    const units = rows
      .filter((r) => r.arm === name)
      .flatMap((r) => {
        const u = estimator.unit(r);
        return u === null ? [] : [{ practice: r.practice_id, ...u }];
      });
    const byPractice = new Map<string, { t: number; d: number }>();
    for (const u of units) {
      const p = byPractice.get(u.practice) ?? { t: 0, d: 0 };
      byPractice.set(u.practice, { t: p.t + u.t, d: p.d + u.d });
    }
    const clusters = [...byPractice.values()].filter((c) => c.d > 0);
    const g = clusters.length;
    const sumT = clusters.reduce((s, c) => s + c.t, 0);
    const sumD = clusters.reduce((s, c) => s + c.d, 0);
    const value = sumT / sumD;
    const v =
      g < 2 ? null : ((g / (g - 1)) * clusters.reduce((s, c) => s + (c.t - value * c.d) ** 2, 0)) / sumD ** 2;
    let naive: number;
    if (estimator.naive === 'mean') {
      const n = units.length;
      naive = units.reduce((s, u) => s + (u.t - value) ** 2, 0) / (n - 1) / n;
    } else if (estimator.naive === 'share') naive = (value * (1 - value)) / sumD;
    else naive = sumT / sumD ** 2;
    const half = v === null ? null : jStat.studentt.inv(0.975, g - 1) * Math.sqrt(v);
    return {
      value,
      v,
      g,
      out: {
        clusters: g,
        ciLow: half === null ? null : value - half,
        ciHigh: half === null ? null : value + half,
        designEffect: v === null || naive === 0 ? null : v / naive,
      },
    };
  };
  const b = arm('BUNDLE');
  const f = arm('FFS');
  if (b.v === null || f.v === null)
    return {
      arms: { BUNDLE: b.out, FFS: f.out },
      difference: { ciLow: null, ciHigh: null, df: null, mdd: null },
    };
  const sum = b.v + f.v;
  const df = sum ** 2 / (b.v ** 2 / (b.g - 1) + f.v ** 2 / (f.g - 1));
  const half = jStat.studentt.inv(0.975, df) * Math.sqrt(sum);
  const d = b.value - f.value;
  return {
    arms: { BUNDLE: b.out, FFS: f.out },
    difference: { ciLow: d - half, ciHigh: d + half, df, mdd: (1.959964 + 0.841621) * Math.sqrt(sum) },
  };
}

function expectClose(actual: Clustered, expected: Clustered, label: string) {
  const close = (a: number | null, e: number | null, what: string) => {
    if (e === null) return expect({ label, what, a }).toEqual({ label, what, a: null });
    // Relative 1e-9: the API sums in numeric then float8, this file in doubles.
    expect({ label, what, ok: a !== null && Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)) }).toEqual({
      label,
      what,
      ok: true,
    });
  };
  for (const arm of ['BUNDLE', 'FFS'] as const) {
    expect({ label, arm, clusters: actual.arms[arm].clusters }).toEqual({
      label,
      arm,
      clusters: expected.arms[arm].clusters,
    });
    close(actual.arms[arm].ciLow, expected.arms[arm].ciLow, `${arm} ciLow`);
    close(actual.arms[arm].ciHigh, expected.arms[arm].ciHigh, `${arm} ciHigh`);
    close(actual.arms[arm].designEffect, expected.arms[arm].designEffect, `${arm} designEffect`);
  }
  close(actual.difference.ciLow, expected.difference.ciLow, 'difference ciLow');
  close(actual.difference.ciHigh, expected.difference.ciHigh, 'difference ciHigh');
  close(actual.difference.df, expected.difference.df, 'difference df');
  close(actual.difference.mdd, expected.difference.mdd, 'difference mdd');
}
