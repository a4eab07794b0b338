// Case-mix adjustment by direct standardisation (DOMAIN.md 7): each arm's stratum-specific estimates are
// re-weighted to the pooled stratum mix of both arms, so arms with different GOLD-stage mixes can be compared.

export interface PooledStratumCount<K> {
  stratum: K;
  /** Included patients of this stratum in BOTH arms together (after the filters, for this indicator). */
  count: number;
}

export interface StratumWeight<K> {
  stratum: K;
  /** Share of the stratum in the pool, 0..1; the weights of all strata sum to 1. */
  weight: number;
}

export interface StandardisationStratum<K> extends StratumWeight<K> {
  /** This arm's value among its own patients of the stratum (same estimator as the crude value);
   *  null when the arm has no included patient in the stratum. */
  estimate: number | null;
}

export interface StandardisedValue<K> {
  /** sum_s w_s x estimate_s; null when a pooled stratum (w_s > 0) has no estimate in this arm, or the pool is empty. */
  value: number | null;
  /** The pooled strata this arm has no included patient in, in input order. */
  missingStrata: K[];
}

function checkDistinct<K>(strata: readonly { stratum: K }[]): void {
  const seen = new Set<K>();
  for (const { stratum } of strata) {
    if (seen.has(stratum)) throw new RangeError(`stratum ${String(stratum)} is listed twice`);
    seen.add(stratum);
  }
}

/** Pooled standard weights w_s = count_s / sum(count) over both arms' included patients; all 0 when the pool is empty.
 *  Unit: share 0..1. Source: DOMAIN.md 7 (case-mix adjusted value, directly standardised by GOLD stage). */
export function pooledStratumWeights<K>(counts: readonly PooledStratumCount<K>[]): StratumWeight<K>[] {
  checkDistinct(counts);
  let total = 0;
  for (const { stratum, count } of counts) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`stratum ${String(stratum)} needs a whole count >= 0, got ${count}`);
    }
    total += count;
  }
  return counts.map(({ stratum, count }) => ({ stratum, weight: total === 0 ? 0 : count / total }));
}

/** Directly standardised value sum_s w_s x estimate_s; null (with the missing strata named) when a pooled stratum has no estimate.
 *  Unit: the unit of the estimates. Source: DOMAIN.md 7; Rothman & Greenland, Modern Epidemiology (direct standardisation). */
export function directStandardise<K>(strata: readonly StandardisationStratum<K>[]): StandardisedValue<K> {
  checkDistinct(strata);
  let weightSum = 0;
  for (const { stratum, weight, estimate } of strata) {
    if (!Number.isFinite(weight) || weight < 0)
      throw new RangeError(`stratum ${String(stratum)} has weight ${weight}`);
    if (estimate !== null && !Number.isFinite(estimate)) {
      throw new RangeError(`stratum ${String(stratum)} has estimate ${estimate}`);
    }
    weightSum += weight;
  }
  if (weightSum === 0) return { value: null, missingStrata: [] };
  // Shares computed as count / total add up to 1 within a few ulps; anything further off is a caller's bug.
  if (Math.abs(weightSum - 1) > 1e-9) throw new RangeError(`stratum weights must sum to 1, got ${weightSum}`);

  // A stratum outside the pool (w_s = 0) neither counts nor makes the value missing.
  const pooled = strata.filter((s) => s.weight > 0);
  const missingStrata = pooled.filter((s) => s.estimate === null).map((s) => s.stratum);
  if (missingStrata.length > 0) return { value: null, missingStrata };
  let value = 0;
  for (const { weight, estimate } of pooled) value += weight * (estimate as number);
  return { value, missingStrata };
}
