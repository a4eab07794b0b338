/** Two-sided 95% normal quantile z_{0.975}, fixed to 6 decimals so recomputed figures agree (DOMAIN.md 7). */
export const Z95 = 1.959964;

/** Normal quantile z_{0.80} for 80% power (DOMAIN.md 7). */
export const Z_POWER80 = 0.841621;

/** Minimal detectable difference at 80% power, two-sided alpha 0.05: (1.959964 + 0.841621) x SE.
 *  Unit: the unit of the difference. Source: DOMAIN.md 7. */
export function mdd(se: number): number {
  return (Z95 + Z_POWER80) * se;
}
