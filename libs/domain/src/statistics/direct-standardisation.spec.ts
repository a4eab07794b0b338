import { directStandardise, pooledStratumWeights } from './direct-standardisation';

describe('pooledStratumWeights', () => {
  it('should give each stratum its share of both arms together when counts are given', () => {
    // GOLD 2: 30 + 10 = 40, GOLD 3: 20 + 20 = 40, GOLD 4: 0 + 20 = 20 of 100 included patients
    expect(
      pooledStratumWeights([
        { stratum: 2, count: 40 },
        { stratum: 3, count: 40 },
        { stratum: 4, count: 20 },
      ]),
    ).toEqual([
      { stratum: 2, weight: 0.4 },
      { stratum: 3, weight: 0.4 },
      { stratum: 4, weight: 0.2 },
    ]);
  });

  it('should give zero weights when the pool is empty', () => {
    expect(pooledStratumWeights([{ stratum: 2, count: 0 }])).toEqual([{ stratum: 2, weight: 0 }]);
  });
});

describe('directStandardise', () => {
  it('should give sum w_s x estimate_s when every pooled stratum has an estimate', () => {
    // 0.4 x 10 + 0.4 x 20 + 0.2 x 40 = 4 + 8 + 8 = 20
    expect(
      directStandardise([
        { stratum: 2, weight: 0.4, estimate: 10 },
        { stratum: 3, weight: 0.4, estimate: 20 },
        { stratum: 4, weight: 0.2, estimate: 40 },
      ]),
    ).toEqual({ value: 20, missingStrata: [] });
  });

  it('should give null and name the stratum when this arm has no patient in a pooled stratum', () => {
    expect(
      directStandardise([
        { stratum: 2, weight: 0.4, estimate: 10 },
        { stratum: 3, weight: 0.4, estimate: 20 },
        { stratum: 4, weight: 0.2, estimate: null },
      ]),
    ).toEqual({ value: null, missingStrata: [4] });
  });

  it('should ignore a stratum outside the pool when its weight is 0', () => {
    // 0.5 x 0.2 + 0.5 x 0.6 = 0.4; GOLD 4 has no patient in either arm
    expect(
      directStandardise([
        { stratum: 'GOLD2', weight: 0.5, estimate: 0.2 },
        { stratum: 'GOLD3', weight: 0.5, estimate: 0.6 },
        { stratum: 'GOLD4', weight: 0, estimate: null },
      ]),
    ).toEqual({ value: 0.4, missingStrata: [] });
  });

  it('should equal the crude mean when the arm has the pooled stratum mix', () => {
    // arm: 6 patients of stage 2 with mean 10, 4 of stage 3 with mean 15 -> crude (60 + 60) / 10 = 12;
    // the pool has the same 60/40 mix, so 0.6 x 10 + 0.4 x 15 = 12
    expect(
      directStandardise([
        { stratum: 2, weight: 0.6, estimate: 10 },
        { stratum: 3, weight: 0.4, estimate: 15 },
      ]).value,
    ).toBeCloseTo(12, 12);
  });

  it('should give null when no stratum has a pooled patient', () => {
    expect(directStandardise([{ stratum: 2, weight: 0, estimate: null }])).toEqual({
      value: null,
      missingStrata: [],
    });
  });

  it('should reject weights that do not sum to 1 when some stratum is pooled', () => {
    expect(() =>
      directStandardise([
        { stratum: 2, weight: 0.5, estimate: 1 },
        { stratum: 3, weight: 0.4, estimate: 1 },
      ]),
    ).toThrow(RangeError);
  });

  it('should reject a stratum listed twice when standardising', () => {
    expect(() =>
      directStandardise([
        { stratum: 2, weight: 0.5, estimate: 1 },
        { stratum: 2, weight: 0.5, estimate: 1 },
      ]),
    ).toThrow(RangeError);
  });
});
