import { createRegisters } from './support/test-registers';
import { countRecords, startTestApp, TestContext, Http } from './support/test-app';
import { aContract, anInsurer, aPractice } from './fixtures/builders';

const CONTRACT = aContract({ validTo: '2025-06-30' });

type Violation = { code: string; path: string };

describe('contracts API (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let firstId: string;
  let secondId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, {
      insurers: [
        anInsurer(),
        { uzovi: '0104', name: 'Zorgverzekeraar Zuid' },
      ],
      practices: [aPractice()],
    });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
  });
  afterAll(() => ctx.close());

  it('should create and read a contract with both tariff sets when it is valid', async () => {
    const created = await ctx.http().post('/api/v1/contracts').send(CONTRACT).expect(201);
    firstId = created.body.id;
    expect(created.body).toMatchObject({ ...CONTRACT, experiment: 'COPD-2025' });
    const second = await ctx
      .http()
      .post('/api/v1/contracts')
      .send({ ...CONTRACT, arm: 'FFS', validFrom: '2025-07-01', validTo: '2025-12-31' })
      .expect(201);
    secondId = second.body.id;
    const got = await ctx.http().get(`/api/v1/contracts/${firstId}`).expect(200);
    expect(got.body).toEqual(created.body);
  });

  it('should reject an overlapping contract of the same practice and insurer with its code when periods overlap', async () => {
    const before = await countRecords(ctx);
    const response = await ctx
      .http()
      .post('/api/v1/contracts')
      .send({ ...CONTRACT, validFrom: '2025-06-01', validTo: '2025-08-31' })
      .expect(422);
    // 06-01..08-31 overlaps both 01-01..06-30 and 07-01..12-31.
    expect((response.body.errors as Violation[]).map((e) => e.code)).toEqual([
      'CONTRACT.OVERLAP',
      'CONTRACT.OVERLAP',
    ]);
    expect(await countRecords(ctx)).toEqual(before);
  });

  it('should allow the same period with another insurer when the pair differs', async () => {
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send({ ...CONTRACT, insurer: '0104' })
      .expect(201);
  });

  it('should reject negative tariffs and an inverted period with every reason when the terms are invalid', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/contracts')
      .send({
        ...CONTRACT,
        validFrom: '2026-03-01',
        validTo: '2026-02-01',
        bundle: { intake: -1, quarter: 36000 },
      })
      .expect(422);
    expect((response.body.errors as Violation[]).map((e) => [e.code, e.path])).toEqual([
      ['CONTRACT.TARIFF_INVALID', 'bundle.intake'],
      ['CONTRACT.VALID_TO_BEFORE_VALID_FROM', 'validTo'],
    ]);
  });

  it('should reject a tariff above EUR 25,000 with its path and store nothing, also when it would not fit the column', async () => {
    const before = await countRecords(ctx);
    const response = await ctx
      .http()
      .post('/api/v1/contracts')
      // 2,500,001 cents is one cent over the cap; 3,000,000,000 is over PostgreSQL's integer (2,147,483,647).
      .send({
        ...CONTRACT,
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        bundle: { intake: 9000, quarter: 2_500_001 },
        ffs: { ...CONTRACT.ffs, session: 3_000_000_000 },
      })
      .expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((response.body.errors as Violation[]).map((e) => [e.code, e.path])).toEqual([
      ['CONTRACT.TARIFF_INVALID', 'bundle.quarter'],
      ['CONTRACT.TARIFF_INVALID', 'ffs.session'],
    ]);
    expect(await countRecords(ctx)).toEqual(before);
  });

  it('should refuse in the database a tariff above the cap when a row bypasses the API', async () => {
    const setSupplement = (cents: number) =>
      ctx.dataSource.query(`UPDATE contracts SET ffs_home_supplement_cents = $2 WHERE id = $1`, [firstId, cents]);
    // 2,500,001 is one cent over the cap; the cap itself is allowed (and put back to contract C's 2000).
    await expect(setSupplement(2_500_001)).rejects.toThrow(/contracts_ffs_home_supplement_cents_cap/);
    await setSupplement(2_500_000);
    await setSupplement(2000);
  });

  it('should reject shortening or deleting a contract and change nothing when a recorded session would be uncovered', async () => {
    const patient = await practice()
      .post('/api/v1/patients')
      .send({
        experiment: 'COPD-2025',
        practice: '12345678',
        insurer: '3311',
        ref: 'C-1',
        birthYear: 1950,
        sex: 'M',
        goldStage: 2,
        profile: 3,
        referralDate: '2025-02-01',
        intakeDate: '2025-02-10',
      })
      .expect(201);
    await practice()
      .post(`/api/v1/patients/${patient.body.id}/sessions`)
      .send({ date: '2025-06-20', kind: 'INDIVIDUAL' })
      .expect(201);
    await practice()
      .post(`/api/v1/patients/${patient.body.id}/sessions`)
      .send({ date: '2025-08-20', kind: 'GROUP' })
      .expect(201);
    const before = await countRecords(ctx);

    const shortened = await ctx
      .http()
      .patch(`/api/v1/contracts/${firstId}`)
      .send({ validTo: '2025-05-31' })
      .expect(422);
    expect(shortened.body.errors).toEqual([
      // 06-20 would fall between 05-31 and the second contract's 07-01.
      expect.objectContaining({
        code: 'CONTRACT.SESSION_UNCOVERED',
        path: 'validTo',
        params: { pseudonym: patient.body.pseudonym, ref: 'C-1', firstUncoveredDate: '2025-06-20', count: 1, sessions: '2025-06-20 INDIVIDUAL' },
      }),
    ]);
    const deleted = await ctx.http().delete(`/api/v1/contracts/${secondId}`).expect(422);
    expect((deleted.body.errors as Violation[]).map((e) => e.code)).toEqual(['CONTRACT.SESSION_UNCOVERED']);

    expect(await countRecords(ctx)).toEqual(before);
    const first = await ctx.http().get(`/api/v1/contracts/${firstId}`).expect(200);
    expect(first.body.validTo).toBe('2025-06-30');
  });

  it('should accept a change and a new tariff when every recorded session stays covered', async () => {
    const updated = await ctx
      .http()
      .patch(`/api/v1/contracts/${secondId}`)
      .send({
        validTo: '2026-06-30',
        ffs: { intake: 6000, session: 4200, homeSupplement: 2000, groupSession: 2000 },
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      validFrom: '2025-07-01',
      validTo: '2026-06-30',
      ffs: { session: 4200 },
    });
    const audit = await ctx.dataSource.query(
      `SELECT detail FROM audit_log WHERE action = 'contract.update' AND resource_id = $1`,
      [secondId],
    );
    expect(audit[0].detail.before.validTo).toBe('2025-12-31');
    expect(audit[0].detail.after.validTo).toBe('2026-06-30');
  });

  it('should filter contracts by experiment, practice, insurer, arm and date in force when filters are given', async () => {
    const get = async (qs: string) => (await ctx.http().get(`/api/v1/contracts?${qs}`).expect(200)).body;
    expect((await get('experiment=COPD-2025')).total).toBe(3);
    expect((await get('practice=12345678&insurer=3311')).total).toBe(2);
    expect((await get('insurer=0104')).total).toBe(1);
    expect((await get('arm=FFS')).items.map((c: { id: string }) => c.id)).toEqual([secondId]);
    // In force on 2025-06-30: the first (3311, until 06-30 inclusive) and the 0104 one.
    expect((await get('inForceOn=2025-06-30')).total).toBe(2);
    expect((await get('inForceOn=2025-07-01')).items.map((c: { id: string }) => c.id)).toEqual([secondId]);
    const paged = await get('limit=1&offset=1');
    expect(paged).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(paged.items).toHaveLength(1);
  });

  it('should refuse to delete a practice or insurer with 409 when contracts refer to it', async () => {
    const practices = await ctx.http().get('/api/v1/practices?q=12345678').expect(200);
    const response = await ctx.http('ADMIN').delete(`/api/v1/practices/${practices.body.items[0].id}`).expect(409);
    expect(response.body.code).toBe('PRACTICE.IN_USE');
    const insurers = await ctx.http().get('/api/v1/insurers?q=3311').expect(200);
    expect(
      (await ctx.http('ADMIN').delete(`/api/v1/insurers/${insurers.body.items[0].id}`).expect(409)).body.code,
    ).toBe('INSURER.IN_USE');
  });

  it('should answer 404 for an unknown practice when a contract refers to it', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/contracts')
      .send({ ...CONTRACT, practice: '99999999' })
      .expect(404);
    expect(response.body.code).toBe('PRACTICE.NOT_FOUND');
  });
});
