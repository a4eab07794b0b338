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
  return medianOfSorted(sorted.length, (i) => sorted[i]);
}

/** Nearest-rank percentile: the value at 1-based position ceil(q n) of the sorted list (0 < q <= 1); null when n = 0.
 *  Unit: the unit of the values. Source: DOMAIN.md 6 (WAIT_DAYS p90); the nearest-rank method. */
export function percentileNearestRank(values: readonly number[], q: number): number | null {
  assertQuantile(q);
  assertFinite(values);
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  return sorted[nearestRank(sorted.length, q) - 1];
}

/**
 * A list of values given as its distinct values, each with how often it occurs (a histogram): what a per-group
 * summary keeps instead of the list (the comparison cells keep the wait days this way). counts[i] belongs to values[i].
 */
export interface CountedValues {
  values: readonly number[];
  counts: readonly number[];
}

/** median() of the list the counted values stand for (the same value, without writing the list out). */
export function medianOfCounted(counted: CountedValues): number | null {
  const { n, at } = sortedCounted(counted);
  return n === 0 ? null : medianOfSorted(n, at);
}

/** percentileNearestRank() of the list the counted values stand for. */
export function percentileNearestRankOfCounted(counted: CountedValues, q: number): number | null {
  assertQuantile(q);
  const { n, at } = sortedCounted(counted);
  return n === 0 ? null : at(nearestRank(n, q) - 1);
}

/** The middle value of n sorted values (at(i): the value at 0-based position i), the mean of the two middle ones for even n. */
function medianOfSorted(n: number, at: (i: number) => number): number {
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** The 1-based nearest rank ceil(q n), within 1 .. n. */
function nearestRank(n: number, q: number): number {
  // q n is often meant to be a whole number (0.9 x 30 = 27) but comes out as 27.000000000000004 in
  // floating point; ceil would then skip a rank. Snap products within 1e-9 of an integer onto it.
  const product = q * n;
  const nearest = Math.round(product);
  const rank = Math.abs(product - nearest) < 1e-9 ? nearest : Math.ceil(product);
  return Math.min(Math.max(rank, 1), n);
}

function assertQuantile(q: number): void {
  if (!(q > 0 && q <= 1)) throw new RangeError(`nearest-rank percentile needs 0 < q <= 1, got ${q}`);
}

/** The counted values in ascending order: how many there are, and the value at a 0-based position of the list. */
function sortedCounted(counted: CountedValues): { n: number; at: (i: number) => number } {
  if (counted.values.length !== counted.counts.length) throw new RangeError('counted values need one count per value');
  assertFinite(counted.values);
  const pairs = counted.values.map((v, i) => [v, counted.counts[i]] as const).filter(([, c]) => c > 0);
  for (const [, c] of pairs) {
    if (!Number.isInteger(c)) throw new RangeError(`counts must be whole numbers, got ${c}`);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const ends: number[] = [];
  let n = 0;
  for (const [, c] of pairs) ends.push((n += c));
  const at = (i: number) => {
    // The first pair whose cumulative count passes position i (binary search over the running totals).
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] > i) hi = mid;
      else lo = mid + 1;
    }
    return pairs[lo][0];
  };
  return { n, at };
}
