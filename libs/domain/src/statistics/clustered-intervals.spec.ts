import {
  clusteredIntervals,
  clusterRobustVariance,
  naiveVariance,
  type ClusteredArmInput,
  type PracticeCluster,
} from './clustered-intervals';

// t quantiles used below (jstat studentt.inv via studentTQuantile, agreeing with the Student t table):
//   t(1, 0.975) = 12.7062047, t(2, 0.975) = 4.30265273
// and Z95 + Z_POWER80 = 1.959964 + 0.841621 = 2.801585 for the MDD.

const cluster = (practice: string, numerator: number, denominator: number): PracticeCluster => ({
  practice,
  numerator,
  denominator,
});

// Mean arms used in several cases (T_g = sum of the patients' values, D_g = patients).
// BUNDLE: A 10/2, B 12/3, C 20/5 -> value 42 / 10 = 4.2
//   e = 10 - 8.4 = 1.6, 12 - 12.6 = -0.6, 20 - 21 = -1; sum e^2 = 2.56 + 0.36 + 1 = 3.92
//   V = 3/2 x 3.92 / 10^2 = 0.0588, sqrt V = 0.242487
//   CI 4.2 -/+ 4.30265273 x 0.242487 = 4.2 -/+ 1.043338 -> 3.156662 .. 5.243338
//   naive s^2 / n = 2 / 10 = 0.2 -> design effect 0.0588 / 0.2 = 0.294
const MEAN_BUNDLE: ClusteredArmInput = {
  clusters: [cluster('01000001', 10, 2), cluster('01000002', 12, 3), cluster('01000003', 20, 5)],
  naive: { kind: 'MEAN', variance: 2, n: 10 },
};
// FFS: X 4/2, Y 9/3, Z 7/5 -> value 20 / 10 = 2
//   e = 4 - 4 = 0, 9 - 6 = 3, 7 - 10 = -3; sum e^2 = 18; V = 3/2 x 18 / 100 = 0.27, sqrt V = 0.519615
//   CI 2 -/+ 4.30265273 x 0.519615 = 2 -/+ 2.235724 -> -0.235724 .. 4.235724
//   naive 1.5 / 10 = 0.15 -> design effect 0.27 / 0.15 = 1.8
const MEAN_FFS: ClusteredArmInput = {
  clusters: [cluster('02000001', 4, 2), cluster('02000002', 9, 3), cluster('02000003', 7, 5)],
  naive: { kind: 'MEAN', variance: 1.5, n: 10 },
};

