import { studentTQuantile, chiSquareQuantile } from './distribution-quantiles';
import { mdd, Z95, Z_POWER80 } from './statistics-constants';

describe('fixed normal quantiles and MDD', () => {
  it('should use z_0.975 = 1.959964 and z_0.80 = 0.841621 when building intervals and MDDs', () => {
    // Standard normal table: Phi^-1(0.975) = 1.959964, Phi^-1(0.80) = 0.841621 (6 decimals)
    expect(Z95).toBe(1.959964);
    expect(Z_POWER80).toBe(0.841621);
  });

  it('should give (1.959964 + 0.841621) x SE when the SE is known', () => {
    // 2.801585 x 0.5 = 1.4007925
    expect(mdd(0.5)).toBeCloseTo(1.4007925, 12);
    expect(mdd(0)).toBe(0);
  });
});

describe('distribution quantiles (jstat)', () => {
  it.each([
    // Student t tables (e.g. Fisher & Yates; Abramowitz & Stegun 26.10): two-sided 95% critical values
    [1, 12.706205],
    [2, 4.302653],
    [4, 2.776445],
    [10, 2.228139],
    [30, 2.042272],
    [120, 1.97993],
  ])('should give the tabulated t_0.975 when df = %p', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 6);
  });

  it.each([
    // Chi-square tables (Abramowitz & Stegun 26.4): chi2_{0.025}(20) = 9.590777, chi2_{0.975}(2) = 7.377759,
    // chi2_{0.975}(22) = 36.780712
    [0.025, 20, 9.590777],
    [0.975, 2, 7.377759],
    [0.975, 22, 36.780712],
  ])('should give the tabulated chi-square quantile when p = %p and df = %p', (p, df, expected) => {
    expect(chiSquareQuantile(p, df)).toBeCloseTo(expected, 6);
  });

  it('should stay accurate when df is large (chi2_0.975(2002) = 2127.904272, SciPy chi2.ppf)', () => {
    // Wilson-Hilferty check: 2002 (1 - 2/18018 + 1.959964 sqrt(2/18018))^3 = 2127.906
    expect(chiSquareQuantile(0.975, 2002)).toBeCloseTo(2127.904272, 5);
  });

  it('should reject p outside (0, 1) when asked for a quantile', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => chiSquareQuantile(0, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
  });
});
