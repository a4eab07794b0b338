import { mean, median, medianOfCounted, percentileNearestRank, percentileNearestRankOfCounted, sampleVariance } from './descriptives';

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

describe('medianOfCounted and percentileNearestRankOfCounted', () => {
  it('should give the median and p90 of the list the counts stand for when the values come unsorted with counts', () => {
    // 7 x 3, 14 x 2, 30 x 1, 10 x 4 stand for 7 7 7 10 10 10 10 14 14 30 (n = 10):
    // median = (5th + 6th) / 2 = (10 + 10) / 2 = 10; p90 = ceil(0.9 x 10) = 9th = 14.
    const counted = { values: [7, 14, 30, 10], counts: [3, 2, 1, 4] };
    expect(medianOfCounted(counted)).toBe(10);
    expect(percentileNearestRankOfCounted(counted, 0.9)).toBe(14);
  });

  it('should average the two middle values when n is even and they differ', () => {
    // 3 x 1, 8 x 1, 20 x 2 stand for 3 8 20 20: median (8 + 20) / 2 = 14; p90 ceil(3.6) = 4th = 20.
    const counted = { values: [20, 3, 8], counts: [2, 1, 1] };
    expect(medianOfCounted(counted)).toBe(14);
    expect(percentileNearestRankOfCounted(counted, 0.9)).toBe(20);
  });

  it('should equal median and percentileNearestRank of the written-out list for every list of 1 to 40 wait days', () => {
    // Lists built from a fixed pattern of days 0..12 (repeats included), compared with the list functions.
    for (let n = 1; n <= 40; n++) {
      const list = Array.from({ length: n }, (_, i) => (i * 7 + n) % 13);
      const counts = new Map<number, number>();
      for (const v of list) counts.set(v, (counts.get(v) ?? 0) + 1);
      const counted = { values: [...counts.keys()], counts: [...counts.values()] };
      expect([n, medianOfCounted(counted), percentileNearestRankOfCounted(counted, 0.9)]).toEqual([n, median(list), percentileNearestRank(list, 0.9)]);
    }
  });

  it('should give null when every count is zero, and refuse counts that do not match the values', () => {
    expect(medianOfCounted({ values: [5], counts: [0] })).toBeNull();
    expect(percentileNearestRankOfCounted({ values: [], counts: [] }, 0.9)).toBeNull();
    expect(() => medianOfCounted({ values: [1, 2], counts: [1] })).toThrow(RangeError);
    expect(() => medianOfCounted({ values: [1], counts: [1.5] })).toThrow(RangeError);
  });
});
