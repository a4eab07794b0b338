import type { Arm } from '../model';
import {
  clusteredIntervals,
  type ClusteredIntervals,
  type NaiveVarianceInput,
  type PracticeCluster,
} from '../statistics/clustered-intervals';
import { directStandardise, pooledStratumWeights } from '../statistics/direct-standardisation';
import * as stats from './comparison-statistics';
import {
  INDICATORS,
  type IndicatorDefinition,
  type MeanIndicator,
  type ProportionIndicator,
  type RateIndicator,
} from './catalogue';
import type {
  ArmResult,
  ArmStratumSummary,
  CaseMix,
  ComparisonResult,
  DifferenceResult,
  IndicatorResult,
  MeanSummary,
  ProportionSummary,
  RateSummary,
} from './comparison-types';

const GOLD_STAGES = ['2', '3', '4'];

/**
 * The arm comparison of DOMAIN.md sections 6-7 from per-arm, per-GOLD-stage sufficient statistics:
 * per arm n, crude value with 95% CI and the GOLD-standardised value; the difference BUNDLE - FFS with
 * its CI and the minimal detectable difference (80% power). Differences, CIs and MDDs use crude values.
 * The rows that carry `practice` are the same statistics per practice of the arm: the clusters of the
 * practice-clustered intervals (DOMAIN.md 7a). Without them every clustered interval has G = 0 (nulls).
 */
export function buildComparison(summaries: readonly ArmStratumSummary[]): ComparisonResult {
  const crude = (arm: Arm) =>
    summaries.find((s) => s.arm === arm && s.goldStage === null && s.practice === undefined);
  const strata = (arm: Arm) => summaries.filter((s) => s.arm === arm && s.goldStage !== null);
  const practices = (arm: Arm) => summaries.filter((s) => s.arm === arm && s.practice !== undefined);
  const view: ArmsView = {
    crude: { BUNDLE: crude('BUNDLE'), FFS: crude('FFS') },
    strata: { BUNDLE: strata('BUNDLE'), FFS: strata('FFS') },
    practices: { BUNDLE: practices('BUNDLE'), FFS: practices('FFS') },
  };
  return {
    practices: { BUNDLE: view.crude.BUNDLE?.practices ?? 0, FFS: view.crude.FFS?.practices ?? 0 },
    caseMix: { BUNDLE: caseMix(view, 'BUNDLE'), FFS: caseMix(view, 'FFS') },
    indicators: INDICATORS.map((definition) => indicator(definition, view)),
  };
}

interface ArmsView {
  crude: Record<Arm, ArmStratumSummary | undefined>;
  strata: Record<Arm, ArmStratumSummary[]>;
  practices: Record<Arm, ArmStratumSummary[]>;
}

function caseMix(view: ArmsView, arm: Arm): CaseMix {
  const goldStage = Object.fromEntries(
    GOLD_STAGES.map((stage) => [
      stage,
      view.strata[arm].find((s) => String(s.goldStage) === stage)?.patients ?? 0,
    ]),
  );
  const profiles = view.crude[arm]?.profiles ?? {};
  const profile = Object.fromEntries(
    ['1', '2', '3', '4', '5', '6'].map((p) => [p, Number(profiles[p] ?? 0)]),
  );
  return { goldStage, profile, meanAge: view.crude[arm]?.meanAge ?? null };
}

function indicator(definition: IndicatorDefinition, view: ArmsView): IndicatorResult {
  const base = { code: definition.code, unit: definition.unit, kind: definition.kind, mcid: definition.mcid };
  switch (definition.kind) {
    case 'MEAN':
      return { ...base, ...meanIndicator(definition.code as MeanIndicator, view) };
    case 'PROPORTION':
      return { ...base, ...proportionIndicator(definition.code as ProportionIndicator, view) };
    case 'RATE':
      return { ...base, ...rateIndicator(definition.code as RateIndicator, view) };
    case 'MEDIAN':
      return { ...base, ...waitDays(view) };
    case 'COUNT':
      return { ...base, ...enrolled(view) };
  }
}

