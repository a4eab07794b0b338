// Minimal typing for the part of jstat (MIT, no bundled types) that the statistics module uses:
// the inverse CDFs of Student's t and chi-square. Nothing else of jstat is used in libs/domain.
declare module 'jstat' {
  interface InverseCdf {
    /** Quantile: the x with P(X <= x) = p, for `dof` degrees of freedom. */
    inv(p: number, dof: number): number;
  }

  export const jStat: {
    studentt: InverseCdf;
    chisquare: InverseCdf;
  };
}
