import { factsWhere, PATIENTS_POPULATION, populationWhere, WhereBuilder } from './where-builder';

describe('WhereBuilder', () => {
  it('should number the parameters after the ones already given when clauses are added', () => {
    const where = new WhereBuilder(['exp-1'])
      .raw('f.experiment_id = $1')
      .add((n) => `a.x = ${n}`, 'x')
      .addIf(undefined, (n) => `a.skipped = ${n}`)
      .addIf('y', (n) => `(a.y = ${n} OR a.z = ${n})`);
    expect(where.toSql()).toBe('f.experiment_id = $1 AND a.x = $2 AND (a.y = $3 OR a.z = $3)');
    expect(where.params).toEqual(['exp-1', 'x', 'y']);
  });

  it('should give TRUE when no clause was added', () => {
    const where = new WhereBuilder().addIf(undefined, (n) => `a.x = ${n}`).scope({}, 'p');
    expect(where.toSql()).toBe('TRUE');
    expect(where.params).toEqual([]);
  });

  it('should AND in the practice and insurer ids of a scope when the actor is scoped', () => {
    const where = new WhereBuilder().scope({ practiceIds: ['pr-1'], insurerIds: ['in-1'] }, 'c');
    expect(where.toSql()).toBe('c.practice_id = ANY($1::uuid[]) AND c.insurer_id = ANY($2::uuid[])');
    expect(where.params).toEqual([['pr-1'], ['in-1']]);
  });
});

describe('the population filter', () => {
  it('should apply every filter of DOMAIN.md section 6 with inclusive intake bounds when all are given', () => {
    const where = factsWhere(
      'exp-1',
      {
        practiceIds: ['pr-1'],
        insurerIds: ['in-1'],
        regions: ['Noord'],
        goldStages: [2, 3],
        profiles: [4],
        intakeFrom: '2025-01-01',
        intakeTo: '2025-06-30',
      },
      { practiceIds: ['pr-1'] },
    );
    expect(where.toSql()).toBe(
      [
        'f.experiment_id = $1',
        'f.practice_id = ANY($2::uuid[])',
        'f.practice_id = ANY($3::uuid[])',
        'f.insurer_id = ANY($4::uuid[])',
        'f.region = ANY($5::text[])',
        'f.gold_stage = ANY($6::smallint[])',
        'f.profile = ANY($7::smallint[])',
        'f.intake_date >= $8::date',
        'f.intake_date <= $9::date',
      ].join(' AND '),
    );
    expect(where.params).toEqual([
      'exp-1',
      ['pr-1'],
      ['pr-1'],
      ['in-1'],
      ['Noord'],
      [2, 3],
      [4],
      '2025-01-01',
      '2025-06-30',
    ]);
  });

  it('should match nothing rather than everything when a scope intersected the practices to none', () => {
    // An empty id list is applied (= ANY('{}') is false); empty regions, stages and profiles mean "no filter".
    const where = populationWhere(new WhereBuilder(), { practiceIds: [], regions: [], goldStages: [] }, PATIENTS_POPULATION);
    expect(where.toSql()).toBe('p.practice_id = ANY($1::uuid[])');
    expect(where.params).toEqual([[]]);
  });

  it('should read the region from the practice when applied to patients', () => {
    const where = populationWhere(new WhereBuilder(), { regions: ['Zuid'], intakeFrom: '2025-03-01' }, PATIENTS_POPULATION);
    expect(where.toSql()).toBe('pr.region = ANY($1::text[]) AND p.intake_date >= $2::date');
  });
});
