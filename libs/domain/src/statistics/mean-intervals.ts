import { mean, sampleVariance } from './descriptives';
import { studentTQuantile } from './distribution-quantiles';
import { mdd } from './statistics-constants';

/** Sufficient statistics of one arm for a mean: what set-based SQL gives (count, avg, var_samp). */
export interface SampleStats {
  n: number;
  /** null when n = 0. */
  mean: number | null;
  /** Sample variance (n - 1 denominator); null when n < 2. */
  variance: number | null;
}

export interface MeanEstimate {
  n: number;
  value: number | null;
  /** 95% t interval on n - 1 degrees of freedom; null when n < 2. */
  ciLow: number | null;
  ciHigh: number | null;
  sd: number | null;
  se: number | null;
}

/** A difference a - b with its 95% CI, standard error and minimal detectable difference (80% power). */
export interface DifferenceEstimate {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  se: number | null;
  mdd: number | null;
}

export interface WelchDifferenceEstimate extends DifferenceEstimate {
  /** Welch-Satterthwaite degrees of freedom; null when there is no interval or both variances are zero. */
  df: number | null;
}

function checkStats(stats: SampleStats): void {
  if (!Number.isInteger(stats.n) || stats.n < 0)
    throw new RangeError(`n must be a whole number >= 0, got ${stats.n}`);
  if (stats.n > 0 && (stats.mean === null || !Number.isFinite(stats.mean))) {
    throw new RangeError(`a sample of n = ${stats.n} needs a finite mean`);
  }
  if (stats.n > 1 && (stats.variance === null || !Number.isFinite(stats.variance))) {
    throw new RangeError(`a sample of n = ${stats.n} needs a finite variance`);
  }
}

/** A variance aggregated in SQL can come out a hair below zero (-1e-18) from rounding; it means zero. */
function nonNegative(variance: number): number {
  return variance < 0 ? 0 : variance;
}

/** Count, mean and sample variance of raw values (the SampleStats SQL would give).
 *  Unit: the unit of the values. Source: DOMAIN.md 7. */
export function sampleStats(values: readonly number[]): SampleStats {
  return { n: values.length, mean: mean(values), variance: sampleVariance(values) };
}

/** Mean with its 95% t interval mean +/- t_{0.975, n-1} x s / sqrt(n); interval null when n < 2.
 *  Unit: the unit of the values. Source: DOMAIN.md 7 (means); Student (1908). */
export function meanIntervalFromStats(stats: SampleStats): MeanEstimate {
  checkStats(stats);
  const { n } = stats;
  if (n === 0) return { n, value: null, ciLow: null, ciHigh: null, sd: null, se: null };
  const value = stats.mean as number;
  if (n < 2) return { n, value, ciLow: null, ciHigh: null, sd: null, se: null };
  const variance = nonNegative(stats.variance as number);
  const sd = Math.sqrt(variance);
  const se = sd / Math.sqrt(n);
  const half = studentTQuantile(0.975, n - 1) * se;
  return { n, value, ciLow: value - half, ciHigh: value + half, sd, se };
}

/** Mean of raw values with its 95% t interval on n - 1 degrees of freedom (null when n < 2).
 *  Unit: the unit of the values. Source: DOMAIN.md 7 (means). */
export function meanInterval(values: readonly number[]): MeanEstimate {
  return meanIntervalFromStats(sampleStats(values));
}

/** Welch difference a - b: SE sqrt(s1^2/n1 + s2^2/n2), t on Welch-Satterthwaite df; CI null if an arm has n < 2.
 *  Unit: the unit of the values. Source: DOMAIN.md 7; Welch (1947) Biometrika 34:28-35, Satterthwaite (1946). */
export function welchDifferenceFromStats(a: SampleStats, b: SampleStats): WelchDifferenceEstimate {
  checkStats(a);
  checkStats(b);
  const value = a.n > 0 && b.n > 0 ? (a.mean as number) - (b.mean as number) : null;
  if (value === null || a.n < 2 || b.n < 2)
    return { value, ciLow: null, ciHigh: null, se: null, df: null, mdd: null };
  const va = nonNegative(a.variance as number) / a.n;
  const vb = nonNegative(b.variance as number) / b.n;
  const se = Math.sqrt(va + vb);
  // Both arms constant: no spread to estimate, the interval is the point itself (DOMAIN.md 7); df is 0/0.
  if (se === 0) return { value, ciLow: value, ciHigh: value, se: 0, df: null, mdd: 0 };
  const df = ((va + vb) * (va + vb)) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const half = studentTQuantile(0.975, df) * se;
  return { value, ciLow: value - half, ciHigh: value + half, se, df, mdd: mdd(se) };
}

/** Welch difference of the means of raw values a - b (see welchDifferenceFromStats).
 *  Unit: the unit of the values. Source: DOMAIN.md 7; Welch (1947). */
export function welchDifference(a: readonly number[], b: readonly number[]): WelchDifferenceEstimate {
  return welchDifferenceFromStats(sampleStats(a), sampleStats(b));
}
