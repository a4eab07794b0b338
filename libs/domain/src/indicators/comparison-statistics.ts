import { meanIntervalFromStats, welchDifferenceFromStats } from '../statistics/mean-intervals';
import { newcombeDifference, wilsonInterval } from '../statistics/proportion-intervals';
import { poissonRateInterval, rateDifference as rateDiff } from '../statistics/rate-intervals';
import type { DifferenceResult, MeanSummary, ProportionSummary, RateSummary } from './comparison-types';

// The estimators of DOMAIN.md section 7 applied to the summaries the SQL produces (internal to indicators/).

type Interval = { ciLow: number | null; ciHigh: number | null };

export function meanInterval(summary: MeanSummary): Interval {
  const { ciLow, ciHigh } = meanIntervalFromStats(summary);
  return { ciLow, ciHigh };
}

/** Welch interval on BUNDLE - FFS; MDD from sqrt(s1^2/n1 + s2^2/n2). */
export function meanDifference(bundle: MeanSummary, ffs: MeanSummary): DifferenceResult {
  const { value, ciLow, ciHigh, mdd } = welchDifferenceFromStats(bundle, ffs);
  return { value, ciLow, ciHigh, mdd };
}

export function proportionInterval(successes: number, n: number): Interval {
  const { ciLow, ciHigh } = wilsonInterval(successes, n);
  return { ciLow, ciHigh };
}

/** Newcombe's hybrid score interval (method 10); MDD from the unpooled standard error. */
export function proportionDifference(bundle: ProportionSummary, ffs: ProportionSummary): DifferenceResult {
  const { value, ciLow, ciHigh, mdd } = newcombeDifference(bundle.successes, bundle.n, ffs.successes, ffs.n);
  return { value, ciLow, ciHigh, mdd };
}

export function rateInterval(events: number, personYears: number): Interval {
  const { ciLow, ciHigh } = poissonRateInterval(events, personYears);
  return { ciLow, ciHigh };
}

export function rateDifference(bundle: RateSummary, ffs: RateSummary): DifferenceResult {
  const { value, ciLow, ciHigh, mdd } = rateDiff(bundle.events, bundle.personYears, ffs.events, ffs.personYears);
  return { value, ciLow, ciHigh, mdd };
}
