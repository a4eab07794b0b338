import { createRegisters } from './support/test-registers';
import { countRecords, startTestApp, TestContext, Http } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

type Violation = { code: string; path: string; params?: Record<string, unknown> };

describe('sessions, measurements and events API (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let patientId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    // A contract for 2025 only: sessions from 2026 on have no contract in force.
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send(aContract({ arm: 'FFS' }))
      .expect(201);
    const patient = await practice()
      .post('/api/v1/patients')
      .send(aPatient({ ref: 'R-1', sex: 'X', goldStage: 4, profile: 5 }))
      .expect(201);
    patientId = patient.body.id;
  });
  afterAll(() => ctx.close());

  const sessions = () => `/api/v1/patients/${patientId}/sessions`;
  const measurements = () => `/api/v1/patients/${patientId}/measurements`;
  const events = () => `/api/v1/patients/${patientId}/events`;

  describe('sessions', () => {
    it('should reject a session in the future without a contract with both reasons when it is dated 2099', async () => {
      const before = await countRecords(ctx);
      const response = await practice()
        .post(sessions())
        .send({ date: '2099-01-05', kind: 'INDIVIDUAL' })
        .expect(422);
      expect(response.body.code).toBe('SESSION.INVALID');
      expect((response.body.errors as Violation[]).map((e) => [e.code, e.path])).toEqual([
        ['SESSION.IN_FUTURE', 'date'],
        ['SESSION.NO_CONTRACT_IN_FORCE', 'date'],
      ]);
      expect(await countRecords(ctx)).toEqual(before);
    });

    it('should reject a session before the intake date when it is dated 2025-02-01', async () => {
      const response = await practice()
        .post(sessions())
        .send({ date: '2025-02-01', kind: 'INDIVIDUAL' })
        .expect(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ code: 'SESSION.BEFORE_INTAKE', path: 'date' }),
      ]);
    });

    it('should reject a session with no contract in force when it falls after the contract ends', async () => {
      const response = await practice()
        .post(sessions())
        .send({ date: '2026-01-15', kind: 'HOME' })
        .expect(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ code: 'SESSION.NO_CONTRACT_IN_FORCE', path: 'date' }),
      ]);
    });

    it('should answer 201 and then 200 with the same session and no new row when the same session is sent twice', async () => {
      const first = await practice()
        .post(sessions())
        .send({ date: '2025-02-12', kind: 'INDIVIDUAL' })
        .expect(201);
      const rows = await ctx.count('therapy_sessions');
      const second = await practice()
        .post(sessions())
        .send({ date: '2025-02-12', kind: 'INDIVIDUAL' })
        .expect(200);
      expect(second.body).toEqual(first.body);
      expect(await ctx.count('therapy_sessions')).toBe(rows);
      // Another kind on the same day is another key.
      await practice().post(sessions()).send({ date: '2025-02-12', kind: 'GROUP' }).expect(201);
      expect(await ctx.count('therapy_sessions')).toBe(rows + 1);
    });

    it('should reject a whole batch with every error indexed when one item is invalid or duplicated', async () => {
      const before = await countRecords(ctx);
      const response = await practice()
        .post(`${sessions()}/batch`)
        .send([
          { date: '2025-03-03', kind: 'INDIVIDUAL' },
          { date: '2025-03-10', kind: 'INDIVIDUAL' },
          { date: '2025-01-10', kind: 'INDIVIDUAL' }, // before intake
          { date: '2025-03-10', kind: 'INDIVIDUAL' }, // same key as [1]
        ])
        .expect(422);
      expect((response.body.errors as Violation[]).map((e) => [e.code, e.path])).toEqual([
        ['BATCH.DUPLICATE_KEY', '[3]'],
        ['SESSION.BEFORE_INTAKE', '[2].date'],
      ]);
      expect(await countRecords(ctx)).toEqual(before); // all or nothing: [0] and [1] are not stored either
    });

    it('should report shape errors with the index in the path when batch items are malformed', async () => {
      const response = await practice()
        .post(`${sessions()}/batch`)
        .send([
          { date: '2025-03-03', kind: 'INDIVIDUAL' },
          { date: '2025-02-30', kind: 'SAUNA' },
        ])
        .expect(400);
      expect((response.body.errors as Violation[]).map((e) => e.path).sort()).toEqual([
        '[1].date',
        '[1].kind',
      ]);
    });

    it('should store a valid batch, leave already recorded items alone and count both when the batch is accepted', async () => {
      const before = await ctx.count('therapy_sessions');
      const response = await practice()
        .post(`${sessions()}/batch`)
        .send([
          { date: '2025-02-12', kind: 'INDIVIDUAL' }, // recorded above
          { date: '2025-03-03', kind: 'INDIVIDUAL' },
          { date: '2025-03-10', kind: 'REMOTE' },
        ])
        .expect(201);
      expect(response.body).toMatchObject({ created: 2, unchanged: 1 });
      expect(response.body.items.map((s: { date: string }) => s.date)).toEqual([
        '2025-02-12',
        '2025-03-03',
        '2025-03-10',
      ]);
      expect(await ctx.count('therapy_sessions')).toBe(before + 2); // 3 sent - 1 already there
    });

    it('should filter and page the sessions of a patient and audit the read when the list is requested', async () => {
      // Recorded: 02-12 GROUP, 02-12 INDIVIDUAL, 03-03 INDIVIDUAL, 03-10 REMOTE.
      const all = await ctx.http().get(sessions()).expect(200);
      expect(all.body.total).toBe(4);
      const march = await ctx.http().get(`${sessions()}?from=2025-03-01&to=2025-03-10`).expect(200);
      expect(march.body.items.map((s: { date: string }) => s.date)).toEqual(['2025-03-03', '2025-03-10']); // both ends inclusive
      const individual = await ctx.http().get(`${sessions()}?kind=INDIVIDUAL&limit=1&offset=1`).expect(200);
      expect(individual.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
      expect(individual.body.items[0].date).toBe('2025-03-03');
      const audit = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'session.list'`,
      );
      expect(audit[0].n).toBe(3);
    });

    it('should delete a session and answer 404 for it afterwards when it is deleted', async () => {
      const created = await practice()
        .post(sessions())
        .send({ date: '2025-04-01', kind: 'HOME' })
        .expect(201);
      await practice().delete(`/api/v1/sessions/${created.body.id}`).send({ reason: 'Dubbel ingevoerd' }).expect(204);
      await practice().delete(`/api/v1/sessions/${created.body.id}`).send({ reason: 'Dubbel ingevoerd' }).expect(404);
    });
  });

  describe('measurements', () => {
    it('should store CCQ 1.6 as 16 tenths and return 1.6 when a CCQ is recorded', async () => {
      const created = await practice()
        .post(measurements())
        .send({ date: '2025-02-10', instrument: 'CCQ', value: 1.6 })
        .expect(201);
      expect(created.body.value).toBe(1.6);
      const stored = await ctx.dataSource.query(`SELECT value FROM measurements WHERE id = $1`, [
        created.body.id,
      ]);
      expect(stored[0].value).toBe(16); // 1.6 x 10
      const list = await ctx.http().get(`${measurements()}?instrument=CCQ`).expect(200);
      expect(list.body.items.map((m: { value: number }) => m.value)).toEqual([1.6]);
    });

    it('should reject CCQ 2.25 rather than round it when it has two decimals', async () => {
      const before = await ctx.count('measurements');
      const response = await practice()
        .post(measurements())
        .send({ date: '2025-02-11', instrument: 'CCQ', value: 2.25 })
        .expect(422);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ code: 'MEASUREMENT.VALUE_TOO_MANY_DECIMALS', path: 'value' }),
      ]);
      expect(await ctx.count('measurements')).toBe(before);
    });

    it('should replace the value and audit old and new when a measurement is sent again with a new value', async () => {
      const first = await practice()
        .post(measurements())
        .send({ date: '2025-02-10', instrument: 'SIX_MWT', value: 350 })
        .expect(201);
      const rows = await ctx.count('measurements');
      const corrected = await practice()
        .post(measurements())
        .send({ date: '2025-02-10', instrument: 'SIX_MWT', value: 365, reason: 'Verkeerd overgenomen' })
        .expect(200);
      expect(corrected.body).toMatchObject({ id: first.body.id, value: 365 });
      expect(await ctx.count('measurements')).toBe(rows);
      const audit = await ctx.dataSource.query(
        `SELECT detail, patient_pseudonym FROM audit_log WHERE action = 'measurement.correct' AND resource_id = $1`,
        [first.body.id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].detail).toMatchObject({
        instrument: 'SIX_MWT',
        date: '2025-02-10',
        oldValue: 350,
        newValue: 365,
      });
      expect(audit[0].patient_pseudonym).toMatch(/^P-/);

      const unchanged = await practice()
        .post(measurements())
        .send({ date: '2025-02-10', instrument: 'SIX_MWT', value: 365 })
        .expect(200);
      expect(unchanged.body.updatedAt).toBe(corrected.body.updatedAt); // sent unchanged: nothing written
    });

    it('should reject a measurement before the referral and out of range with both reasons when both are wrong', async () => {
      const response = await practice()
        .post(measurements())
        .send({ date: '2025-01-20', instrument: 'CAT', value: 41 })
        .expect(422);
      expect((response.body.errors as Violation[]).map((e) => e.code).sort()).toEqual([
        'MEASUREMENT.BEFORE_REFERRAL',
        'MEASUREMENT.VALUE_OUT_OF_RANGE',
      ]);
    });

    it('should accept a measurement between referral and intake when it is a baseline', async () => {
      await practice()
        .post(measurements())
        .send({ date: '2025-01-30', instrument: 'CAT', value: 18 })
        .expect(201);
    });
  });

  describe('events', () => {
    it('should record an event once and answer 200 when it is sent again', async () => {
      const first = await practice()
        .post(events())
        .send({ date: '2025-03-14', kind: 'EXACERBATION_MODERATE' })
        .expect(201);
      const again = await practice()
        .post(events())
        .send({ date: '2025-03-14', kind: 'EXACERBATION_MODERATE' })
        .expect(200);
      expect(again.body.id).toBe(first.body.id);
      const list = await ctx.http().get(`${events()}?kind=EXACERBATION_MODERATE`).expect(200);
      expect(list.body.total).toBe(1);
    });

    it('should reject an event in the future when it is dated after today', async () => {
      const response = await practice()
        .post(events())
        .send({ date: '2099-12-31', kind: 'HOSPITAL_ADMISSION' })
        .expect(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ code: 'EVENT.IN_FUTURE' })]);
    });
  });

  it('should answer 404 for records of a patient that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await ctx.http().get(`/api/v1/patients/${missing}/sessions`).expect(404)).body.code).toBe(
      'PATIENT.NOT_FOUND',
    );
    await practice()
      .post(`/api/v1/patients/${missing}/measurements`)
      .send({ date: '2025-02-10', instrument: 'CAT', value: 1 })
      .expect(404);
  });
});
