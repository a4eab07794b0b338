import type { DifferenceEstimate } from './mean-intervals';
import { mdd, Z95 } from './statistics-constants';

export interface ProportionEstimate {
  successes: number;
  n: number;
  /** successes / n; null when n = 0. */
  value: number | null;
  /** 95% Wilson score interval; null when n = 0. */
  ciLow: number | null;
  ciHigh: number | null;
}

function checkCounts(successes: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be a whole number in 0..${n}, got ${successes}`);
  }
}

/** Wilson score interval (2np + z^2 -/+ z sqrt(z^2 + 4npq)) / (2(n + z^2)), z = 1.959964, no continuity correction.
 *  Unit: proportion 0..1. Source: DOMAIN.md 7; Wilson (1927) JASA 22:209-212; Newcombe (1998a) Stat Med 17:857-872, method 3. */
export function wilsonInterval(successes: number, n: number): ProportionEstimate {
  checkCounts(successes, n);
  if (n === 0) return { successes, n, value: null, ciLow: null, ciHigh: null };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = 2 * n * p + z2;
  const spread = Z95 * Math.sqrt(z2 + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z2);
  // At p = 0 and p = 1 the bound is exactly 0 or 1; pin it so rounding cannot leave 1e-17 outside [0, 1].
  const ciLow = successes === 0 ? 0 : Math.max(0, (centre - spread) / denominator);
  const ciHigh = successes === n ? 1 : Math.min(1, (centre + spread) / denominator);
  return { successes, n, value: p, ciLow, ciHigh };
}

/** Newcombe hybrid score interval for p1 - p2 from the Wilson limits (l_i, u_i):
 *  [d - sqrt((p1-l1)^2 + (u2-p2)^2), d + sqrt((u1-p1)^2 + (p2-l2)^2)]. MDD uses the unpooled SE.
 *  Unit: difference of proportions. Source: DOMAIN.md 7; Newcombe (1998) Stat Med 17:873-890, method 10. */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number): DifferenceEstimate {
  const a = wilsonInterval(x1, n1);
  const b = wilsonInterval(x2, n2);
  if (a.value === null || b.value === null)
    return { value: null, ciLow: null, ciHigh: null, se: null, mdd: null };
  const p1 = a.value;
  const p2 = b.value;
  const l1 = a.ciLow as number;
  const u1 = a.ciHigh as number;
  const l2 = b.ciLow as number;
  const u2 = b.ciHigh as number;
  const value = p1 - p2;
  const ciLow = value - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2);
  const ciHigh = value + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2);
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { value, ciLow, ciHigh, se, mdd: mdd(se) };
}
