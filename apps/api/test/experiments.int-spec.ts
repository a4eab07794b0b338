import { aContract, anInsurer, aPatient, aPractice, WORKED_EXAMPLE } from './fixtures/builders';
import { Http, startTestApp, TestContext } from './support/test-app';
import { createRegisters } from './support/test-registers';
import { recomputeNow } from './support/test-worker';

describe('experiments API (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('should create, read, list and update an experiment when the input is valid', async () => {
    const created = await ctx
      .http()
      .post('/api/v1/experiments')
      .send({ code: 'COPD-T1', name: 'Test', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'COPD-T1', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' });

    const got = await ctx.http().get(`/api/v1/experiments/${created.body.id}`).expect(200);
    expect(got.body.analysisDate).toBe('2025-09-30');

    const list = await ctx.http().get('/api/v1/experiments?limit=10').expect(200);
    expect(list.body).toMatchObject({ total: 1, limit: 10, offset: 0 });

    const updated = await ctx.http().patch(`/api/v1/experiments/${created.body.id}`).send({ name: 'Test, hernoemd' }).expect(200);
    expect(updated.body.name).toBe('Test, hernoemd');
    expect(await ctx.count('audit_log')).toBe(2); // create + update, each in its write's transaction
    // The analysis date changes only with a reason (PUT .../analysis-date); the same date again is no change.
    const refused = await ctx.http().patch(`/api/v1/experiments/${created.body.id}`).send({ analysisDate: '2025-12-31' }).expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ code: 'EXPERIMENT.ANALYSIS_DATE_NEEDS_REASON', path: 'analysisDate' })]);
    await ctx.http().patch(`/api/v1/experiments/${created.body.id}`).send({ analysisDate: '2025-09-30' }).expect(200);
  });

  it('should answer problem+json with every reason when the period is inconsistent', async () => {
    const before = await ctx.count('experiments');
    const response = await ctx
      .http()
      .post('/api/v1/experiments')
      .send({ code: 'COPD-T2', name: 'Bad', start: '2025-06-01', end: '2025-01-01', analysisDate: '2025-05-01' })
      .expect(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'EXPERIMENT.END_BEFORE_START',
      'EXPERIMENT.ANALYSIS_BEFORE_START',
    ]);
    expect(await ctx.count('experiments')).toBe(before);
  });

  it('should reject unknown fields and impossible dates with their paths when the shape is wrong', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/experiments')
      .send({ code: 'X', name: 'Bad', start: '2025-02-29', end: '2025-12-31', extra: 1 })
      .expect(400);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['extra', 'start']);
  });

  it('should report PostgreSQL and Redis in /health when both are up', async () => {
    const response = await ctx.http().get('/health').expect(200);
    expect(response.body.info).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('should serve an OpenAPI document listing the experiments routes', async () => {
    const response = await ctx.http().get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/v1/experiments', '/api/v1/experiments/{id}']));
  });
});

