import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync, strFromU8 } from 'fflate';
import type { ImportReport } from '../src/modules/interchange/import-report';
import { RecomputeService } from '../src/modules/indicators/recompute.service';
import { generateExperiment } from '../src/modules/demo-data/demo-generator';
import { WORKED_EXAMPLE } from './fixtures/builders';
import { workedExampleDocument } from './fixtures/worked-example';
import { countRecords, startTestApp, type Http, type TestContext } from './support/test-app';

const AGB = WORKED_EXAMPLE.practice; // 12345678
const NL = join(__dirname, 'fixtures/fhir-nl');
const SYNTHEA = join(__dirname, 'fixtures/synthea-copd');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Indicator = { code: string; arms: Record<string, { n: number; value: number | null; p90?: number | null }> };

/** A multipart upload as the dashboard sends it: form fields, then the files under "files". */
function upload(http: Http, route: 'dry-run' | 'confirm', fields: Record<string, string | undefined>, files: [string, string | Buffer][]) {
  let request = http.post(`/api/v1/imports/${route}`);
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) request = request.field(name, value);
  for (const [name, content] of files) request = request.attach('files', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  return request;
}

/** Comparison document without what differs between two experiments holding the same data: code and times. */
function comparable(doc: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(doc), (key, value) => (key === 'experiment' || /At$/.test(key) ? undefined : value));
}

function syntheaFiles(): [string, Buffer][] {
  return readdirSync(SYNTHEA)
    .filter((f) => f.endsWith('.json.gz'))
    .sort()
    .map((f) => [f.replace(/\.gz$/, ''), gunzipSync(readFileSync(join(SYNTHEA, f)))]);
}

/** The registers and contract C of the worked example in a new experiment without patients. */
function registersOnly(code: string, doc: Json = workedExampleDocument()) {
  return { ...doc, experiment: { ...doc.experiment, code }, patients: [], sessions: [], measurements: [], events: [] };
}

