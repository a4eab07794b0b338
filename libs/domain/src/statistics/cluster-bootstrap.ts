// Practice-level cluster bootstrap (DOMAIN.md 7): patients are assigned to an arm by their practice's contract,
// so patients of one practice are alike and the patient-level intervals are too narrow. Resampling whole
// practices, within each arm, keeps that correlation. Pure and reproducible: the seed is an argument.

import { mean, sampleVariance } from './descriptives';

/** mulberry32 pseudo-random generator: uniform numbers in [0, 1) from a 32-bit seed, same sequence for the same seed.
 *  Unit: none. Source: Tommy Ettinger's mulberry32 (public domain), 32-bit state, period 2^32. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ClusterBootstrapOptions {
  /** Number of bootstrap replicates, e.g. 2000. */
  replicates: number;
  /** 32-bit integer seed of the generator. */
  seed: number;
}

export interface ClusterBootstrapResult {
  /** Observed difference of patient-level means, a - b; null when an arm has no patient. */
  value: number | null;
  /** 95% percentile interval by nearest rank (ranks ceil(0.025 R) and ceil(0.975 R)); null when an arm has < 2 practices. */
  ciLow: number | null;
  ciHigh: number | null;
  /** Standard deviation of the replicate differences; null with the interval. */
  se: number | null;
  replicates: number;
  seed: number;
  /** Practices (clusters with at least one value) per arm. */
  clustersA: number;
  clustersB: number;
}

function resampledMean(clusters: readonly (readonly number[])[], random: () => number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < clusters.length; i++) {
    const cluster = clusters[Math.floor(random() * clusters.length)];
    for (const v of cluster) sum += v;
    count += cluster.length;
  }
  return sum / count;
}

/** Seeded cluster bootstrap of a difference of means a - b: resample practices with replacement within each arm.
 *  Unit: the unit of the values. Source: DOMAIN.md 7; Davison & Hinkley (1997) Bootstrap Methods, section 3.8. */
export function clusterBootstrapMeanDifference(
  clustersA: readonly (readonly number[])[],
  clustersB: readonly (readonly number[])[],
  options: ClusterBootstrapOptions,
): ClusterBootstrapResult {
  const { replicates, seed } = options;
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new RangeError(`replicates must be a whole number >= 1, got ${replicates}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  // A practice without a value for this indicator contributes nothing and is not a cluster.
  const a = clustersA.filter((c) => c.length > 0);
  const b = clustersB.filter((c) => c.length > 0);
  const meanA = mean(a.flat());
  const meanB = mean(b.flat());
  const value = meanA !== null && meanB !== null ? meanA - meanB : null;
  const base = { value, replicates, seed, clustersA: a.length, clustersB: b.length };
  // With one practice every resample is that practice: a zero-width interval would claim a certainty we lack.
  if (value === null || a.length < 2 || b.length < 2) return { ...base, ciLow: null, ciHigh: null, se: null };

  const random = mulberry32(seed);
  const differences: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const ra = resampledMean(a, random);
    const rb = resampledMean(b, random);
    differences.push(ra - rb);
  }
  differences.sort((x, y) => x - y);
  const rank = (q: number) => Math.min(Math.max(Math.ceil(q * replicates), 1), replicates);
  return {
    ...base,
    ciLow: differences[rank(0.025) - 1],
    ciHigh: differences[rank(0.975) - 1],
    se: replicates < 2 ? null : Math.sqrt(sampleVariance(differences) as number),
  };
}
