import type { Arm } from '../model';
import {
  INDICATOR_CHART_GROUPS,
  INDICATORS,
  PEER_BENCHMARK_INDICATORS,
  INSURER_VISIBLE_INDICATORS,
  indicatorNames,
  MEAN_INDICATORS,
  PROPORTION_INDICATORS,
  RATE_INDICATORS,
  type IndicatorCode,
  type MeanIndicator,
  type ProportionIndicator,
  type RateIndicator,
} from './catalogue';
import { buildComparison } from './comparison';
import type { ArmStratumSummary, IndicatorKind, MeanSummary, ProportionSummary, RateSummary } from './comparison-types';

// The comparison's order and units before the catalogue became the single list (the comparison document of
// every existing spec): the catalogue must give exactly this, in this order.
const COMPARISON_ORDER: [IndicatorCode, IndicatorKind, string, number | null][] = [
  ['PAID_PER_CARE_QUARTER', 'MEAN', 'EUR', null],
  ['COUNTERFACTUAL_PER_CARE_QUARTER', 'MEAN', 'EUR', null],
  ['PAID_MINUS_COUNTERFACTUAL_PER_PATIENT', 'MEAN', 'EUR', null],
  ['SESSIONS_PER_CARE_QUARTER', 'MEAN', 'sessions', null],
  ['LOW_INTENSITY_QUARTERS', 'PROPORTION', 'fraction of judged care quarters', null],
  ['ABOVE_GUIDELINE_VOLUME', 'PROPORTION', 'fraction of patients', null],
  ['BASELINE_COMPLETE', 'PROPORTION', 'fraction of patients', null],
  ['FOLLOWUP_3M_COMPLETE', 'PROPORTION', 'fraction of patients', null],
  ['FOLLOWUP_12M_COMPLETE', 'PROPORTION', 'fraction of patients', null],
  // MCIDs of DOMAIN.md 1: 6MWT +30 m; CCQ -0.4 (stored -4 tenths / 10); CAT -2.
  ['SIX_MWT_CHANGE_3M', 'MEAN', 'm', 30],
  ['SIX_MWT_CHANGE_12M', 'MEAN', 'm', 30],
  ['CCQ_CHANGE_3M', 'MEAN', 'CCQ points', -0.4],
  ['CCQ_CHANGE_12M', 'MEAN', 'CCQ points', -0.4],
  ['CAT_CHANGE_3M', 'MEAN', 'CAT points', -2],
  ['CAT_CHANGE_12M', 'MEAN', 'CAT points', -2],
  ['SIX_MWT_RESPONDER_3M', 'PROPORTION', 'fraction of patients', null],
  ['SIX_MWT_RESPONDER_12M', 'PROPORTION', 'fraction of patients', null],
  ['CCQ_RESPONDER_3M', 'PROPORTION', 'fraction of patients', null],
  ['CCQ_RESPONDER_12M', 'PROPORTION', 'fraction of patients', null],
  ['CAT_RESPONDER_3M', 'PROPORTION', 'fraction of patients', null],
  ['CAT_RESPONDER_12M', 'PROPORTION', 'fraction of patients', null],
  ['EXACERBATION_RATE', 'RATE', 'per patient-year', null],
  ['ADMISSION_RATE', 'RATE', 'per patient-year', null],
  ['WAIT_DAYS', 'MEDIAN', 'days', null],
  ['ENROLLED', 'COUNT', 'patients', null],
];

/** The patient_facts columns (migrations/1764300000000-session-pricing-keys.ts PATIENT_FACT_COLUMNS). */
const PATIENT_FACT_COLUMNS = [
  'patient_id', 'experiment_id', 'practice_id', 'insurer_id', 'region', 'arm', 'gold_stage', 'profile',
  'age_at_intake', 'intake_date', 'wait_days', 'care_quarters', 'sessions', 'paid_cents', 'counterfactual_cents',
  'unpriced_items', 'judged_quarters', 'low_intensity_quarters', 'guideline_eligible', 'above_guideline',
  'baseline_eligible', 'baseline_complete', 'followup_3m_eligible', 'followup_12m_eligible', 'six_mwt_base',
  'six_mwt_3m', 'six_mwt_12m', 'ccq_base_tenths', 'ccq_3m_tenths', 'ccq_12m_tenths', 'cat_base', 'cat_3m',
  'cat_12m', 'followup_days', 'exacerbations', 'admissions', 'analysis_date', 'computed_at',
];