describe('FHIR R4 import and export (dry run, confirm, round trip; real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  }, 120_000);
  afterAll(() => ctx.close());

  async function recompute(...codes: string[]) {
    const service = ctx.app.get(RecomputeService);
    for (const code of codes) {
      const [{ id, last }] = await ctx.dataSource.query(
        `SELECT e.id, COALESCE((SELECT max(id) FROM indicator_outbox), 0)::int AS last FROM experiments e WHERE e.code = $1`,
        [code],
      );
      await service.recompute(id, last);
    }
  }
  const comparison = async (code: string) => (await ctx.http().get(`/api/v1/indicators/comparison?experiment=${code}`).expect(200)).body;

  it('should import the Dutch worked example written as FHIR and give the figures of DOMAIN.md 9', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(registersOnly('FHIR-NL')).expect(200);
    const file: [string, Buffer] = ['worked-example.bundle.json', readFileSync(join(NL, 'worked-example.bundle.json'))];
    const fields = { format: 'fhir', experiment: 'FHIR-NL' };
    const before = await countRecords(ctx);
    const dry = (await upload(ctx.http(), 'dry-run', fields, [file]).expect(200)).body as ImportReport;
    // 20 resources; patient P new; 6 sessions + 4 measurements + 1 exacerbation new.
    expect(dry.read).toBe(20);
    expect(dry.summary.patients).toEqual({ create: 1, update: 0, unchanged: 0, refused: 0 });
    expect(dry.summary.records).toEqual({ create: 11, update: 0, unchanged: 0, refused: 0, skipped: 0 });
    expect(dry.patients).toEqual([expect.objectContaining({ key: 'P', ref: 'P', status: 'CREATE', missingForEnrolment: [], problems: [] })]);
    expect(JSON.stringify(dry)).not.toContain('111222333');
    expect(await countRecords(ctx)).toEqual(before);

    const done = (await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest }, [file]).expect(200)).body as ImportReport;
    expect(done.written).toEqual({ patients: 1, records: 11 });
    const [patient] = await ctx.dataSource.query(
      `SELECT p.* FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE e.code = 'FHIR-NL'`,
    );
    expect(patient).toMatchObject({ ref: 'P', birth_year: 1950, sex: 'F', gold_stage: 3, profile: 4, referral_date: '2025-01-27', intake_date: '2025-02-10' });
    // The BSN became the pseudonym's input and is stored nowhere.
    expect(JSON.stringify(patient)).not.toContain('111222333');
    const [audit] = await ctx.dataSource.query(`SELECT patient_pseudonyms, detail FROM audit_log WHERE action = 'import.fhir'`);
    expect(audit.patient_pseudonyms).toEqual([patient.pseudonym]);

    await recompute('FHIR-NL');
    const doc = await comparison('FHIR-NL');
    const bundle = (code: string) => (doc.indicators as Indicator[]).find((i) => i.code === code)!.arms.BUNDLE;
    // Paid 9000 + 3 x 36000 = 117000 cents over 3 care quarters = EUR 390.00 per care quarter.
    expect(bundle('PAID_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 390 });
    // Counterfactual 22000 + 4000 + 4000 = 30000 cents / 3 = EUR 100.00.
    expect(bundle('COUNTERFACTUAL_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 100 });
    // 1170 - 300 = EUR 870.00.
    expect(bundle('PAID_MINUS_COUNTERFACTUAL_PER_PATIENT')).toMatchObject({ n: 1, value: 870 });
    // 6 sessions / 3 care quarters = 2.
    expect(bundle('SESSIONS_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 2 });
    // Q2 ended with one session; Q3 still running: 1 of 1.
    expect(bundle('LOW_INTENSITY_QUARTERS')).toMatchObject({ n: 1, value: 1 });
    // 2025-02-10 - 2025-01-27 = 14 days.
    expect(bundle('WAIT_DAYS')).toMatchObject({ n: 1, value: 14 });
    // 6MWT 350 -> 395 m at 3 months (2025-05-12 = intake + 91): +45 m; CCQ 2.0 -> 1.6: -0.4.
    expect(bundle('SIX_MWT_CHANGE_3M')).toMatchObject({ n: 1, value: 45 });
    expect(bundle('CCQ_CHANGE_3M').value).toBeCloseTo(-0.4, 10);
  });

  it('should refuse a broken file naming file, resource, element and reason, and write nothing', async () => {
    const before = await countRecords(ctx);
    const auditBefore = await ctx.count('audit_log');
    const response = await upload(ctx.http(), 'dry-run', { format: 'fhir', experiment: 'FHIR-NL' }, [['broken.ndjson', readFileSync(join(NL, 'broken.ndjson'))]])
      .set('Accept-Language', 'en')
      .expect(422);
    expect(response.body.code).toBe('IMPORT.FILE_REFUSED');
    const errors = response.body.errors as { code: string; path: string; message: string; params: Json }[];
    // One error per broken line of the file (12), each with the file and its line.
    expect(errors).toHaveLength(12);
    expect(errors.every((e) => e.params.file === 'broken.ndjson' && typeof e.params.row === 'number')).toBe(true);
    expect(errors.map((e) => [e.params.row, e.path, e.code])).toEqual(
      expect.arrayContaining([
        [2, 'Patient.identifier[0].value', 'ENROLMENT.BSN_INVALID'],
        [3, 'Procedure.subject', 'IMPORT.FHIR_REFERENCE_UNRESOLVED'],
        [4, 'Observation.code', 'IMPORT.FHIR_CODE_UNKNOWN'],
        [5, 'Observation.valueQuantity.code', 'IMPORT.FHIR_UNIT_INVALID'],
        [6, 'Observation.effective[x]', 'IMPORT.FHIR_DATE_PARTIAL'],
        [7, 'Observation.value[x]', 'IMPORT.FHIR_VALUE_MISSING'],
        [9, 'Procedure.id', 'IMPORT.FHIR_DUPLICATE_RESOURCE'],
        [10, 'Observation.valueQuantity.value', 'IMPORT.FHIR_STRUCTURE_INVALID'],
        [11, 'Condition.severity', 'IMPORT.FHIR_SEVERITY_MISSING'],
        [12, 'Procedure.category', 'IMPORT.FHIR_CODE_UNKNOWN'],
        [13, '', 'IMPORT.FHIR_NOT_FHIR'],
        [14, 'Encounter.class', 'IMPORT.FHIR_SESSION_KIND_UNKNOWN'],
      ]),
    );
    expect(JSON.stringify(response.body)).not.toContain('123456789');
    expect(await countRecords(ctx)).toEqual(before);
    expect(await ctx.count('audit_log')).toBe(auditBefore);
  });

  it('should read the 20 Synthea bundles and say per patient what is missing for enrolment, then import the living with a mapping', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(registersOnly('SYNTHEA')).expect(200);
    const files = syntheaFiles();
    // Counted from the JSON, independently of the reader.
    const bundles = files.map(([, content]) => JSON.parse(content.toString('utf8')) as Json);
    const resources = bundles.flatMap((b) => (b.entry as Json[]).map((e) => e.resource as Json));
    const patients = resources.filter((r) => r.resourceType === 'Patient');
    const mrn = (p: Json) => (p.identifier as Json[]).find((i) => i.type?.coding?.[0]?.code === 'MR')!.value as string;
    const living = patients.filter((p) => !p.deceasedDateTime).map(mrn);
    const inpatient = resources.filter((r) => r.resourceType === 'Encounter' && r.class?.code === 'IMP').length;
    expect([resources.length, patients.length, living.length, inpatient]).toEqual([8153, 20, 11, 49]);

    const fields = { format: 'fhir', experiment: 'SYNTHEA' };
    const dry = (await upload(ctx.http(), 'dry-run', fields, files).expect(200)).body as ImportReport;
    expect(dry.read).toBe(8153);
    expect(dry.summary.patients).toEqual({ create: 0, update: 0, unchanged: 0, refused: 20 });
    // Every patient lacks what a US record does not hold; sex and birth year come from the bundle.
    for (const p of dry.patients) {
      expect({ key: p.key, missing: [...p.missingForEnrolment].sort() }).toEqual({
        key: p.key,
        missing: ['goldStage', 'insurer', 'intakeDate', 'practice', 'profile', 'referralDate'],
      });
    }
    expect(dry.patients.map((p) => p.key).sort()).toEqual(patients.map(mrn).sort());
    // Records: the 49 admissions and 9 deaths, none of a patient that can be enrolled yet.
    expect(dry.records).toHaveLength(inpatient + 9);
    expect(dry.summary.records.create).toBe(0);
    // Per bundle: its patient (key = its MRN) and one record per inpatient Encounter and per death in its JSON.
    files.forEach(([name], i) => {
      const own = (bundles[i].entry as Json[]).map((e) => e.resource as Json);
      const expected = own.filter((r) => r.resourceType === 'Encounter' && r.class?.code === 'IMP').length + own.filter((r) => r.deceasedDateTime).length;
      expect({ name, records: dry.records.filter((r) => r.source.file === name).length }).toEqual({ name, records: expected });
      const patient = own.find((r) => r.resourceType === 'Patient')!;
      expect(dry.patients.filter((p) => p.key === mrn(patient)).map((p) => p.status)).toEqual(['REFUSED']);
    });

    // The mapping supplies practice, insurer and per living patient the enrolment facts; the dead stay refused.
    const mapping = {
      practice: AGB,
      insurer: WORKED_EXAMPLE.insurer,
      patients: Object.fromEntries(
        living.map((key, i) => [key, { goldStage: 2 + (i % 3), profile: 1 + (i % 5), referralDate: '2025-02-03', intakeDate: '2025-02-17' }]),
      ),
    };
    const withMapping = { ...fields, mapping: JSON.stringify(mapping) };
    const mapped = (await upload(ctx.http(), 'dry-run', withMapping, files).expect(200)).body as ImportReport;
    // 11 living patients enrol; 9 deceased lack their enrolment facts.
    expect(mapped.summary.patients).toEqual({ create: 11, update: 0, unchanged: 0, refused: 9 });
    // Their admissions all lie before 2025-02-03: skipped as history, never refused.
    const livingAdmissions = resources.filter(
      (r) => r.resourceType === 'Encounter' && r.class?.code === 'IMP' && living.some((key) => patients.find((p) => mrn(p) === key)!.id === (r.subject.reference as string).replace('urn:uuid:', '')),
    );
    expect(livingAdmissions.every((r) => (r.period.start as string) < '2025-02-03')).toBe(true);
    expect(mapped.summary.records.skipped).toBe(livingAdmissions.length);
    expect(mapped.summary.records.create).toBe(0);

    const done = (await upload(ctx.http(), 'confirm', { ...withMapping, digest: mapped.digest }, files).expect(200)).body as ImportReport;
    expect(done.written!.patients).toBe(11);
    await recompute('SYNTHEA');
    const doc = await comparison('SYNTHEA');
    // Contract C is a BUNDLE contract: the 11 enrolled patients are all in that arm.
    expect((doc.indicators as Indicator[]).find((i) => i.code === 'ENROLLED')!.arms.BUNDLE).toMatchObject({ value: 11 });
    // WAIT_DAYS: 2025-02-17 - 2025-02-03 = 14 days for everyone.
    expect((doc.indicators as Indicator[]).find((i) => i.code === 'WAIT_DAYS')!.arms.BUNDLE).toMatchObject({ n: 11, value: 14 });
  });

  it('should export the practice own patients only, audited, and refuse another practice', async () => {
    await ctx.http('ADMIN').post('/api/v1/practices').send({ agb: '87654321', name: 'Andere praktijk', region: 'Zwolle' }).expect(201);
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: [AGB] });
    const own = await practice().get('/api/v1/exports/fhir?experiment=FHIR-NL').expect(200);
    expect(own.headers['content-type']).toMatch(/application\/fhir\+ndjson/);
    const lines = own.text.trim().split('\n').map((l) => JSON.parse(l) as Json);
    // 2 Organizations + Patient, Coverage, COPD Condition, ServiceRequest, profile Observation (7), 6 Procedures,
    // 4 Observations, 1 exacerbation Condition: 7 + 6 + 4 + 1 = 18.
    expect(lines).toHaveLength(18);
    expect(own.text).not.toContain('111222333');
    expect(own.text).not.toMatch(/NamingSystem\/bsn/);
    await practice().get('/api/v1/exports/fhir?experiment=FHIR-NL&practice=87654321').expect(404);
    const [{ pseudonym }] = await ctx.dataSource.query(`SELECT p.pseudonym FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE e.code = 'FHIR-NL'`);
    const [audit] = await ctx.dataSource.query(`SELECT patient_pseudonyms, detail FROM audit_log WHERE action = 'export.fhir' ORDER BY id DESC LIMIT 1`);
    expect(audit.patient_pseudonyms).toEqual([pseudonym]);
    expect(audit.detail).toMatchObject({ format: 'ndjson', patients: 1, sessions: 6 });
  });

  async function roundTrip(source: string, target: string, doc: Json, format: 'ndjson' | 'bundles') {
    await ctx.http().post('/api/v1/experiment-data').send(registersOnly(target, doc)).expect(200);
    const exported = await ctx
      .http()
      .get(`/api/v1/exports/fhir?experiment=${source}&format=${format}`)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const body = exported.body as Buffer;
    const files: [string, Buffer][] =
      format === 'ndjson' ? [['export.ndjson', body]] : Object.entries(unzipSync(new Uint8Array(body))).map(([name, bytes]) => [name, Buffer.from(strFromU8(bytes))]);
    const fields = { format: 'fhir', experiment: target };
    const answer = await upload(ctx.http(), 'dry-run', fields, files);
    // The problems themselves when the export does not read back (easier to act on than a bare 422).
    expect({ status: answer.status, errors: answer.body.errors?.slice(0, 5) }).toEqual({ status: 200, errors: undefined });
    const dry = answer.body as ImportReport;
    expect({ refusedPatients: dry.summary.patients.refused, refusedRecords: dry.summary.records.refused }).toEqual({ refusedPatients: 0, refusedRecords: 0 });
    await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest }, files).expect(200);
    await recompute(source, target);
    const [a, b] = [await comparison(source), await comparison(target)];
    const enrolled = (d: { indicators: Indicator[] }) => Object.values(d.indicators.find((i) => i.code === 'ENROLLED')!.arms).reduce((n, arm) => n + (arm.value ?? 0), 0);
    expect(enrolled(a)).toBeGreaterThan(0);
    expect(comparable(b)).toEqual(comparable(a));
    return files;
  }

  it('should give the identical comparison document when the worked example is exported as bundles and imported into an empty experiment', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    const files = await roundTrip('WORKED', 'WORKED-FHIR', workedExampleDocument(), 'bundles');
    // One Bundle per patient: P.
    expect(files.map(([name]) => name)).toEqual([`${AGB}-P.json`]);
  });

  it('should give the identical comparison document when a seeded experiment is exported as NDJSON and imported into an empty experiment', async () => {
    const doc = generateExperiment({ practices: 2, patients: 40, seed: 11, experimentCode: 'SEEDED' });
    await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
    await roundTrip('SEEDED', 'SEEDED-FHIR', doc as unknown as Json, 'ndjson');
    const counts = async (code: string) =>
      (
        await ctx.dataSource.query(
          `SELECT (SELECT count(*) FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE e.code = $1)::int AS patients,
                  (SELECT count(*) FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id JOIN experiments e ON e.id = p.experiment_id WHERE e.code = $1)::int AS sessions,
                  (SELECT count(*) FROM measurements m JOIN patients p ON p.id = m.patient_id JOIN experiments e ON e.id = p.experiment_id WHERE e.code = $1)::int AS measurements,
                  (SELECT count(*) FROM events v JOIN patients p ON p.id = v.patient_id JOIN experiments e ON e.id = p.experiment_id WHERE e.code = $1)::int AS events`,
          [code],
        )
      )[0];
    expect(await counts('SEEDED-FHIR')).toEqual(await counts('SEEDED'));
    expect((await counts('SEEDED')).patients).toBe(doc.patients.length);
  }, 120_000);
});
