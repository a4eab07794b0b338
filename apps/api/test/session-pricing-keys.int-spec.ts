import { createRegisters, TEST_EXPERIMENT } from './support/test-registers';
import { Http, startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';
import { aContract, anInsurer, aPractice } from './fixtures/builders';

/**
 * Every session row carries its care quarter and the contract in force on its date, derived by PostgreSQL
 * (migration 1764300000000) and kept right when the patient's intake date or a contract's period changes.
 * The full recompute trusts these columns, so they are checked here against DOMAIN.md section 5 directly.
 */
describe('care quarter and contract of every session, derived in PostgreSQL', () => {
  let ctx: TestContext;
  let practice: () => Http;
  const contracts: Record<'early' | 'late', string> = { early: '', late: '' };
  const patients: Record<'gap' | 'clamped', string> = { gap: '', clamped: '' };

  const derived = async (patientId: string) =>
    (
      await ctx.dataSource.query(
        `SELECT s.date, s.care_quarter, c.valid_from AS contract_from
         FROM therapy_sessions s LEFT JOIN contracts c ON c.id = s.contract_id
         WHERE s.patient_id = $1 ORDER BY s.date`,
        [patientId],
      )
    ).map((r: { date: string; care_quarter: number; contract_from: string | null }) => [r.date, r.care_quarter, r.contract_from]);

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(
      ctx,
      {
        insurers: [anInsurer()],
        practices: [aPractice()],
      },
      { ...TEST_EXPERIMENT, analysisDate: '2025-09-04' },
    );
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    // Two bundle contracts with a gap 2025-06-01..06-14 (the pricing.spec.ts "first session" case).
    const contract = (validFrom: string, validTo: string, bundle: object, ffs: object) =>
      ctx
        .http()
        .post('/api/v1/contracts')
        .send({ experiment: 'COPD-2025', practice: '12345678', insurer: '3311', arm: 'BUNDLE', validFrom, validTo, bundle, ffs })
        .expect(201);
    contracts.early = (
      await contract('2025-01-01', '2025-05-31', { intake: 9000, quarter: 36000 }, { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 })
    ).body.id;
    contracts.late = (
      await contract('2025-06-15', '2025-12-31', { intake: 10000, quarter: 40000 }, { intake: 7000, session: 5000, homeSupplement: 2500, groupSession: 2500 })
    ).body.id;
    const enrol = async (ref: string, intakeDate: string, sessions: [string, string][]) => {
      const { body } = await practice()
        .post('/api/v1/patients')
        .send({
          experiment: 'COPD-2025', practice: '12345678', insurer: '3311', ref, birthYear: 1950, sex: 'F',
          goldStage: 3, profile: 4, referralDate: '2025-01-20', intakeDate,
        })
        .expect(201);
      for (const [date, kind] of sessions)
        await practice().post(`/api/v1/patients/${body.id}/sessions`).send({ date, kind }).expect(201);
      return body.id as string;
    };
    patients.gap = await enrol('GAP', '2025-03-05', [['2025-03-10', 'INDIVIDUAL'], ['2025-06-20', 'HOME'], ['2025-07-01', 'GROUP']]);
    patients.clamped = await enrol('CLAMP', '2025-01-31', [['2025-04-29', 'INDIVIDUAL'], ['2025-04-30', 'INDIVIDUAL'], ['2025-07-31', 'REMOTE']]);
  });
  afterAll(() => ctx.close());

  it('should give care_quarter_of the quarter of DOMAIN.md 5 for every day of every intake from 2023-12-01 to 2025-03-31', async () => {
    // Reference: the quarters built the way the definition reads (intake + 3(k-1) months .. intake + 3k months,
    // half open, PostgreSQL's month addition clamping to the month's end), every day of quarters 1-10.
    const [row] = await ctx.dataSource.query(`
      WITH quarters AS (
        SELECT i::date AS intake, k, (i + make_interval(months => 3 * (k - 1)))::date AS qs, (i + make_interval(months => 3 * k))::date AS qe
        FROM generate_series('2023-12-01'::date, '2025-03-31'::date, interval '1 day') i, generate_series(1, 10) k
      )
      SELECT count(*)::int AS days,
             (count(*) FILTER (WHERE care_quarter_of(intake, d::date) IS DISTINCT FROM k))::int AS wrong,
             (SELECT count(*)::int FROM generate_series('2023-12-01'::date, '2025-03-31'::date, interval '1 day') i
              WHERE care_quarter_of(i::date, i::date - 1) IS NOT NULL) AS before_intake
      FROM quarters, generate_series(qs, qe - 1, interval '1 day') d`);
    // 487 intakes, each with the days of 30 months (about 913): over 440,000 days, none misplaced; the day
    // before the intake is in no quarter.
    expect(row.days).toBeGreaterThan(440_000);
    expect(row.wrong).toBe(0);
    expect(row.before_intake).toBe(0);
  });

  it('should place clamped month ends as DOMAIN.md 5 does: intake 2025-01-31 starts Q2 on 04-30 and Q3 on 07-31', async () => {
    const [q] = await ctx.dataSource.query(`
      SELECT care_quarter_of('2025-01-31', '2025-04-29') AS a, care_quarter_of('2025-01-31', '2025-04-30') AS b,
             care_quarter_of('2025-01-31', '2025-07-30') AS c, care_quarter_of('2025-01-31', '2025-07-31') AS d,
             care_quarter_of('2024-02-29', '2024-05-28') AS e, care_quarter_of('2024-02-29', '2024-05-29') AS f,
             care_quarter_of('2024-11-30', '2025-02-27') AS g, care_quarter_of('2024-11-30', '2025-02-28') AS h`);
    // 2025-01-31 + 3 months = 2025-04-30 (April has 30 days), + 6 months = 2025-07-31.
    // 2024-02-29 + 3 months = 2024-05-29. 2024-11-30 + 3 months = 2025-02-28 (clamped).
    expect(q).toEqual({ a: 1, b: 2, c: 2, d: 3, e: 1, f: 2, g: 1, h: 2 });
    expect(await derived(patients.clamped)).toEqual([
      ['2025-04-29', 1, '2025-01-01'],
      ['2025-04-30', 2, '2025-01-01'],
      ['2025-07-31', 3, '2025-06-15'],
    ]);
  });

  it('should price the quarter tariff with the contract of the first session when none is in force on the quarter start', async () => {
    expect(await derived(patients.gap)).toEqual([
      ['2025-03-10', 1, '2025-01-01'],
      ['2025-06-20', 2, '2025-06-15'], // Q2 [06-05, 09-05) starts in the gap
      ['2025-07-01', 2, '2025-06-15'],
    ]);
    expect((await recomputeNow(ctx)).full).toBe(true);
    const quarters = await ctx.dataSource.query(
      `SELECT quarter_index, bundle_cents::int, ffs_cents::int, unpriced_items FROM care_quarter_facts WHERE patient_id = $1 ORDER BY 1`,
      [patients.gap],
    );
    // Q1: bundle 9000 + 36000 = 45000 (early); FFS 6000 + 4000 = 10000.
    // Q2: no contract on 06-05, quarter tariff from the first session's (06-20, late) 40000;
    //     FFS HOME 5000 + 2500 + GROUP 2500 = 10000.
    expect(quarters).toEqual([
      { quarter_index: 1, bundle_cents: 45000, ffs_cents: 10000, unpriced_items: 0 },
      { quarter_index: 2, bundle_cents: 40000, ffs_cents: 10000, unpriced_items: 0 },
    ]);
    const [patient] = await ctx.dataSource.query(
      `SELECT paid_cents::int, counterfactual_cents::int, unpriced_items FROM patient_facts WHERE patient_id = $1`,
      [patients.gap],
    );
    // Bundle arm: paid 45000 + 40000 = 85000, counterfactual FFS 10000 + 10000 = 20000.
    expect(patient).toEqual({ paid_cents: 85000, counterfactual_cents: 20000, unpriced_items: 0 });
  });

  it('should move the sessions to their new quarters when the intake date is corrected', async () => {
    await practice().patch(`/api/v1/patients/${patients.clamped}`).send({ intakeDate: '2025-02-01', reason: 'Intakedatum gecorrigeerd' }).expect(200);
    // Intake 2025-02-01: Q2 starts 05-01, Q3 08-01.
    expect(await derived(patients.clamped)).toEqual([
      ['2025-04-29', 1, '2025-01-01'],
      ['2025-04-30', 1, '2025-01-01'],
      ['2025-07-31', 2, '2025-06-15'],
    ]);
  });

  it('should point sessions at the contract now in force when contract periods change, and at none when none is', async () => {
    // Straight in SQL: the API refuses a change that leaves a session uncovered, the database keeps up anyway.
    await ctx.dataSource.query(`UPDATE contracts SET valid_from = '2025-06-25' WHERE id = $1`, [contracts.late]);
    expect(await derived(patients.gap)).toEqual([
      ['2025-03-10', 1, '2025-01-01'],
      ['2025-06-20', 2, null],
      ['2025-07-01', 2, '2025-06-25'],
    ]);
    await ctx.dataSource.query(`UPDATE contracts SET valid_to = '2025-06-24' WHERE id = $1`, [contracts.early]);
    expect(await derived(patients.gap)).toEqual([
      ['2025-03-10', 1, '2025-01-01'],
      ['2025-06-20', 2, '2025-01-01'],
      ['2025-07-01', 2, '2025-06-25'],
    ]);
    // A session row cannot be given another quarter or contract by hand: the trigger derives them again.
    await ctx.dataSource.query(`UPDATE therapy_sessions SET care_quarter = 7, contract_id = NULL WHERE patient_id = $1`, [patients.gap]);
    expect((await derived(patients.gap)).map((r: unknown[]) => r[1])).toEqual([1, 2, 2]);
  });
});

