import Ajv, { ValidateFunction } from 'ajv';
import { Http, startTestApp, TestContext } from './support/test-app';
import { createRegisters } from './support/test-registers';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

type Schema = Record<string, unknown>;
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const CONTRACT = aContract();
const PATIENT = aPatient({ ref: 'R-1', profile: 2 });

/** Exactly the fields of the insurer's view (patient.mapper.ts): no ref and no clinical detail. */
const INSURER_FIELDS = ['arm', 'createdAt', 'endDate', 'experiment', 'id', 'insurer', 'intakeDate', 'practice', 'pseudonym', 'updatedAt'];

/**
 * Issue 11: GET /patients/:id (and the list) answer an insurer with a shape other than the full patient. The
 * bodies each role really receives are checked against the OpenAPI document the application serves, so the
 * documentation cannot drift from the answer again.
 */
describe('patients: the served OpenAPI document describes what each role receives (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let insurer: () => Http;
  let document: OpenApiDocument;
  let patientId: string;
  let pseudonym: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] });
    await ctx.http().post('/api/v1/contracts').send(CONTRACT).expect(201);
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' });
    const created = await practice().post('/api/v1/patients').send(PATIENT).expect(201);
    patientId = created.body.id;
    pseudonym = created.body.pseudonym;
    document = (await ctx.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => ctx.close());

  /** A validator of the documented 200 body of a route, resolving its $refs in the served components. */
  function documented(route: string): ValidateFunction {
    const schema = document.paths[route]?.get?.responses['200']?.content?.['application/json']?.schema;
    expect(schema).toBeDefined();
    return validatorOf(schema!);
  }

  function validatorOf(schema: Schema): ValidateFunction {
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

  it('should match the documented answer of GET /patients/:id when an evaluator, a practice or an insurer reads it', async () => {
    const validate = documented('/api/v1/patients/{id}');
    const full = {
      id: patientId,
      pseudonym,
      ref: 'R-1',
      experiment: 'COPD-2025',
      practice: '12345678',
      insurer: '3311',
      arm: 'BUNDLE',
      birthYear: 1950,
      sex: 'F',
      goldStage: 3,
      profile: 2,
      referralDate: '2025-01-27',
      intakeDate: '2025-02-10',
      endDate: null,
      endReason: null,
    };

    const asEvaluator = (await ctx.http().get(`/api/v1/patients/${patientId}`).expect(200)).body;
    expect(asEvaluator).toMatchObject(full);
    expectValid(validate, asEvaluator);

    const asPractice = (await practice().get(`/api/v1/patients/${patientId}`).expect(200)).body;
    expect(asPractice).toEqual(asEvaluator);
    expectValid(validate, asPractice);

    const asInsurer = (await insurer().get(`/api/v1/patients/${patientId}`).expect(200)).body;
    expect(Object.keys(asInsurer).sort()).toEqual(INSURER_FIELDS);
    expect(asInsurer).toMatchObject({ id: patientId, pseudonym, experiment: 'COPD-2025', practice: '12345678', insurer: '3311', arm: 'BUNDLE', intakeDate: '2025-02-10', endDate: null });
    expectValid(validate, asInsurer);
  });

  it('should match the documented answer of GET /patients when an evaluator, a practice or an insurer lists them', async () => {
    const validate = documented('/api/v1/patients');
    for (const http of [() => ctx.http(), practice, insurer]) {
      const body = (await http().get('/api/v1/patients').expect(200)).body;
      expect(body).toMatchObject({ total: 1, limit: expect.any(Number), offset: 0 });
      expect(body.items.map((p: { id: string }) => p.id)).toEqual([patientId]);
      expectValid(validate, body);
    }
    const insurerItem = (await insurer().get('/api/v1/patients').expect(200)).body.items[0];
    expect(Object.keys(insurerItem).sort()).toEqual(INSURER_FIELDS);
  });

  it('should refuse a body in the documented schema when an insurer view carries a clinical field or a full patient lacks one', async () => {
    // The check above can fail: the two documented shapes are closed, so a leaked field or a missing one is a drift.
    const validate = documented('/api/v1/patients/{id}');
    const asInsurer = (await insurer().get(`/api/v1/patients/${patientId}`).expect(200)).body;
    expect(validate({ ...asInsurer, goldStage: 3 })).toBe(false);
    const asEvaluator = (await ctx.http().get(`/api/v1/patients/${patientId}`).expect(200)).body;
    const { birthYear: _dropped, ...withoutBirthYear } = asEvaluator;
    expect(validate(withoutBirthYear)).toBe(false);
    expect(validate({ ...asEvaluator, bsnHmac: 'x' })).toBe(false);
  });
});
