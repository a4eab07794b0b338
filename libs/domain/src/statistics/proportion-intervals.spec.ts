import { newcombeDifference, wilsonInterval } from './proportion-intervals';

describe('wilsonInterval', () => {
  // Newcombe (1998a) Stat Med 17:857-872, Table I, method 3 (Wilson score without continuity correction).
  // Wilson bound = (2r + z^2 -/+ z sqrt(z^2 + 4 r (1 - r/n))) / (2 (n + z^2)), z^2 = 3.841459
  //   81/263: (162 + 3.841459 -/+ 1.959964 sqrt(3.841459 + 224.212928)) / 533.682918 = 0.255289 .. 0.366210
  //   0/20: upper z^2 / (n + z^2) = 3.841459 / 23.841459 = 0.161125
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('should match Newcombe (1998a) Table I when %p of %p', (r, n, low, high) => {
    const w = wilsonInterval(r, n);
    expect(w.value).toBe(r / n);
    expect(w.ciLow).toBeCloseTo(low, 4);
    expect(w.ciHigh).toBeCloseTo(high, 4);
  });

  it('should pin the bound at exactly 0 when p = 0 and at exactly 1 when p = 1', () => {
    expect(wilsonInterval(0, 7).ciLow).toBe(0);
    expect(wilsonInterval(7, 7).ciHigh).toBe(1);
  });

  it('should give null value and interval when n = 0', () => {
    expect(wilsonInterval(0, 0)).toEqual({ successes: 0, n: 0, value: null, ciLow: null, ciHigh: null });
  });

  it('should give a 0..0.7935 interval when n = 1 and no success', () => {
    // 3.841459 / 4.841459 = 0.793451
    expect(wilsonInterval(0, 1).ciHigh).toBeCloseTo(0.793451, 6);
  });

  it('should reject impossible counts when successes exceed n', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
  });
});

describe('newcombeDifference', () => {
  // Newcombe (1998) Stat Med 17:873-890, Table II, method 10 (hybrid score, no continuity correction):
  //   L = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), U = d + sqrt((u1 - p1)^2 + (p2 - l2)^2), l/u the Wilson limits.
  // (a) 56/70 - 48/80: d = 0.2; Wilson 0.6918..0.8770 and 0.4905..0.7004;
  //     L = 0.2 - sqrt(0.1082^2 + 0.1004^2) = 0.0524, U = 0.2 + sqrt(0.0770^2 + 0.1095^2) = 0.3339
  // (e) 0/10 - 0/20: L = -u2 = -3.841459/23.841459 = -0.1611, U = u1 = 3.841459/13.841459 = 0.2775
  // (g) 10/10 - 0/20: L = 1 - sqrt(0.2775^2 + 0.1611^2) = 0.6791, U = 1 + sqrt(0 + 0) = 1
  // (c) 6/7 - 2/7: Wilson 0.4869..0.9743 and 0.0822..0.6411; L = 0.5714 - sqrt(0.3702^2 + 0.3554^2) = 0.0582,
  //     U = 0.5714 + sqrt(0.1172^2 + 0.2035^2) = 0.8062. (0.0217..0.8482, sometimes quoted for this row,
  //     is not what method 10's formula gives from these Wilson limits.)
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])('should match Newcombe Table II method 10 when %p/%p vs %p/%p', (x1, n1, x2, n2, low, high) => {
    const r = newcombeDifference(x1, n1, x2, n2);
    expect(r.value).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.ciLow).toBeCloseTo(low, 4);
    expect(r.ciHigh).toBeCloseTo(high, 4);
  });

  it('should use the unpooled SE for the MDD when p1 and p2 are known', () => {
    // 56/70 = 0.8, 48/80 = 0.6: se = sqrt(0.8 x 0.2 / 70 + 0.6 x 0.4 / 80) = sqrt(0.0022857 + 0.003) = 0.072703
    // MDD = 2.801585 x 0.0727029 = 0.203683
    const r = newcombeDifference(56, 70, 48, 80);
    expect(r.se).toBeCloseTo(0.072703, 6);
    expect(r.mdd).toBeCloseTo(0.203683, 6);
  });

  it('should give se 0 and mdd 0 but a real interval when p = 0 in both arms', () => {
    const r = newcombeDifference(0, 10, 0, 20);
    expect(r.se).toBe(0);
    expect(r.mdd).toBe(0);
    expect(r.ciHigh! - r.ciLow!).toBeGreaterThan(0.4);
  });

  it('should give all nulls when an arm has n = 0', () => {
    expect(newcombeDifference(3, 10, 0, 0)).toEqual({
      value: null,
      ciLow: null,
      ciHigh: null,
      se: null,
      mdd: null,
    });
  });
});