describe('clusteredIntervals', () => {
  it('should give CR1 intervals, Welch-type df and design effects when a mean has 3 practices per arm', () => {
    // Difference 4.2 - 2 = 2.2; V_B + V_F = 0.0588 + 0.27 = 0.3288, SE = sqrt(0.3288) = 0.573411
    //   df = 0.3288^2 / (0.0588^2 / 2 + 0.27^2 / 2) = 0.10810944 / (0.00172872 + 0.03645) = 2.831667
    //   t(2.831667, 0.975) = 3.292196 -> 2.2 -/+ 1.887781 = 0.312219 .. 4.087781
    //   MDD 2.801585 x 0.573411 = 1.606459
    const r = clusteredIntervals({ BUNDLE: MEAN_BUNDLE, FFS: MEAN_FFS });
    expect(r.arms.BUNDLE.clusters).toBe(3);
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(3.156662, 6);
    expect(r.arms.BUNDLE.ciHigh).toBeCloseTo(5.243338, 6);
    expect(r.arms.BUNDLE.designEffect).toBeCloseTo(0.294, 9);
    expect(r.arms.FFS.clusters).toBe(3);
    expect(r.arms.FFS.ciLow).toBeCloseTo(-0.235724, 6);
    expect(r.arms.FFS.ciHigh).toBeCloseTo(4.235724, 6);
    expect(r.arms.FFS.designEffect).toBeCloseTo(1.8, 9);
    expect(r.difference.df).toBeCloseTo(2.831667, 6);
    expect(r.difference.ciLow).toBeCloseTo(0.312219, 6);
    expect(r.difference.ciHigh).toBeCloseTo(4.087781, 6);
    expect(r.difference.mdd).toBeCloseTo(1.606459, 6);
  });

  it('should treat a proportion as a ratio of 0/1 totals when clusters count successes over patients', () => {
    // BUNDLE: 3/4, 1/4, 2/2 -> p = 6 / 10 = 0.6; e = 0.6, -1.4, 0.8; sum e^2 = 0.36 + 1.96 + 0.64 = 2.96
    //   V = 3/2 x 2.96 / 100 = 0.0444, sqrt V = 0.210713; CI 0.6 -/+ 4.30265273 x 0.210713 = 0.6 -/+ 0.906625
    //   naive p(1 - p) / n = 0.24 / 10 = 0.024 -> design effect 0.0444 / 0.024 = 1.85
    // FFS: 1/5, 4/5 -> p = 0.5; e = -1.5, 1.5; sum e^2 = 4.5; V = 2/1 x 4.5 / 100 = 0.09, sqrt V = 0.3
    //   CI 0.5 -/+ 12.7062047 x 0.3 = 0.5 -/+ 3.811861; naive 0.25 / 10 = 0.025 -> design effect 3.6
    // Difference 0.1; V sum 0.1344, SE 0.366606; df = 0.1344^2 / (0.0444^2 / 2 + 0.09^2 / 1)
    //   = 0.01806336 / (0.00098568 + 0.0081) = 1.988113; t(1.988113, 0.975) = 4.327399
    //   CI 0.1 -/+ 1.586451 -> -1.486451 .. 1.686451; MDD 2.801585 x 0.366606 = 1.027078
    const r = clusteredIntervals({
      BUNDLE: {
        clusters: [cluster('A', 3, 4), cluster('B', 1, 4), cluster('C', 2, 2)],
        naive: { kind: 'PROPORTION', p: 0.6, n: 10 },
      },
      FFS: {
        clusters: [cluster('X', 1, 5), cluster('Y', 4, 5)],
        naive: { kind: 'PROPORTION', p: 0.5, n: 10 },
      },
    });
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(-0.306625, 6);
    expect(r.arms.BUNDLE.ciHigh).toBeCloseTo(1.506625, 6);
    expect(r.arms.BUNDLE.designEffect).toBeCloseTo(1.85, 9);
    expect(r.arms.FFS.clusters).toBe(2);
    expect(r.arms.FFS.ciLow).toBeCloseTo(-3.311861, 6);
    expect(r.arms.FFS.ciHigh).toBeCloseTo(4.311861, 6);
    expect(r.arms.FFS.designEffect).toBeCloseTo(3.6, 9);
    expect(r.difference.df).toBeCloseTo(1.988113, 6);
    expect(r.difference.ciLow).toBeCloseTo(-1.486451, 6);
    expect(r.difference.ciHigh).toBeCloseTo(1.686451, 6);
    expect(r.difference.mdd).toBeCloseTo(1.027078, 6);
  });

  it('should use events over patient-years when the indicator is a rate', () => {
    // BUNDLE: 4 events / 2 PY, 1 / 1, 1 / 1 -> rate 6 / 4 = 1.5; e = 4 - 3 = 1, -0.5, -0.5; sum e^2 = 1.5
    //   V = 3/2 x 1.5 / 16 = 0.140625, sqrt V = 0.375; CI 1.5 -/+ 4.30265273 x 0.375 = 1.5 -/+ 1.613495
    //   naive events / PY^2 = 6 / 16 = 0.375 -> design effect 0.140625 / 0.375 = 0.375
    // FFS: 2 / 2, 0 / 2 -> rate 0.5; e = 1, -1; V = 2 x 2 / 16 = 0.25, sqrt V = 0.5
    //   CI 0.5 -/+ 12.7062047 x 0.5 = 0.5 -/+ 6.353102; naive 2 / 16 = 0.125 -> design effect 2
    // Difference 1; V sum 0.390625, SE 0.625; df = 0.390625^2 / (0.140625^2 / 2 + 0.25^2 / 1)
    //   = 0.152587890625 / 0.0723876953125 = 2.107926; t(2.107926, 0.975) = 4.098289
    //   CI 1 -/+ 2.561431 -> -1.561431 .. 3.561431; MDD 2.801585 x 0.625 = 1.750991
    const r = clusteredIntervals({
      BUNDLE: {
        clusters: [cluster('A', 4, 2), cluster('B', 1, 1), cluster('C', 1, 1)],
        naive: { kind: 'RATE', events: 6, personYears: 4 },
      },
      FFS: {
        clusters: [cluster('X', 2, 2), cluster('Y', 0, 2)],
        naive: { kind: 'RATE', events: 2, personYears: 4 },
      },
    });
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(-0.113495, 6);
    expect(r.arms.BUNDLE.ciHigh).toBeCloseTo(3.113495, 6);
    expect(r.arms.BUNDLE.designEffect).toBeCloseTo(0.375, 9);
    expect(r.arms.FFS.ciLow).toBeCloseTo(-5.853102, 6);
    expect(r.arms.FFS.ciHigh).toBeCloseTo(6.853102, 6);
    expect(r.arms.FFS.designEffect).toBeCloseTo(2, 9);
    expect(r.difference.df).toBeCloseTo(2.107926, 6);
    expect(r.difference.ciLow).toBeCloseTo(-1.561431, 6);
    expect(r.difference.ciHigh).toBeCloseTo(3.561431, 6);
    expect(r.difference.mdd).toBeCloseTo(1.750991, 6);
  });

  it('should count judged quarters as units when the indicator is LOW_INTENSITY_QUARTERS', () => {
    // BUNDLE: 1 low of 4 judged, 3 of 4 -> p = 4 / 8 = 0.5; e = -1, 1; V = 2 x 2 / 64 = 0.0625, sqrt V = 0.25
    //   CI 0.5 -/+ 12.7062047 x 0.25 = 0.5 -/+ 3.176551; naive p(1 - p) / quarters = 0.25 / 8 = 0.03125 -> deff 2
    // FFS: 0/2, 1/3, 2/5 -> p = 3 / 10 = 0.3; e = -0.6, 0.1, 0.5; sum e^2 = 0.62; V = 3/2 x 0.62 / 100 = 0.0093
    //   sqrt V = 0.096437; CI 0.3 -/+ 4.30265273 x 0.096437 = 0.3 -/+ 0.414933
    //   naive 0.21 / 10 = 0.021 -> design effect 0.0093 / 0.021 = 0.442857
    // Difference 0.2; V sum 0.0718, SE 0.267955; df = 0.0718^2 / (0.0625^2 / 1 + 0.0093^2 / 2)
    //   = 0.00515524 / 0.003949495 = 1.305291; t(1.305291, 0.975) = 7.449389
    //   CI 0.2 -/+ 1.996103 -> -1.796103 .. 2.196103; MDD 2.801585 x 0.267955 = 0.750699
    const r = clusteredIntervals({
      BUNDLE: {
        clusters: [cluster('A', 1, 4), cluster('B', 3, 4)],
        naive: { kind: 'LOW_INTENSITY', p: 0.5, judgedQuarters: 8 },
      },
      FFS: {
        clusters: [cluster('X', 0, 2), cluster('Y', 1, 3), cluster('Z', 2, 5)],
        naive: { kind: 'LOW_INTENSITY', p: 0.3, judgedQuarters: 10 },
      },
    });
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(-2.676551, 6);
    expect(r.arms.BUNDLE.ciHigh).toBeCloseTo(3.676551, 6);
    expect(r.arms.BUNDLE.designEffect).toBeCloseTo(2, 9);
    expect(r.arms.FFS.ciLow).toBeCloseTo(-0.114933, 6);
    expect(r.arms.FFS.ciHigh).toBeCloseTo(0.714933, 6);
    expect(r.arms.FFS.designEffect).toBeCloseTo(0.442857, 6);
    expect(r.difference.df).toBeCloseTo(1.305291, 6);
    expect(r.difference.ciLow).toBeCloseTo(-1.796103, 6);
    expect(r.difference.ciHigh).toBeCloseTo(2.196103, 6);
    expect(r.difference.mdd).toBeCloseTo(0.750699, 6);
  });

  it('should give a null arm and a null difference when an arm has one practice', () => {
    // BUNDLE G = 1: V = G/(G-1) x ... is undefined -> null; FFS keeps its own interval (mean example above).
    const r = clusteredIntervals({
      BUNDLE: { clusters: [cluster('A', 5, 2)], naive: { kind: 'MEAN', variance: 1, n: 2 } },
      FFS: MEAN_FFS,
    });
    expect(r.arms.BUNDLE).toEqual({ clusters: 1, ciLow: null, ciHigh: null, designEffect: null });
    expect(r.arms.FFS.ciLow).toBeCloseTo(-0.235724, 6);
    expect(r.arms.FFS.ciHigh).toBeCloseTo(4.235724, 6);
    expect(r.arms.FFS.designEffect).toBeCloseTo(1.8, 9);
    expect(r.difference).toEqual({ ciLow: null, ciHigh: null, df: null, mdd: null });
  });

  it('should give a null arm and a null difference when an arm has no practice', () => {
    const r = clusteredIntervals({
      BUNDLE: MEAN_BUNDLE,
      FFS: { clusters: [], naive: { kind: 'MEAN', variance: null, n: 0 } },
    });
    expect(r.arms.FFS).toEqual({ clusters: 0, ciLow: null, ciHigh: null, designEffect: null });
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(3.156662, 6);
    expect(r.difference).toEqual({ ciLow: null, ciHigh: null, df: null, mdd: null });
  });

  it('should give point intervals, df null and MDD 0 when every practice has the same ratio in both arms', () => {
    // BUNDLE: 2/1, 4/2, 6/3 -> value 2, e = 0, 0, 0 -> V = 0 -> interval 2 .. 2
    //   naive s^2 / n = 1.5 / 6 = 0.25 > 0 -> design effect 0 / 0.25 = 0
    // FFS: 1/2, 2/4 -> value 0.5, V = 0; naive variance 0 (all values equal) -> design effect null
    // Difference 1.5: V_B + V_F = 0 -> the point itself, df 0/0 -> null, MDD 2.801585 x 0 = 0
    const r = clusteredIntervals({
      BUNDLE: {
        clusters: [cluster('A', 2, 1), cluster('B', 4, 2), cluster('C', 6, 3)],
        naive: { kind: 'MEAN', variance: 1.5, n: 6 },
      },
      FFS: { clusters: [cluster('X', 1, 2), cluster('Y', 2, 4)], naive: { kind: 'MEAN', variance: 0, n: 6 } },
    });
    expect(r.arms.BUNDLE).toEqual({ clusters: 3, ciLow: 2, ciHigh: 2, designEffect: 0 });
    expect(r.arms.FFS).toEqual({ clusters: 2, ciLow: 0.5, ciHigh: 0.5, designEffect: null });
    expect(r.difference).toEqual({ ciLow: 1.5, ciHigh: 1.5, df: null, mdd: 0 });
  });

  it('should fall back to the other arm G - 1 degrees of freedom when one arm has V = 0', () => {
    // BUNDLE: 3/1, 6/2, 9/3 -> value 3, V = 0; FFS: the mean example, value 2, V = 0.27
    //   df = 0.27^2 / (0 + 0.27^2 / 2) = 2; SE = sqrt(0.27) = 0.519615
    //   CI 1 -/+ 4.30265273 x 0.519615 = 1 -/+ 2.235724 -> -1.235724 .. 3.235724; MDD 2.801585 x 0.519615 = 1.455746
    const r = clusteredIntervals({
      BUNDLE: {
        clusters: [cluster('A', 3, 1), cluster('B', 6, 2), cluster('C', 9, 3)],
        naive: { kind: 'MEAN', variance: 1, n: 6 },
      },
      FFS: MEAN_FFS,
    });
    expect(r.arms.BUNDLE).toEqual({ clusters: 3, ciLow: 3, ciHigh: 3, designEffect: 0 });
    expect(r.difference.df).toBeCloseTo(2, 9);
    expect(r.difference.ciLow).toBeCloseTo(-1.235724, 6);
    expect(r.difference.ciHigh).toBeCloseTo(3.235724, 6);
    expect(r.difference.mdd).toBeCloseTo(1.455746, 6);
  });

  it('should count a practice with contracts in both arms as one cluster in each arm', () => {
    // Practice P1 is in both inputs. BUNDLE: P1 1/1, P2 3/1 -> value 2, e = -1, 1, V = 2 x 2 / 4 = 1
    //   CI 2 -/+ 12.7062047 x 1 -> -10.706205 .. 14.706205; naive 2 / 2 = 1 -> design effect 1
    // FFS: P1 0/2, P3 2/2 -> value 0.5, e = -1, 1, V = 2 x 2 / 16 = 0.25, sqrt V = 0.5
    //   CI 0.5 -/+ 6.353102 -> -5.853102 .. 6.853102; naive (1/3) / 4 = 1/12 -> design effect 3
    // Difference 1.5; V sum 1.25, SE 1.118034; df = 1.5625 / (1 / 1 + 0.0625 / 1) = 25/17 = 1.470588
    //   t(1.470588, 0.975) = 6.188115 -> 1.5 -/+ 6.918523 = -5.418523 .. 8.418523; MDD 2.801585 x 1.118034 = 3.132267
    const r = clusteredIntervals({
      BUNDLE: {
        clusters: [cluster('P1', 1, 1), cluster('P2', 3, 1)],
        naive: { kind: 'MEAN', variance: 2, n: 2 },
      },
      FFS: {
        clusters: [cluster('P1', 0, 2), cluster('P3', 2, 2)],
        naive: { kind: 'MEAN', variance: 1 / 3, n: 4 },
      },
    });
    expect(r.arms.BUNDLE.clusters).toBe(2);
    expect(r.arms.FFS.clusters).toBe(2);
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(-10.706205, 6);
    expect(r.arms.BUNDLE.ciHigh).toBeCloseTo(14.706205, 6);
    expect(r.arms.BUNDLE.designEffect).toBeCloseTo(1, 9);
    expect(r.arms.FFS.ciLow).toBeCloseTo(-5.853102, 6);
    expect(r.arms.FFS.ciHigh).toBeCloseTo(6.853102, 6);
    expect(r.arms.FFS.designEffect).toBeCloseTo(3, 9);
    expect(r.difference.df).toBeCloseTo(25 / 17, 9);
    expect(r.difference.ciLow).toBeCloseTo(-5.418523, 6);
    expect(r.difference.ciHigh).toBeCloseTo(8.418523, 6);
    expect(r.difference.mdd).toBeCloseTo(3.132267, 6);
  });

  it('should drop a practice with D_g = 0 when it has no included unit', () => {
    // The mean example with a fourth BUNDLE practice 0/0: still G = 3 (with it, G/(G-1) would be 4/3 not 3/2).
    const r = clusteredIntervals({
      BUNDLE: { ...MEAN_BUNDLE, clusters: [...MEAN_BUNDLE.clusters, cluster('01000004', 0, 0)] },
      FFS: MEAN_FFS,
    });
    expect(r.arms.BUNDLE.clusters).toBe(3);
    expect(r.arms.BUNDLE.ciLow).toBeCloseTo(3.156662, 6);
    expect(r.arms.BUNDLE.ciHigh).toBeCloseTo(5.243338, 6);
    expect(r.difference.df).toBeCloseTo(2.831667, 6);
    expect(r.difference.ciLow).toBeCloseTo(0.312219, 6);
  });
});