describe('ABOVE_GUIDELINE_VOLUME counts 365 days, also when the first four quarters run 366', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(
      ctx,
      { insurers: [anInsurer()], practices: [aPractice()] },
      { ...TEST_EXPERIMENT, start: '2024-01-01', analysisDate: '2025-06-30' },
    );
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send(aContract({ arm: 'FFS', validFrom: '2024-01-01', validTo: '2025-12-31' }))
      .expect(201);
  });
  afterAll(() => ctx.close());

  it('should leave out a session on day intake + 365 that still falls in Q4', async () => {
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    // Profile 2: KNGF maximum 6 sessions in the first 365 days. Intake 2024-02-01: the twelve months to
    // 2025-02-01 hold 2024-02-29, so they run 366 days and Q4 [2024-11-01, 2025-02-01) ends on day 365.
    const ids: Record<string, string> = {};
    for (const [ref, seventh] of [['ON-DAY-365', '2025-01-31'], ['ON-DAY-364', '2025-01-30']]) {
      const { body } = await practice()
        .post('/api/v1/patients')
        .send({ experiment: 'COPD-2025', practice: '12345678', insurer: '3311', ref, birthYear: 1950, sex: 'M',
          goldStage: 2, profile: 2, referralDate: '2024-01-20', intakeDate: '2024-02-01' })
        .expect(201);
      ids[ref] = body.id;
      for (const date of ['2024-02-02', '2024-03-01', '2024-04-01', '2024-06-03', '2024-09-02', '2024-12-02', seventh])
        await practice().post(`/api/v1/patients/${body.id}/sessions`).send({ date, kind: 'INDIVIDUAL' }).expect(201);
    }
    await recomputeNow(ctx);
    const facts = await ctx.dataSource.query(
      `SELECT patient_id, guideline_eligible, above_guideline, sessions FROM patient_facts WHERE patient_id = ANY($1::uuid[])`,
      [Object.values(ids)],
    );
    const byRef = (ref: string) => facts.find((f: { patient_id: string }) => f.patient_id === ids[ref]);
    // 2025-01-31 = 2024-02-01 + 365 days: outside [intake, intake + 365), so 6 sessions, not more than 6.
    expect(byRef('ON-DAY-365')).toMatchObject({ guideline_eligible: true, above_guideline: false, sessions: 7 });
    // 2025-01-30 = intake + 364: inside, 7 sessions > 6.
    expect(byRef('ON-DAY-364')).toMatchObject({ guideline_eligible: true, above_guideline: true, sessions: 7 });
  });
});
