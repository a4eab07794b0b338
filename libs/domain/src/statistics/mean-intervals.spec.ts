import {
  meanInterval,
  meanIntervalFromStats,
  sampleStats,
  welchDifference,
  welchDifferenceFromStats,
} from './mean-intervals';

describe('meanInterval', () => {
  it('should give mean +/- t_{0.975,10} x se when values are 0..10', () => {
    // n = 11, mean 5, s^2 = 110 / 10 = 11, sd = 3.316625, se = sqrt(11 / 11) = 1
    // t_{0.975,10} = 2.228139 (Student t table) -> 5 -/+ 2.228139 = 2.771861 .. 7.228139
    const r = meanInterval([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.n).toBe(11);
    expect(r.value).toBe(5);
    expect(r.sd).toBeCloseTo(3.316625, 6);
    expect(r.se).toBeCloseTo(1, 12);
    expect(r.ciLow).toBeCloseTo(2.771861, 6);
    expect(r.ciHigh).toBeCloseTo(7.228139, 6);
  });

  it('should use t_{0.975,1} = 12.7062 when n = 2', () => {
    // [0, 2]: mean 1, s^2 = (1 + 1) / 1 = 2, se = sqrt(2 / 2) = 1 -> 1 -/+ 12.706205
    const r = meanInterval([0, 2]);
    expect(r.ciLow).toBeCloseTo(1 - 12.706205, 6);
    expect(r.ciHigh).toBeCloseTo(1 + 12.706205, 6);
  });

  it('should give the value and a null interval when n = 1', () => {
    expect(meanInterval([42])).toEqual({ n: 1, value: 42, ciLow: null, ciHigh: null, sd: null, se: null });
  });

  it('should give all nulls when n = 0', () => {
    expect(meanInterval([])).toEqual({ n: 0, value: null, ciLow: null, ciHigh: null, sd: null, se: null });
  });

  it('should give a zero-width interval when all values are equal', () => {
    expect(meanInterval([3, 3, 3])).toEqual({ n: 3, value: 3, ciLow: 3, ciHigh: 3, sd: 0, se: 0 });
  });

  it('should give the same interval when only SQL summary statistics are known', () => {
    // count 11, avg 5, var_samp 11: the 0..10 example again
    const fromStats = meanIntervalFromStats({ n: 11, mean: 5, variance: 11 });
    expect(fromStats.ciLow).toBeCloseTo(2.771861, 6);
    expect(fromStats).toEqual(meanInterval([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });

  it('should reject summary statistics that lack a variance when n >= 2', () => {
    expect(() => meanIntervalFromStats({ n: 3, mean: 1, variance: null })).toThrow(RangeError);
  });
});

describe('welchDifference', () => {
  // Worked by hand: a = [2, 4, 6, 8], b = [1, 2, 3]
  //   mean a = 5, s_a^2 = (9 + 1 + 1 + 9) / 3 = 20/3; mean b = 2, s_b^2 = (1 + 0 + 1) / 2 = 1
  //   difference 5 - 2 = 3; se^2 = (20/3)/4 + 1/3 = 5/3 + 1/3 = 2, se = sqrt(2) = 1.414214
  //   df = 2^2 / ((5/3)^2 / 3 + (1/3)^2 / 2) = 4 / (25/27 + 1/18) = 4 / (53/54) = 216/53 = 4.075472
  //   t_{0.975, 4.075472} = 2.756285 (between the tabulated 2.776445 at df 4 and 2.570582 at df 5)
  //   CI 3 -/+ 2.756285 x 1.414214 = 3 -/+ 3.897975 -> -0.897975 .. 6.897975
  //   MDD (1.959964 + 0.841621) x 1.414214 = 3.962040
  // (SciPy ttest_ind(a, b, equal_var=False) agrees: t = 2.121320 = 3 / sqrt(2), df = 4.075472.)
  it('should give the hand-worked Welch interval when a = [2, 4, 6, 8] and b = [1, 2, 3]', () => {
    const r = welchDifference([2, 4, 6, 8], [1, 2, 3]);
    expect(r.value).toBe(3);
    expect(r.se).toBeCloseTo(Math.SQRT2, 12);
    expect(r.df).toBeCloseTo(216 / 53, 12);
    expect(r.ciLow).toBeCloseTo(-0.897975, 6);
    expect(r.ciHigh).toBeCloseTo(6.897975, 6);
    expect(r.mdd).toBeCloseTo(3.96204, 5);
  });

  it('should give the same result when the arms come as summary statistics', () => {
    // n1 = 40, mean 30, var 400; n2 = 50, mean 20, var 225
    //   va = 400/40 = 10, vb = 225/50 = 4.5, se = sqrt(14.5) = 3.807887
    //   df = 14.5^2 / (10^2/39 + 4.5^2/49) = 210.25 / (2.564103 + 0.413265) = 70.616064
    //   t_{0.975, 70.616} = 1.994131 -> 10 -/+ 7.593426 = 2.406574 .. 17.593426; MDD 2.801585 x 3.807887 = 10.668118
    const r = welchDifferenceFromStats(
      { n: 40, mean: 30, variance: 400 },
      { n: 50, mean: 20, variance: 225 },
    );
    expect(r.value).toBe(10);
    expect(r.se).toBeCloseTo(3.807887, 6);
    expect(r.df).toBeCloseTo(70.616064, 5);
    expect(r.ciLow).toBeCloseTo(2.406574, 5);
    expect(r.ciHigh).toBeCloseTo(17.593426, 5);
    expect(r.mdd).toBeCloseTo(10.668118, 5);
    expect(welchDifference([2, 4, 6, 8], [1, 2, 3])).toEqual(
      welchDifferenceFromStats(sampleStats([2, 4, 6, 8]), sampleStats([1, 2, 3])),
    );
  });

  it('should give the point itself as interval when both arms have zero variance', () => {
    expect(welchDifference([5, 5, 5], [2, 2])).toEqual({
      value: 3,
      ciLow: 3,
      ciHigh: 3,
      se: 0,
      df: null,
      mdd: 0,
    });
  });

  it("should use the other arm's n - 1 as df when only one arm has zero variance", () => {
    // a = [5, 5, 5] (var 0), b = [1, 2, 3] (mean 2, var 1): se = sqrt(0 + 1/3) = 0.577350, df = 2
    // t_{0.975,2} = 4.302653 -> 3 -/+ 2.484138 = 0.515862 .. 5.484138
    const r = welchDifference([5, 5, 5], [1, 2, 3]);
    expect(r.df).toBeCloseTo(2, 12);
    expect(r.ciLow).toBeCloseTo(0.515862, 6);
    expect(r.ciHigh).toBeCloseTo(5.484138, 6);
  });

  it.each([
    [[4], [1, 2, 3], 2],
    [[1, 2, 3], [4], -2],
  ])('should give the difference but no interval when an arm has n = 1 (%j vs %j)', (a, b, value) => {
    expect(welchDifference(a, b)).toEqual({
      value,
      ciLow: null,
      ciHigh: null,
      se: null,
      df: null,
      mdd: null,
    });
  });

  it('should give all nulls when an arm has n = 0', () => {
    expect(welchDifference([], [1, 2, 3])).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      se: null,
      df: null,
      mdd: null,
    });
  });
});
