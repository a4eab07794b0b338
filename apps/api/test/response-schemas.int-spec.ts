import { INestApplicationContext } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import { freePort } from '@copd/dev-stack';
import { Actor } from '../src/core/actor/actor';
import { recomputeJobId } from '../src/core/queue/queue-names';
import { IndicatorsService } from '../src/modules/indicators/indicators.service';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { createRegisters } from './support/test-registers';
import { startTestWorker, waitForIndicators } from './support/test-worker';

type Schema = Record<string, unknown>;
type Method = 'get' | 'post';
interface OpenApiDocument {
  paths: Record<string, Partial<Record<Method, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>>;
  components: { schemas: Record<string, Schema> };
}
type Arm = { n: number; value: number | null; adjusted: number | null; adjustedNote: string | null; p90?: number | null };
type Indicator = { code: string; arms: Record<'BUNDLE' | 'FFS', Arm>; withheld?: string[] };

/** A validator of a route's documented body, resolving its $refs in the served components (the twin of patient-schema's). */
function documented(document: OpenApiDocument, method: Method, route: string, status = '200'): ValidateFunction {
  const schema = document.paths[route]?.[method]?.responses[status]?.content?.['application/json']?.schema;
  expect({ route, method, status, documented: schema !== undefined }).toEqual({ route, method, status, documented: true });
  // OpenAPI 3.0 keywords that are annotations for ajv (components only holds the $ref targets); the rest stays strict.
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addVocabulary(['example', 'discriminator', 'components']);
  return ajv.compile({ ...schema, components: document.components });
}

