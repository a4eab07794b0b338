import { startTestApp, TestContext } from './support/test-app';

describe('insurers and practices API (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('should keep the leading zeros of an AGB code when a practice is created, read and updated', async () => {
    const created = await ctx
      .http('ADMIN')
      .post('/api/v1/practices')
      .send({ agb: '01234567', name: 'Fysio Oost', region: 'Gelderland' })
      .expect(201);
    expect(created.body).toMatchObject({ agb: '01234567', name: 'Fysio Oost', region: 'Gelderland' });
    const updated = await ctx
      .http('ADMIN')
      .patch(`/api/v1/practices/${created.body.id}`)
      .send({ name: 'Fysio Oost BV' })
      .expect(200);
    expect(updated.body).toMatchObject({ agb: '01234567', name: 'Fysio Oost BV' });
    const got = await ctx.http().get(`/api/v1/practices/${created.body.id}`).expect(200);
    expect(got.body.agb).toBe('01234567');
  });

  it('should reject codes of the wrong length with 400 when an AGB or UZOVI code is not 8 or 4 digits', async () => {
    const practice = await ctx
      .http('ADMIN')
      .post('/api/v1/practices')
      .send({ agb: '1234567', name: 'X', region: 'Y' })
      .expect(400);
    expect(practice.body.errors.map((e: { path: string }) => e.path)).toEqual(['agb']);
    const insurer = await ctx.http('ADMIN').post('/api/v1/insurers').send({ uzovi: 3311, name: 'X' }).expect(400);
    expect(insurer.body.errors.map((e: { path: string }) => e.path)).toEqual(['uzovi']);
  });

  it('should answer 409 with a clear code when an AGB or UZOVI code is taken', async () => {
    await ctx.http('ADMIN').post('/api/v1/insurers').send({ uzovi: '3311', name: 'Noord' }).expect(201);
    expect(
      (await ctx.http('ADMIN').post('/api/v1/insurers').send({ uzovi: '3311', name: 'Ander' }).expect(409)).body
        .code,
    ).toBe('INSURER.UZOVI_TAKEN');
    expect(
      (
        await ctx
          .http('ADMIN')
          .post('/api/v1/practices')
          .send({ agb: '01234567', name: 'Ander', region: 'Y' })
          .expect(409)
      ).body.code,
    ).toBe('PRACTICE.AGB_TAKEN');
  });

  it('should filter practices by region and name and page them when filters are given', async () => {
    await ctx
      .http('ADMIN')
      .post('/api/v1/practices')
      .send({ agb: '22222222', name: 'Fysio West', region: 'Utrecht' })
      .expect(201);
    await ctx
      .http('ADMIN')
      .post('/api/v1/practices')
      .send({ agb: '33333333', name: 'Oefentherapie Centrum', region: 'Utrecht' })
      .expect(201);
    const utrecht = await ctx.http().get('/api/v1/practices?region=Utrecht').expect(200);
    expect(utrecht.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    const fysio = await ctx.http().get('/api/v1/practices?q=fysio&limit=1').expect(200);
    // 'Fysio Oost BV' and 'Fysio West' match; ordered by AGB, the first page holds 01234567.
    expect(fysio.body).toMatchObject({ total: 2, limit: 1 });
    expect(fysio.body.items.map((p: { agb: string }) => p.agb)).toEqual(['01234567']);
    const literal = await ctx.http().get('/api/v1/practices?q=%25').expect(200);
    expect(literal.body.total).toBe(0); // '%' is matched literally, not as a wildcard
  });

  it('should delete an unused insurer and answer 404 afterwards when nothing refers to it', async () => {
    const created = await ctx
      .http('ADMIN')
      .post('/api/v1/insurers')
      .send({ uzovi: '9999', name: 'Tijdelijk' })
      .expect(201);
    await ctx.http('ADMIN').delete(`/api/v1/insurers/${created.body.id}`).expect(204);
    expect((await ctx.http().get(`/api/v1/insurers/${created.body.id}`).expect(404)).body.code).toBe(
      'INSURER.NOT_FOUND',
    );
  });

  it('should list every records route in the OpenAPI document when /api/docs-json is read', async () => {
    const response = await ctx.http().get('/api/docs-json').expect(200);
    const paths = Object.keys(response.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/insurers',
        '/api/v1/insurers/{id}',
        '/api/v1/practices',
        '/api/v1/practices/{id}',
        '/api/v1/contracts',
        '/api/v1/contracts/{id}',
        '/api/v1/patients',
        '/api/v1/patients/{id}',
        '/api/v1/patients/{patientId}/sessions',
        '/api/v1/patients/{patientId}/sessions/batch',
        '/api/v1/sessions/{id}',
        '/api/v1/patients/{patientId}/measurements',
        '/api/v1/measurements/{id}',
        '/api/v1/patients/{patientId}/events',
        '/api/v1/events/{id}',
        '/api/v1/patients/{id}/pricing',
      ]),
    );
    const schemas = Object.keys(response.body.components.schemas);
    expect(schemas).toEqual(
      expect.arrayContaining([
        'CreatePatientDto',
        'PatientDto',
        'ContractDto',
        'PricingDto',
        'MeasurementDto',
      ]),
    );
    expect(JSON.stringify(response.body.components.schemas.PatientDto)).not.toMatch(/bsn/i);
  });
});
