import { INestApplicationContext } from '@nestjs/common';
import { BUNDLE_PRACTICES, FFS_PRACTICES, scenarioDocument, SCENARIO_ANALYSIS_DATE } from './fixtures/scenario';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

/*
 * The decisive test of the indicator engine: the scenario of fixtures/scenario.ts goes through the import,
 * the outbox relay, the recompute job and GET /api/v1/indicators/comparison, and every figure of every
 * indicator is checked against a hand computation (DOMAIN.md sections 5-7). Analysis date 2026-06-30.
 * Prices in cents; B = BUNDLE practice tariffs (bundle 9000 + 36000 per quarter with a session; FFS 6000 +
 * 4000 per session, HOME 6000, GROUP 2000), F = FFS practice tariffs (bundle 8000 + 30000; FFS 5000 + 3500,
 * HOME 5000, GROUP 1800). Quarter k = [intake + 3(k-1) months, intake + 3k months); "judged" = k >= 2 with a
 * session and last day (end - 1) <= 2026-06-30; the last quarter listed is the one containing the analysis
 * date unless said otherwise. I = INDIVIDUAL, H = HOME, G = GROUP, R = REMOTE.
 *
 * BUNDLE (paid = bundle, counterfactual = FFS)
 * B01 GOLD 2, intake 2025-03-03: Q1 [03-03,06-03) I I G; Q2 [06-03,09-03) I(06-03, first day) I; Q3 [09-03,12-03) H;
 *     Q4, Q5 empty; Q6 [2026-06-03,09-03) I running. Care quarters Q1 Q2 Q3 Q6 = 4, sessions 7.
 *     Paid 9000 + 4 x 36000 = 153000; cf 6000 + 4000 + 4000 + 2000 + 2 x 4000 + 6000 + 4000 = 34000. Judged Q2 (2), Q3 (1): 2/1 low.
 * B02 GOLD 2, intake 2025-04-07: Q1 [04-07,07-07) 4 I; Q2 [07-07,10-07) I(07-07) I(10-06); Q3 empty; Q4 [2026-01-07,04-07)
 *     I(04-06); Q5 [04-07,07-07) I(04-07) running. Care 4, sessions 8. Paid 153000; cf 6000 + 8 x 4000 = 38000. Judged Q2 (2), Q4 (1): 2/1.
 * B03 GOLD 2, intake 2025-08-31: Q1 [08-31,11-30) I I(11-29); Q2 [11-30,2026-02-28) R(02-27); Q3 [02-28,05-31) I(02-28) I;
 *     Q4 [05-31,08-31) empty. Care 3, sessions 5. Paid 9000 + 3 x 36000 = 117000; cf 6000 + 5 x 4000 = 26000. Judged Q2 (1), Q3 (2): 2/1.
 * B04 GOLD 2, intake 2026-01-12: Q1 I G; Q2 [04-12,07-12) I running. Care 2, sessions 3. Paid 9000 + 72000 = 81000;
 *     cf 6000 + 4000 + 2000 + 4000 = 16000. Judged 0.
 * B05 GOLD 2, intake 2026-06-20: Q1 I(06-22); I(07-15) after the analysis date does not count. Care 1, sessions 1.
 *     Paid 45000; cf 10000.
 * B06 GOLD 3, intake 2025-02-03: Q1 3 I; Q2 [05-03,08-03) I; Q3 empty; Q4 [11-03,2026-02-03) H I; Q5 [02-03,05-03) I; Q6 running
 *     empty. Care 4, sessions 7. Paid 153000; cf 6000 + 12000 + 4000 + 6000 + 4000 + 4000 = 36000. Judged Q2 (1), Q4 (2), Q5 (1): 3/2.
 * B07 GOLD 3, intake 2025-06-30: Q1 I I; Q2, Q3 empty; Q4 [2026-03-30,06-30) I(04-01), last day 06-29: ended; Q5 [06-30,09-30)
 *     I(06-30) running. Care 3, sessions 4. Paid 117000; cf 6000 + 16000 = 22000. Judged Q4 (1): 1/1.
 * B08 GOLD 3, intake 2025-10-06, DECEASED 2025-12-20: Q1 3 I. Care 1, sessions 3. Paid 45000; cf 6000 + 12000 = 18000.
 * B09 GOLD 3, intake 2025-11-03, DROPPED_OUT 2026-01-15: Q1 I I. Care 1. Paid 45000; cf 6000 + 8000 = 14000.
 * B10 GOLD 3, intake 2026-03-02: Q1 I I; Q2 [06-02,09-02) I running. Care 2, sessions 3. Paid 81000; cf 18000.
 * B11 GOLD 4, intake 2025-05-12: Q1 I G G H; Q2 [08-12,11-12) 3 I; Q3 [11-12,2026-02-12) I; Q4, Q5 empty. Care 3, sessions 8.
 *     Paid 117000; cf 6000 + (4000 + 2000 + 2000 + 6000) + 12000 + 4000 = 36000. Judged Q2 (3), Q3 (1): 2/1.
 * B12 GOLD 4, intake 2025-09-15: Q1 I; Q2 [12-15,2026-03-15) I I; Q3 [03-15,06-15) I; Q4 running empty. Care 3, sessions 4.
 *     Paid 117000; cf 6000 + 16000 = 22000. Judged Q2 (2), Q3 (1): 2/1.
 *
 * FFS (paid = FFS, counterfactual = bundle)
 * F01 GOLD 2, intake 2025-02-17: Q1 4 I; Q2 [05-17,08-17) I; Q3 [08-17,11-17) I I; Q4 empty; Q5 [2026-02-17,05-17) G; Q6 I running.
 *     Care 5, sessions 9. Paid 5000 + 8 x 3500 + 1800 = 34800; cf 8000 + 5 x 30000 = 158000. Judged Q2 (1), Q3 (2), Q5 (1): 3/2.
 * F02 GOLD 2, intake 2025-07-14: Q1 7 I; Q2 [10-14,2026-01-14) I; Q3 empty; Q4 [04-14,07-14) I running. Care 3, sessions 9.
 *     Paid 5000 + 9 x 3500 = 36500; cf 8000 + 90000 = 98000. Judged Q2 (1): 1/1.
 * F03 GOLD 2, intake 2026-02-09: Q1 I H; Q2 [05-09,08-09) I running. Care 2, sessions 3. Paid 5000 + 3500 + 5000 + 3500 = 17000;
 *     cf 8000 + 60000 = 68000.
 * F04 GOLD 3, intake 2025-03-17: Q1 I I; Q2 [06-17,09-17) I(06-17) I; Q3 [09-17,12-17) I; Q4 [12-17,2026-03-17) I I; Q5, Q6 empty.
 *     Care 4, sessions 7. Paid 5000 + 7 x 3500 = 29500; cf 8000 + 120000 = 128000. Judged Q2 (2), Q3 (1), Q4 (2): 3/1.
 * F05 GOLD 3, intake 2025-05-16: Q1 I G; Q2 [08-16,11-16) I; Q3 empty; Q4 [2026-02-16,05-16) I I; Q5 running empty. Care 3,
 *     sessions 5. Paid 5000 + 4 x 3500 + 1800 = 20800; cf 8000 + 90000 = 98000. Judged Q2 (1), Q4 (2): 2/1.
 * F06 GOLD 3, intake 2025-09-01: Q1 3 I; Q2 [12-01,2026-03-01) H; Q3 [03-01,06-01) I I; Q4 running empty. Care 3, sessions 6.
 *     Paid 5000 + 5 x 3500 + 5000 = 27500; cf 98000. Judged Q2 (1), Q3 (2): 2/1.
 * F07 GOLD 3, intake 2025-12-01: Q1 I I; Q2 [2026-03-01,06-01) I; Q3 running empty. Care 2, sessions 3. Paid 5000 + 10500 = 15500;
 *     cf 68000. Judged Q2 (1): 1/1.
 * F08 GOLD 3, intake 2026-06-16: Q1 I. Care 1. Paid 8500; cf 38000.
 * F09 GOLD 4, intake 2025-04-14: Q1 I I G; Q2 [07-14,10-14) I I; Q3 [10-14,2026-01-14) I; Q4 empty; Q5 [04-14,07-14) I running.
 *     Care 4, sessions 7. Paid 5000 + 6 x 3500 + 1800 = 27800; cf 8000 + 120000 = 128000. Judged Q2 (2), Q3 (1): 2/1.
 * F10 GOLD 4, intake 2025-06-02: Q1 I I; Q2 empty; Q3 [12-02,2026-03-02) I I; Q4, Q5 empty. Care 2, sessions 4. Paid 19000;
 *     cf 68000. Judged Q3 (2): 1/0.
 * F11 GOLD 4, intake 2025-10-20, DECEASED 2026-03-09: Q1 I I; Q2 [2026-01-20,04-20) I (starts before the end date, so it exists;
 *     judged by its calendar end 04-19). Care 2, sessions 3. Paid 15500; cf 68000. Judged 1/1.
 * F12 GOLD 4, intake 2026-04-13: Q1 3 I. Care 1. Paid 15500; cf 38000.
 * F13 intake 2026-08-03, after the analysis date: outside the population.
 *
 * Wait days (intake - referral), age at intake, follow-up days (min(end, 2026-06-30) - intake):
 *   B01 35/75/484 B02 14/70/449 B03 21/65/303 B04 28/78/169 B05 7/68/10 B06 42/80/512 B07 10/73/365 B08 30/85/75
 *   B09 18/63/73 B10 21/69/120 B11 56/76/414 B12 12/72/288
 *   F01 20/74/498 F02 33/62/351 F03 9/70/141 F04 40/78/470 F05 15/66/410 F06 25/71/302 F07 31/64/211 F08 5/76/14
 *   F09 60/79/442 F10 45/81/393 F11 16/86/140 F12 11/61/78
 *
 * Measurement picks (baseline [i-30, i+14] -> i; 3M [i+70, i+112] -> i+91; 12M [i+320, i+410] -> i+365; ties earlier;
 * only dated <= 2026-06-30), 6MWT base/3M/12M, CCQ, CAT:
 *   B01 6MWT 300 (i-30; 250 at i-31 is outside) / 330 / 345; CCQ 2.4 / 2.0 / 1.9; CAT 20 / 18 / 19
 *   B02 6MWT 280 (i+14) / 300 (i+81 and i+101 tie: earlier) / - (400 at i+411 outside); CCQ 3.0 / 2.7
 *   B03 6MWT 350 / 390 (i+112); CAT 15 / 13
 *   B04 6MWT 410 / 425; CCQ 1.8 / 1.6          B05 6MWT 300, CAT 22 (baseline only)
 *   B06 6MWT 260 (i-3 and i+3 tie: earlier) / 300 (i+70; 350 at i+69 outside) / 310 (i+320 and i+410 tie: earlier);
 *       CCQ 2.6 / 2.1 / 2.2; CAT 24 / 20 / 23
 *   B07 6MWT 330 / 355 / 360 (on the analysis date); CCQ 2.0 / 1.5 / 1.7
 *   B08 6MWT 240, CAT 28 (baseline only)        B09 6MWT 320, CCQ 3.1 (baseline only)
 *   B10 6MWT 380 / 395; CAT 17 / 16
 *   B11 6MWT 200 / 210 / 260; CCQ 3.5 / 3.6 / 2.9; CAT 30 / 27 / 31
 *   B12 6MWT - (290 at i+15 outside) / 300; CCQ 4.0 / 3.4
 *   F01 6MWT 310 / 330 / 350; CCQ 2.2 / 2.0 / 1.6; CAT 19 / 18 / 16
 *   F02 6MWT 290 (i-30) / 325; CAT 21 / 19      F03 6MWT 360 / 370; CCQ 1.5 / 1.4
 *   F04 6MWT 270 / 280 / 300; CCQ 2.8 / 2.9 / 2.4; CAT 25 / 22 / 24
 *   F05 6MWT 300 / - (330 at i+113 outside) / 320 (i+410 = analysis date); CCQ 3.3 / - / 3.0
 *   F06 6MWT 250 / 270; CCQ 2.9 / 2.4; CAT 26 / 25      F07 6MWT 340 / 355; CAT 18 / 15
 *   F08 6MWT 320, CCQ 2.5 (baseline only)
 *   F09 6MWT 210 / 225 / 230; CCQ 3.8 / 3.5 / 3.4; CAT 29 / 30 / 27
 *   F10 6MWT - / - / 280; CAT 23 / - / 21        F11 6MWT 230 / 250; CCQ 3.6 / 3.1
 *   F12 6MWT 270 / 290 (i+73; 330 at i+91 = 2026-07-13 is after the analysis date); CAT 27
 *
 * Counted events (in [intake, follow-up end], DEATH never): B01 MOD 2025-05-10, SEV + ADM 2025-11-20 (MOD 2025-02-10 is
 * before the intake); B06 MOD; B08 SEV + ADM (DEATH not); B11 MOD, MOD, ADM; B12 MOD on the analysis date;
 * F01 MOD, MOD, SEV + ADM; F04 MOD; F05 SEV + ADM; F09 MOD; F10 MOD; F11 SEV + ADM (DEATH not);
 * F12 MOD 2026-07-10 is after the analysis date.
 */