type ArmsAndDifference = Pick<IndicatorResult, 'arms' | 'difference' | 'clustered'>;

const NO_DIFFERENCE: DifferenceResult = { value: null, ciLow: null, ciHigh: null, mdd: null };

function meanIndicator(code: MeanIndicator, view: ArmsView): ArmsAndDifference {
  const crude = (arm: Arm): MeanSummary =>
    view.crude[arm]?.means[code] ?? { n: 0, mean: null, variance: null };
  const adjusted = standardised(
    view,
    (s) => s.means[code].n,
    (s) => (s.means[code].n > 0 ? s.means[code].mean : null),
  );
  const arms = byArm((arm) => {
    const summary = crude(arm);
    const interval = stats.meanInterval(summary);
    return { n: summary.n, value: summary.n > 0 ? summary.mean : null, ...interval, ...adjusted[arm] };
  });
  const clustered = clusteredBy(
    view,
    (s) => {
      const { n, mean } = s.means[code];
      return { numerator: n > 0 && mean !== null ? mean * n : 0, denominator: n };
    },
    (arm) => ({ kind: 'MEAN', variance: crude(arm).variance, n: crude(arm).n }),
  );
  return { arms, difference: stats.meanDifference(crude('BUNDLE'), crude('FFS')), clustered };
}

function proportionIndicator(code: ProportionIndicator, view: ArmsView): ArmsAndDifference {
  const crude = (arm: Arm): ProportionSummary => view.crude[arm]?.proportions[code] ?? { successes: 0, n: 0 };
  // LOW_INTENSITY_QUARTERS counts quarters, but its adjustment weights are the patients with a judged quarter.
  const adjusted = standardised(
    view,
    (s) => s.proportions[code].patients ?? s.proportions[code].n,
    (s) => (s.proportions[code].n > 0 ? s.proportions[code].successes / s.proportions[code].n : null),
  );
  const arms = byArm((arm) => {
    const { successes, n } = crude(arm);
    return {
      n,
      value: n > 0 ? successes / n : null,
      ...stats.proportionInterval(successes, n),
      ...adjusted[arm],
    };
  });
  const clustered = clusteredBy(
    view,
    (s) => ({ numerator: s.proportions[code].successes, denominator: s.proportions[code].n }),
    (arm): NaiveVarianceInput => {
      const { successes, n } = crude(arm);
      const p = n > 0 ? successes / n : 0;
      // LOW_INTENSITY_QUARTERS counts judged quarters: its naive variance is per judged quarter (DOMAIN.md 7a).
      return code === 'LOW_INTENSITY_QUARTERS'
        ? { kind: 'LOW_INTENSITY', p, judgedQuarters: n }
        : { kind: 'PROPORTION', p, n };
    },
  );
  return { arms, difference: stats.proportionDifference(crude('BUNDLE'), crude('FFS')), clustered };
}

function rateIndicator(code: RateIndicator, view: ArmsView): ArmsAndDifference {
  const crude = (arm: Arm): RateSummary =>
    view.crude[arm]?.rates[code] ?? { events: 0, personYears: 0, n: 0 };
  const adjusted = standardised(
    view,
    (s) => s.rates[code].n,
    (s) => (s.rates[code].personYears > 0 ? s.rates[code].events / s.rates[code].personYears : null),
  );
  const arms = byArm((arm) => {
    const { events, personYears, n } = crude(arm);
    return {
      n,
      value: personYears > 0 ? events / personYears : null,
      ...stats.rateInterval(events, personYears),
      ...adjusted[arm],
    };
  });
  const clustered = clusteredBy(
    view,
    (s) => ({ numerator: s.rates[code].events, denominator: s.rates[code].personYears }),
    (arm) => ({ kind: 'RATE', events: crude(arm).events, personYears: crude(arm).personYears }),
  );
  return { arms, difference: stats.rateDifference(crude('BUNDLE'), crude('FFS')), clustered };
}

