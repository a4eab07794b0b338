// Plain descriptive statistics over a list of per-patient values. Empty input gives null rather than NaN,
// so "no patient has this value" stays visible all the way to the API.

function assertFinite(values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`statistics need finite values, got ${v}`);
  }
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Arithmetic mean sum(x) / n; null when n = 0.
 *  Unit: the unit of the values. Source: DOMAIN.md 6 ("a mean indicator is the unweighted mean over patients"). */
export function mean(values: readonly number[]): number | null {
  assertFinite(values);
  if (values.length === 0) return null;
  // Summing deviations from the first value keeps identical values exact (mean of [0.1, 0.1, 0.1] is 0.1),
  // which the "both arms have zero variance" rule of DOMAIN.md 7 depends on.
  const shift = values[0];
  let sum = 0;
  for (const v of values) sum += v - shift;
  return shift + sum / values.length;
}

/** Sample variance sum((x - mean)^2) / (n - 1); null when n < 2.
 *  Unit: the unit of the values, squared. Source: DOMAIN.md 7 (t interval on n - 1 degrees of freedom). */
export function sampleVariance(values: readonly number[]): number | null {
  if (values.length < 2) {
    assertFinite(values);
    return null;
  }
  const m = mean(values) as number;
  let sumSquares = 0;
  for (const v of values) sumSquares += (v - m) * (v - m);
  return sumSquares / (values.length - 1);
}

/** Median: the middle value of the sorted list, for even n the mean of the two middle values; null when n = 0.
 *  Unit: the unit of the values. Source: DOMAIN.md 6 (WAIT_DAYS). */
export function median(values: readonly number[]): number | null {
  assertFinite(values);
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile: the value at 1-based position ceil(q n) of the sorted list (0 < q <= 1); null when n = 0.
 *  Unit: the unit of the values. Source: DOMAIN.md 6 (WAIT_DAYS p90); the nearest-rank method. */
export function percentileNearestRank(values: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`nearest-rank percentile needs 0 < q <= 1, got ${q}`);
  assertFinite(values);
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  // q n is often meant to be a whole number (0.9 x 30 = 27) but comes out as 27.000000000000004 in
  // floating point; ceil would then skip a rank. Snap products within 1e-9 of an integer onto it.
  const product = q * sorted.length;
  const nearest = Math.round(product);
  const rank = Math.abs(product - nearest) < 1e-9 ? nearest : Math.ceil(product);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}
