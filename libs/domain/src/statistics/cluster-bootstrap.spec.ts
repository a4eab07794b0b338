import { clusterBootstrapMeanDifference, mulberry32 } from './cluster-bootstrap';

describe('mulberry32', () => {
  it('should repeat the same sequence when given the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(new Set(first).size).toBe(5);
  });

  it('should stay in [0, 1) with a mean near 0.5 when drawing many numbers', () => {
    const random = mulberry32(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = random();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    // uniform mean 0.5, sd of the mean sqrt(1/12 / 20000) = 0.002
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });

  it('should give different sequences when seeds differ', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });
});

describe('clusterBootstrapMeanDifference', () => {
  const bundle = [[10, 12, 11], [20, 22], [15], [30, 28, 29, 31]];
  const ffs = [[8, 9], [12, 14, 13], [10], [5, 7]];

  it('should give the same result when run twice with the same seed', () => {
    const once = clusterBootstrapMeanDifference(bundle, ffs, { replicates: 500, seed: 2025 });
    expect(clusterBootstrapMeanDifference(bundle, ffs, { replicates: 500, seed: 2025 })).toEqual(once);
  });

  it('should give the observed patient-level difference of means as value when clusters are pooled', () => {
    // bundle: (33 + 42 + 15 + 118) / 10 = 208 / 10 = 20.8; ffs: (17 + 39 + 10 + 12) / 8 = 78 / 8 = 9.75; 20.8 - 9.75 = 11.05
    const r = clusterBootstrapMeanDifference(bundle, ffs, { replicates: 200, seed: 1 });
    expect(r.value).toBeCloseTo(11.05, 12);
    expect(r.clustersA).toBe(4);
    expect(r.clustersB).toBe(4);
    expect(r.ciLow!).toBeLessThan(r.value!);
    expect(r.ciHigh!).toBeGreaterThan(r.value!);
    expect(r.se!).toBeGreaterThan(0);
  });

  it('should keep the value but move the interval when the seed changes', () => {
    const a = clusterBootstrapMeanDifference(bundle, ffs, { replicates: 200, seed: 1 });
    const b = clusterBootstrapMeanDifference(bundle, ffs, { replicates: 200, seed: 2 });
    expect(b.value).toBe(a.value);
    expect([b.ciLow, b.ciHigh, b.se]).not.toEqual([a.ciLow, a.ciHigh, a.se]);
  });

  it('should give a zero-width interval when every practice of an arm has the same mean', () => {
    // any resample of [5, 5] / [5] / [5, 5, 5] has mean 5, of [3] / [3, 3] mean 3: every replicate is 2
    const r = clusterBootstrapMeanDifference([[5, 5], [5], [5, 5, 5]], [[3], [3, 3]], {
      replicates: 100,
      seed: 9,
    });
    expect(r).toMatchObject({ value: 2, ciLow: 2, ciHigh: 2, se: 0 });
  });

  it('should give no interval when an arm has fewer than two practices with values', () => {
    const r = clusterBootstrapMeanDifference([[1, 2], []], ffs, { replicates: 100, seed: 3 });
    expect(r).toMatchObject({ value: 1.5 - 9.75, ciLow: null, ciHigh: null, se: null, clustersA: 1 });
  });

  it('should give all nulls when an arm has no patient', () => {
    const r = clusterBootstrapMeanDifference([], ffs, { replicates: 100, seed: 3 });
    expect(r).toMatchObject({ value: null, ciLow: null, ciHigh: null, se: null, clustersA: 0 });
  });

  it('should reject a non-integer seed or replicate count when asked to resample', () => {
    expect(() => clusterBootstrapMeanDifference(bundle, ffs, { replicates: 0, seed: 1 })).toThrow(RangeError);
    expect(() => clusterBootstrapMeanDifference(bundle, ffs, { replicates: 10, seed: 1.5 })).toThrow(
      RangeError,
    );
  });
});