describe('indicator catalogue', () => {
  it('should list every indicator once, in the comparison order with its kind, unit and MCID, when read in order', () => {
    expect(INDICATORS.map((i) => [i.code, i.kind, i.unit, i.mcid])).toEqual(COMPARISON_ORDER);
    expect(new Set(INDICATORS.map((i) => i.code)).size).toBe(25);
  });

  it('should let an insurer see exactly the three euro indicators and ENROLLED when filtering on insurerVisible', () => {
    expect([...INSURER_VISIBLE_INDICATORS]).toEqual([
      'PAID_PER_CARE_QUARTER',
      'COUNTERFACTUAL_PER_CARE_QUARTER',
      'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
      'ENROLLED',
    ]);
  });

  it('should split the codes by estimator exactly as the summaries are keyed when derived by kind', () => {
    expect(MEAN_INDICATORS).toEqual([
      'PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER', 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
      'SESSIONS_PER_CARE_QUARTER', 'SIX_MWT_CHANGE_3M', 'SIX_MWT_CHANGE_12M', 'CCQ_CHANGE_3M', 'CCQ_CHANGE_12M',
      'CAT_CHANGE_3M', 'CAT_CHANGE_12M',
    ]);
    expect(PROPORTION_INDICATORS).toEqual([
      'LOW_INTENSITY_QUARTERS', 'ABOVE_GUIDELINE_VOLUME', 'BASELINE_COMPLETE', 'FOLLOWUP_3M_COMPLETE',
      'FOLLOWUP_12M_COMPLETE', 'SIX_MWT_RESPONDER_3M', 'SIX_MWT_RESPONDER_12M', 'CCQ_RESPONDER_3M',
      'CCQ_RESPONDER_12M', 'CAT_RESPONDER_3M', 'CAT_RESPONDER_12M',
    ]);
    expect(RATE_INDICATORS).toEqual(['EXACERBATION_RATE', 'ADMISSION_RATE']);
  });

  it('should give the dashboard its seven charts in order, without WAIT_DAYS and ENROLLED, when grouped by chart', () => {
    expect(INDICATOR_CHART_GROUPS).toEqual([
      { key: 'cost', codes: ['PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER', 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT'] },
      { key: 'sessions', codes: ['SESSIONS_PER_CARE_QUARTER'] },
      {
        key: 'shares',
        codes: [
          'LOW_INTENSITY_QUARTERS', 'ABOVE_GUIDELINE_VOLUME', 'BASELINE_COMPLETE', 'FOLLOWUP_3M_COMPLETE', 'FOLLOWUP_12M_COMPLETE',
          'SIX_MWT_RESPONDER_3M', 'SIX_MWT_RESPONDER_12M', 'CCQ_RESPONDER_3M', 'CCQ_RESPONDER_12M', 'CAT_RESPONDER_3M', 'CAT_RESPONDER_12M',
        ],
      },
      { key: 'sixMwt', codes: ['SIX_MWT_CHANGE_3M', 'SIX_MWT_CHANGE_12M'] },
      { key: 'ccq', codes: ['CCQ_CHANGE_3M', 'CCQ_CHANGE_12M'] },
      { key: 'cat', codes: ['CAT_CHANGE_3M', 'CAT_CHANGE_12M'] },
      { key: 'rates', codes: ['EXACERBATION_RATE', 'ADMISSION_RATE'] },
    ]);
  });

  it('should put each indicator under its DOMAIN.md 6 heading when grouped', () => {
    const byGroup = (group: string) => INDICATORS.filter((i) => i.group === group).map((i) => i.code);
    expect(byGroup('COST')).toEqual([
      'PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER', 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
      'SESSIONS_PER_CARE_QUARTER', 'LOW_INTENSITY_QUARTERS', 'ABOVE_GUIDELINE_VOLUME',
    ]);
    expect(byGroup('ACCESS')).toEqual(['WAIT_DAYS', 'ENROLLED']);
    expect(byGroup('QUALITY')).toHaveLength(25 - 6 - 2);
  });

  it.each(INDICATORS.map((i) => [i.code, i] as const))(
    'should describe %s in Dutch and English with existing facts columns when read for the codebook',
    (_code, indicator) => {
      for (const words of [indicator.name, indicator.population, indicator.numerator]) {
        expect(words.nl.length).toBeGreaterThan(0);
        expect(words.en.length).toBeGreaterThan(0);
      }
      // A median and a count are not a ratio: no denominator; every other kind has one in both languages.
      if (indicator.kind === 'MEDIAN' || indicator.kind === 'COUNT') expect(indicator.denominator).toBeNull();
      else expect(indicator.denominator).toEqual({ nl: expect.any(String), en: expect.any(String) });
      expect(indicator.factsColumns.length).toBeGreaterThan(0);
      for (const column of indicator.factsColumns) expect(PATIENT_FACT_COLUMNS).toContain(column);
    },
  );

  it('should word the thresholds from the domain constants when describing a timed or responder indicator', () => {
    const find = (code: IndicatorCode) => INDICATORS.find((i) => i.code === code)!;
    expect(find('FOLLOWUP_12M_COMPLETE').population.nl).toBe(
      'Patiënten met een intake minstens 410 dagen geleden, zonder wie overleed vóór intake + 410 dagen',
    );
    expect(find('ABOVE_GUIDELINE_VOLUME').population.en).toBe('Patients with an intake at least 365 days ago and profile 1, 2, 3, 4, 5');
    expect(find('CCQ_RESPONDER_3M').numerator.nl).toBe('Patiënten van wie de verandering de MCID haalt: ≤ −0,4 punten');
    expect(find('SIX_MWT_RESPONDER_12M').numerator.en).toBe('Patients whose change reaches the MCID: ≥ +30 m');
    expect(find('EXACERBATION_RATE').denominator?.nl).toBe('Patiëntjaren: dagen follow-up / 365,25');
    expect(find('BASELINE_COMPLETE').numerator.en).toBe(
      'Patients with a baseline 6MWT and a baseline CCQ or CAT (intake − 30 to intake + 14 days)',
    );
  });

  it('should name every indicator in both languages, keyed by code in catalogue order, when the dashboard asks', () => {
    const nl = indicatorNames('nl');
    const en = indicatorNames('en');
    expect(Object.keys(nl)).toEqual(COMPARISON_ORDER.map(([code]) => code));
    expect(Object.keys(en)).toEqual(COMPARISON_ORDER.map(([code]) => code));
    expect(nl.LOW_INTENSITY_QUARTERS).toBe('Kwartalen met één behandeling');
    expect(en.WAIT_DAYS).toBe('Waiting days (median)');
  });
});

describe('indicator catalogue: every kind has its estimator', () => {
  // One arm of 8 patients, every stratum empty (no adjustment). Each kind's estimator gives a known value:
  // MEAN       mean of the patients' values            = 1.5 (n 8)
  // PROPORTION successes / n = 6 / 8                    = 0.75
  // RATE       events / patient-years = 3 / 4          = 0.75 per patient-year (n 8)
  // MEDIAN     the median wait                          = 10 days
  // COUNT      the number of patients                   = 8
  const crude = (arm: Arm): ArmStratumSummary => ({
    arm,
    goldStage: null,
    patients: 8,
    practices: 2,
    meanAge: 70,
    profiles: {},
    means: Object.fromEntries(MEAN_INDICATORS.map((c) => [c, { n: 8, mean: 1.5, variance: 1 }])) as Record<MeanIndicator, MeanSummary>,
    proportions: Object.fromEntries(PROPORTION_INDICATORS.map((c) => [c, { successes: 6, n: 8 }])) as Record<
      ProportionIndicator,
      ProportionSummary
    >,
    rates: Object.fromEntries(RATE_INDICATORS.map((c) => [c, { events: 3, personYears: 4, n: 8 }])) as Record<RateIndicator, RateSummary>,
    waitDays: { n: 8, median: 10, p90: 20 },
  });
  const result = buildComparison([crude('BUNDLE'), crude('FFS')]);
  const EXPECTED: Record<IndicatorKind, { n: number; value: number }> = {
    MEAN: { n: 8, value: 1.5 },
    PROPORTION: { n: 8, value: 0.75 },
    RATE: { n: 8, value: 0.75 },
    MEDIAN: { n: 8, value: 10 },
    COUNT: { n: 8, value: 8 },
  };

  it.each(INDICATORS.map((i) => [i.code, i.kind] as const))(
    'should compute %s with the %s estimator when the comparison is built',
    (code, kind) => {
      const indicator = result.indicators.find((i) => i.code === code)!;
      expect(indicator.kind).toBe(kind);
      expect({ n: indicator.arms.BUNDLE.n, value: indicator.arms.BUNDLE.value }).toEqual(EXPECTED[kind]);
      // Equal arms: every estimator's difference is 0 (WAIT_DAYS 10 - 10, ENROLLED 8 - 8 included).
      expect(indicator.difference.value).toBe(0);
    },
  );
});

describe('the peer benchmark list', () => {
  it('should name 12 distinct catalogue indicators, volume first and the exacerbation rate last, when read in order', () => {
    const catalogue = new Set(INDICATORS.map((i) => i.code));
    expect(PEER_BENCHMARK_INDICATORS).toHaveLength(12);
    expect(new Set(PEER_BENCHMARK_INDICATORS).size).toBe(12);
    expect(PEER_BENCHMARK_INDICATORS.every((code) => catalogue.has(code))).toBe(true);
    expect([PEER_BENCHMARK_INDICATORS[0], PEER_BENCHMARK_INDICATORS[11]]).toEqual(['ENROLLED', 'EXACERBATION_RATE']);
  });
});
