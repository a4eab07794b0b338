import { createRegisters } from './support/test-registers';
import { startTestApp, TestContext, Http } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

type Violation = { code: string; path: string; message: string; params?: Record<string, unknown> };

/** Issue 14 item 5: every field error has a code, a path, params with the value entered, and a text in nl or en. */
describe('field messages in the request language (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let patientId: string;
  const byPath = (errors: Violation[]) => Object.fromEntries(errors.map((e) => [e.path, e]));

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    await ctx.http().post('/api/v1/contracts').send(aContract()).expect(201);
    const created = await practice().post('/api/v1/patients').send(aPatient({ ref: 'FM-OK' })).expect(201);
    patientId = created.body.id;
  });
  afterAll(() => ctx.close());

  // The nine fields an enrolment needs; experiment, bsn, endDate and endReason may be left out.
  const REQUIRED = ['practice', 'insurer', 'ref', 'birthYear', 'sex', 'goldStage', 'profile', 'referralDate', 'intakeDate'];

  it('should name every missing field once with SHAPE.REQUIRED in Dutch when an empty enrolment is posted without a language', async () => {
    const before = await ctx.count('patients');
    const response = await practice().post('/api/v1/patients').send({}).expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.headers['content-language']).toBe('nl');
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(response.body.detail).toBe('Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    const errors = response.body.errors as Violation[];
    expect(errors.map((e) => [e.code, e.path])).toEqual(REQUIRED.map((path) => ['SHAPE.REQUIRED', path]));
    const at = byPath(errors);
    expect(at.birthYear).toEqual({ code: 'SHAPE.REQUIRED', path: 'birthYear', message: 'Geboortejaar ontbreekt; vul dit veld in.', params: { value: null } });
    expect(at.goldStage.message).toBe('GOLD-stadium ontbreekt; vul dit veld in.');
    expect(at.intakeDate.message).toBe('Intakedatum ontbreekt; vul dit veld in.');
    expect(at.ref.message).toBe('Patiëntnummer (ref) ontbreekt; vul dit veld in.');
    expect(await ctx.count('patients')).toBe(before);
  });

  it('should give the same codes with English texts when the request prefers English', async () => {
    const response = await practice().post('/api/v1/patients').set('Accept-Language', 'en-GB,en;q=0.9,nl;q=0.5').send({}).expect(400);
    expect(response.headers['content-language']).toBe('en');
    expect(response.headers.vary).toMatch(/Accept-Language/);
    expect(response.body.detail).toBe('The request has invalid or missing fields; see "errors".');
    const errors = response.body.errors as Violation[];
    expect(errors.map((e) => [e.code, e.path])).toEqual(REQUIRED.map((path) => ['SHAPE.REQUIRED', path]));
    const at = byPath(errors);
    expect(at.birthYear.message).toBe('Year of birth is missing; please fill it in.');
    expect(at.goldStage.message).toBe('GOLD stage is missing; please fill it in.');
    expect(at.intakeDate.message).toBe('Intake date is missing; please fill it in.');
  });

  it('should say what is wrong with the value entered, with the limits, when fields have the wrong type or form', async () => {
    const body = aPatient({ ref: 'FM-2', birthYear: 'negentien' as never, goldStage: 2.5, intakeDate: '2025-02-30', sex: 'V' as never, practice: '1234' });
    const nl = await practice().post('/api/v1/patients').send({ ...body, extra: 1 }).expect(400);
    const at = byPath(nl.body.errors);
    expect(Object.keys(at).sort()).toEqual(['birthYear', 'extra', 'goldStage', 'intakeDate', 'practice', 'sex']);
    expect(at.birthYear).toMatchObject({ code: 'SHAPE.NOT_AN_INTEGER', params: { value: 'negentien' } });
    expect(at.birthYear.message).toBe("Geboortejaar: 'negentien' is geen geheel getal; vul een geheel getal in (bijv. 3).");
    // 2.5 is written with a decimal comma in Dutch.
    expect(at.goldStage.message).toBe('GOLD-stadium: 2,5 is geen geheel getal; vul een geheel getal in (bijv. 3).');
    expect(at.intakeDate).toMatchObject({ code: 'SHAPE.NOT_A_DATE', params: { value: '2025-02-30', minYear: 1900, maxYear: 2199 } });
    expect(at.sex).toMatchObject({ code: 'SHAPE.NOT_ONE_OF', params: { value: 'V', allowed: 'F, M, X' } });
    expect(at.sex.message).toBe("Geslacht: 'V' is geen geldige keuze; kies uit F, M, X.");
    expect(at.practice).toMatchObject({ code: 'SHAPE.PATTERN', params: { value: '1234' } });
    expect(at.practice.message).toBe(
      "Praktijk (AGB-code): '1234' heeft niet de juiste vorm; een AGB-code bestaat uit precies 8 cijfers (bijv. 01234567).",
    );
    expect(at.extra.code).toBe('SHAPE.UNKNOWN_FIELD');

    const en = await practice().post('/api/v1/patients').set('Accept-Language', 'en').send({ ...body, extra: 1 }).expect(400);
    const inEnglish = byPath(en.body.errors);
    expect(inEnglish.intakeDate.message).toBe(
      "Intake date: '2025-02-30' is not an existing date; use the form YYYY-MM-DD (e.g. 2025-02-10), year 1900 to 2199.",
    );
    expect(inEnglish.sex.message).toBe("Sex: 'V' is not a valid choice; choose from F, M, X.");
    expect(inEnglish.extra.message).toBe("The field 'extra' does not exist here; leave it out or check its spelling.");
  });

  it('should explain the business rule with the value entered in both languages when GOLD stage 1 is enrolled', async () => {
    const body = aPatient({ ref: 'FM-3', goldStage: 1 });
    const nl = await practice().post('/api/v1/patients').send(body).expect(422);
    expect(nl.body.detail).toBe('De patiënt kan niet worden ingeschreven; zie "errors".');
    expect(nl.body.errors).toEqual([
      {
        code: 'ELIGIBILITY.GOLD_STAGE_TOO_LOW',
        path: 'goldStage',
        message:
          'GOLD-stadium 1 komt niet in aanmerking: oefentherapie bij COPD wordt vergoed vanaf GOLD-stadium 2 ' +
          '(Besluit zorgverzekering art. 2.6 lid 6). Controleer de spirometrie-uitslag.',
        params: { goldStage: 1, minimum: 2, value: 1 },
      },
    ]);
    const en = await practice().post('/api/v1/patients').set('Accept-Language', 'en').send(body).expect(422);
    expect(en.body.code).toBe('ENROLMENT.INVALID');
    expect(en.body.detail).toBe('The patient cannot be enrolled; see "errors".');
    expect(en.body.errors).toEqual([
      {
        code: 'ELIGIBILITY.GOLD_STAGE_TOO_LOW',
        path: 'goldStage',
        message:
          'GOLD stage 1 is not eligible: exercise therapy for COPD is covered from GOLD stage 2 ' +
          '(Besluit zorgverzekering art. 2.6 lid 6). Check the spirometry result.',
        params: { goldStage: 1, minimum: 2, value: 1 },
      },
    ]);
  });

  it('should show the typed text when a measurement value with a stray comma is sent as text', async () => {
    const before = await ctx.count('measurements');
    const response = await practice()
      .post(`/api/v1/patients/${patientId}/measurements`)
      .set('Accept-Language', 'nl')
      .send({ date: '2025-02-10', instrument: 'CCQ', value: '2,5,1' })
      .expect(400);
    expect(response.body.errors).toEqual([
      {
        code: 'SHAPE.NOT_A_NUMBER',
        path: 'value',
        message: "Waarde: '2,5,1' is geen getal; vul een getal in (bijv. 12,5).",
        params: { value: '2,5,1' },
      },
    ]);
    expect(await ctx.count('measurements')).toBe(before);
  });

  it('should give a measurement rule in English with the scale and the value when a CCQ is out of range', async () => {
    const response = await practice()
      .post(`/api/v1/patients/${patientId}/measurements`)
      .set('Accept-Language', 'en')
      .send({ date: '2025-02-10', instrument: 'CCQ', value: 7 })
      .expect(422);
    expect(response.body.detail).toBe('The measurement is not valid; see "errors".');
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        code: 'MEASUREMENT.VALUE_OUT_OF_RANGE',
        path: 'value',
        message: 'The CCQ score must be between 0 and 6 (entered: 7).',
      }),
    ]);
  });

  it('should quote the limits of a page when a query is out of range, and the detail of a 404, in English', async () => {
    const range = await practice().get('/api/v1/patients?limit=0').set('Accept-Language', 'en').expect(400);
    expect(range.body.errors).toEqual([
      {
        code: 'SHAPE.OUT_OF_RANGE',
        path: 'limit',
        message: 'Page size (limit) must be between 1 and 1000 (entered: 0).',
        params: { value: 0, min: 1, max: 1000 },
      },
    ]);
    const id = '0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f';
    const missing = await practice().get(`/api/v1/patients/${id}`).set('Accept-Language', 'en').expect(404);
    expect(missing.body.detail).toBe(`Patient ${id} does not exist.`);
    const dutch = await practice().get(`/api/v1/patients/${id}`).expect(404);
    expect(dutch.body.detail).toBe(`Patient ${id} bestaat niet.`);
  });
});
