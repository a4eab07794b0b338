import { createRegisters } from './support/test-registers';
import { startTestApp, TestContext, Http } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice, tariffs, workedExampleSessions } from './fixtures/builders';

/** DOMAIN.md section 9, entirely through the API. */
// The arithmetic below uses every tariff, so they are written out rather than left to the builder's defaults.
const CONTRACT_C = aContract({
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
});

const PATIENT_P = aPatient({ birthYear: 1956 });

// 02-12 INDIVIDUAL, 02-19 INDIVIDUAL, 03-05 GROUP, 04-02 HOME, 05-20 INDIVIDUAL, 08-14 REMOTE.
const SESSIONS = workedExampleSessions();

describe('pricing API (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice(), aPractice({ agb: '87654321', name: 'Fysio Het Veer' })] });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678', '87654321'] });
  });
  afterAll(() => ctx.close());

  it('should price the worked example of DOMAIN.md section 9 when it is entered through the API', async () => {
    await ctx.http().post('/api/v1/contracts').send(CONTRACT_C).expect(201);
    const patient = await practice().post('/api/v1/patients').send(PATIENT_P).expect(201);
    expect(patient.body.arm).toBe('BUNDLE');
    for (const session of SESSIONS) {
      await practice().post(`/api/v1/patients/${patient.body.id}/sessions`).send(session).expect(201);
    }

    const pricing = await ctx.http().get(`/api/v1/patients/${patient.body.id}/pricing`).expect(200);
    const body = pricing.body;
    expect(body.asOf).toBe('2025-09-30'); // default: the experiment's analysisDate
    expect(body.arm).toBe('BUNDLE');
    // Q1 [02-10, 05-10), Q2 [05-10, 08-10), Q3 [08-10, 11-10); Q4 would start 11-10 > 09-30.
    expect(
      body.quarters.map((q: { start: string; endExclusive: string }) => [q.start, q.endExclusive]),
    ).toEqual([
      ['2025-02-10', '2025-05-10'],
      ['2025-05-10', '2025-08-10'],
      ['2025-08-10', '2025-11-10'],
    ]);
    // Q1: 02-12, 02-19, 03-05, 04-02 = 4; Q2: 05-20 = 1; Q3: 08-14 = 1.
    expect(body.quarters.map((q: { sessionCount: number }) => q.sessionCount)).toEqual([4, 1, 1]);
    // Bundle per quarter: Q1 9000 + 36000 = 45000; Q2 36000; Q3 36000.
    expect(body.quarters.map((q: { bundleCents: number }) => q.bundleCents)).toEqual([45000, 36000, 36000]);
    // FFS: Q1 6000 + 4000 + 4000 + 2000 (group) + (4000 + 2000) (home) = 22000; Q2 4000; Q3 4000 (remote).
    expect(body.quarters.map((q: { ffsCents: number }) => q.ffsCents)).toEqual([22000, 4000, 4000]);
    // Q1 ends 05-09 and Q2 08-09, both <= 09-30; Q3 ends 11-09 > 09-30.
    expect(body.quarters.map((q: { ended: boolean }) => q.ended)).toEqual([true, true, false]);
    expect(body.totals).toMatchObject({
      paidCents: 117000, // 9000 + 3 x 36000
      counterfactualCents: 30000, // 22000 + 4000 + 4000
      careQuarterCount: 3, // Q1 always, Q2 and Q3 have sessions
      sessionCount: 6,
      paidPerCareQuarterCents: 39000, // 117000 / 3
      differenceCents: 87000, // 117000 - 30000
    });
    expect(body.unpriced).toEqual([]);
  });

  it('should price later quarters with the renewed tariffs when a contract is renewed mid-care', async () => {
    // Practice 87654321: the same contract C, but ending 2025-05-31, and a renewal C2 from 2025-06-01
    // with quarter 40000 and FFS session 4500.
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send({ ...CONTRACT_C, practice: '87654321', validTo: '2025-05-31' })
      .expect(201);
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send({
        ...CONTRACT_C,
        practice: '87654321',
        validFrom: '2025-06-01',
        validTo: '2025-12-31',
        ...tariffs({ bundle: { intake: 9000, quarter: 40000 }, ffs: { intake: 6000, session: 4500 } }),
      })
      .expect(201);
    const patient = await practice()
      .post('/api/v1/patients')
      .send({ ...PATIENT_P, practice: '87654321' })
      .expect(201);
    await practice().post(`/api/v1/patients/${patient.body.id}/sessions/batch`).send(SESSIONS).expect(201);

    const { body } = await ctx
      .http()
      .get(`/api/v1/patients/${patient.body.id}/pricing?asOf=2025-09-30`)
      .expect(200);
    // Quarter tariff at the quarter start: Q1 02-10 and Q2 05-10 under C (36000), Q3 08-10 under C2 (40000).
    // Bundle: Q1 9000 + 36000 = 45000; Q2 36000; Q3 40000.
    expect(body.quarters.map((q: { bundleCents: number }) => q.bundleCents)).toEqual([45000, 36000, 40000]);
    // FFS: Q1 22000 (all under C); Q2 05-20 under C = 4000; Q3 08-14 under C2 = 4500.
    expect(body.quarters.map((q: { ffsCents: number }) => q.ffsCents)).toEqual([22000, 4000, 4500]);
    expect(body.totals).toMatchObject({
      paidCents: 121000, // 45000 + 36000 + 40000
      counterfactualCents: 30500, // 22000 + 4000 + 4500
      careQuarterCount: 3,
      differenceCents: 90500, // 121000 - 30500
    });
    // 121000 / 3 = 40333.33...: unrounded.
    expect(body.totals.paidPerCareQuarterCents).toBeCloseTo(121000 / 3, 10);
    expect(Number.isInteger(body.totals.paidPerCareQuarterCents)).toBe(false);
  });

  it('should count only what lies on or before asOf when an earlier date is asked', async () => {
    const list = await ctx.http().get('/api/v1/patients?practice=12345678').expect(200);
    const id = list.body.items[0].id;
    const { body } = await ctx.http().get(`/api/v1/patients/${id}/pricing?asOf=2025-05-31`).expect(200);
    // Quarters starting <= 05-31: Q1 (02-10) and Q2 (05-10). Sessions <= 05-31: 5 (Q1 4, Q2 1).
    // Paid: 9000 + 36000 + 36000 = 81000; FFS: 22000 + 4000 = 26000.
    expect(body.totals).toMatchObject({
      paidCents: 81000,
      counterfactualCents: 26000,
      careQuarterCount: 2,
      sessionCount: 5,
    });
  });

  it('should write an audit row for every pricing read when a patient is priced', async () => {
    const rows = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'pricing.read'`,
    );
    expect(rows[0].n).toBe(3); // one per GET .../pricing above
  });
});
