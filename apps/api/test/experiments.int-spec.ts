import { startTestApp, TestContext } from './support/test-app';

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

    const updated = await ctx.http().patch(`/api/v1/experiments/${created.body.id}`).send({ analysisDate: '2025-12-31' }).expect(200);
    expect(updated.body.analysisDate).toBe('2025-12-31');
    expect(await ctx.count('audit_log')).toBe(2); // create + update, each in its write's transaction
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
