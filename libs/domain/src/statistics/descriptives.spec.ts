import { mean, median, percentileNearestRank, sampleVariance } from './descriptives';

describe('mean and sampleVariance', () => {
  it.each([
    // [2, 4, 4, 4, 5, 5, 7, 9]: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32 / 7 = 4.571429
    // (the population variance 32 / 8 = 4 is the textbook "standard deviation 2" example; we use n - 1)
    [[2, 4, 4, 4, 5, 5, 7, 9], 5, 32 / 7],
    // 0..10: mean 5; sum of squares 2 x (25+16+9+4+1) = 110; 110 / 10 = 11
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 11],
    // identical values stay exact, so "zero variance" is exactly 0 (0.1+0.1+0.1 = 0.30000000000000004 naively)
    [[0.1, 0.1, 0.1], 0.1, 0],
  ])('should give the mean and the n - 1 variance when values are %j', (values, m, v) => {
    expect(mean(values)).toBe(m);
    expect(sampleVariance(values)).toBeCloseTo(v, 12);
  });

  it('should give null when there are no values (n = 0)', () => {
    expect(mean([])).toBeNull();
    expect(sampleVariance([])).toBeNull();
  });

  it('should give the value as mean and null variance when n = 1', () => {
    expect(mean([7])).toBe(7);
    expect(sampleVariance([7])).toBeNull();
  });

  it('should reject a value that is not finite when asked for a mean', () => {
    expect(() => mean([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[14], 14],
    [[3, 1, 2], 2], // sorted 1, 2, 3: middle value
    [[10, 2, 7, 4], 5.5], // sorted 2, 4, 7, 10: (4 + 7) / 2
    [[5, 5], 5],
  ])('should give %j -> %p when the list has odd or even length', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("should not reorder the caller's array when computing the median", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentileNearestRank', () => {
  // Nearest-rank worked example (the standard one, e.g. Wikipedia "Percentile", nearest-rank method):
  // ordered list 15, 20, 35, 40, 50; rank ceil(q x 5): 5th -> 1 -> 15, 30th -> ceil(1.5) = 2 -> 20,
  // 40th -> 2 -> 20, 50th -> ceil(2.5) = 3 -> 35, 100th -> 5 -> 50.
  it.each([
    [0.05, 15],
    [0.3, 20],
    [0.4, 20],
    [0.5, 35],
    [1, 50],
  ])('should give the textbook value when q = %p on 15, 20, 35, 40, 50', (q, expected) => {
    expect(percentileNearestRank([50, 20, 40, 15, 35], q)).toBe(expected);
  });

  it.each([
    // p90, n = 10: ceil(9) = 9th value
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9],
    // n = 11: ceil(9.9) = 10th value
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 10],
    // n = 1: ceil(0.9) = 1st value
    [[14], 14],
    // n = 30: 0.9 x 30 = 27 exactly -> 27th value, not the 28th
    [Array.from({ length: 30 }, (_, i) => i + 1), 27],
  ])('should give p90 at position ceil(0.9 n) when values are %j', (values, expected) => {
    expect(percentileNearestRank(values, 0.9)).toBe(expected);
  });

  it('should give null when there are no values', () => {
    expect(percentileNearestRank([], 0.9)).toBeNull();
  });

  it('should reject q outside (0, 1] when asked for a percentile', () => {
    expect(() => percentileNearestRank([1], 0)).toThrow(RangeError);
    expect(() => percentileNearestRank([1], 1.5)).toThrow(RangeError);
  });
});