type Arm = 'BUNDLE' | 'FFS';
interface ArmFigures {
  n: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  adjusted: number | null;
  adjustedNote?: string | null;
  p90?: number | null;
}
interface DifferenceFigures {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  mdd: number | null;
}
interface IndicatorDoc {
  code: string;
  arms: Record<Arm, ArmFigures>;
  difference: DifferenceFigures;
}
interface ComparisonDoc {
  experiment: string;
  analysisDate: string;
  stale: boolean;
  practices: Record<Arm, number>;
  caseMix: Record<Arm, { goldStage: Record<string, number>; profile: Record<string, number>; meanAge: number | null }>;
  indicators: IndicatorDoc[];
}

const ALL_CODES = [
  'PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER', 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
  'SESSIONS_PER_CARE_QUARTER', 'LOW_INTENSITY_QUARTERS', 'ABOVE_GUIDELINE_VOLUME', 'BASELINE_COMPLETE',
  'FOLLOWUP_3M_COMPLETE', 'FOLLOWUP_12M_COMPLETE', 'SIX_MWT_CHANGE_3M', 'SIX_MWT_CHANGE_12M', 'CCQ_CHANGE_3M',
  'CCQ_CHANGE_12M', 'CAT_CHANGE_3M', 'CAT_CHANGE_12M', 'SIX_MWT_RESPONDER_3M', 'SIX_MWT_RESPONDER_12M',
  'CCQ_RESPONDER_3M', 'CCQ_RESPONDER_12M', 'CAT_RESPONDER_3M', 'CAT_RESPONDER_12M', 'EXACERBATION_RATE',
  'ADMISSION_RATE', 'WAIT_DAYS', 'ENROLLED',
];

/** Every code whose figures a test pinned; the last test checks that none of the response was left out. */
const pinned = new Set<string>();

function indicatorOf(doc: ComparisonDoc, code: string): IndicatorDoc {
  const found = doc.indicators.find((i) => i.code === code);
  if (!found) throw new Error(`indicator ${code} missing from the comparison`);
  return found;
}

const approx = (expected: number | null, digits: number) => (expected === null ? null : expect.closeTo(expected, digits));

/** One arm's n, value, CI and adjusted value (and p90 when given), to [value digits, CI digits]. */
function expectArm(doc: ComparisonDoc, code: string, arm: Arm, expected: ArmFigures, [digits, ciDigits]: [number, number]): void {
  pinned.add(`${code}.${arm}`);
  const actual = indicatorOf(doc, code).arms[arm];
  const pick = (a: ArmFigures) => ({ code, arm, n: a.n, value: a.value, ciLow: a.ciLow, ciHigh: a.ciHigh, adjusted: a.adjusted });
  expect(pick(actual)).toEqual({
    code,
    arm,
    n: expected.n,
    value: approx(expected.value, digits),
    ciLow: approx(expected.ciLow, ciDigits),
    ciHigh: approx(expected.ciHigh, ciDigits),
    adjusted: approx(expected.adjusted, digits),
  });
  if (expected.p90 !== undefined) expect({ code, arm, p90: actual.p90 }).toEqual({ code, arm, p90: expected.p90 });
  if (expected.adjustedNote !== undefined) expect({ code, arm, note: actual.adjustedNote }).toEqual({ code, arm, note: expected.adjustedNote });
}

/** The difference BUNDLE - FFS with its CI and MDD, to [value digits, CI and MDD digits]. */
function expectDifference(doc: ComparisonDoc, code: string, expected: DifferenceFigures, [digits, ciDigits]: [number, number]): void {
  pinned.add(`${code}.difference`);
  const d = indicatorOf(doc, code).difference;
  expect({ code, value: d.value, ciLow: d.ciLow, ciHigh: d.ciHigh, mdd: d.mdd }).toEqual({
    code,
    value: approx(expected.value, digits),
    ciLow: approx(expected.ciLow, ciDigits),
    ciHigh: approx(expected.ciHigh, ciDigits),
    mdd: approx(expected.mdd, ciDigits),
  });
}