describe('PUT /api/v1/experiments/:id/analysis-date (issue 12 item 4, real PostgreSQL)', () => {
  let ctx: TestContext;
  let experimentId: string;
  let practice: () => Http;
  let insurer: () => Http;
  const route = () => `/api/v1/experiments/${experimentId}/analysis-date`;
  const stored = async () =>
    (await ctx.dataSource.query(`SELECT analysis_date::text AS d FROM experiments WHERE id = $1`, [experimentId]))[0].d as string;
  const comparison = async () => (await ctx.http().get('/api/v1/indicators/comparison?experiment=COPD-2025').expect(200)).body;
  const enrolled = (body: { indicators: { code: string; arms: { BUNDLE: { value: number | null } } }[] }) =>
    body.indicators.find((i) => i.code === 'ENROLLED')?.arms.BUNDLE.value;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] });
    experimentId = (await ctx.http().get('/api/v1/experiments').expect(200)).body.items[0].id;
    practice = await ctx.signIn({ role: 'PRACTICE', practices: [WORKED_EXAMPLE.practice] });
    insurer = await ctx.signIn({ role: 'INSURER', insurer: WORKED_EXAMPLE.insurer });
    await ctx.http().post('/api/v1/contracts').send(aContract()).expect(201);
    // Patient P of the worked example: intake 2025-02-10, in the population while the analysis date is on or after it.
    await practice().post('/api/v1/patients').send(aPatient()).expect(201);
    await recomputeNow(ctx);
  });
  afterAll(() => ctx.close());

  it('should refuse 401/403 and change nothing when the caller is anonymous, an administrator, a practice or an insurer', async () => {
    const before = { audit: await ctx.count('audit_log'), outbox: await ctx.count('indicator_outbox') };
    const body = { analysisDate: '2025-12-31', reason: 'Rapportage Q4 2025' };
    const anonymous = await ctx.http('ANONYMOUS').put(route()).send(body).expect(401);
    expect(anonymous.body.code).toBe('AUTH.REQUIRED');
    for (const as of [() => ctx.http('ADMIN'), practice, insurer]) {
      const refused = await as().put(route()).send(body).expect(403);
      expect(refused.body.code).toBe('AUTH.FORBIDDEN');
    }
    expect(await stored()).toBe('2025-09-30');
    expect(await ctx.count('indicator_outbox')).toBe(before.outbox);
    // Only the three denials were audited (access.denied), no change.
    const denied = await ctx.dataSource.query(`SELECT action, outcome FROM audit_log ORDER BY id DESC LIMIT 3`);
    expect(await ctx.count('audit_log')).toBe(before.audit + 3);
    expect(denied).toEqual([0, 1, 2].map(() => ({ action: 'access.denied', outcome: 'DENIED' })));
  });

  it('should answer 400 with a Dutch field error and change nothing when the reason is missing, too short or only spaces', async () => {
    const before = { audit: await ctx.count('audit_log'), outbox: await ctx.count('indicator_outbox') };
    // Spaces are trimmed away, so '          ' is missing; 'abcd' has 4 of the 5 characters needed.
    for (const [reason, expected] of [
      [undefined, { code: 'SHAPE.REQUIRED', path: 'reason', message: 'Reden ontbreekt; vul dit veld in.', params: { value: null } }],
      ['          ', { code: 'SHAPE.REQUIRED', path: 'reason', message: 'Reden ontbreekt; vul dit veld in.', params: { value: null } }],
      ['abcd', { code: 'SHAPE.TOO_SHORT', path: 'reason', message: 'Reden is te kort (4 tekens); vul minstens 5 tekens in.', params: { value: 'abcd', length: 4, min: 5, max: 500 } }],
      ['x'.repeat(501), { code: 'SHAPE.TOO_LONG', path: 'reason', message: 'Reden is te lang (501 tekens); hoogstens 500 tekens zijn toegestaan.', params: { value: `${'x'.repeat(97)}...`, length: 501, min: 5, max: 500 } }],
    ] as const) {
      const response = await ctx.http().put(route()).send({ analysisDate: '2025-12-31', reason }).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('REQUEST.INVALID');
      expect(response.body.errors).toEqual([expected]);
    }
    const noDate = await ctx.http().put(route()).send({ reason: 'Rapportage Q4 2025' }).expect(400);
    expect(noDate.body.errors.map((e: { path: string }) => e.path)).toEqual(['analysisDate']);
    expect(await stored()).toBe('2025-09-30');
    expect(await ctx.count('audit_log')).toBe(before.audit);
    expect(await ctx.count('indicator_outbox')).toBe(before.outbox);
  });

  it('should answer 422 EXPERIMENT.ANALYSIS_BEFORE_START and change nothing when the date is before the experiment start', async () => {
    const before = await ctx.count('indicator_outbox');
    const response = await ctx.http().put(route()).send({ analysisDate: '2024-12-31', reason: 'Te vroeg gekozen' }).expect(422);
    expect(response.body.code).toBe('EXPERIMENT.INVALID');
    expect(response.body.errors.map((e: { code: string }) => e.code)).toEqual(['EXPERIMENT.ANALYSIS_BEFORE_START']);
    expect(await stored()).toBe('2025-09-30');
    expect(await ctx.count('indicator_outbox')).toBe(before);
  });

  it('should store the date, audit before, after and reason, announce the recompute and recompute with it when an evaluator sets it', async () => {
    const before = await comparison();
    expect({ analysisDate: before.analysisDate, stale: before.stale, enrolled: enrolled(before) }).toEqual({ analysisDate: '2025-09-30', stale: false, enrolled: 1 });
    const outboxBefore = await ctx.count('indicator_outbox');

    // 2025-02-09 is the day before P's intake (2025-02-10): P leaves the population.
    const response = await ctx.http().put(route()).send({ analysisDate: '2025-02-09', reason: '  Controle: stand voor de eerste intake  ' }).expect(200);
    expect(response.body).toMatchObject({ id: experimentId, code: 'COPD-2025', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-02-09' });
    expect(await stored()).toBe('2025-02-09');

    const [audit] = await ctx.dataSource.query(
      `SELECT actor_role, resource_type, resource_id, outcome, detail FROM audit_log WHERE action = 'experiment.analysis-date'`,
    );
    // The reason is kept trimmed.
    expect(audit).toEqual({
      actor_role: 'EVALUATOR',
      resource_type: 'experiment',
      resource_id: experimentId,
      outcome: 'SUCCESS',
      detail: { before: '2025-09-30', after: '2025-02-09', reason: 'Controle: stand voor de eerste intake' },
    });
    // One experiment-wide outbox row (patient_id null), in the same transaction.
    const outbox = await ctx.dataSource.query(
      `SELECT experiment_id, patient_id, reason, processed_at FROM indicator_outbox ORDER BY id DESC LIMIT 1`,
    );
    expect(await ctx.count('indicator_outbox')).toBe(outboxBefore + 1);
    expect(outbox).toEqual([{ experiment_id: experimentId, patient_id: null, reason: 'experiment', processed_at: null }]);

    // Until the worker has run, the comparison says it is stale.
    expect((await comparison()).stale).toBe(true);
    await recomputeNow(ctx);
    const after = await comparison();
    // ENROLLED: P's intake 2025-02-10 > analysis date 2025-02-09, so 1 -> 0 patients in the bundle arm.
    expect({ analysisDate: after.analysisDate, stale: after.stale, enrolled: enrolled(after) }).toEqual({ analysisDate: '2025-02-09', stale: false, enrolled: 0 });
  });

  it('should answer 200 and write nothing when the date is the current one', async () => {
    const before = { audit: await ctx.count('audit_log'), outbox: await ctx.count('indicator_outbox') };
    const response = await ctx.http().put(route()).send({ analysisDate: '2025-02-09', reason: 'Nogmaals dezelfde datum' }).expect(200);
    expect(response.body.analysisDate).toBe('2025-02-09');
    expect(await ctx.count('audit_log')).toBe(before.audit);
    expect(await ctx.count('indicator_outbox')).toBe(before.outbox);
  });
});