function expectValid(validate: ValidateFunction, body: unknown): void {
  const valid = validate(body);
  // The errors in the failure message say which field drifted.
  expect({ valid, errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
}

/**
 * Issue 11: the comparison, status, job, recompute and facts answers were untyped in the OpenAPI document, so the
 * dashboard kept hand-written types. Their bodies, as each role really receives them, are checked against the
 * document the application serves; every schema is closed, so a field added, dropped or renamed fails here.
 * The figures are DOMAIN.md section 9's worked example (patient P, BUNDLE, 6 sessions, analysis date 2025-09-30).
 */
describe('indicators: the served OpenAPI document describes the comparison, status, job and facts answers (real PostgreSQL and Redis)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext | undefined;
  let document: OpenApiDocument;
  let patientId: string;
  let jobId: string;
  let pendingAtRequest: number;

  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    [{ id: patientId }] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'P'`);
    document = (await ctx.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await worker?.close();
    await ctx.close();
  });

  // No worker runs until the fourth test: first the answers before any recompute.
  it('should match the documented facts answer when the facts of the patient are not computed yet', async () => {
    const facts = (await ctx.http().get(`/api/v1/patients/${patientId}/facts`).expect(200)).body;
    const [{ pseudonym }] = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE id = $1`, [patientId]);
    expect(facts).toEqual({
      patient: pseudonym,
      computed: false,
      analysisDate: null,
      arm: null,
      careQuarters: null,
      sessions: null,
      paidCents: null,
      counterfactualCents: null,
      unpricedItems: null,
      quarters: [],
    });
    expectValid(documented(document, 'get', '/api/v1/patients/{id}/facts'), facts);
  });

  it('should match the documented recompute, status and job answers when the queue takes a job no worker has run', async () => {
    const recompute = (await ctx.http().post('/api/v1/indicators/recompute').send({ experiment: 'WORKED' }).expect(202)).body;
    expect(recompute).toEqual({ jobId: expect.stringMatching(/^recompute/), queued: true });
    expectValid(documented(document, 'post', '/api/v1/indicators/recompute', '202'), recompute);
    jobId = recompute.jobId;
    [{ pending: pendingAtRequest }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS pending FROM indicator_outbox WHERE processed_at IS NULL`,
    );

    const status = (await ctx.http().get('/api/v1/indicators/status').expect(200)).body;
    expect(status).toEqual({
      experiment: 'WORKED',
      analysisDate: '2025-09-30',
      lastComputed: null,
      outboxBacklog: { rows: pendingAtRequest, oldest: expect.any(String) },
      queueReachable: true,
      jobs: [{ id: jobId, name: 'indicators.recompute-experiment', progress: 0, attempts: 0 }],
    });
    expectValid(documented(document, 'get', '/api/v1/indicators/status'), status);

    const job = (await ctx.http().get(`/api/v1/indicators/jobs/${encodeURIComponent(jobId)}`).expect(200)).body;
    expect(job).toEqual({
      id: jobId,
      name: 'indicators.recompute-experiment',
      state: 'waiting',
      progress: 0,
      attempts: 0,
      result: null,
      failedReason: null,
      queueReachable: true,
      pendingChanges: null,
    });
    expectValid(documented(document, 'get', '/api/v1/indicators/jobs/{jobId}'), job);
  });

  it('should match the documented job and status answers when the worker has run the job', async () => {
    worker = await startTestWorker();
    await waitForIndicators(ctx.dataSource);
    const path = `/api/v1/indicators/jobs/${encodeURIComponent(jobId)}`;
    const deadline = Date.now() + 30_000;
    let job = (await ctx.http().get(path).expect(200)).body;
    while (job.state !== 'completed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await ctx.http().get(path).expect(200)).body;
    }
    // One full recompute of the one patient, taking every outbox row pending when it was requested.
    expect(job).toEqual({
      id: jobId,
      name: 'indicators.recompute-experiment',
      state: 'completed',
      progress: 100,
      attempts: 1,
      result: { status: 'DONE', patients: 1, full: true, outboxRows: pendingAtRequest },
      failedReason: null,
      queueReachable: true,
      pendingChanges: null,
    });
    expectValid(documented(document, 'get', '/api/v1/indicators/jobs/{jobId}'), job);

    const status = (await ctx.http().get('/api/v1/indicators/status').expect(200)).body;
    expect(status).toMatchObject({
      lastComputed: { analysisDate: '2025-09-30', patients: 1, full: true },
      outboxBacklog: { rows: 0, oldest: null },
      queueReachable: true,
      jobs: [],
    });
    expectValid(documented(document, 'get', '/api/v1/indicators/status'), status);
  });

  it('should match the documented facts answer when the facts are computed', async () => {
    const facts = (await ctx.http().get(`/api/v1/patients/${patientId}/facts`).expect(200)).body;
    // Q1 bundle 9000 + 36000 = 45000 and Q2, Q3 36000 each: 117000 paid; FFS 22000 + 4000 + 4000 = 30000.
    expect(facts).toMatchObject({
      computed: true,
      analysisDate: '2025-09-30',
      arm: 'BUNDLE',
      careQuarters: 3,
      sessions: 6,
      paidCents: 117000,
      counterfactualCents: 30000,
      unpricedItems: 0,
    });
    expect(facts.quarters.map((q: { index: number; paidCents: number }) => [q.index, q.paidCents])).toEqual([
      [1, 45000],
      [2, 36000],
      [3, 36000],
    ]);
    expectValid(documented(document, 'get', '/api/v1/patients/{id}/facts'), facts);
  });

  it('should match the documented comparison when the evaluator, the practice and its insurer read it', async () => {
    const validate = documented(document, 'get', '/api/v1/indicators/comparison');
    const { practices: [{ agb }], insurers: [{ uzovi }] } = workedExampleDocument();
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: [agb] });
    const insurer = await ctx.signIn({ role: 'INSURER', insurer: uzovi });
    const paid = (body: { indicators: Indicator[] }) => body.indicators.find((i) => i.code === 'PAID_PER_CARE_QUARTER')!;

    const asEvaluator = (await ctx.http().get(`/api/v1/indicators/comparison?goldStage=3&practice=${agb}`).expect(200)).body;
    expect(asEvaluator).toMatchObject({
      experiment: 'WORKED',
      analysisDate: '2025-09-30',
      stale: false,
      filters: { goldStage: [3], practice: [agb] },
      practices: { BUNDLE: 1, FFS: 0 },
    });
    // Paid 117000 cents over 3 care quarters = EUR 390.00; P is GOLD 3, the only stage of both arms, so adjusted = crude.
    expect(paid(asEvaluator).arms.BUNDLE).toMatchObject({ n: 1, value: 390, adjusted: 390 });
    expect(paid(asEvaluator).arms.FFS).toMatchObject({ n: 0, value: null });
    // 2025-02-10 - 2025-01-27 = 14 days; one patient, so median = p90 = 14.
    expect(asEvaluator.indicators.find((i: Indicator) => i.code === 'WAIT_DAYS').arms.BUNDLE).toMatchObject({ n: 1, value: 14, p90: 14 });
    expect(asEvaluator.caseMix.BUNDLE.goldStage).toEqual({ '2': 0, '3': 1, '4': 0 });
    expectValid(validate, asEvaluator);

    const asPractice = (await practice().get('/api/v1/indicators/comparison').expect(200)).body;
    expect(asPractice.filters).toEqual({});
    expect(paid(asPractice).arms.BUNDLE).toMatchObject({ n: 1, value: 390 });
    expectValid(validate, asPractice);

    const asInsurer = (await insurer().get('/api/v1/indicators/comparison').expect(200)).body;
    expect(asInsurer).not.toHaveProperty('caseMix');
    expect(asInsurer.indicators.map((i: Indicator) => i.code)).toEqual([
      'PAID_PER_CARE_QUARTER',
      'COUNTERFACTUAL_PER_CARE_QUARTER',
      'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
      'ENROLLED',
    ]);
    // The BUNDLE arm holds 1 insured patient (< 5): its n stays, its value goes, and the indicator names the arm.
    expect(paid(asInsurer)).toMatchObject({ withheld: ['BUNDLE'], arms: { BUNDLE: { n: 1, value: null, adjusted: null } } });
    expectValid(validate, asInsurer);
  });

  it("should send the service's answers unchanged when the mappers list their fields", async () => {
    // Values and field names, not key order: a cached comparison comes out of a jsonb column, which orders keys its own
    // way; the mapper now sends every answer in one order.
    const service = ctx.app.get(IndicatorsService);
    const [{ id: insurerId }] = await ctx.dataSource.query(`SELECT id FROM insurers`);
    const evaluator: Actor = { id: 'response-schemas', role: 'EVALUATOR', source: 'test', scope: {} };
    const insured: Actor = { id: 'response-schemas', role: 'INSURER', source: 'test', scope: { insurerIds: [insurerId] } };
    const insurer = await ctx.signIn({ role: 'INSURER', insurer: workedExampleDocument().insurers[0].uzovi });
    const sent = async (http: () => ReturnType<typeof ctx.http>, path: string) => JSON.parse((await http().get(path).expect(200)).text);
    const computed = (answer: unknown) => JSON.parse(JSON.stringify(answer));

    expect(await sent(() => ctx.http(), '/api/v1/indicators/comparison')).toStrictEqual(computed(await service.comparison(evaluator, {})));
    expect(await sent(insurer, '/api/v1/indicators/comparison')).toStrictEqual(computed(await service.comparison(insured, {})));
    expect(await sent(() => ctx.http(), '/api/v1/indicators/status')).toStrictEqual(computed(await service.status(evaluator)));
    expect(await sent(() => ctx.http(), `/api/v1/patients/${patientId}/facts`)).toStrictEqual(
      computed(await service.patientFacts(evaluator, patientId)),
    );
  });

  it('should refuse a body in the documented schemas when a field is added, dropped or of another type', async () => {
    // The checks above can fail: the schemas are closed and their fields required.
    const comparison = documented(document, 'get', '/api/v1/indicators/comparison');
    const body = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
    expect(comparison(body)).toBe(true);
    expect(comparison({ ...body, extra: 1 })).toBe(false);
    const [first, ...rest] = body.indicators as Indicator[];
    expect(comparison({ ...body, indicators: [{ ...first, arms: { ...first.arms, BUNDLE: { ...first.arms.BUNDLE, value: '390' } } }, ...rest] })).toBe(false);
    expect(comparison({ ...body, indicators: [{ ...first, code: 'NOT_AN_INDICATOR' }, ...rest] })).toBe(false);
    const { stale: _stale, ...withoutStale } = body;
    expect(comparison(withoutStale)).toBe(false);

    const facts = documented(document, 'get', '/api/v1/patients/{id}/facts');
    const factsBody = (await ctx.http().get(`/api/v1/patients/${patientId}/facts`).expect(200)).body;
    expect(facts({ ...factsBody, arm: 'OTHER' })).toBe(false);
    expect(facts({ ...factsBody, quarters: [{ ...factsBody.quarters[0], calendarQuarter: '2025-Q1' }] })).toBe(false);

    const status = documented(document, 'get', '/api/v1/indicators/status');
    const statusBody = (await ctx.http().get('/api/v1/indicators/status').expect(200)).body;
    expect(status({ ...statusBody, lastComputed: { ...statusBody.lastComputed, extra: true } })).toBe(false);
    expect(status({ ...statusBody, lastComputed: null })).toBe(true);
  });
});

describe('indicators: the documented answers while the queue is unreachable (real PostgreSQL, a closed Redis port)', () => {
  let ctx: TestContext;
  let document: OpenApiDocument;
  const sharedRedisUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`;
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [], practices: [] });
    document = (await ctx.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await ctx.close();
    process.env.REDIS_URL = sharedRedisUrl;
  });

  it('should match the documented recompute, status and job answers when the queue cannot be reached', async () => {
    const recompute = (await ctx.http().post('/api/v1/indicators/recompute').send({}).expect(202)).body;
    expect(recompute).toEqual({ queued: false, reason: 'QUEUE.UNAVAILABLE', detail: expect.stringContaining('wachtrij') });
    expectValid(documented(document, 'post', '/api/v1/indicators/recompute', '202'), recompute);

    const status = (await ctx.http().get('/api/v1/indicators/status').expect(200)).body;
    // The request's one outbox row waits; no job can be listed.
    expect(status).toMatchObject({ lastComputed: null, outboxBacklog: { rows: 1 }, queueReachable: false, jobs: [] });
    expectValid(documented(document, 'get', '/api/v1/indicators/status'), status);

    const [{ id, last }] = await ctx.dataSource.query(
      `SELECT experiment_id AS id, max(id)::int AS last FROM indicator_outbox GROUP BY experiment_id`,
    );
    const jobId = recomputeJobId({ experimentId: id, upToOutboxId: last });
    const job = (await ctx.http().get(`/api/v1/indicators/jobs/${encodeURIComponent(jobId)}`).expect(200)).body;
    expect(job).toEqual({
      id: jobId,
      name: 'indicators.recompute-experiment',
      state: 'unknown',
      progress: 0,
      attempts: null,
      result: null,
      failedReason: null,
      queueReachable: false,
      pendingChanges: 1,
    });
    expectValid(documented(document, 'get', '/api/v1/indicators/jobs/{jobId}'), job);
  });
});
