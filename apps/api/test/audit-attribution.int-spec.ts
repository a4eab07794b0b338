import { Http, startTestApp, TestContext } from './support/test-app';
import { aContractRow, aPatientRow } from './fixtures/builders';

/**
 * Issue 10, M3 and L4: every patient a read returns is attributable in the audit log, so a practice's
 * "who accessed my patients" shows list reads and exports; requests for another organisation's objects are
 * audited; administrators read audit details without clinical values.
 *
 * Practice A 11111111 (3 patients A1, A2, A3) and practice B 22222222 (1 patient B1), both BUNDLE with 3311.
 */
const A = '11111111';
const B = '22222222';

function document() {
  const patient = (practice: string, ref: string) => aPatientRow({ ref, practice });
  return {
    experiment: { code: 'AUDIT', name: 'Audit', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' },
    insurers: [{ uzovi: '3311', name: 'Verzekeraar Noord' }],
    practices: [{ agb: A, name: 'Praktijk A', region: 'Utrecht' }, { agb: B, name: 'Praktijk B', region: 'Utrecht' }],
    contracts: [A, B].map((practice) => aContractRow({ practice })),
    patients: [patient(A, 'A1'), patient(A, 'A2'), patient(A, 'A3'), patient(B, 'B1')],
    sessions: [{ patient: 'B1', practice: B, date: '2025-02-12', kind: 'INDIVIDUAL' }],
    measurements: [],
    events: [],
  };
}

type Access = { actor: string; action: string; outcome: string; patientPseudonym: string | null; patientPseudonyms: string[] };

describe('audit attribution of every patient read (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practiceA: () => Http;
  let practiceB: () => Http;
  const pseudonyms: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const myPatients = async (as: () => Http, query = ''): Promise<Access[]> =>
    (await as().get(`/api/v1/audit-log/my-patients?limit=1000${query}`).expect(200)).body.items;

  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.http().post('/api/v1/experiment-data').send(document()).expect(200);
    for (const row of await ctx.dataSource.query(`SELECT id, ref, pseudonym FROM patients`)) {
      pseudonyms[row.ref] = row.pseudonym;
      ids[row.ref] = row.id;
    }
    practiceA = await ctx.signIn({ role: 'PRACTICE', practices: [A] }, 'praktijk-a');
    practiceB = await ctx.signIn({ role: 'PRACTICE', practices: [B] }, 'praktijk-b');
  });
  afterAll(() => ctx.close());

  it("should show the evaluator's list read of exactly those patients in the practice's my-patients view when the evaluator lists them", async () => {
    const list = (await ctx.http().get(`/api/v1/patients?practice=${A}`).expect(200)).body;
    expect(list.total).toBe(3);
    const reads = (await myPatients(practiceA)).filter((r) => r.actor === 'test-evaluator' && r.action === 'patient.list');
    expect(reads).toHaveLength(1);
    expect(reads[0].patientPseudonyms).toEqual([pseudonyms.A1, pseudonyms.A2, pseudonyms.A3].sort());
    // B's patient was not in that list: B's view does not show it.
    expect((await myPatients(practiceB)).filter((r) => r.action === 'patient.list')).toEqual([]);
  });

  it("should show a practice only its own patients of a list read that spans practices", async () => {
    await ctx.http().get('/api/v1/patients?limit=2&offset=2').expect(200);
    // Ordered by intake date, AGB, ref: A1, A2 | A3, B1. The second page returned A3 and B1.
    const [lastA] = (await myPatients(practiceA)).filter((r) => r.action === 'patient.list');
    const [lastB] = (await myPatients(practiceB)).filter((r) => r.action === 'patient.list');
    expect(lastA.patientPseudonyms).toEqual([pseudonyms.A3]);
    expect(lastB.patientPseudonyms).toEqual([pseudonyms.B1]);
    const [row] = await ctx.dataSource.query(`SELECT patient_pseudonyms FROM audit_log WHERE action = 'patient.list' ORDER BY id DESC LIMIT 1`);
    expect([...row.patient_pseudonyms].sort()).toEqual([pseudonyms.A3, pseudonyms.B1].sort());
  });

  it('should record every exported patient in one audit row when the evaluator exports the experiment', async () => {
    await ctx.http().get('/api/v1/experiment-data').expect(200);
    const rows = await ctx.dataSource.query(`SELECT patient_pseudonyms FROM audit_log WHERE action = 'experiment-data.export'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].patient_pseudonyms).toEqual(Object.values(pseudonyms).sort());
    const [exportA] = (await myPatients(practiceA)).filter((r) => r.action === 'experiment-data.export');
    expect(exportA).toMatchObject({ actor: 'test-evaluator', patientPseudonyms: [pseudonyms.A1, pseudonyms.A2, pseudonyms.A3].sort() });
  });

  it("should find list reads by patient when the evaluator searches the audit log for one patient", async () => {
    const body = (await ctx.http().get(`/api/v1/audit-log?patient=${pseudonyms.A2}&action=patient.list`).expect(200)).body;
    // Of the two list reads, only the first (practice A: A1, A2, A3) returned A2; the second page held A3 and B1.
    expect(body.total).toBe(1);
    expect(body.items[0].patientPseudonyms).toContain(pseudonyms.A2);
  });

  it("should answer 404 and audit it, attributed to the owning practice, when a practice asks for another practice's patient", async () => {
    const foreign = (await practiceA().get(`/api/v1/patients/${ids.B1}`).expect(404)).body;
    expect(foreign.code).toBe('PATIENT.NOT_FOUND');
    const [row] = await ctx.dataSource.query(
      `SELECT action, outcome, resource_id, patient_pseudonym FROM audit_log WHERE actor = 'praktijk-a' AND outcome = 'NOT_FOUND' ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toEqual({ action: 'access.not-found', outcome: 'NOT_FOUND', resource_id: `GET /api/v1/patients/:id id=${ids.B1}`, patient_pseudonym: pseudonyms.B1 });
    // B sees the attempt among the accesses to its patients; the requester learnt nothing more than "not found".
    const attempts = (await myPatients(practiceB)).filter((r) => r.actor === 'praktijk-a');
    expect(attempts).toEqual([expect.objectContaining({ action: 'access.not-found', outcome: 'NOT_FOUND', patientPseudonym: pseudonyms.B1 })]);
  });

  it("should audit a request for another practice's patient's sessions and a missing id alike when a practice probes", async () => {
    await practiceA().get(`/api/v1/patients/${ids.B1}/sessions`).expect(404);
    await practiceA().get('/api/v1/patients/00000000-0000-4000-8000-000000000000/pricing').expect(404);
    const rows = await ctx.dataSource.query(
      `SELECT resource_id, patient_pseudonym FROM audit_log WHERE actor = 'praktijk-a' AND outcome = 'NOT_FOUND' ORDER BY id DESC LIMIT 2`,
    );
    expect(rows).toEqual([
      { resource_id: 'GET /api/v1/patients/:id/pricing id=00000000-0000-4000-8000-000000000000', patient_pseudonym: null },
      { resource_id: `GET /api/v1/patients/:patientId/sessions patientId=${ids.B1}`, patient_pseudonym: pseudonyms.B1 },
    ]);
  });

  it("should audit a filter on another practice's code as not found when a practice probes the comparison", async () => {
    const body = (await practiceA().get(`/api/v1/indicators/comparison?practice=${B}`).expect(422)).body;
    expect(body.errors.map((e: { code: string }) => e.code)).toEqual(['FILTER.UNKNOWN_PRACTICE']);
    const [row] = await ctx.dataSource.query(
      `SELECT action, outcome, resource_id, detail FROM audit_log WHERE actor = 'praktijk-a' AND outcome = 'NOT_FOUND' ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toEqual({
      action: 'access.not-found',
      outcome: 'NOT_FOUND',
      resource_id: `GET /api/v1/indicators/comparison practice=${B}`,
      detail: { code: 'FILTER.INVALID', requested: { practice: B } },
    });
  });

  it('should show clinical values of a patient update to the evaluator and redact them for the administrator', async () => {
    await practiceA().patch(`/api/v1/patients/${ids.A1}`).send({ goldStage: 4, profile: 5, reason: 'Longfunctie herzien' }).expect(200);
    const search = async (as: 'EVALUATOR' | 'ADMIN') =>
      (await ctx.http(as).get(`/api/v1/audit-log?action=patient.update&patient=${pseudonyms.A1}`).expect(200)).body.items[0].detail;
    const evaluator = await search('EVALUATOR');
    expect(evaluator.before).toMatchObject({ goldStage: 3, profile: 4, referralDate: '2025-01-27', intakeDate: '2025-02-10', endDate: null, endReason: null });
    expect(evaluator.after).toMatchObject({ goldStage: 4, profile: 5 });
    const admin = await search('ADMIN');
    // Which fields changed is not clinical; their values are. A null stays null (nothing to hide).
    expect(admin.changed).toEqual(['goldStage', 'profile']);
    expect(admin.before).toEqual({ goldStage: '[verborgen]', profile: '[verborgen]', referralDate: '[verborgen]', intakeDate: '[verborgen]', endDate: null, endReason: null });
    expect(admin.after).toEqual({ goldStage: '[verborgen]', profile: '[verborgen]', referralDate: '[verborgen]', intakeDate: '[verborgen]', endDate: null, endReason: null });
  });
});
