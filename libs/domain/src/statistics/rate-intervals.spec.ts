import { poissonRateInterval, rateDifference } from './rate-intervals';

describe('poissonRateInterval', () => {
  // Exact Poisson limits on the count (Garwood 1936; tabulated in Ulm 1990 Am J Epidemiol 131:373-375):
  //   lower = chi2inv(0.025, 2c) / 2, upper = chi2inv(0.975, 2c + 2) / 2
  //   c = 0:  0 .. 7.377759 / 2 = 3.689
  //   c = 1:  0.050636 / 2 = 0.0253 .. 11.143287 / 2 = 5.572
  //   c = 5:  3.246973 / 2 = 1.623 .. 23.336664 / 2 = 11.668
  //   c = 10: 9.590777 / 2 = 4.795 .. 36.780712 / 2 = 18.390
  it.each([
    [0, 0, 3.689],
    [1, 0.0253, 5.572],
    [5, 1.623, 11.668],
    [10, 4.795, 18.39],
  ])('should match the exact Poisson table when the count is %p in one person-year', (count, low, high) => {
    const r = poissonRateInterval(count, 1);
    expect(r.value).toBe(count);
    expect(r.ciLow).toBeCloseTo(low, 3);
    expect(r.ciHigh).toBeCloseTo(high, 3);
  });

  it('should divide the count limits by person-years when exposure is not one year', () => {
    // 10 events in 2.5 person-years: 4 per year, 4.795389 / 2.5 = 1.918155 .. 18.390356 / 2.5 = 7.356142
    const r = poissonRateInterval(10, 2.5);
    expect(r.value).toBe(4);
    expect(r.ciLow).toBeCloseTo(1.918155, 6);
    expect(r.ciHigh).toBeCloseTo(7.356142, 6);
  });

  it('should give a lower limit of exactly 0 when the count is 0', () => {
    expect(poissonRateInterval(0, 12).ciLow).toBe(0);
  });

  it('should give null rate and interval when person-years are 0', () => {
    expect(poissonRateInterval(0, 0)).toEqual({
      count: 0,
      personYears: 0,
      value: null,
      ciLow: null,
      ciHigh: null,
    });
  });

  it('should reject a fractional or negative count when building the interval', () => {
    expect(() => poissonRateInterval(1.5, 1)).toThrow(RangeError);
    expect(() => poissonRateInterval(-1, 1)).toThrow(RangeError);
  });
});

describe('rateDifference', () => {
  it('should give r1 - r2 with a normal interval when both arms have exposure', () => {
    // r1 = 10 / 5 = 2, r2 = 4 / 4 = 1, difference 1
    // se = sqrt(10 / 25 + 4 / 16) = sqrt(0.4 + 0.25) = sqrt(0.65) = 0.806226
    // CI 1 -/+ 1.959964 x 0.806226 = 1 -/+ 1.580173 -> -0.580173 .. 2.580173; MDD 2.801585 x 0.8062258 = 2.258710
    const r = rateDifference(10, 5, 4, 4);
    expect(r.value).toBe(1);
    expect(r.se).toBeCloseTo(0.806226, 6);
    expect(r.ciLow).toBeCloseTo(-0.580173, 6);
    expect(r.ciHigh).toBeCloseTo(2.580173, 6);
    expect(r.mdd).toBeCloseTo(2.25871, 6);
  });

  it('should give a zero-width interval when neither arm has an event', () => {
    expect(rateDifference(0, 3, 0, 2)).toEqual({ value: 0, ciLow: 0, ciHigh: 0, se: 0, mdd: 0 });
  });

  it.each([
    [3, 0, 1, 2],
    [3, 2, 1, 0],
  ])('should give all nulls when an arm has zero person-years (%p/%p vs %p/%p)', (c1, t1, c2, t2) => {
    expect(rateDifference(c1, t1, c2, t2)).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      se: null,
      mdd: null,
    });
  });
});
