import { createRegisters } from './support/test-registers';
import { startTestApp, TestContext, Http } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

const CONTRACT = aContract();

const PATIENT = aPatient({ ref: 'E-1', birthYear: 1956 });

type Violation = { code: string; path: string; message: string };

describe('enrolment API (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, {
      insurers: [
        anInsurer(),
        { uzovi: '0104', name: 'Zorgverzekeraar Zuid' },
      ],
      practices: [
        aPractice(),
        { agb: '01234567', name: 'Fysio Het Veer', region: 'Zeeland' },
      ],
    });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678', '01234567'] });
    await ctx.http().post('/api/v1/contracts').send(CONTRACT).expect(201);
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send({ ...CONTRACT, practice: '01234567', insurer: '0104', arm: 'FFS' })
      .expect(201);
  });
  afterAll(() => ctx.close());

  it('should answer one 422 with all four reasons when age is 17, GOLD is 1, no contract is in force and referral follows intake', async () => {
    const before = await ctx.count('patients');
    const response = await practice()
      .post('/api/v1/patients')
      // 01234567 has a contract with 0104 only, so none with 3311; intake 2025 - birth 2008 = 17.
      .send({
        ...PATIENT,
        practice: '01234567',
        ref: 'BAD-1',
        birthYear: 2008,
        goldStage: 1,
        referralDate: '2025-03-01',
      })
      .expect(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('ENROLMENT.INVALID');
    const reasons = (response.body.errors as Violation[]).map((e) => [e.code, e.path]);
    expect(reasons).toHaveLength(4);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['ELIGIBILITY.AGE_UNDER_18', 'birthYear'],
        ['ELIGIBILITY.GOLD_STAGE_TOO_LOW', 'goldStage'],
        ['ELIGIBILITY.NO_CONTRACT_IN_FORCE', 'intakeDate'],
        ['ENROLMENT.REFERRAL_AFTER_INTAKE', 'referralDate'],
      ]),
    );
    expect(await ctx.count('patients')).toBe(before);
  });

  it('should reject the shape with 400 and paths when fields have the wrong type or format', async () => {
    const response = await practice()
      .post('/api/v1/patients')
      .send({ ...PATIENT, practice: '1234567', goldStage: '3', intakeDate: '2025-02-30', extra: true })
      .expect(400);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect([...new Set((response.body.errors as Violation[]).map((e) => e.path))].sort()).toEqual([
      'extra',
      'goldStage',
      'intakeDate',
      'practice',
    ]);
  });

  it('should enrol with the arm at intake, a pseudonym and no BSN when the enrolment is valid', async () => {
    const created = await practice()
      .post('/api/v1/patients')
      .send({ ...PATIENT, bsn: '123456782' })
      .expect(201);
    expect(created.body).toMatchObject({
      ref: 'E-1',
      experiment: 'COPD-2025',
      practice: '12345678',
      insurer: '3311',
      arm: 'BUNDLE',
      goldStage: 3,
      profile: 4,
      referralDate: '2025-01-27',
      intakeDate: '2025-02-10',
      endDate: null,
      endReason: null,
    });
    expect(created.body.pseudonym).toMatch(/^P-[0-9A-F]{16}$/);
    expect(Object.keys(created.body)).not.toEqual(expect.arrayContaining(['bsn']));
    expect(JSON.stringify(created.body)).not.toMatch(/bsn/i);

    const got = await ctx.http().get(`/api/v1/patients/${created.body.id}`).expect(200);
    expect(got.body).toEqual(created.body);
  });

  it('should answer 409 with a clear code when the same practice and ref are enrolled twice', async () => {
    const before = await ctx.count('patients');
    const response = await practice().post('/api/v1/patients').send(PATIENT).expect(409);
    expect(response.body.code).toBe('PATIENT.REF_TAKEN');
    expect(await ctx.count('patients')).toBe(before);
  });

  it('should reject a BSN that fails the 11-proef without echoing it when one is given', async () => {
    const response = await practice()
      .post('/api/v1/patients')
      .send({ ...PATIENT, ref: 'E-BSN', bsn: '123456789' })
      .expect(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ code: 'ENROLMENT.BSN_INVALID', path: 'bsn' }),
    ]);
    expect(JSON.stringify(response.body)).not.toContain('123456789');
  });

  it('should answer 404 when the patient does not exist', async () => {
    const response = await ctx
      .http()
      .get('/api/v1/patients/00000000-0000-4000-8000-000000000000')
      .expect(404);
    expect(response.body.code).toBe('PATIENT.NOT_FOUND');
  });

  it('should reject a date change with reasons when it would strand recorded sessions or measurements', async () => {
    const patient = await practice()
      .post('/api/v1/patients')
      .send({ ...PATIENT, ref: 'E-PATCH' })
      .expect(201);
    const id = patient.body.id;
    await practice()
      .post(`/api/v1/patients/${id}/sessions`)
      .send({ date: '2025-02-12', kind: 'INDIVIDUAL' })
      .expect(201);
    await practice()
      .post(`/api/v1/patients/${id}/sessions`)
      .send({ date: '2025-06-01', kind: 'INDIVIDUAL' })
      .expect(201);
    await practice()
      .post(`/api/v1/patients/${id}/measurements`)
      .send({ date: '2025-01-28', instrument: 'CAT', value: 20 })
      .expect(201);

    // Intake 02-15 strands the 02-12 session; referral 02-01 strands the 01-28 measurement; end 05-31 strands 06-01.
    const response = await practice()
      .patch(`/api/v1/patients/${id}`)
      .send({
        intakeDate: '2025-02-15',
        referralDate: '2025-02-01',
        endDate: '2025-05-31',
        endReason: 'COMPLETED',
        reason: 'Datums gecorrigeerd', // a correction needs a reason (issue 14)
      })
      .expect(422);
    const codes = (response.body.errors as Violation[]).map((e) => e.code).sort();
    expect(codes).toEqual([
      'ENROLMENT.OBSERVATIONS_OUTSIDE_ENROLMENT',
      'ENROLMENT.SESSIONS_OUTSIDE_ENROLMENT',
    ]);
    const sessionsReason = (response.body.errors as Violation[]).find(
      (e) => e.code === 'ENROLMENT.SESSIONS_OUTSIDE_ENROLMENT',
    );
    expect(sessionsReason).toMatchObject({ params: { count: 2, firstOutsideDate: '2025-02-12' } }); // 02-12 and 06-01

    const unchanged = await ctx.http().get(`/api/v1/patients/${id}`).expect(200);
    expect(unchanged.body).toMatchObject({
      intakeDate: '2025-02-10',
      referralDate: '2025-01-27',
      endDate: null,
    });

    const ended = await practice()
      .patch(`/api/v1/patients/${id}`)
      .send({ endDate: '2025-06-30', endReason: 'COMPLETED', profile: 5, reason: 'Profiel bij afsluiting herzien' })
      .expect(200);
    expect(ended.body).toMatchObject({
      endDate: '2025-06-30',
      endReason: 'COMPLETED',
      profile: 5,
      arm: 'BUNDLE',
    });
    const cleared = await practice()
      .patch(`/api/v1/patients/${id}`)
      .send({ endDate: null, endReason: null, reason: 'Einde ten onrechte ingevoerd' })
      .expect(200);
    expect(cleared.body).toMatchObject({ endDate: null, endReason: null });
  });

  it('should delete the patient with its records and audit it when the patient is deleted', async () => {
    const patient = await practice()
      .post('/api/v1/patients')
      .send({ ...PATIENT, ref: 'E-DEL' })
      .expect(201);
    const id = patient.body.id;
    await practice()
      .post(`/api/v1/patients/${id}/sessions`)
      .send({ date: '2025-02-12', kind: 'HOME' })
      .expect(201);
    await practice()
      .post(`/api/v1/patients/${id}/events`)
      .send({ date: '2025-03-01', kind: 'EXACERBATION_MODERATE' })
      .expect(201);
    const sessionsBefore = await ctx.count('therapy_sessions');
    const eventsBefore = await ctx.count('events');

    await practice().delete(`/api/v1/patients/${id}`).send({ reason: 'Ingeschreven bij de verkeerde praktijk' }).expect(204);
    await ctx.http().get(`/api/v1/patients/${id}`).expect(404);
    expect(await ctx.count('therapy_sessions')).toBe(sessionsBefore - 1);
    expect(await ctx.count('events')).toBe(eventsBefore - 1);
    const audit = await ctx.dataSource.query(
      `SELECT detail FROM audit_log WHERE action = 'patient.delete' AND resource_id = $1`,
      [id],
    );
    expect(audit).toEqual([{ detail: { removed: { sessions: 1, measurements: 0, events: 1 } } }]);
  });

  describe('patient list', () => {
    beforeAll(async () => {
      // Five more patients at practice 01234567 x 0104 (FFS), intakes 03-01 .. 03-05, GOLD 2,3,4,2,3, profile 1..5.
      for (let i = 1; i <= 5; i++) {
        await practice()
          .post('/api/v1/patients')
          .send({
            ...PATIENT,
            practice: '01234567',
            insurer: '0104',
            ref: `L-${i}`,
            goldStage: [2, 3, 4, 2, 3][i - 1],
            profile: i,
            intakeDate: `2025-03-0${i}`,
          })
          .expect(201);
      }
    });

    it('should page the list with items, total, limit and offset when limit and offset are given', async () => {
      const first = await ctx.http().get('/api/v1/patients?practice=01234567&limit=2&offset=0').expect(200);
      expect(first.body).toMatchObject({ total: 5, limit: 2, offset: 0 });
      expect(first.body.items.map((p: { ref: string }) => p.ref)).toEqual(['L-1', 'L-2']); // by intake date
      const last = await ctx.http().get('/api/v1/patients?practice=01234567&limit=2&offset=4').expect(200);
      expect(last.body).toMatchObject({ total: 5, limit: 2, offset: 4 });
      expect(last.body.items.map((p: { ref: string }) => p.ref)).toEqual(['L-5']); // 5 - 4 = 1 left
    });

    it('should filter by insurer, arm, GOLD stage, profile, intake window and ref when the filters are given', async () => {
      const get = async (qs: string) => (await ctx.http().get(`/api/v1/patients?${qs}`).expect(200)).body;
      expect((await get('insurer=0104')).total).toBe(5);
      expect((await get('arm=FFS')).total).toBe(5); // all of practice 01234567 x 0104 are FFS
      expect((await get('goldStage=3&practice=01234567')).items.map((p: { ref: string }) => p.ref)).toEqual([
        'L-2',
        'L-5',
      ]);
      // Profile 4: L-4, and E-1 (intake 02-10, so first) at the other practice.
      expect((await get('profile=4')).items.map((p: { ref: string }) => p.ref)).toEqual(['E-1', 'L-4']);
      // Both ends inclusive: 03-02, 03-03, 03-04.
      expect(
        (await get('intakeFrom=2025-03-02&intakeTo=2025-03-04')).items.map((p: { ref: string }) => p.ref),
      ).toEqual(['L-2', 'L-3', 'L-4']);
      expect((await get('ref=L-3')).total).toBe(1);
      expect((await get('experiment=COPD-2025&practice=99999999')).total).toBe(0);
    });

    it('should write one audit row per list request with the count and filters when the list is read', async () => {
      await ctx.http().get('/api/v1/patients?practice=01234567&goldStage=2&limit=1').expect(200);
      const rows = await ctx.dataSource.query(
        `SELECT detail FROM audit_log WHERE action = 'patient.list' ORDER BY id DESC LIMIT 1`,
      );
      // GOLD 2 at 01234567: L-1 and L-4 = 2 in total, 1 returned.
      expect(rows[0].detail).toMatchObject({
        total: 2,
        returned: 1,
        filters: { agb: '01234567', goldStage: 2 },
      });
    });

    it('should reject a malformed filter with 400 when a code or date has the wrong format', async () => {
      const response = await ctx
        .http()
        .get('/api/v1/patients?practice=123&intakeFrom=2025-13-01')
        .expect(400);
      expect((response.body.errors as Violation[]).map((e) => e.path).sort()).toEqual([
        'intakeFrom',
        'practice',
      ]);
    });
  });
});