/** WAIT_DAYS: the median per arm (and p90); no interval, no adjustment; the difference of medians. */
function waitDays(view: ArmsView): ArmsAndDifference {
  const arms = byArm((arm): ArmResult => {
    const wait = view.crude[arm]?.waitDays;
    const n = wait?.n ?? 0;
    return {
      n,
      value: n > 0 ? (wait?.median ?? null) : null,
      ciLow: null,
      ciHigh: null,
      adjusted: null,
      adjustedNote: 'not adjusted (definition)',
      p90: n > 0 ? (wait?.p90 ?? null) : null,
    };
  });
  const difference =
    arms.BUNDLE.value !== null && arms.FFS.value !== null
      ? { ...NO_DIFFERENCE, value: arms.BUNDLE.value - arms.FFS.value }
      : NO_DIFFERENCE;
  return { arms, difference, clustered: null };
}

/** ENROLLED: the number of patients; the difference of counts. */
function enrolled(view: ArmsView): ArmsAndDifference {
  const arms = byArm((arm): ArmResult => {
    const n = view.crude[arm]?.patients ?? 0;
    return {
      n,
      value: n,
      ciLow: null,
      ciHigh: null,
      adjusted: null,
      adjustedNote: 'not adjusted (definition)',
    };
  });
  return { arms, difference: { ...NO_DIFFERENCE, value: arms.BUNDLE.n - arms.FFS.n }, clustered: null };
}

/**
 * DOMAIN.md 7a: the practices of each arm as clusters, T_g and D_g taken from the practice's own sufficient
 * statistics (the same SQL expressions as the arm's), and the naive variance of the arm's crude value for the
 * design effect. A practice with contracts in both arms has a row in each arm and so is a cluster in each.
 */
function clusteredBy(
  view: ArmsView,
  totals: (s: ArmStratumSummary) => Omit<PracticeCluster, 'practice'>,
  naive: (arm: Arm) => NaiveVarianceInput,
): ClusteredIntervals {
  const input = byArm((arm) => ({
    clusters: view.practices[arm].map((s) => ({ practice: s.practice!, ...totals(s) })),
    naive: naive(arm),
  }));
  return clusteredIntervals(input);
}

/**
 * Direct standardisation by GOLD stage (DOMAIN.md 7): w_s = share of stage s among the included patients
 * of both arms; an arm's adjusted value is sum_s w_s x (its estimate among its stage-s patients). A pooled
 * stage with no included patient in an arm leaves that arm's adjusted value null, with a note.
 */
function standardised(
  view: ArmsView,
  included: (s: ArmStratumSummary) => number,
  estimate: (s: ArmStratumSummary) => number | null,
): Record<Arm, Pick<ArmResult, 'adjusted' | 'adjustedNote'>> {
  const stratum = (arm: Arm, stage: string) => view.strata[arm].find((s) => String(s.goldStage) === stage);
  const count = (arm: Arm, stage: string) => {
    const s = stratum(arm, stage);
    return s ? included(s) : 0;
  };
  const pooled = GOLD_STAGES.map((stage) => ({
    stratum: stage,
    count: count('BUNDLE', stage) + count('FFS', stage),
  }));
  if (pooled.every((p) => p.count === 0))
    return byArm(() => ({ adjusted: null, adjustedNote: 'no included patients' }));
  const weights = pooledStratumWeights(pooled);
  return byArm((arm) => {
    const { value, missingStrata } = directStandardise(
      weights.map((w) => ({
        ...w,
        estimate: count(arm, w.stratum) > 0 ? estimate(stratum(arm, w.stratum)!) : null,
      })),
    );
    if (value === null) {
      return {
        adjusted: null,
        adjustedNote: `GOLD stage ${missingStrata.join(', ')} has no included patient in this arm`,
      };
    }
    return { adjusted: value, adjustedNote: 'directly standardised by GOLD stage' };
  });
}

function byArm<T>(make: (arm: Arm) => T): Record<Arm, T> {
  return { BUNDLE: make('BUNDLE'), FFS: make('FFS') };
}
