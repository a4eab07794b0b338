import { INestApplicationContext } from '@nestjs/common';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { ANALYSIS_EXPORT_CODEBOOK, codebookColumns, measurementWindowOf } from '@copd/domain';
import { codebookCsv, codebookMd } from '../src/modules/analysis-export/analysis-export-writer';
import { workedExampleDocument } from './fixtures/worked-example';
import { Http, startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

const DOCS = join(__dirname, '../../../docs');
const DATA_FILES = ANALYSIS_EXPORT_CODEBOOK.map((f) => f.file);
const ZIP_FILES = [...DATA_FILES, 'codebook.csv', 'codebook.md'];

type Csv = Record<string, string>[];

/** GET the export with supertest's binary parser; the zip's entries as text. */
async function download(http: Http, query: string): Promise<{ headers: Record<string, string>; zip: Buffer; files: Record<string, string> }> {
  const response = await http
    .get(`/api/v1/analysis-export${query}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const zip = response.body as Buffer;
  const files = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(zip))).map(([name, bytes]) => [name, strFromU8(bytes)]));
  return { headers: response.headers as Record<string, string>, zip, files };
}

function parse(text: string): { header: string[]; rows: Csv } {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

/**
 * The worked example of DOMAIN.md 9 plus measurements and events of our own, to see their windows and picks.
 * Intake 2025-02-10, analysis date 2025-09-30.
 */
function exampleWithRecords() {
  const doc = workedExampleDocument();
  const m = (date: string, instrument: string, value: number) => ({ patient: 'P', practice: '12345678', date, instrument, value });
  const e = (date: string, kind: string) => ({ patient: 'P', practice: '12345678', date, kind });
  return {
    ...doc,
    measurements: [
      m('2025-02-05', 'SIX_MWT', 400), // day -5: BASELINE, 5 days from the target day 0
      m('2025-02-12', 'SIX_MWT', 410), // day +2: BASELINE, closer (2 < 5): picked
      m('2025-02-10', 'CCQ', 2.5), // day 0: BASELINE, picked
      m('2025-03-01', 'CAT', 20), // day +19 (18 + 1): outside every window, NONE
      m('2025-05-12', 'SIX_MWT', 450), // day +91 (18 + 31 + 30 + 12): FOLLOWUP_3M on its target day, picked
      m('2025-05-12', 'CCQ', 2.0), // FOLLOWUP_3M, picked
      m('2025-12-27', 'SIX_MWT', 470), // day +320: FOLLOWUP_12M, but after the analysis date: not picked
    ],
    events: [
      e('2025-04-01', 'EXACERBATION_MODERATE'), // within [intake, 2025-09-30]: counts
      e('2025-10-15', 'HOSPITAL_ADMISSION'), // after the analysis date: outside the follow-up
    ],
  };
}

describe('analysis export: a zip of tidy CSV files with their codebook, now or of a snapshot', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let now: Awaited<ReturnType<typeof download>>;
  let pseudonym: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(exampleWithRecords()).expect(200);
    await waitForIndicators(ctx.dataSource);
    [{ pseudonym }] = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE ref = 'P'`);
    now = await download(ctx.http(), '?experiment=WORKED');
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  it('should answer a zip named after the experiment and its analysis date when exported now', () => {
    expect(now.headers['content-type']).toBe('application/zip');
    expect(now.headers['content-disposition']).toBe('attachment; filename="analyse_WORKED_2025-09-30.zip"');
    expect(Object.keys(now.files).sort()).toEqual([...ZIP_FILES].sort());
  });

  it('should take every file\'s header from the codebook when the files are read', () => {
    for (const file of DATA_FILES) {
      const firstLine = now.files[file].split('\r\n')[0];
      expect({ file, header: firstLine.split(',') }).toEqual({ file, header: codebookColumns(file) });
    }
    // The codebook inside lists exactly those columns, file by file.
    const codebook = parse(now.files['codebook.csv']).rows;
    for (const file of DATA_FILES) {
      expect(codebook.filter((r) => r.file === file).map((r) => r.column)).toEqual(codebookColumns(file));
    }
  });

  it('should hold the same codebook in the zip and in docs/ as the code generates when compared byte for byte', () => {
    if (process.env.UPDATE_CODEBOOK === '1') {
      writeFileSync(join(DOCS, 'codebook.csv'), codebookCsv());
      writeFileSync(join(DOCS, 'codebook.md'), codebookMd());
    }
    expect(readFileSync(join(DOCS, 'codebook.csv'), 'utf8')).toBe(codebookCsv());
    expect(readFileSync(join(DOCS, 'codebook.md'), 'utf8')).toBe(codebookMd());
    expect(now.files['codebook.csv']).toBe(codebookCsv());
    expect(now.files['codebook.md']).toBe(codebookMd());
  });

  it('should write RFC 4180 text when a file is read raw: CRLF line ends, no byte order mark', () => {
    for (const file of DATA_FILES) {
      const text = now.files[file];
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    }
  });

  it('should show the worked example as DOMAIN.md 9 computes it when the care quarters are read', () => {
    const { rows } = parse(now.files['care_quarters.csv']);
    // Q1 [02-10, 05-10): bundle 9000 + 36000 = 45000; FFS 6000 + 4000 + 4000 + 2000 (group) + (4000 + 2000) (home) = 22000.
    // Q2 [05-10, 08-10) and Q3 [08-10, 11-10): one session each, bundle 36000, FFS 4000. Paid = bundle (arm BUNDLE).
    expect(rows).toEqual([
      { pseudonym, quarter_index: '1', start_date: '2025-02-10', end_date_exclusive: '2025-05-10', last_day: '2025-05-09', calendar_quarter: '2025-Q1',
        sessions: '4', is_care_quarter: '1', ended: '1', bundle_cents: '45000', ffs_cents: '22000', paid_cents: '45000', counterfactual_cents: '22000', unpriced_items: '0' },
      { pseudonym, quarter_index: '2', start_date: '2025-05-10', end_date_exclusive: '2025-08-10', last_day: '2025-08-09', calendar_quarter: '2025-Q2',
        sessions: '1', is_care_quarter: '1', ended: '1', bundle_cents: '36000', ffs_cents: '4000', paid_cents: '36000', counterfactual_cents: '4000', unpriced_items: '0' },
      // Q3's last day 2025-11-09 is after the analysis date 2025-09-30: not ended.
      { pseudonym, quarter_index: '3', start_date: '2025-08-10', end_date_exclusive: '2025-11-10', last_day: '2025-11-09', calendar_quarter: '2025-Q3',
        sessions: '1', is_care_quarter: '1', ended: '0', bundle_cents: '36000', ffs_cents: '4000', paid_cents: '36000', counterfactual_cents: '4000', unpriced_items: '0' },
    ]);
  });

  it('should give the per-patient indicator inputs of the worked example when patient_indicators is read', () => {
    const { rows } = parse(now.files['patient_indicators.csv']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      pseudonym, practice_agb: '12345678', insurer_uzovi: '3311', region: 'Utrecht', arm: 'BUNDLE', gold_stage: '3', profile: '4',
      age_at_intake: '75', // 2025 - 1950
      intake_date: '2025-02-10',
      wait_days: '14', // 2025-02-10 - 2025-01-27
      care_quarters: '3', sessions: '6',
      paid_cents: '117000', // 9000 + 3 x 36000
      counterfactual_cents: '30000', // 22000 + 4000 + 4000
      unpriced_items: '0',
      judged_quarters: '1', low_intensity_quarters: '1', // Q2 ended with one session; Q3 still running
      guideline_eligible: '0', above_guideline: '', // 232 days since intake < 365
      baseline_eligible: '1', baseline_complete: '1', // 232 >= 14; a baseline 6MWT and a baseline CCQ
      followup_3m_eligible: '1', followup_12m_eligible: '0', // 232 >= 112, 232 < 410
      six_mwt_base: '410', six_mwt_3m: '450', six_mwt_12m: '', // the 12-month value is after the analysis date
      ccq_base: '2.5', ccq_3m: '2', ccq_12m: '',
      cat_base: '', cat_3m: '', cat_12m: '', // the CAT of day +19 is in no window
      followup_days: '232', // 2025-09-30 - 2025-02-10: 18 + 31 + 30 + 31 + 30 + 31 + 31 + 30
      exacerbations: '1', admissions: '0',
    });
  });

  it('should label each measurement with its window by the domain rule when measurements are read', () => {
    const { rows } = parse(now.files['measurements.csv']);
    expect(rows.map((r) => [r.date, r.instrument, r.value, r.day_from_intake, r.window, r.picked])).toEqual([
      ['2025-03-01', 'CAT', '20', '19', 'NONE', '0'],
      ['2025-02-10', 'CCQ', '2.5', '0', 'BASELINE', '1'],
      ['2025-05-12', 'CCQ', '2', '91', 'FOLLOWUP_3M', '1'],
      ['2025-02-05', 'SIX_MWT', '400', '-5', 'BASELINE', '0'],
      ['2025-02-12', 'SIX_MWT', '410', '2', 'BASELINE', '1'],
      ['2025-05-12', 'SIX_MWT', '450', '91', 'FOLLOWUP_3M', '1'],
      ['2025-12-27', 'SIX_MWT', '470', '320', 'FOLLOWUP_12M', '0'],
    ]);
    // The SQL labels agree with libs/domain's measurementWindowOf on every row.
    for (const r of rows) expect(r.window).toBe(measurementWindowOf('2025-02-10', r.date));
  });

  it('should list patients, sessions, events and contracts with public codes when those files are read', () => {
    expect(parse(now.files['patients.csv']).rows).toEqual([
      { pseudonym, practice_agb: '12345678', insurer_uzovi: '3311', arm: 'BUNDLE', birth_year: '1950', sex: 'F', gold_stage: '3', profile: '4',
        referral_date: '2025-01-27', intake_date: '2025-02-10', end_date: '', end_reason: '', in_population: '1' },
    ]);
    expect(parse(now.files['sessions.csv']).rows.map((r) => [r.date, r.kind, r.care_quarter, r.after_analysis_date])).toEqual([
      ['2025-02-12', 'INDIVIDUAL', '1', '0'],
      ['2025-02-19', 'INDIVIDUAL', '1', '0'],
      ['2025-03-05', 'GROUP', '1', '0'],
      ['2025-04-02', 'HOME', '1', '0'],
      ['2025-05-20', 'INDIVIDUAL', '2', '0'],
      ['2025-08-14', 'REMOTE', '3', '0'],
    ]);
    expect(parse(now.files['events.csv']).rows).toEqual([
      { pseudonym, date: '2025-04-01', kind: 'EXACERBATION_MODERATE', day_from_intake: '50', in_followup: '1' }, // 18 + 31 + 1
      { pseudonym, date: '2025-10-15', kind: 'HOSPITAL_ADMISSION', day_from_intake: '247', in_followup: '0' }, // 232 + 15
    ]);
    expect(parse(now.files['contracts.csv']).rows).toEqual([
      { practice_agb: '12345678', insurer_uzovi: '3311', arm: 'BUNDLE', valid_from: '2025-01-01', valid_to: '2025-12-31', bundle_intake_cents: '9000',
        bundle_quarter_cents: '36000', ffs_intake_cents: '6000', ffs_session_cents: '4000', ffs_home_supplement_cents: '2000', ffs_group_session_cents: '2000' },
    ]);
    expect(parse(now.files['practices.csv']).rows).toEqual([{ practice_agb: '12345678', name: 'Praktijk C', region: 'Utrecht' }]);
    expect(parse(now.files['insurers.csv']).rows).toEqual([{ insurer_uzovi: '3311', name: 'Verzekeraar 3311' }]);
    const [experiment] = parse(now.files['experiment.csv']).rows;
    expect(experiment).toMatchObject({ experiment_code: 'WORKED', start_date: '2025-01-01', end_date: '2029-12-31', analysis_date: '2025-09-30',
      source: 'now', snapshot_id: '', snapshot_label: '', snapshot_taken_at: '' });
    expect(experiment.facts_computed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('should export no patient number, BSN token or internal id when every file is searched', async () => {
    // Organisations keep their name (practices, insurers, the experiment); a patient has none in the model.
    const forbidden = ['ref', 'bsn', 'bsn_hmac', 'patient_id', 'practice_id', 'insurer_id', 'contract_id', 'experiment_id', 'id'];
    const columns = DATA_FILES.flatMap((file) => codebookColumns(file).map((column) => `${file}:${column}`));
    expect(columns.filter((c) => forbidden.includes(c.split(':')[1]))).toEqual([]);
    const ids: { id: string }[] = await ctx.dataSource.query(
      `SELECT id::text FROM patients UNION ALL SELECT id::text FROM practices UNION ALL SELECT id::text FROM insurers
       UNION ALL SELECT id::text FROM contracts UNION ALL SELECT id::text FROM experiments UNION ALL SELECT id::text FROM therapy_sessions`,
    );
    const text = DATA_FILES.map((f) => now.files[f]).join('\n');
    for (const { id } of ids) expect(text).not.toContain(id);
  });

  it('should write one audit row with every exported pseudonym when the evaluator exports', async () => {
    const rows = await ctx.dataSource.query(
      `SELECT actor, resource_type, patient_pseudonyms, detail FROM audit_log WHERE action = 'analysis-export.export' ORDER BY id`,
    );
    expect(rows[0]).toMatchObject({
      actor: 'test-evaluator',
      resource_type: 'experiment',
      patient_pseudonyms: [pseudonym],
      detail: { code: 'WORKED', snapshot: null, analysisDate: '2025-09-30', patients: 1 },
    });
  });

  it('should refuse practices, insurers and administrators with 403 and anonymous callers with 401 when they ask for the export', async () => {
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    const insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' });
    for (const http of [practice(), insurer(), ctx.http('ADMIN')]) {
      const res = await http.get('/api/v1/analysis-export').expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('AUTH.FORBIDDEN');
    }
    expect((await ctx.http('ANONYMOUS').get('/api/v1/analysis-export').expect(401)).body.code).toBe('AUTH.REQUIRED');
  });

  it('should answer 400 for a malformed snapshot id and 404 for an unknown one when a snapshot is asked for', async () => {
    const malformed = (await ctx.http().get('/api/v1/analysis-export?snapshot=abc').expect(400)).body;
    expect(malformed.errors).toEqual([expect.objectContaining({ path: 'snapshot' })]);
    const unknown = (await ctx.http().get('/api/v1/analysis-export?snapshot=0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f').expect(404)).body;
    expect(unknown).toMatchObject({ code: 'SNAPSHOT.NOT_FOUND', status: 404 });
    expect(unknown.detail).toContain('Momentopname 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f bestaat niet');
  });

  describe('of a snapshot', () => {
    let snapshotId: string;
    let before: Awaited<ReturnType<typeof download>>;

    beforeAll(async () => {
      snapshotId = (await ctx.http().post('/api/v1/snapshots').send({ experiment: 'WORKED', label: 'Monitoring 2025-Q3' }).expect(201)).body.snapshot.id;
      before = await download(ctx.http(), `?snapshot=${snapshotId}`);
    });

    it('should name the file after the snapshot and describe it in experiment.csv when a snapshot is exported', () => {
      expect(before.headers['content-disposition']).toBe(`attachment; filename="analyse_WORKED_snapshot-2025-09-30_${snapshotId.slice(0, 8)}.zip"`);
      const [experiment] = parse(before.files['experiment.csv']).rows;
      expect(experiment).toMatchObject({ source: 'snapshot', snapshot_id: snapshotId, snapshot_label: 'Monitoring 2025-Q3', analysis_date: '2025-09-30' });
      // Before any change the snapshot's files other than experiment.csv are the live ones.
      for (const file of DATA_FILES.filter((f) => f !== 'experiment.csv')) expect({ file, text: before.files[file] }).toEqual({ file, text: now.files[file] });
    });

    it('should keep the snapshot export byte-identical while now changes when a session is added after the snapshot', async () => {
      const [{ id }] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'P'`);
      const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
      await practice().post(`/api/v1/patients/${id}/sessions`).send({ date: '2025-06-04', kind: 'INDIVIDUAL' }).expect(201);
      await waitForIndicators(ctx.dataSource);

      const later = await download(ctx.http(), '?experiment=WORKED');
      // Now: Q2 has 2 sessions, so FFS Q2 = 4000 + 4000 = 8000 and the patient's counterfactual 30000 + 4000 = 34000.
      expect(parse(later.files['sessions.csv']).rows).toHaveLength(7);
      expect(parse(later.files['care_quarters.csv']).rows[1]).toMatchObject({ sessions: '2', ffs_cents: '8000', counterfactual_cents: '8000' });
      expect(parse(later.files['patient_indicators.csv']).rows[0]).toMatchObject({ sessions: '7', counterfactual_cents: '34000', low_intensity_quarters: '0' });

      const after = await download(ctx.http(), `?snapshot=${snapshotId}`);
      for (const file of ZIP_FILES) expect({ file, text: after.files[file] }).toEqual({ file, text: before.files[file] });
      // Dated by the snapshot, the zip itself is the same bytes too.
      expect(after.zip.equals(before.zip)).toBe(true);
      const audit = await ctx.dataSource.query(
        `SELECT resource_type, resource_id, detail FROM audit_log WHERE action = 'analysis-export.export' AND resource_type = 'snapshot'`,
      );
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ resource_id: snapshotId, detail: { snapshot: snapshotId, snapshotLabel: 'Monitoring 2025-Q3', patients: 1 } });
    });

    it('should answer 422 with a Dutch message when the snapshot belongs to another experiment than the one named', async () => {
      await ctx.http().post('/api/v1/experiment-data').send({ ...workedExampleDocument(), experiment: { ...workedExampleDocument().experiment, code: 'OTHER' } }).expect(200);
      const body = (await ctx.http().get(`/api/v1/analysis-export?experiment=OTHER&snapshot=${snapshotId}`).expect(422)).body;
      expect(body.code).toBe('ANALYSIS_EXPORT.SNAPSHOT_OF_OTHER_EXPERIMENT');
      expect(body.detail).toBe(
        `Momentopname ${snapshotId} hoort bij experiment WORKED, niet bij OTHER. Laat experiment weg of kies een momentopname van OTHER.`,
      );
      // An unknown experiment stays a 404, as on every route.
      expect((await ctx.http().get(`/api/v1/analysis-export?experiment=NOPE&snapshot=${snapshotId}`).expect(404)).body.code).toBe('EXPERIMENT.NOT_FOUND');
    });
  });
});
