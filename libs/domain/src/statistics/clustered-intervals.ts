import type { Arm } from '../model';
import { studentTQuantile } from './distribution-quantiles';
import { mdd } from './statistics-constants';

/** One practice (cluster) of one arm: the totals of the indicator's ratio over its included units. */
export interface PracticeCluster {
  /** AGB code of the practice; a practice with contracts in both arms appears once in each arm's input. */
  practice: string;
  /** T_g: sum of the patients' values (0/1 for a proportion), events, or low-intensity judged quarters. */
  numerator: number;
  /** D_g: patients included, patient-years, or judged quarters. A cluster with D_g = 0 is no cluster. */
  denominator: number;
}

/** The inputs of the naive (unclustered) variance of the arm's value, per estimator of DOMAIN.md 7 / 7a. */
export type NaiveVarianceInput =
  /** Sample variance s^2 (n - 1 denominator, null when n < 2) of the patients' values. */
  | { kind: 'MEAN'; variance: number | null; n: number }
  | { kind: 'PROPORTION'; p: number; n: number }
  | { kind: 'RATE'; events: number; personYears: number }
  | { kind: 'LOW_INTENSITY'; p: number; judgedQuarters: number };

export interface ClusteredArmInput {
  clusters: readonly PracticeCluster[];
  naive: NaiveVarianceInput;
}

export interface ClusteredArm {
  /** G: practices with at least one included unit (D_g > 0). */
  clusters: number;
  /** value -/+ t(G - 1, 0.975) x sqrt(V); null when G < 2. */
  ciLow: number | null;
  ciHigh: number | null;
  /** V / naive variance; null when V is null or the naive variance is 0 (or unknown). */
  designEffect: number | null;
}

export interface ClusteredDifference {
  ciLow: number | null;
  ciHigh: number | null;
  /** (V_B + V_F)^2 / (V_B^2 / (G_B - 1) + V_F^2 / (G_F - 1)); null when there is no interval or V_B + V_F = 0. */
  df: number | null;
  mdd: number | null;
}

export interface ClusteredIntervals {
  arms: Record<Arm, ClusteredArm>;
  difference: ClusteredDifference;
}

/** The arm's ratio estimate with its CR1 variance (both before any interval is drawn). */
export interface ClusterRobustVariance {
  clusters: number;
  /** sum T / sum D; null when G = 0. */
  value: number | null;
  /** CR1 variance of value; null when G < 2. */
  variance: number | null;
}

function checkCluster(c: PracticeCluster): void {
  if (!Number.isFinite(c.numerator)) throw new RangeError(`practice ${c.practice}: numerator must be finite`);
  if (!Number.isFinite(c.denominator) || c.denominator < 0) {
    throw new RangeError(`practice ${c.practice}: denominator must be finite and >= 0, got ${c.denominator}`);
  }
}

/** Ratio of totals sum T / sum D with its cluster-robust variance V = G/(G-1) x sum e_g^2 / (sum D)^2, e_g = T_g - value x D_g.
 *  Unit: the unit of the value (its square for V). Source: DOMAIN.md 7a (CR1, practice as cluster). */
export function clusterRobustVariance(clusters: readonly PracticeCluster[]): ClusterRobustVariance {
  clusters.forEach(checkCluster);
  // Only practices with at least one included unit are clusters of the arm (DOMAIN.md 7a).
  const kept = clusters.filter((c) => c.denominator > 0);
  const seen = new Set<string>();
  for (const c of kept) {
    if (seen.has(c.practice)) throw new RangeError(`practice ${c.practice} appears twice in one arm`);
    seen.add(c.practice);
  }
  const g = kept.length;
  if (g === 0) return { clusters: 0, value: null, variance: null };
  const sumT = kept.reduce((s, c) => s + c.numerator, 0);
  const sumD = kept.reduce((s, c) => s + c.denominator, 0);
  const value = sumT / sumD;
  if (g < 2) return { clusters: g, value, variance: null };
  const sumE2 = kept.reduce((s, c) => s + (c.numerator - value * c.denominator) ** 2, 0);
  return { clusters: g, value, variance: ((g / (g - 1)) * sumE2) / (sumD * sumD) };
}

/** Naive variance of the arm's value: s^2/n (mean), p(1-p)/n (proportion, low intensity per judged quarter), events/PY^2 (rate).
 *  Unit: square of the value's unit; null when it cannot be formed (n = 0, mean with n < 2). Source: DOMAIN.md 7a (design effect). */
export function naiveVariance(input: NaiveVarianceInput): number | null {
  switch (input.kind) {
    case 'MEAN':
      return input.n > 0 && input.variance !== null ? Math.max(0, input.variance) / input.n : null;
    case 'PROPORTION':
      return input.n > 0 ? (input.p * (1 - input.p)) / input.n : null;
    case 'RATE':
      return input.personYears > 0 ? input.events / (input.personYears * input.personYears) : null;
    case 'LOW_INTENSITY':
      return input.judgedQuarters > 0 ? (input.p * (1 - input.p)) / input.judgedQuarters : null;
  }
}

function armInterval(robust: ClusterRobustVariance, naive: NaiveVarianceInput): ClusteredArm {
  const { clusters, value, variance } = robust;
  if (value === null || variance === null) return { clusters, ciLow: null, ciHigh: null, designEffect: null };
  const half = studentTQuantile(0.975, clusters - 1) * Math.sqrt(variance);
  const naiveV = naiveVariance(naive);
  const designEffect = naiveV === null || naiveV === 0 ? null : variance / naiveV;
  return { clusters, ciLow: value - half, ciHigh: value + half, designEffect };
}

const NO_DIFFERENCE: ClusteredDifference = { ciLow: null, ciHigh: null, df: null, mdd: null };

function differenceInterval(b: ClusterRobustVariance, f: ClusterRobustVariance): ClusteredDifference {
  if (b.value === null || f.value === null || b.variance === null || f.variance === null)
    return NO_DIFFERENCE;
  const value = b.value - f.value;
  const sum = b.variance + f.variance;
  // Both arms without spread between practices: the interval is the point itself and df is 0/0 (DOMAIN.md 7a).
  if (sum === 0) return { ciLow: value, ciHigh: value, df: null, mdd: 0 };
  // A zero-variance arm adds 0 to the denominator, so df falls back to the other arm's G - 1.
  const df = (sum * sum) / (b.variance ** 2 / (b.clusters - 1) + f.variance ** 2 / (f.clusters - 1));
  const se = Math.sqrt(sum);
  const half = studentTQuantile(0.975, df) * se;
  return { ciLow: value - half, ciHigh: value + half, df, mdd: mdd(se) };
}

/** Practice-clustered 95% intervals per arm (t on G - 1 df) and for BUNDLE - FFS (Welch-type df), MDD and design effects.
 *  Unit: the indicator's unit (design effect: ratio). Source: DOMAIN.md 7a. */
export function clusteredIntervals(input: Record<Arm, ClusteredArmInput>): ClusteredIntervals {
  const bundle = clusterRobustVariance(input.BUNDLE.clusters);
  const ffs = clusterRobustVariance(input.FFS.clusters);
  return {
    arms: { BUNDLE: armInterval(bundle, input.BUNDLE.naive), FFS: armInterval(ffs, input.FFS.naive) },
    difference: differenceInterval(bundle, ffs),
  };
}