describe('indicators: the hand-computed 24-patient scenario through import, worker and comparison', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let doc: ComparisonDoc;
  let stage3: ComparisonDoc;
  let practices: ComparisonDoc;
  let profile4: ComparisonDoc;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(scenarioDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
    const get = async (query: string) => (await ctx.http().get(`/api/v1/indicators/comparison${query}`).expect(200)).body as ComparisonDoc;
    doc = await get('');
    stage3 = await get('?goldStage=3');
    practices = await get(`?practice=${BUNDLE_PRACTICES[0]},${FFS_PRACTICES[0]}`);
    profile4 = await get('?profile=4');
  });
  afterAll(async () => {
    await worker?.close();
    await ctx?.close();
  });

  it('should be fresh and list every indicator once when the worker has run', () => {
    expect(doc).toMatchObject({ experiment: 'SCENARIO', analysisDate: SCENARIO_ANALYSIS_DATE, stale: false });
    expect(doc.indicators.map((i) => i.code)).toEqual(ALL_CODES);
  });

  it('should count practices and the case mix per arm when F13 (intake after the analysis date) is left out', () => {
    // BUNDLE patients at 11110001 (B01 B03 B05 B06 B08 B11) and 11110002 (B02 B04 B07 B09 B10 B12): 2;
    // FFS at 22220001 (F01 F03 F04 F06 F09 F11; F13 is outside) and 22220002 (F02 F05 F07 F08 F10 F12): 2.
    expect(doc.practices).toEqual({ BUNDLE: 2, FFS: 2 });
    // GOLD: BUNDLE B01-B05 stage 2, B06-B10 stage 3, B11-B12 stage 4; FFS F01-F03, F04-F08, F09-F12.
    // Profiles BUNDLE: 1 B05; 2 B02 B10; 3 B01 B04 B07; 4 B03 B06 B09; 5 B08 B11; 6 B12.
    // Profiles FFS: 2 F02; 3 F01 F04 F08; 4 F03 F05 F07 F11; 5 F06 F09 F12; 6 F10.
    // Mean age BUNDLE (75 + 70 + 65 + 78 + 68 + 80 + 73 + 85 + 63 + 69 + 76 + 72) / 12 = 874 / 12 = 72.833333;
    // FFS (74 + 62 + 70 + 78 + 66 + 71 + 64 + 76 + 79 + 81 + 86 + 61) / 12 = 868 / 12 = 72.333333.
    expect(doc.caseMix.BUNDLE).toEqual({
      goldStage: { '2': 5, '3': 5, '4': 2 },
      profile: { '1': 1, '2': 2, '3': 3, '4': 3, '5': 2, '6': 1 },
      meanAge: expect.closeTo(874 / 12, 9),
    });
    expect(doc.caseMix.FFS).toEqual({
      goldStage: { '2': 3, '3': 5, '4': 4 },
      profile: { '1': 0, '2': 1, '3': 3, '4': 4, '5': 3, '6': 1 },
      meanAge: expect.closeTo(868 / 12, 9),
    });
  });

  it('should pin ENROLLED and WAIT_DAYS when counted and sorted by hand', () => {
    // 12 patients per arm; difference of counts 12 - 12 = 0; no interval, no adjustment.
    expectArm(doc, 'ENROLLED', 'BUNDLE', { n: 12, value: 12, ciLow: null, ciHigh: null, adjusted: null }, [9, 9]);
    expectArm(doc, 'ENROLLED', 'FFS', { n: 12, value: 12, ciLow: null, ciHigh: null, adjusted: null }, [9, 9]);
    expectDifference(doc, 'ENROLLED', { value: 0, ciLow: null, ciHigh: null, mdd: null }, [9, 9]);
    // BUNDLE waits sorted: 7 10 12 14 18 21 | 21 28 30 35 42 56; median (21 + 21) / 2 = 21;
    // p90 position ceil(0.9 x 12) = ceil(10.8) = 11 -> 42.
    expectArm(doc, 'WAIT_DAYS', 'BUNDLE', { n: 12, value: 21, ciLow: null, ciHigh: null, adjusted: null, p90: 42 }, [9, 9]);
    // FFS waits sorted: 5 9 11 15 16 20 | 25 31 33 40 45 60; median (20 + 25) / 2 = 22.5; p90 = 11th = 45.
    expectArm(doc, 'WAIT_DAYS', 'FFS', { n: 12, value: 22.5, ciLow: null, ciHigh: null, adjusted: null, p90: 45 }, [9, 9]);
    // Difference of medians 21 - 22.5 = -1.5; no interval, no MDD.
    expectDifference(doc, 'WAIT_DAYS', { value: -1.5, ciLow: null, ciHigh: null, mdd: null }, [9, 9]);
  });

  it('should pin PAID_PER_CARE_QUARTER when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 382.5, B02 382.5, B03 390, B04 405, B05 450 | B06 382.5, B07 390, B08 450, B09 450, B10 405 | B11 390, B12 390
    //   n = 12, sum = 4867.5, mean = 4867.5 / 12 = 405.625; sum of squared deviations = 8489.0625,
    //   s^2 = 8489.0625 / 11 = 771.73295455, SE = sqrt(s^2 / 12) = 8.0194189; t(0.975, 11) = 2.200985 (t table)
    //   CI = 405.625 -/+ 2.200985 x 8.0194189 = [387.974378, 423.275622]
    // FFS per patient (GOLD 2 | 3 | 4): F01 69.6, F02 121.666667, F03 85 | F04 73.75, F05 69.333333, F06 91.666667, F07 77.5, F08 85 | F09 69.5, F10 95, F11 77.5, F12 155
    //   n = 12, sum = 1070.516667, mean = 1070.516667 / 12 = 89.20972222; sum of squared deviations = 7138.14469907,
    //   s^2 = 7138.14469907 / 11 = 648.92224537, SE = sqrt(s^2 / 12) = 7.35369661; t(0.975, 11) = 2.200985 (t table)
    //   CI = 89.20972222 -/+ 2.200985 x 7.35369661 = [73.02434512, 105.39509933]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 8/24, 3: 10/24, 4: 6/24
    //   BUNDLE: stage means 2: 402, 3: 415.5, 4: 390; 8/24 x 402 + 10/24 x 415.5 + 6/24 x 390 = 404.625
    //   FFS: stage means 2: 92.08888889, 3: 79.45, 4: 99.25; 8/24 x 92.08888889 + 10/24 x 79.45 + 6/24 x 99.25 = 88.61296296
    expectArm(doc, 'PAID_PER_CARE_QUARTER', 'BUNDLE', { n: 12, value: 405.625, ciLow: 387.97437800143626, ciHigh: 423.27562199856374, adjusted: 404.625 }, [6, 4]);
    expectArm(doc, 'PAID_PER_CARE_QUARTER', 'FFS', { n: 12, value: 89.20972222222223, ciLow: 73.02434511943744, ciHigh: 105.39509932500701, adjusted: 88.61296296296297 }, [6, 4]);
    // Difference 405.625 - 89.20972222 = 316.41527778; Welch SE = sqrt(771.73295455/12 + 648.92224537/12) = sqrt(64.31107955 + 54.07685378) = 10.88062192
    //   df = (64.31107955 + 54.07685378)^2 / (64.31107955^2/11 + 54.07685378^2/11) = 21.836813; t(0.975, 21.8368) = 2.074772 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 316.41527778 -/+ 2.074772 x 10.88062192 = [293.84046805, 338.99008751]; MDD = 2.801585 x 10.88062192 = 30.48298716
    expectDifference(doc, 'PAID_PER_CARE_QUARTER', { value: 316.41527777777776, ciLow: 293.8404680489472, ciHigh: 338.99008750660835, mdd: 30.482987156636558 }, [6, 4]);
  });

  it('should pin COUNTERFACTUAL_PER_CARE_QUARTER when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 85, B02 95, B03 86.666667, B04 80, B05 100 | B06 90, B07 73.333333, B08 180, B09 140, B10 90 | B11 120, B12 73.333333
    //   n = 12, sum = 1213.333333, mean = 1213.333333 / 12 = 101.11111111; sum of squared deviations = 10835.18518519,
    //   s^2 = 10835.18518519 / 11 = 985.01683502, SE = sqrt(s^2 / 12) = 9.06006271; t(0.975, 11) = 2.200985 (t table)
    //   CI = 101.11111111 -/+ 2.200985 x 9.06006271 = [81.17004754, 121.05217468]
    // FFS per patient (GOLD 2 | 3 | 4): F01 316, F02 326.666667, F03 340 | F04 320, F05 326.666667, F06 326.666667, F07 340, F08 380 | F09 320, F10 340, F11 340, F12 380
    //   n = 12, sum = 4056, mean = 4056 / 12 = 338; sum of squared deviations = 5061.33333333,
    //   s^2 = 5061.33333333 / 11 = 460.12121212, SE = sqrt(s^2 / 12) = 6.19220755; t(0.975, 11) = 2.200985 (t table)
    //   CI = 338 -/+ 2.200985 x 6.19220755 = [324.37104307, 351.62895693]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 8/24, 3: 10/24, 4: 6/24
    //   BUNDLE: stage means 2: 89.33333333, 3: 114.66666667, 4: 96.66666667; 8/24 x 89.33333333 + 10/24 x 114.66666667 + 6/24 x 96.66666667 = 101.72222222
    //   FFS: stage means 2: 327.55555556, 3: 338.66666667, 4: 345; 8/24 x 327.55555556 + 10/24 x 338.66666667 + 6/24 x 345 = 336.5462963
    expectArm(doc, 'COUNTERFACTUAL_PER_CARE_QUARTER', 'BUNDLE', { n: 12, value: 101.1111111111111, ciLow: 81.17004754391365, ciHigh: 121.05217467830855, adjusted: 101.72222222222223 }, [6, 4]);
    expectArm(doc, 'COUNTERFACTUAL_PER_CARE_QUARTER', 'FFS', { n: 12, value: 338, ciLow: 324.3710430740369, ciHigh: 351.6289569259631, adjusted: 336.5462962962963 }, [6, 4]);
    // Difference 101.11111111 - 338 = -236.88888889; Welch SE = sqrt(985.01683502/12 + 460.12121212/12) = sqrt(82.08473625 + 38.34343434) = 10.97397697
    //   df = (82.08473625 + 38.34343434)^2 / (82.08473625^2/11 + 38.34343434^2/11) = 19.435916; t(0.975, 19.4359) = 2.089851 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = -236.88888889 -/+ 2.089851 x 10.97397697 = [-259.82286938, -213.9549084]; MDD = 2.801585 x 10.97397697 = 30.74452928
    expectDifference(doc, 'COUNTERFACTUAL_PER_CARE_QUARTER', { value: -236.8888888888889, ciLow: -259.82286938211803, ciHigh: -213.9549083956598, mdd: 30.744529276741005 }, [6, 4]);
  });

  it('should pin PAID_MINUS_COUNTERFACTUAL_PER_PATIENT when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 1190, B02 1150, B03 910, B04 650, B05 350 | B06 1170, B07 950, B08 270, B09 310, B10 630 | B11 810, B12 950
    //   n = 12, sum = 9340, mean = 9340 / 12 = 778.33333333; sum of squared deviations = 1237966.66666667,
    //   s^2 = 1237966.66666667 / 11 = 112542.42424242, SE = sqrt(s^2 / 12) = 96.84283842; t(0.975, 11) = 2.200985 (t table)
    //   CI = 778.33333333 -/+ 2.200985 x 96.84283842 = [565.18368311, 991.48298356]
    // FFS per patient (GOLD 2 | 3 | 4): F01 -1232, F02 -615, F03 -510 | F04 -985, F05 -772, F06 -705, F07 -525, F08 -295 | F09 -1002, F10 -490, F11 -525, F12 -225
    //   n = 12, sum = -7881, mean = -7881 / 12 = -656.75; sum of squared deviations = 976540.25,
    //   s^2 = 976540.25 / 11 = 88776.38636364, SE = sqrt(s^2 / 12) = 86.01181429; t(0.975, 11) = 2.200985 (t table)
    //   CI = -656.75 -/+ 2.200985 x 86.01181429 = [-846.06072684, -467.43927316]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 8/24, 3: 10/24, 4: 6/24
    //   BUNDLE: stage means 2: 850, 3: 666, 4: 880; 8/24 x 850 + 10/24 x 666 + 6/24 x 880 = 780.83333333
    //   FFS: stage means 2: -785.66666667, 3: -656.4, 4: -560.5; 8/24 x -785.66666667 + 10/24 x -656.4 + 6/24 x -560.5 = -675.51388889
    expectArm(doc, 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT', 'BUNDLE', { n: 12, value: 778.3333333333334, ciLow: 565.18368310643, ciHigh: 991.4829835602368, adjusted: 780.8333333333333 }, [6, 4]);
    expectArm(doc, 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT', 'FFS', { n: 12, value: -656.75, ciLow: -846.0607268386074, ciHigh: -467.43927316139263, adjusted: -675.5138888888889 }, [6, 4]);
    // Difference 778.33333333 - -656.75 = 1435.08333333; Welch SE = sqrt(112542.42424242/12 + 88776.38636364/12) = sqrt(9378.53535354 + 7398.03219697) = 129.52438979
    //   df = (9378.53535354 + 7398.03219697)^2 / (9378.53535354^2/11 + 7398.03219697^2/11) = 21.697617; t(0.975, 21.6976) = 2.075550 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 1435.08333333 -/+ 2.075550 x 129.52438979 = [1166.24897786, 1703.91768881]; MDD = 2.801585 x 129.52438979 = 362.87358757
    expectDifference(doc, 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT', { value: 1435.0833333333335, ciLow: 1166.2489778602926, ciHigh: 1703.9176888063744, mdd: 362.8735875701762 }, [6, 4]);
  });

  it('should pin SESSIONS_PER_CARE_QUARTER when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 1.75, B02 2, B03 1.666667, B04 1.5, B05 1 | B06 1.75, B07 1.333333, B08 3, B09 2, B10 1.5 | B11 2.666667, B12 1.333333
    //   n = 12, sum = 21.5, mean = 21.5 / 12 = 1.79166667; sum of squared deviations = 3.54861111,
    //   s^2 = 3.54861111 / 11 = 0.32260101, SE = sqrt(s^2 / 12) = 0.16396163; t(0.975, 11) = 2.200985 (t table)
    //   CI = 1.79166667 -/+ 2.200985 x 0.16396163 = [1.43078954, 2.15254379]
    // FFS per patient (GOLD 2 | 3 | 4): F01 1.8, F02 3, F03 1.5 | F04 1.75, F05 1.666667, F06 2, F07 1.5, F08 1 | F09 1.75, F10 2, F11 1.5, F12 3
    //   n = 12, sum = 22.466667, mean = 22.466667 / 12 = 1.87222222; sum of squared deviations = 3.83018519,
    //   s^2 = 3.83018519 / 11 = 0.34819865, SE = sqrt(s^2 / 12) = 0.17034246; t(0.975, 11) = 2.200985 (t table)
    //   CI = 1.87222222 -/+ 2.200985 x 0.17034246 = [1.49730099, 2.24714345]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 8/24, 3: 10/24, 4: 6/24
    //   BUNDLE: stage means 2: 1.58333333, 3: 1.91666667, 4: 2; 8/24 x 1.58333333 + 10/24 x 1.91666667 + 6/24 x 2 = 1.82638889
    //   FFS: stage means 2: 2.1, 3: 1.58333333, 4: 2.0625; 8/24 x 2.1 + 10/24 x 1.58333333 + 6/24 x 2.0625 = 1.87534722
    expectArm(doc, 'SESSIONS_PER_CARE_QUARTER', 'BUNDLE', { n: 12, value: 1.7916666666666667, ciLow: 1.430789542841353, ciHigh: 2.1525437904919804, adjusted: 1.8263888888888888 }, [6, 6]);
    expectArm(doc, 'SESSIONS_PER_CARE_QUARTER', 'FFS', { n: 12, value: 1.8722222222222225, ciLow: 1.4973009907551362, ciHigh: 2.2471434536893087, adjusted: 1.8753472222222223 }, [6, 6]);
    // Difference 1.79166667 - 1.87222222 = -0.08055556; Welch SE = sqrt(0.32260101/12 + 0.34819865/12) = sqrt(0.02688342 + 0.02901655) = 0.23643175
    //   df = (0.02688342 + 0.02901655)^2 / (0.02688342^2/11 + 0.02901655^2/11) = 21.968011; t(0.975, 21.968) = 2.074048 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = -0.08055556 -/+ 2.074048 x 0.23643175 = [-0.57092639, 0.40981528]; MDD = 2.801585 x 0.23643175 = 0.66238364
    expectDifference(doc, 'SESSIONS_PER_CARE_QUARTER', { value: -0.08055555555555571, ciLow: -0.5709263931432269, ciHigh: 0.4098152820321154, mdd: 0.6623836415603179 }, [6, 6]);
  });

  it('should pin LOW_INTENSITY_QUARTERS when computed by hand from the judged care quarters', () => {
    // Judged quarters (k >= 2, >= 1 session, last day <= 2026-06-30) per patient as judged/low (see the table above).
    // BUNDLE (GOLD 2 | 3 | 4): B01 2/1, B02 2/1, B03 2/1 | B06 3/2, B07 1/1 | B11 2/1, B12 2/1
    //   8/14 quarters = 0.57142857; Wilson: centre 19.841459, spread 8.212166, denominator 35.682918 -> [0.32590644, 0.78619201]
    // FFS (GOLD 2 | 3 | 4): F01 3/2, F02 1/1 | F04 3/1, F05 2/1, F06 2/1, F07 1/1 | F09 2/1, F10 1/0, F11 1/1
    //   9/16 quarters = 0.5625; Wilson: centre 21.841459, spread 8.67524, denominator 39.682918 -> [0.33178556, 0.76901348]
    // Adjusted: weights are patients with a judged quarter: GOLD 2: 5/16, 3: 6/16, 4: 5/16; estimates per stage are quarters
    //   BUNDLE: 5/16 x 3/6 + 6/16 x 3/4 + 5/16 x 2/4 = 0.59375
    //   FFS: 5/16 x 3/4 + 6/16 x 4/8 + 5/16 x 2/4 = 0.578125
    expectArm(doc, 'LOW_INTENSITY_QUARTERS', 'BUNDLE', { n: 14, value: 0.5714285714285714, ciLow: 0.32590644417528936, ciHigh: 0.7861920121957134, adjusted: 0.59375 }, [6, 6]);
    expectArm(doc, 'LOW_INTENSITY_QUARTERS', 'FFS', { n: 16, value: 0.5625, ciLow: 0.33178556243938107, ciHigh: 0.7690134771859434, adjusted: 0.578125 }, [6, 6]);
    // Newcombe: d = 0.00892857; L = d - sqrt((0.57142857 - 0.32590644)^2 + (0.76901348 - 0.5625)^2) = -0.31189682; U = d + sqrt((0.78619201 - 0.57142857)^2 + (0.5625 - 0.33178556)^2) = 0.32413087
    //   SE = sqrt(0.571429 x 0.428571 / 14 + 0.5625 x 0.4375 / 16) = 0.1813107; MDD = 0.50795734
    expectDifference(doc, 'LOW_INTENSITY_QUARTERS', { value: 0.008928571428571397, ciLow: -0.31189681913521483, ciHigh: 0.3241308670881279, mdd: 0.507957343723465 }, [6, 6]);
  });

  it('should pin ABOVE_GUIDELINE_VOLUME when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 0, B02 1 | B06 0, B07 0 | B11 0
    //   1/5 = 0.2; Wilson: centre 2x + z^2 = 5.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.200911, 2(n + z^2) = 17.682918
    //   -> [0.03622411, 0.62446537]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 0 | F04 0, F05 0 | F09 0
    //   0/4 = 0; Wilson: centre 2x + z^2 = 3.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 3.841459, 2(n + z^2) = 15.682918
    //   -> [0, 0.48989084] (x = 0: low bound 0)
    // Adjusted: pooled weights GOLD 2: 3/9, 3: 4/9, 4: 2/9
    //   BUNDLE: 3/9 x 1/2 + 4/9 x 0/2 + 2/9 x 0/1 = 0.16666667
    //   FFS: 3/9 x 0/1 + 4/9 x 0/2 + 2/9 x 0/1 = 0
    expectArm(doc, 'ABOVE_GUIDELINE_VOLUME', 'BUNDLE', { n: 5, value: 0.2, ciLow: 0.03622410822563066, ciHigh: 0.6244653729700052, adjusted: 0.16666666666666666 }, [6, 6]);
    expectArm(doc, 'ABOVE_GUIDELINE_VOLUME', 'FFS', { n: 4, value: 0, ciLow: 0, ciHigh: 0.4898908403969213, adjusted: 0 }, [6, 6]);
    // Newcombe: d = 0.2 - 0 = 0.2; L = d - sqrt((0.2 - 0.03622411)^2 + (0.48989084 - 0)^2) = -0.31654194
    //   U = d + sqrt((0.62446537 - 0.2)^2 + (0 - 0)^2) = 0.62446537
    //   SE = sqrt(0.2 x 0.8 / 5 + 0 x 1 / 4) = 0.17888544; MDD = 2.801585 x SE = 0.50116276
    expectDifference(doc, 'ABOVE_GUIDELINE_VOLUME', { value: 0.2, ciLow: -0.3165419423737938, ciHigh: 0.6244653729700052, mdd: 0.5011627603795 }, [6, 6]);
  });

  it('should pin BASELINE_COMPLETE when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1, B02 1, B03 1, B04 1 | B06 1, B07 1, B08 1, B09 1, B10 1 | B11 1, B12 0
    //   10/11 = 0.90909091; Wilson: centre 2x + z^2 = 23.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.359641, 2(n + z^2) = 29.682918
    //   -> [0.62264156, 0.98376783]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 1, F02 1, F03 1 | F04 1, F05 1, F06 1, F07 1, F08 1 | F09 1, F10 0, F11 1, F12 1
    //   11/12 = 0.91666667; Wilson: centre 2x + z^2 = 25.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.370489, 2(n + z^2) = 31.682918
    //   -> [0.64612009, 0.98513491]
    // Adjusted: pooled weights GOLD 2: 7/23, 3: 10/23, 4: 6/23
    //   BUNDLE: 7/23 x 4/4 + 10/23 x 5/5 + 6/23 x 1/2 = 0.86956522
    //   FFS: 7/23 x 3/3 + 10/23 x 5/5 + 6/23 x 3/4 = 0.93478261
    expectArm(doc, 'BASELINE_COMPLETE', 'BUNDLE', { n: 11, value: 0.9090909090909091, ciLow: 0.6226415608917041, ciHigh: 0.9837678272946745, adjusted: 0.8695652173913043 }, [6, 6]);
    expectArm(doc, 'BASELINE_COMPLETE', 'FFS', { n: 12, value: 0.9166666666666666, ciLow: 0.6461200862787544, ciHigh: 0.9851349057603307, adjusted: 0.9347826086956521 }, [6, 6]);
    // Newcombe: d = 0.90909091 - 0.91666667 = -0.00757576; L = d - sqrt((0.90909091 - 0.62264156)^2 + (0.98513491 - 0.91666667)^2) = -0.30209423
    //   U = d + sqrt((0.98376783 - 0.90909091)^2 + (0.91666667 - 0.64612009)^2) = 0.27308791
    //   SE = sqrt(0.909091 x 0.090909 / 11 + 0.916667 x 0.083333 / 12) = 0.1178087; MDD = 2.801585 x SE = 0.33005107
    expectDifference(doc, 'BASELINE_COMPLETE', { value: -0.007575757575757569, ciLow: -0.302094227027737, ciHigh: 0.27308790995533727, mdd: 0.33005107435293296 }, [6, 6]);
  });

  it('should pin FOLLOWUP_3M_COMPLETE when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1, B02 1, B03 1, B04 1 | B06 1, B07 1, B09 0, B10 1 | B11 1, B12 1
    //   9/10 = 0.9; Wilson: centre 2x + z^2 = 21.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.346593, 2(n + z^2) = 27.682918
    //   -> [0.59584997, 0.98212379]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 1, F02 1, F03 1 | F04 1, F05 0, F06 1, F07 1 | F09 1, F10 0, F11 1
    //   8/10 = 0.8; Wilson: centre 2x + z^2 = 19.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 6.272332, 2(n + z^2) = 27.682918
    //   -> [0.49016247, 0.94331785]
    // Adjusted: pooled weights GOLD 2: 7/20, 3: 8/20, 4: 5/20
    //   BUNDLE: 7/20 x 4/4 + 8/20 x 3/4 + 5/20 x 2/2 = 0.9
    //   FFS: 7/20 x 3/3 + 8/20 x 3/4 + 5/20 x 2/3 = 0.81666667
    expectArm(doc, 'FOLLOWUP_3M_COMPLETE', 'BUNDLE', { n: 10, value: 0.9, ciLow: 0.5958499704752279, ciHigh: 0.982123787103926, adjusted: 0.9 }, [6, 6]);
    expectArm(doc, 'FOLLOWUP_3M_COMPLETE', 'FFS', { n: 10, value: 0.8, ciLow: 0.4901624691221323, ciHigh: 0.9433178490622331, adjusted: 0.8166666666666665 }, [6, 6]);
    // Newcombe: d = 0.9 - 0.8 = 0.1; L = d - sqrt((0.9 - 0.59584997)^2 + (0.94331785 - 0.8)^2) = -0.23622499
    //   U = d + sqrt((0.98212379 - 0.9)^2 + (0.8 - 0.49016247)^2) = 0.42053644
    //   SE = sqrt(0.9 x 0.1 / 10 + 0.8 x 0.2 / 10) = 0.15811388; MDD = 2.801585 x SE = 0.44296948
    expectDifference(doc, 'FOLLOWUP_3M_COMPLETE', { value: 0.09999999999999998, ciLow: -0.23622499359765747, ciHigh: 0.42053644402592444, mdd: 0.4429694829281414 }, [6, 6]);
  });

  it('should pin FOLLOWUP_12M_COMPLETE when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1, B02 0 | B06 1 | B11 1
    //   3/4 = 0.75; Wilson: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.126518, 2(n + z^2) = 15.682918
    //   -> [0.30064184, 0.95441274]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 1 | F04 1, F05 1 | F09 1
    //   4/4 = 1; Wilson: centre 2x + z^2 = 11.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 3.841459, 2(n + z^2) = 15.682918
    //   -> [0.51010916, 1] (x = n: high bound 1)
    // Adjusted: pooled weights GOLD 2: 3/8, 3: 3/8, 4: 2/8
    //   BUNDLE: 3/8 x 1/2 + 3/8 x 1/1 + 2/8 x 1/1 = 0.8125
    //   FFS: 3/8 x 1/1 + 3/8 x 2/2 + 2/8 x 1/1 = 1
    expectArm(doc, 'FOLLOWUP_12M_COMPLETE', 'BUNDLE', { n: 4, value: 0.75, ciLow: 0.30064184009690814, ciHigh: 0.954412739704631, adjusted: 0.8125 }, [6, 6]);
    expectArm(doc, 'FOLLOWUP_12M_COMPLETE', 'FFS', { n: 4, value: 1, ciLow: 0.5101091596030786, ciHigh: 1, adjusted: 1 }, [6, 6]);
    // Newcombe: d = 0.75 - 1 = -0.25; L = d - sqrt((0.75 - 0.30064184)^2 + (1 - 1)^2) = -0.69935816
    //   U = d + sqrt((0.95441274 - 0.75)^2 + (1 - 0.51010916)^2) = 0.28082728
    //   SE = sqrt(0.75 x 0.25 / 4 + 1 x 0 / 4) = 0.21650635; MDD = 2.801585 x SE = 0.60656095
    expectDifference(doc, 'FOLLOWUP_12M_COMPLETE', { value: -0.25, ciLow: -0.6993581599030918, ciHigh: 0.2808272823229371, mdd: 0.6065609452153566 }, [6, 6]);
  });

  it('should pin SIX_MWT_CHANGE_3M when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 30, B02 20, B03 40, B04 15 | B06 40, B07 25, B10 15 | B11 10
    //   n = 8, sum = 195, mean = 195 / 8 = 24.375; sum of squared deviations = 921.875,
    //   s^2 = 921.875 / 7 = 131.69642857, SE = sqrt(s^2 / 8) = 4.05734563; t(0.975, 7) = 2.364624 (t table)
    //   CI = 24.375 -/+ 2.364624 x 4.05734563 = [14.78090212, 33.96909788]
    // FFS per patient (GOLD 2 | 3 | 4): F01 20, F02 35, F03 10 | F04 10, F06 20, F07 15 | F09 15, F11 20, F12 20
    //   n = 9, sum = 165, mean = 165 / 9 = 18.33333333; sum of squared deviations = 450,
    //   s^2 = 450 / 8 = 56.25, SE = sqrt(s^2 / 9) = 2.5; t(0.975, 8) = 2.306004 (t table)
    //   CI = 18.33333333 -/+ 2.306004 x 2.5 = [12.568323, 24.09834367]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 7/17, 3: 6/17, 4: 4/17
    //   BUNDLE: stage means 2: 26.25, 3: 26.66666667, 4: 10; 7/17 x 26.25 + 6/17 x 26.66666667 + 4/17 x 10 = 22.57352941
    //   FFS: stage means 2: 21.66666667, 3: 15, 4: 18.33333333; 7/17 x 21.66666667 + 6/17 x 15 + 4/17 x 18.33333333 = 18.52941176
    expectArm(doc, 'SIX_MWT_CHANGE_3M', 'BUNDLE', { n: 8, value: 24.375, ciLow: 14.780902123250723, ciHigh: 33.969097876749274, adjusted: 22.573529411764703 }, [6, 4]);
    expectArm(doc, 'SIX_MWT_CHANGE_3M', 'FFS', { n: 9, value: 18.333333333333332, ciLow: 12.568322995322916, ciHigh: 24.09834367134375, adjusted: 18.529411764705884 }, [6, 4]);
    // Difference 24.375 - 18.33333333 = 6.04166667; Welch SE = sqrt(131.69642857/8 + 56.25/9) = sqrt(16.46205357 + 6.25) = 4.76571648
    //   df = (16.46205357 + 6.25)^2 / (16.46205357^2/7 + 6.25^2/8) = 11.831951; t(0.975, 11.832) = 2.182250 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 6.04166667 -/+ 2.182250 x 4.76571648 = [-4.35831787, 16.44165121]; MDD = 2.801585 x 4.76571648 = 13.35155981
    expectDifference(doc, 'SIX_MWT_CHANGE_3M', { value: 6.041666666666668, ciLow: -4.358317872032943, ciHigh: 16.441651205366277, mdd: 13.351559805703932 }, [6, 4]);
  });

  it('should pin SIX_MWT_CHANGE_12M when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 45 | B06 50, B07 30 | B11 60
    //   n = 4, sum = 185, mean = 185 / 4 = 46.25; sum of squared deviations = 468.75,
    //   s^2 = 468.75 / 3 = 156.25, SE = sqrt(s^2 / 4) = 6.25; t(0.975, 3) = 3.182446 (t table)
    //   CI = 46.25 -/+ 3.182446 x 6.25 = [26.35971059, 66.14028941]
    // FFS per patient (GOLD 2 | 3 | 4): F01 40 | F04 30, F05 20 | F09 20
    //   n = 4, sum = 110, mean = 110 / 4 = 27.5; sum of squared deviations = 275,
    //   s^2 = 275 / 3 = 91.66666667, SE = sqrt(s^2 / 4) = 4.78713554; t(0.975, 3) = 3.182446 (t table)
    //   CI = 27.5 -/+ 3.182446 x 4.78713554 = [12.26519819, 42.73480181]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 2/8, 3: 4/8, 4: 2/8
    //   BUNDLE: stage means 2: 45, 3: 40, 4: 60; 2/8 x 45 + 4/8 x 40 + 2/8 x 60 = 46.25
    //   FFS: stage means 2: 40, 3: 25, 4: 20; 2/8 x 40 + 4/8 x 25 + 2/8 x 20 = 27.5
    expectArm(doc, 'SIX_MWT_CHANGE_12M', 'BUNDLE', { n: 4, value: 46.25, ciLow: 26.35971059197682, ciHigh: 66.14028940802318, adjusted: 46.25 }, [6, 4]);
    expectArm(doc, 'SIX_MWT_CHANGE_12M', 'FFS', { n: 4, value: 27.5, ciLow: 12.265198191711873, ciHigh: 42.734801808288125, adjusted: 27.5 }, [6, 4]);
    // Difference 46.25 - 27.5 = 18.75; Welch SE = sqrt(156.25/4 + 91.66666667/4) = sqrt(39.0625 + 22.91666667) = 7.87268484
    //   df = (39.0625 + 22.91666667)^2 / (39.0625^2/3 + 22.91666667^2/3) = 5.618701; t(0.975, 5.6187) = 2.487733 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 18.75 -/+ 2.487733 x 7.87268484 = [-0.83513749, 38.33513749]; MDD = 2.801585 x 7.87268484 = 22.05599577
    expectDifference(doc, 'SIX_MWT_CHANGE_12M', { value: 18.75, ciLow: -0.8351374900202444, ciHigh: 38.335137490020244, mdd: 22.055995771118837 }, [6, 4]);
  });

  it('should pin CCQ_CHANGE_3M when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 -0.4, B02 -0.3, B04 -0.2 | B06 -0.5, B07 -0.5 | B11 0.1, B12 -0.6
    //   n = 7, sum = -2.4, mean = -2.4 / 7 = -0.34285714; sum of squared deviations = 0.33714286,
    //   s^2 = 0.33714286 / 6 = 0.05619048, SE = sqrt(s^2 / 7) = 0.0895947; t(0.975, 6) = 2.446912 (t table)
    //   CI = -0.34285714 -/+ 2.446912 x 0.0895947 = [-0.56208748, -0.1236268]
    // FFS per patient (GOLD 2 | 3 | 4): F01 -0.2, F03 -0.1 | F04 0.1, F06 -0.5 | F09 -0.3, F11 -0.5
    //   n = 6, sum = -1.5, mean = -1.5 / 6 = -0.25; sum of squared deviations = 0.275,
    //   s^2 = 0.275 / 5 = 0.055, SE = sqrt(s^2 / 6) = 0.09574271; t(0.975, 5) = 2.570582 (t table)
    //   CI = -0.25 -/+ 2.570582 x 0.09574271 = [-0.49611447, -0.00388553]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 5/13, 3: 4/13, 4: 4/13
    //   BUNDLE: stage means 2: -0.3, 3: -0.5, 4: -0.25; 5/13 x -0.3 + 4/13 x -0.5 + 4/13 x -0.25 = -0.34615385
    //   FFS: stage means 2: -0.15, 3: -0.2, 4: -0.4; 5/13 x -0.15 + 4/13 x -0.2 + 4/13 x -0.4 = -0.24230769
    expectArm(doc, 'CCQ_CHANGE_3M', 'BUNDLE', { n: 7, value: -0.34285714285714286, ciLow: -0.5620874845022794, ciHigh: -0.12362680121200631, adjusted: -0.3461538461538462 }, [6, 6]);
    expectArm(doc, 'CCQ_CHANGE_3M', 'FFS', { n: 6, value: -0.25, ciLow: -0.49611447321442553, ciHigh: -0.003885526785574467, adjusted: -0.24230769230769234 }, [6, 6]);
    // Difference -0.34285714 - -0.25 = -0.09285714; Welch SE = sqrt(0.05619048/7 + 0.055/6) = sqrt(0.00802721 + 0.00916667) = 0.13112543
    //   df = (0.00802721 + 0.00916667)^2 / (0.00802721^2/6 + 0.00916667^2/5) = 10.732634; t(0.975, 10.7326) = 2.207693 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = -0.09285714 -/+ 2.207693 x 0.13112543 = [-0.38234186, 0.19662758]; MDD = 2.801585 x 0.13112543 = 0.36735903
    expectDifference(doc, 'CCQ_CHANGE_3M', { value: -0.09285714285714286, ciLow: -0.382341863049811, ciHigh: 0.19662757733552527, mdd: 0.3673590288151795 }, [6, 6]);
  });

  it('should pin CCQ_CHANGE_12M when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 -0.5 | B06 -0.4, B07 -0.3 | B11 -0.6
    //   n = 4, sum = -1.8, mean = -1.8 / 4 = -0.45; sum of squared deviations = 0.05,
    //   s^2 = 0.05 / 3 = 0.01666667, SE = sqrt(s^2 / 4) = 0.06454972; t(0.975, 3) = 3.182446 (t table)
    //   CI = -0.45 -/+ 3.182446 x 0.06454972 = [-0.65542603, -0.24457397]
    // FFS per patient (GOLD 2 | 3 | 4): F01 -0.6 | F04 -0.4, F05 -0.3 | F09 -0.4
    //   n = 4, sum = -1.7, mean = -1.7 / 4 = -0.425; sum of squared deviations = 0.0475,
    //   s^2 = 0.0475 / 3 = 0.01583333, SE = sqrt(s^2 / 4) = 0.06291529; t(0.975, 3) = 3.182446 (t table)
    //   CI = -0.425 -/+ 3.182446 x 0.06291529 = [-0.62522452, -0.22477548]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 2/8, 3: 4/8, 4: 2/8
    //   BUNDLE: stage means 2: -0.5, 3: -0.35, 4: -0.6; 2/8 x -0.5 + 4/8 x -0.35 + 2/8 x -0.6 = -0.45
    //   FFS: stage means 2: -0.6, 3: -0.35, 4: -0.4; 2/8 x -0.6 + 4/8 x -0.35 + 2/8 x -0.4 = -0.425
    expectArm(doc, 'CCQ_CHANGE_12M', 'BUNDLE', { n: 4, value: -0.44999999999999996, ciLow: -0.655426025676052, ciHigh: -0.24457397432394784, adjusted: -0.44999999999999996 }, [6, 6]);
    expectArm(doc, 'CCQ_CHANGE_12M', 'FFS', { n: 4, value: -0.42500000000000004, ciLow: -0.6252245225335926, ciHigh: -0.2247754774664075, adjusted: -0.42499999999999993 }, [6, 6]);
    // Difference -0.45 - -0.425 = -0.025; Welch SE = sqrt(0.01666667/4 + 0.01583333/4) = sqrt(0.00416667 + 0.00395833) = 0.09013878
    //   df = (0.00416667 + 0.00395833)^2 / (0.00416667^2/3 + 0.00395833^2/3) = 5.996058; t(0.975, 5.9961) = 2.447302 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = -0.025 -/+ 2.447302 x 0.09013878 = [-0.24559681, 0.19559681]; MDD = 2.801585 x 0.09013878 = 0.25253146
    expectDifference(doc, 'CCQ_CHANGE_12M', { value: -0.02499999999999991, ciLow: -0.2455968094472695, ciHigh: 0.19559680944726968, mdd: 0.25253145925176945 }, [6, 6]);
  });

  it('should pin CAT_CHANGE_3M when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 -2, B03 -2 | B06 -4, B10 -1 | B11 -3
    //   n = 5, sum = -12, mean = -12 / 5 = -2.4; sum of squared deviations = 5.2,
    //   s^2 = 5.2 / 4 = 1.3, SE = sqrt(s^2 / 5) = 0.50990195; t(0.975, 4) = 2.776445 (t table)
    //   CI = -2.4 -/+ 2.776445 x 0.50990195 = [-3.81571478, -0.98428522]
    // FFS per patient (GOLD 2 | 3 | 4): F01 -1, F02 -2 | F04 -3, F06 -1, F07 -3 | F09 1
    //   n = 6, sum = -9, mean = -9 / 6 = -1.5; sum of squared deviations = 11.5,
    //   s^2 = 11.5 / 5 = 2.3, SE = sqrt(s^2 / 6) = 0.61913919; t(0.975, 5) = 2.570582 (t table)
    //   CI = -1.5 -/+ 2.570582 x 0.61913919 = [-3.09154795, 0.09154795]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 4/11, 3: 5/11, 4: 2/11
    //   BUNDLE: stage means 2: -2, 3: -2.5, 4: -3; 4/11 x -2 + 5/11 x -2.5 + 2/11 x -3 = -2.40909091
    //   FFS: stage means 2: -1.5, 3: -2.33333333, 4: 1; 4/11 x -1.5 + 5/11 x -2.33333333 + 2/11 x 1 = -1.42424242
    expectArm(doc, 'CAT_CHANGE_3M', 'BUNDLE', { n: 5, value: -2.4, ciLow: -3.815714776982272, ciHigh: -0.9842852230177277, adjusted: -2.409090909090909 }, [6, 6]);
    expectArm(doc, 'CAT_CHANGE_3M', 'FFS', { n: 6, value: -1.5, ciLow: -3.0915479487759567, ciHigh: 0.09154794877595696, adjusted: -1.424242424242424 }, [6, 6]);
    // Difference -2.4 - -1.5 = -0.9; Welch SE = sqrt(1.3/5 + 2.3/6) = sqrt(0.26 + 0.38333333) = 0.80208063
    //   df = (0.26 + 0.38333333)^2 / (0.26^2/4 + 0.38333333^2/5) = 8.941191; t(0.975, 8.9412) = 2.264427 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = -0.9 -/+ 2.264427 x 0.80208063 = [-2.71625326, 0.91625326]; MDD = 2.801585 x 0.80208063 = 2.24709706
    expectDifference(doc, 'CAT_CHANGE_3M', { value: -0.8999999999999999, ciLow: -2.7162532590790884, ciHigh: 0.9162532590790886, mdd: 2.2470970553578864 }, [6, 6]);
  });

  it('should pin CAT_CHANGE_12M when computed by hand from the per-patient values', () => {
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 -1 | B06 -1 | B11 1
    //   n = 3, sum = -1, mean = -1 / 3 = -0.33333333; sum of squared deviations = 2.66666667,
    //   s^2 = 2.66666667 / 2 = 1.33333333, SE = sqrt(s^2 / 3) = 0.66666667; t(0.975, 2) = 4.302653 (t table)
    //   CI = -0.33333333 -/+ 4.302653 x 0.66666667 = [-3.20176849, 2.53510182]
    // FFS per patient (GOLD 2 | 3 | 4): F01 -3 | F04 -1 | F09 -2, F10 -2
    //   n = 4, sum = -8, mean = -8 / 4 = -2; sum of squared deviations = 2,
    //   s^2 = 2 / 3 = 0.66666667, SE = sqrt(s^2 / 4) = 0.40824829; t(0.975, 3) = 3.182446 (t table)
    //   CI = -2 -/+ 3.182446 x 0.40824829 = [-3.29922826, -0.70077174]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 2/7, 3: 2/7, 4: 3/7
    //   BUNDLE: stage means 2: -1, 3: -1, 4: 1; 2/7 x -1 + 2/7 x -1 + 3/7 x 1 = -0.14285714
    //   FFS: stage means 2: -3, 3: -1, 4: -2; 2/7 x -3 + 2/7 x -1 + 3/7 x -2 = -2
    expectArm(doc, 'CAT_CHANGE_12M', 'BUNDLE', { n: 3, value: -0.3333333333333333, ciLow: -3.201768486499642, ciHigh: 2.535101819832975, adjusted: -0.14285714285714285 }, [6, 6]);
    expectArm(doc, 'CAT_CHANGE_12M', 'FFS', { n: 4, value: -2, ciLow: -3.2992282636251113, ciHigh: -0.7007717363748889, adjusted: -2 }, [6, 6]);
    // Difference -0.33333333 - -2 = 1.66666667; Welch SE = sqrt(1.33333333/3 + 0.66666667/4) = sqrt(0.44444444 + 0.16666667) = 0.78173596
    //   df = (0.44444444 + 0.16666667)^2 / (0.44444444^2/2 + 0.16666667^2/3) = 3.457143; t(0.975, 3.4571) = 2.957132 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 1.66666667 -/+ 2.957132 x 0.78173596 = [-0.64502979, 3.97836312]; MDD = 2.801585 x 0.78173596 = 2.19009974
    expectDifference(doc, 'CAT_CHANGE_12M', { value: 1.6666666666666667, ciLow: -0.6450297877206583, ciHigh: 3.9783631210539916, mdd: 2.1900997394141544 }, [6, 6]);
  });

  it('should pin SIX_MWT_RESPONDER_3M when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1, B02 0, B03 1, B04 0 | B06 1, B07 0, B10 0 | B11 0
    //   3/8 = 0.375; Wilson: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 6.600587, 2(n + z^2) = 23.682918
    //   -> [0.13684428, 0.69425761]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 0, F02 1, F03 0 | F04 0, F06 0, F07 0 | F09 0, F11 0, F12 0
    //   1/9 = 0.11111111; Wilson: centre 2x + z^2 = 5.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.330603, 2(n + z^2) = 25.682918
    //   -> [0.01989089, 0.43499971]
    // Adjusted: pooled weights GOLD 2: 7/17, 3: 6/17, 4: 4/17
    //   BUNDLE: 7/17 x 2/4 + 6/17 x 1/3 + 4/17 x 0/1 = 0.32352941
    //   FFS: 7/17 x 1/3 + 6/17 x 0/3 + 4/17 x 0/3 = 0.1372549
    expectArm(doc, 'SIX_MWT_RESPONDER_3M', 'BUNDLE', { n: 8, value: 0.375, ciLow: 0.13684428473912288, ciHigh: 0.6942576073462291, adjusted: 0.3235294117647059 }, [6, 6]);
    expectArm(doc, 'SIX_MWT_RESPONDER_3M', 'FFS', { n: 9, value: 0.1111111111111111, ciLow: 0.019890887416909923, ciHigh: 0.43499970837079094, adjusted: 0.1372549019607843 }, [6, 6]);
    // Newcombe: d = 0.375 - 0.11111111 = 0.26388889; L = d - sqrt((0.375 - 0.13684428)^2 + (0.43499971 - 0.11111111)^2) = -0.13813346
    //   U = d + sqrt((0.69425761 - 0.375)^2 + (0.11111111 - 0.01989089)^2) = 0.59592285
    //   SE = sqrt(0.375 x 0.625 / 8 + 0.111111 x 0.888889 / 9) = 0.20067589; MDD = 2.801585 x SE = 0.56221056
    expectDifference(doc, 'SIX_MWT_RESPONDER_3M', { value: 0.2638888888888889, ciLow: -0.1381334589305614, ciHigh: 0.5959228465788504, mdd: 0.5622105568118481 }, [6, 6]);
  });

  it('should pin SIX_MWT_RESPONDER_12M when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1 | B06 1, B07 1 | B11 1
    //   4/4 = 1; Wilson: centre 2x + z^2 = 11.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 3.841459, 2(n + z^2) = 15.682918
    //   -> [0.51010916, 1] (x = n: high bound 1)
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 1 | F04 1, F05 0 | F09 0
    //   2/4 = 0.5; Wilson: centre 2x + z^2 = 7.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.48841, 2(n + z^2) = 15.682918
    //   -> [0.15003899, 0.84996101]
    // Adjusted: pooled weights GOLD 2: 2/8, 3: 4/8, 4: 2/8
    //   BUNDLE: 2/8 x 1/1 + 4/8 x 2/2 + 2/8 x 1/1 = 1
    //   FFS: 2/8 x 1/1 + 4/8 x 1/2 + 2/8 x 0/1 = 0.5
    expectArm(doc, 'SIX_MWT_RESPONDER_12M', 'BUNDLE', { n: 4, value: 1, ciLow: 0.5101091596030786, ciHigh: 1, adjusted: 1 }, [6, 6]);
    expectArm(doc, 'SIX_MWT_RESPONDER_12M', 'FFS', { n: 4, value: 0.5, ciLow: 0.15003898774401983, ciHigh: 0.8499610122559802, adjusted: 0.5 }, [6, 6]);
    // Newcombe: d = 1 - 0.5 = 0.5; L = d - sqrt((1 - 0.51010916)^2 + (0.84996101 - 0.5)^2) = -0.10205128
    //   U = d + sqrt((1 - 1)^2 + (0.5 - 0.15003899)^2) = 0.84996101
    //   SE = sqrt(1 x 0 / 4 + 0.5 x 0.5 / 4) = 0.25; MDD = 2.801585 x SE = 0.70039625
    expectDifference(doc, 'SIX_MWT_RESPONDER_12M', { value: 0.5, ciLow: -0.10205128154006304, ciHigh: 0.8499610122559802, mdd: 0.70039625 }, [6, 6]);
  });

  it('should pin CCQ_RESPONDER_3M when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1, B02 0, B04 0 | B06 1, B07 1 | B11 0, B12 1
    //   4/7 = 0.57142857; Wilson: centre 2x + z^2 = 11.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 6.410791, 2(n + z^2) = 21.682918
    //   -> [0.25045836, 0.84178015]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 0, F03 0 | F04 0, F06 1 | F09 0, F11 1
    //   2/6 = 0.33333333; Wilson: centre 2x + z^2 = 7.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.936715, 2(n + z^2) = 19.682918
    //   -> [0.09677141, 0.70000669]
    // Adjusted: pooled weights GOLD 2: 5/13, 3: 4/13, 4: 4/13
    //   BUNDLE: 5/13 x 1/3 + 4/13 x 2/2 + 4/13 x 1/2 = 0.58974359
    //   FFS: 5/13 x 0/2 + 4/13 x 1/2 + 4/13 x 1/2 = 0.30769231
    expectArm(doc, 'CCQ_RESPONDER_3M', 'BUNDLE', { n: 7, value: 0.5714285714285714, ciLow: 0.2504583627530356, ciHigh: 0.8417801460075546, adjusted: 0.5897435897435898 }, [6, 6]);
    expectArm(doc, 'CCQ_RESPONDER_3M', 'FFS', { n: 6, value: 0.3333333333333333, ciLow: 0.09677141021353451, ciHigh: 0.7000066870052567, adjusted: 0.3076923076923077 }, [6, 6]);
    // Newcombe: d = 0.57142857 - 0.33333333 = 0.23809524; L = d - sqrt((0.57142857 - 0.25045836)^2 + (0.70000669 - 0.33333333)^2) = -0.24921495
    //   U = d + sqrt((0.84178015 - 0.57142857)^2 + (0.33333333 - 0.09677141)^2) = 0.59733265
    //   SE = sqrt(0.571429 x 0.428571 / 7 + 0.333333 x 0.666667 / 6) = 0.26837001; MDD = 2.801585 x SE = 0.75186138
    expectDifference(doc, 'CCQ_RESPONDER_3M', { value: 0.23809523809523808, ciLow: -0.24921495382591635, ciHigh: 0.597332648935859, mdd: 0.7518613814698123 }, [6, 6]);
  });

  it('should pin CCQ_RESPONDER_12M when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1 | B06 1, B07 0 | B11 1
    //   3/4 = 0.75; Wilson: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.126518, 2(n + z^2) = 15.682918
    //   -> [0.30064184, 0.95441274]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 1 | F04 1, F05 0 | F09 1
    //   3/4 = 0.75; Wilson: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.126518, 2(n + z^2) = 15.682918
    //   -> [0.30064184, 0.95441274]
    // Adjusted: pooled weights GOLD 2: 2/8, 3: 4/8, 4: 2/8
    //   BUNDLE: 2/8 x 1/1 + 4/8 x 1/2 + 2/8 x 1/1 = 0.75
    //   FFS: 2/8 x 1/1 + 4/8 x 1/2 + 2/8 x 1/1 = 0.75
    expectArm(doc, 'CCQ_RESPONDER_12M', 'BUNDLE', { n: 4, value: 0.75, ciLow: 0.30064184009690814, ciHigh: 0.954412739704631, adjusted: 0.75 }, [6, 6]);
    expectArm(doc, 'CCQ_RESPONDER_12M', 'FFS', { n: 4, value: 0.75, ciLow: 0.30064184009690814, ciHigh: 0.954412739704631, adjusted: 0.75 }, [6, 6]);
    // Newcombe: d = 0.75 - 0.75 = 0; L = d - sqrt((0.75 - 0.30064184)^2 + (0.95441274 - 0.75)^2) = -0.49366722
    //   U = d + sqrt((0.95441274 - 0.75)^2 + (0.75 - 0.30064184)^2) = 0.49366722
    //   SE = sqrt(0.75 x 0.25 / 4 + 0.75 x 0.25 / 4) = 0.30618622; MDD = 2.801585 x SE = 0.85780672
    expectDifference(doc, 'CCQ_RESPONDER_12M', { value: 0, ciLow: -0.49366721992152357, ciHigh: 0.49366721992152357, mdd: 0.8578067151294012 }, [6, 6]);
  });

  it('should pin CAT_RESPONDER_3M when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 1, B03 1 | B06 1, B10 0 | B11 1
    //   4/5 = 0.8; Wilson: centre 2x + z^2 = 11.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.200911, 2(n + z^2) = 17.682918
    //   -> [0.37553463, 0.96377589]
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 0, F02 1 | F04 1, F06 0, F07 1 | F09 0
    //   3/6 = 0.5; Wilson: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 6.148623, 2(n + z^2) = 19.682918
    //   -> [0.1876163, 0.8123837]
    // Adjusted: pooled weights GOLD 2: 4/11, 3: 5/11, 4: 2/11
    //   BUNDLE: 4/11 x 2/2 + 5/11 x 1/2 + 2/11 x 1/1 = 0.77272727
    //   FFS: 4/11 x 1/2 + 5/11 x 2/3 + 2/11 x 0/1 = 0.48484848
    expectArm(doc, 'CAT_RESPONDER_3M', 'BUNDLE', { n: 5, value: 0.8, ciLow: 0.37553462702999496, ciHigh: 0.9637758917743693, adjusted: 0.7727272727272727 }, [6, 6]);
    expectArm(doc, 'CAT_RESPONDER_3M', 'FFS', { n: 6, value: 0.5, ciLow: 0.1876163049804081, ciHigh: 0.8123836950195918, adjusted: 0.48484848484848486 }, [6, 6]);
    // Newcombe: d = 0.8 - 0.5 = 0.3; L = d - sqrt((0.8 - 0.37553463)^2 + (0.8123837 - 0.5)^2) = -0.22702412
    //   U = d + sqrt((0.96377589 - 0.8)^2 + (0.5 - 0.1876163)^2) = 0.65271251
    //   SE = sqrt(0.8 x 0.2 / 5 + 0.5 x 0.5 / 6) = 0.27141604; MDD = 2.801585 x SE = 0.76039511
    expectDifference(doc, 'CAT_RESPONDER_3M', { value: 0.30000000000000004, ciLow: -0.22702412256428917, ciHigh: 0.6527125113184722, mdd: 0.7603951058937989 }, [6, 6]);
  });

  it('should pin CAT_RESPONDER_12M when computed by hand from the per-patient values', () => {
    // BUNDLE (GOLD 2 | 3 | 4, 1 = success): B01 0 | B06 0 | B11 0
    //   0/3 = 0; Wilson: centre 2x + z^2 = 3.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 3.841459, 2(n + z^2) = 13.682918
    //   -> [0, 0.56149704] (x = 0: low bound 0)
    // FFS (GOLD 2 | 3 | 4, 1 = success): F01 1 | F04 0 | F09 1, F10 1
    //   3/4 = 0.75; Wilson: centre 2x + z^2 = 9.841459, spread z sqrt(z^2 + 4x(n-x)/n) = 5.126518, 2(n + z^2) = 15.682918
    //   -> [0.30064184, 0.95441274]
    // Adjusted: pooled weights GOLD 2: 2/7, 3: 2/7, 4: 3/7
    //   BUNDLE: 2/7 x 0/1 + 2/7 x 0/1 + 3/7 x 0/1 = 0
    //   FFS: 2/7 x 1/1 + 2/7 x 0/1 + 3/7 x 2/2 = 0.71428571
    expectArm(doc, 'CAT_RESPONDER_12M', 'BUNDLE', { n: 3, value: 0, ciLow: 0, ciHigh: 0.5614970356393196, adjusted: 0 }, [6, 6]);
    expectArm(doc, 'CAT_RESPONDER_12M', 'FFS', { n: 4, value: 0.75, ciLow: 0.30064184009690814, ciHigh: 0.954412739704631, adjusted: 0.7142857142857142 }, [6, 6]);
    // Newcombe: d = 0 - 0.75 = -0.75; L = d - sqrt((0 - 0)^2 + (0.95441274 - 0.75)^2) = -0.95441274
    //   U = d + sqrt((0.56149704 - 0)^2 + (0.75 - 0.30064184)^2) = -0.03083265
    //   SE = sqrt(0 x 1 / 3 + 0.75 x 0.25 / 4) = 0.21650635; MDD = 2.801585 x SE = 0.60656095
    expectDifference(doc, 'CAT_RESPONDER_12M', { value: -0.75, ciLow: -0.954412739704631, ciHigh: -0.030832650280036678, mdd: 0.6065609452153566 }, [6, 6]);
  });

  it('should pin EXACERBATION_RATE when computed by hand from events and follow-up days', () => {
    // BUNDLE events/follow-up days (GOLD 2 | 3 | 4): B01 2/484d, B02 0/449d, B03 0/303d, B04 0/169d, B05 0/10d | B06 1/512d, B07 0/365d, B08 1/75d, B09 0/73d, B10 0/120d | B11 2/414d, B12 1/288d
    //   7 events / (3262 / 365.25 = 8.93086927 patient-years) = 0.78379828
    //   exact: chi2(0.025, 14) / 2 = 2.814363, chi2(0.975, 16) / 2 = 14.422675 (chi-square table) -> [0.31512756, 1.61492403]
    // FFS events/follow-up days (GOLD 2 | 3 | 4): F01 3/498d, F02 0/351d, F03 0/141d | F04 1/470d, F05 1/410d, F06 0/302d, F07 0/211d, F08 0/14d | F09 1/442d, F10 1/393d, F11 1/140d, F12 0/78d
    //   8 events / (3450 / 365.25 = 9.44558522 patient-years) = 0.84695652
    //   exact: chi2(0.025, 16) / 2 = 3.453832, chi2(0.975, 18) / 2 = 15.763189 (chi-square table) -> [0.36565571, 1.66884199]
    // Adjusted: weights all patients GOLD 2: 8/24, 3: 10/24, 4: 6/24
    //   BUNDLE: 8/24 x 2/(1415/365.25) + 10/24 x 2/(1145/365.25) + 6/24 x 3/(702/365.25) = 0.82813886
    //   FFS: 8/24 x 3/(990/365.25) + 10/24 x 2/(1407/365.25) + 6/24 x 3/(1053/365.25) = 0.84541804
    expectArm(doc, 'EXACERBATION_RATE', 'BUNDLE', { n: 12, value: 0.7837982832618027, ciLow: 0.31512756117953133, ciHigh: 1.614924026934946, adjusted: 0.8281388589512133 }, [6, 6]);
    expectArm(doc, 'EXACERBATION_RATE', 'FFS', { n: 12, value: 0.8469565217391304, ciLow: 0.3656557108862, ciHigh: 1.6688419891813355, adjusted: 0.8454180355299759 }, [6, 6]);
    // Difference 0.78379828 - 0.84695652 = -0.06315824; SE = sqrt(7/8.93086927^2 + 8/9.44558522^2) = 0.4212241
    //   CI = d -/+ 1.959964 x SE = [-0.8887423, 0.76242583]; MDD = 2.801585 x SE = 1.18009511
    expectDifference(doc, 'EXACERBATION_RATE', { value: -0.06315823847732771, ciLow: -0.8887423047265193, ciHigh: 0.7624258277718639, mdd: 1.1800951120748857 }, [6, 6]);
  });

  it('should pin ADMISSION_RATE when computed by hand from events and follow-up days', () => {
    // BUNDLE events/follow-up days (GOLD 2 | 3 | 4): B01 1/484d, B02 0/449d, B03 0/303d, B04 0/169d, B05 0/10d | B06 0/512d, B07 0/365d, B08 1/75d, B09 0/73d, B10 0/120d | B11 1/414d, B12 0/288d
    //   3 events / (3262 / 365.25 = 8.93086927 patient-years) = 0.33591355
    //   exact: chi2(0.025, 6) / 2 = 0.618672, chi2(0.975, 8) / 2 = 8.767273 (chi-square table) -> [0.06927345, 0.98168194]
    // FFS events/follow-up days (GOLD 2 | 3 | 4): F01 1/498d, F02 0/351d, F03 0/141d | F04 0/470d, F05 1/410d, F06 0/302d, F07 0/211d, F08 0/14d | F09 0/442d, F10 0/393d, F11 1/140d, F12 0/78d
    //   3 events / (3450 / 365.25 = 9.44558522 patient-years) = 0.3176087
    //   exact: chi2(0.025, 6) / 2 = 0.618672, chi2(0.975, 8) / 2 = 8.767273 (chi-square table) -> [0.06549855, 0.92818739]
    // Adjusted: weights all patients GOLD 2: 8/24, 3: 10/24, 4: 6/24
    //   BUNDLE: 8/24 x 1/(1415/365.25) + 10/24 x 1/(1145/365.25) + 6/24 x 1/(702/365.25) = 0.34903204
    //   FFS: 8/24 x 1/(990/365.25) + 10/24 x 1/(1407/365.25) + 6/24 x 1/(1053/365.25) = 0.31786086
    expectArm(doc, 'ADMISSION_RATE', 'BUNDLE', { n: 12, value: 0.33591354996934397, ciLow: 0.0692734496896439, ciHigh: 0.9816819401359241, adjusted: 0.3490320363132135 }, [6, 6]);
    expectArm(doc, 'ADMISSION_RATE', 'FFS', { n: 12, value: 0.3176086956521739, ciLow: 0.06549854866307779, ciHigh: 0.9281873880357635, adjusted: 0.3178608566668268 }, [6, 6]);
    // Difference 0.33591355 - 0.3176087 = 0.01830485; SE = sqrt(3/8.93086927^2 + 3/9.44558522^2) = 0.26690398
    //   CI = d -/+ 1.959964 x SE = [-0.50481733, 0.54142704]; MDD = 2.801585 x SE = 0.74775417
    expectDifference(doc, 'ADMISSION_RATE', { value: 0.01830485431717005, ciLow: -0.504817329356863, ciHigh: 0.541427037991203, mdd: 0.7477541745401526 }, [6, 6]);
  });

  it('should recompute the comparison when filtered to GOLD stage 3', () => {
    // BUNDLE B06-B10 (11110001: B06 B08; 11110002: B07 B09 B10), FFS F04-F08 (22220001: F04 F06; 22220002: F05 F07 F08).
    expect(stage3.practices).toEqual({ BUNDLE: 2, FFS: 2 });
    expect(stage3.caseMix.BUNDLE.goldStage).toEqual({ '2': 0, '3': 5, '4': 0 });
    expect(stage3.caseMix.FFS.goldStage).toEqual({ '2': 0, '3': 5, '4': 0 });
    expectArm(stage3, 'ENROLLED', 'BUNDLE', { n: 5, value: 5, ciLow: null, ciHigh: null, adjusted: null }, [9, 9]);
    expectArm(stage3, 'ENROLLED', 'FFS', { n: 5, value: 5, ciLow: null, ciHigh: null, adjusted: null }, [9, 9]);
    // Only stage 3 in the pool: weight 1, so each adjusted value equals the crude one.
    // PAID_PER_CARE_QUARTER
    // BUNDLE per patient (GOLD 2 | 3 | 4): - | B06 382.5, B07 390, B08 450, B09 450, B10 405 | -
    //   n = 5, sum = 2077.5, mean = 2077.5 / 5 = 415.5; sum of squared deviations = 4230,
    //   s^2 = 4230 / 4 = 1057.5, SE = sqrt(s^2 / 5) = 14.54303957; t(0.975, 4) = 2.776445 (t table)
    //   CI = 415.5 -/+ 2.776445 x 14.54303957 = [375.12204896, 455.87795104]
    // FFS per patient (GOLD 2 | 3 | 4): - | F04 73.75, F05 69.333333, F06 91.666667, F07 77.5, F08 85 | -
    //   n = 5, sum = 397.25, mean = 397.25 / 5 = 79.45; sum of squared deviations = 318.68888889,
    //   s^2 = 318.68888889 / 4 = 79.67222222, SE = sqrt(s^2 / 5) = 3.99179714; t(0.975, 4) = 2.776445 (t table)
    //   CI = 79.45 -/+ 2.776445 x 3.99179714 = [68.36699436, 90.53300564]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 0/10, 3: 10/10, 4: 0/10
    //   BUNDLE: stage means 2: -, 3: 415.5, 4: -; 10/10 x 415.5 = 415.5
    //   FFS: stage means 2: -, 3: 79.45, 4: -; 10/10 x 79.45 = 79.45
    expectArm(stage3, 'PAID_PER_CARE_QUARTER', 'BUNDLE', { n: 5, value: 415.5, ciLow: 375.1220489649315, ciHigh: 455.8779510350685, adjusted: 415.5 }, [6, 4]);
    expectArm(stage3, 'PAID_PER_CARE_QUARTER', 'FFS', { n: 5, value: 79.45, ciLow: 68.3669943566519, ciHigh: 90.5330056433481, adjusted: 79.45 }, [6, 4]);
    // Difference 415.5 - 79.45 = 336.05; Welch SE = sqrt(1057.5/5 + 79.67222222/5) = sqrt(211.5 + 15.93444444) = 15.08092983
    //   df = (211.5 + 15.93444444)^2 / (211.5^2/4 + 15.93444444^2/4) = 4.599319; t(0.975, 4.5993) = 2.639421 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 336.05 -/+ 2.639421 x 15.08092983 = [296.24507005, 375.85492995]; MDD = 2.801585 x 15.08092983 = 42.25050679
    expectDifference(stage3, 'PAID_PER_CARE_QUARTER', { value: 336.05, ciLow: 296.2450700480295, ciHigh: 375.8549299519705, mdd: 42.25050678914788 }, [6, 4]);
    // LOW_INTENSITY_QUARTERS
    // Judged quarters (k >= 2, >= 1 session, last day <= 2026-06-30) per patient as judged/low (see the table above).
    // BUNDLE (GOLD 2 | 3 | 4):  | B06 3/2, B07 1/1 | 
    //   3/4 quarters = 0.75; Wilson: centre 9.841459, spread 5.126518, denominator 15.682918 -> [0.30064184, 0.95441274]
    // FFS (GOLD 2 | 3 | 4):  | F04 3/1, F05 2/1, F06 2/1, F07 1/1 | 
    //   4/8 quarters = 0.5; Wilson: centre 11.841459, spread 6.744515, denominator 23.682918 -> [0.21521606, 0.78478394]
    // Adjusted: weights are patients with a judged quarter: GOLD 2: 0/6, 3: 6/6, 4: 0/6; estimates per stage are quarters
    //   BUNDLE: 6/6 x 3/4 = 0.75
    //   FFS: 6/6 x 4/8 = 0.5
    expectArm(stage3, 'LOW_INTENSITY_QUARTERS', 'BUNDLE', { n: 4, value: 0.75, ciLow: 0.30064184009690814, ciHigh: 0.954412739704631, adjusted: 0.75 }, [6, 6]);
    expectArm(stage3, 'LOW_INTENSITY_QUARTERS', 'FFS', { n: 8, value: 0.5, ciLow: 0.21521606069626764, ciHigh: 0.7847839393037324, adjusted: 0.5 }, [6, 6]);
    // Newcombe: d = 0.25; L = d - sqrt((0.75 - 0.30064184)^2 + (0.78478394 - 0.5)^2) = -0.28200061; U = d + sqrt((0.95441274 - 0.75)^2 + (0.5 - 0.21521606)^2) = 0.60055165
    //   SE = sqrt(0.75 x 0.25 / 4 + 0.5 x 0.5 / 8) = 0.2795085; MDD = 0.78306681
    expectDifference(stage3, 'LOW_INTENSITY_QUARTERS', { value: 0.25, ciLow: -0.28200060898164825, ciHigh: 0.6005516513139043, mdd: 0.7830668130929687 }, [6, 6]);
  });

  it('should recompute the comparison when filtered to one practice per arm', () => {
    // 11110001: B01 B03 B05 B06 B08 B11; 22220001: F01 F03 F04 F06 F09 F11 (F13 is outside the population).
    expect(practices.practices).toEqual({ BUNDLE: 1, FFS: 1 });
    expectArm(practices, 'ENROLLED', 'BUNDLE', { n: 6, value: 6, ciLow: null, ciHigh: null, adjusted: null }, [9, 9]);
    expectArm(practices, 'ENROLLED', 'FFS', { n: 6, value: 6, ciLow: null, ciHigh: null, adjusted: null }, [9, 9]);
    // SESSIONS_PER_CARE_QUARTER
    // BUNDLE per patient (GOLD 2 | 3 | 4): B01 1.75, B03 1.666667, B05 1 | B06 1.75, B08 3 | B11 2.666667
    //   n = 6, sum = 11.833333, mean = 11.833333 / 6 = 1.97222222; sum of squared deviations = 2.67592593,
    //   s^2 = 2.67592593 / 5 = 0.53518519, SE = sqrt(s^2 / 6) = 0.29865956; t(0.975, 5) = 2.570582 (t table)
    //   CI = 1.97222222 -/+ 2.570582 x 0.29865956 = [1.20449339, 2.73995105]
    // FFS per patient (GOLD 2 | 3 | 4): F01 1.8, F03 1.5 | F04 1.75, F06 2 | F09 1.75, F11 1.5
    //   n = 6, sum = 10.3, mean = 10.3 / 6 = 1.71666667; sum of squared deviations = 0.18333333,
    //   s^2 = 0.18333333 / 5 = 0.03666667, SE = sqrt(s^2 / 6) = 0.0781736; t(0.975, 5) = 2.570582 (t table)
    //   CI = 1.71666667 -/+ 2.570582 x 0.0781736 = [1.51571504, 1.91761829]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 5/12, 3: 4/12, 4: 3/12
    //   BUNDLE: stage means 2: 1.47222222, 3: 2.375, 4: 2.66666667; 5/12 x 1.47222222 + 4/12 x 2.375 + 3/12 x 2.66666667 = 2.07175926
    //   FFS: stage means 2: 1.65, 3: 1.875, 4: 1.625; 5/12 x 1.65 + 4/12 x 1.875 + 3/12 x 1.625 = 1.71875
    expectArm(practices, 'SESSIONS_PER_CARE_QUARTER', 'BUNDLE', { n: 6, value: 1.9722222222222223, ciLow: 1.2044933904891957, ciHigh: 2.7399510539552487, adjusted: 2.071759259259259 }, [6, 6]);
    expectArm(practices, 'SESSIONS_PER_CARE_QUARTER', 'FFS', { n: 6, value: 1.7166666666666668, ciLow: 1.51571504077026, ciHigh: 1.9176182925630736, adjusted: 1.71875 }, [6, 6]);
    // Difference 1.97222222 - 1.71666667 = 0.25555556; Welch SE = sqrt(0.53518519/6 + 0.03666667/6) = sqrt(0.08919753 + 0.00611111) = 0.30872098
    //   df = (0.08919753 + 0.00611111)^2 / (0.08919753^2/5 + 0.00611111^2/5) = 5.68192; t(0.975, 5.6819) = 2.480503 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 0.25555556 -/+ 2.480503 x 0.30872098 = [-0.51022777, 1.02133888]; MDD = 2.801585 x 0.30872098 = 0.86490806
    expectDifference(practices, 'SESSIONS_PER_CARE_QUARTER', { value: 0.25555555555555554, ciLow: -0.5102277737263348, ciHigh: 1.0213388848374458, mdd: 0.8649080598707273 }, [6, 6]);
    // EXACERBATION_RATE
    // BUNDLE events/follow-up days (GOLD 2 | 3 | 4): B01 2/484d, B03 0/303d, B05 0/10d | B06 1/512d, B08 1/75d | B11 2/414d
    //   6 events / (1798 / 365.25 = 4.92265572 patient-years) = 1.21885428
    //   exact: chi2(0.025, 12) / 2 = 2.201894, chi2(0.975, 14) / 2 = 13.059474 (chi-square table) -> [0.44729804, 2.65293264]
    // FFS events/follow-up days (GOLD 2 | 3 | 4): F01 3/498d, F03 0/141d | F04 1/470d, F06 0/302d | F09 1/442d, F11 1/140d
    //   6 events / (1993 / 365.25 = 5.45653662 patient-years) = 1.0995986
    //   exact: chi2(0.025, 12) / 2 = 2.201894, chi2(0.975, 14) / 2 = 13.059474 (chi-square table) -> [0.4035333, 2.39336321]
    // Adjusted: weights all patients GOLD 2: 5/12, 3: 4/12, 4: 3/12
    //   BUNDLE: 5/12 x 2/(797/365.25) + 4/12 x 2/(587/365.25) + 3/12 x 2/(414/365.25) = 1.23784519
    //   FFS: 5/12 x 3/(639/365.25) + 4/12 x 1/(772/365.25) + 3/12 x 2/(582/365.25) = 1.18599122
    expectArm(practices, 'EXACERBATION_RATE', 'BUNDLE', { n: 6, value: 1.2188542825361512, ciLow: 0.44729804009317753, ciHigh: 2.6529326400027524, adjusted: 1.2378451910605566 }, [6, 6]);
    expectArm(practices, 'EXACERBATION_RATE', 'FFS', { n: 6, value: 1.0995985950827898, ciLow: 0.4035333046099013, ciHigh: 2.3933632146136223, adjusted: 1.1859912188441442 }, [6, 6]);
    // Difference 1.21885428 - 1.0995986 = 0.11925569; SE = sqrt(6/4.92265572^2 + 6/5.45653662^2) = 0.67016451
    //   CI = d -/+ 1.959964 x SE = [-1.19424263, 1.432754]; MDD = 2.801585 x SE = 1.87752284
    expectDifference(practices, 'EXACERBATION_RATE', { value: 0.11925568745336146, ciLow: -1.1942426285599432, ciHigh: 1.4327540034666661, mdd: 1.877522842086964 }, [6, 6]);
  });

  it('should leave BUNDLE unadjusted and name the stage when profile 4 has no BUNDLE patient of GOLD stage 4', () => {
    // SESSIONS_PER_CARE_QUARTER
    // BUNDLE per patient (GOLD 2 | 3 | 4): B03 1.666667 | B06 1.75, B09 2 | -
    //   n = 3, sum = 5.416667, mean = 5.416667 / 3 = 1.80555556; sum of squared deviations = 0.06018519,
    //   s^2 = 0.06018519 / 2 = 0.03009259, SE = sqrt(s^2 / 3) = 0.1001542; t(0.975, 2) = 4.302653 (t table)
    //   CI = 1.80555556 -/+ 4.302653 x 0.1001542 = [1.3746268, 2.23648431]
    // FFS per patient (GOLD 2 | 3 | 4): F03 1.5 | F05 1.666667, F07 1.5 | F11 1.5
    //   n = 4, sum = 6.166667, mean = 6.166667 / 4 = 1.54166667; sum of squared deviations = 0.02083333,
    //   s^2 = 0.02083333 / 3 = 0.00694444, SE = sqrt(s^2 / 4) = 0.04166667; t(0.975, 3) = 3.182446 (t table)
    //   CI = 1.54166667 -/+ 3.182446 x 0.04166667 = [1.40906474, 1.6742686]
    // Adjusted: pooled weights (patients with a value) GOLD 2: 2/7, 3: 4/7, 4: 1/7
    //   BUNDLE: GOLD [4] has no patient with a value -> null
    //   FFS: stage means 2: 1.5, 3: 1.58333333, 4: 1.5; 2/7 x 1.5 + 4/7 x 1.58333333 + 1/7 x 1.5 = 1.54761905
    expectArm(profile4, 'SESSIONS_PER_CARE_QUARTER', 'BUNDLE', { n: 3, value: 1.8055555555555556, ciLow: 1.3746268045103671, ciHigh: 2.236484306600744, adjusted: null, adjustedNote: 'GOLD stage 4 has no included patient in this arm' }, [6, 6]);
    expectArm(profile4, 'SESSIONS_PER_CARE_QUARTER', 'FFS', { n: 4, value: 1.5416666666666667, ciLow: 1.4090647372798455, ciHigh: 1.674268596053488, adjusted: 1.5476190476190474 }, [6, 6]);
    // Difference 1.80555556 - 1.54166667 = 0.26388889; Welch SE = sqrt(0.03009259/3 + 0.00694444/4) = sqrt(0.01003086 + 0.00173611) = 0.10847569
    //   df = (0.01003086 + 0.00173611)^2 / (0.01003086^2/2 + 0.00173611^2/3) = 2.698332; t(0.975, 2.6983) = 3.393507 (fractional df: regularised incomplete beta inverted with mpmath)
    //   CI = 0.26388889 -/+ 3.393507 x 0.10847569 = [-0.10422408, 0.63200186]; MDD = 2.801585 x 0.10847569 = 0.30390387
    expectDifference(profile4, 'SESSIONS_PER_CARE_QUARTER', { value: 0.26388888888888884, ciLow: -0.10422408469132222, ciHigh: 0.6320018624691, mdd: 0.30390386580937423 }, [6, 6]);
  });

  it('should give the clamped care quarters of B03 when the intake is on the 31st', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'B03'`);
    const facts = (await ctx.http().get(`/api/v1/patients/${id}/facts`).expect(200)).body;
    // 2025-08-31 + 3, 6, 9 months = 2025-11-30, 2026-02-28, 2026-05-31 (clamped, each added to the intake).
    // Q1 I(09-02) I(11-29): bundle 9000 + 36000 = 45000, FFS 6000 + 8000 = 14000; Q2 R(02-27): 36000 / 4000;
    // Q3 I(02-28) I(03-14): 36000 / 8000. Q4 [2026-05-31, 2026-08-31) has no session: not a care quarter (whether
    // its empty row is stored is the repository's choice, so only care quarters are compared).
    expect(facts).toMatchObject({ arm: 'BUNDLE', careQuarters: 3, sessions: 5, paidCents: 117000, counterfactualCents: 26000 });
    expect(facts.quarters.filter((q: { isCareQuarter: boolean }) => q.isCareQuarter)).toEqual([
      expect.objectContaining({ index: 1, start: '2025-08-31', endExclusive: '2025-11-30', sessions: 2, bundleCents: 45000, ffsCents: 14000, ended: true }),
      expect.objectContaining({ index: 2, start: '2025-11-30', endExclusive: '2026-02-28', sessions: 1, bundleCents: 36000, ffsCents: 4000, ended: true }),
      expect.objectContaining({ index: 3, start: '2026-02-28', endExclusive: '2026-05-31', sessions: 2, bundleCents: 36000, ffsCents: 8000, ended: true }),
    ]);
  });

  it('should have pinned both arms and the difference of every indicator in the response', () => {
    const expected = ALL_CODES.flatMap((code) => [`${code}.BUNDLE`, `${code}.FFS`, `${code}.difference`]);
    expect([...pinned].filter((key) => expected.includes(key)).sort()).toEqual([...expected].sort());
  });
});