describe('clusterRobustVariance', () => {
  it('should give value 4.2 and V 0.0588 when the clusters are the mean example', () => {
    const r = clusterRobustVariance(MEAN_BUNDLE.clusters);
    expect(r.clusters).toBe(3);
    expect(r.value).toBeCloseTo(4.2, 12);
    expect(r.variance).toBeCloseTo(0.0588, 12);
  });

  it('should reject a practice listed twice in one arm', () => {
    expect(() => clusterRobustVariance([cluster('A', 1, 1), cluster('A', 2, 1)])).toThrow(RangeError);
  });

  it('should reject a negative denominator', () => {
    expect(() => clusterRobustVariance([cluster('A', 1, -1), cluster('B', 2, 1)])).toThrow(RangeError);
  });
});

describe('naiveVariance', () => {
  it.each([
    // s^2 / n = 2 / 10
    [{ kind: 'MEAN', variance: 2, n: 10 } as const, 0.2],
    // no sample variance when n < 2
    [{ kind: 'MEAN', variance: null, n: 1 } as const, null],
    // p(1 - p) / n = 0.24 / 10
    [{ kind: 'PROPORTION', p: 0.6, n: 10 } as const, 0.024],
    // events / PY^2 = 6 / 16
    [{ kind: 'RATE', events: 6, personYears: 4 } as const, 0.375],
    // p(1 - p) / judged quarters = 0.21 / 10
    [{ kind: 'LOW_INTENSITY', p: 0.3, judgedQuarters: 10 } as const, 0.021],
  ])('should give the naive variance when the input is %j', (input, expected) => {
    const v = naiveVariance(input);
    if (expected === null) expect(v).toBeNull();
    else expect(v).toBeCloseTo(expected, 12);
  });
});
