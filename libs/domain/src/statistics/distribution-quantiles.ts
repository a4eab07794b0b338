// jstat ships no types. The reference pulls the local declaration into every program that compiles this
// file (the dashboard reaches it only through imports, not through an include glob).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./jstat.d.ts" />
import { jStat } from 'jstat';

// The only place that touches the distributions library, so it can be swapped without touching the
// estimators. jstat 1.9.6 was checked against SciPy 1.x: chi-square quantiles to ~5e-12 relative
// (including df > 2000, where @stdlib 0.2.3 is off by 1.5e-4), t quantiles to ~4e-8 relative.

/** Quantile of Student's t with `df` (may be fractional, Welch) degrees of freedom: t_{p, df}.
 *  Unit: standard errors. Source: jstat studentt.inv (regularised incomplete beta inverse). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`t quantile needs 0 < p < 1, got ${p}`);
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`t quantile needs df > 0, got ${df}`);
  return jStat.studentt.inv(p, df);
}

/** Quantile of the chi-square distribution with `df` degrees of freedom: chi2inv(p, df).
 *  Unit: none. Source: jstat chisquare.inv (regularised incomplete gamma inverse). */
export function chiSquareQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`chi-square quantile needs 0 < p < 1, got ${p}`);
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`chi-square quantile needs df > 0, got ${df}`);
  return jStat.chisquare.inv(p, df);
}
