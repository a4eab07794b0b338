import type { ImportReport } from '../src/modules/interchange/import-report';
import { RecomputeService } from '../src/modules/indicators/recompute.service';
import { generateExperiment } from '../src/modules/demo-data/demo-generator';
import { aPatientRow, WORKED_EXAMPLE } from './fixtures/builders';
import { workedExampleDocument } from './fixtures/worked-example';
import { countRecords, startTestApp, type Http, type TestContext } from './support/test-app';

const AGB = WORKED_EXAMPLE.practice; // 12345678
const KINDS = ['patients', 'sessions', 'measurements', 'events'] as const;

/** A multipart upload as the dashboard sends it: form fields, then the files under "files". */
export function upload(http: Http, route: 'dry-run' | 'confirm', fields: Record<string, string | undefined>, files: [string, string | Buffer][]) {
  let request = http.post(`/api/v1/imports/${route}`);
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) request = request.field(name, value);
  for (const [name, content] of files) request = request.attach('files', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  return request;
}

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** Comparison document without what differs between two experiments holding the same data: code and times. */
function comparable(doc: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(doc), (key, value) => (key === 'experiment' || /At$/.test(key) ? undefined : value));
}

describe('CSV import and export (dry run, confirm, round trip; real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    // The worked example (patient P, six sessions) plus patient R of the same practice without records.
    const doc = workedExampleDocument();
    doc.patients.push(aPatientRow({ ref: 'R', referralDate: '2025-02-20', intakeDate: '2025-03-03' }));
    (doc.measurements as unknown[]).push(
      { patient: 'P', practice: AGB, date: '2025-02-10', instrument: 'CCQ', value: 1.6 },
      { patient: 'P', practice: AGB, date: '2025-02-10', instrument: 'SIX_MWT', value: 410 },
    );
    (doc.events as unknown[]).push({ patient: 'P', practice: AGB, date: '2025-06-02', kind: 'EXACERBATION_MODERATE' });
    await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
  }, 120_000);
  afterAll(() => ctx.close());

  it('should report each row as hand-counted when a sessions file mixes stored, new, early, invalid and unknown rows', async () => {
    const file = csv(
      'praktijk_agb;patientnummer;datum;soort',
      `${AGB};P;12-02-2025;INDIVIDUAL`, // row 1: stored -> UNCHANGED
      `${AGB};P;2025-09-01;INDIVIDUAL`, // row 2: new -> CREATE
      `${AGB};P;01-01-2025;INDIVIDUAL`, // row 3: before the referral date 2025-01-27 -> SKIPPED
      `${AGB};R;10-03-2025;GROUP`, // row 4: valid, but R is refused by row 5 -> REFUSED
      `${AGB};R;25-02-2025;INDIVIDUAL`, // row 5: before R's intake 2025-03-03 -> REFUSED
      `${AGB};X;10-03-2025;INDIVIDUAL`, // row 6: no patient X -> REFUSED
    );
    const before = await countRecords(ctx);
    const response = await upload(ctx.http(), 'dry-run', { format: 'csv', kind: 'sessions', experiment: 'WORKED' }, [['sessies.csv', file]]).expect(200);
    const report = response.body as ImportReport;

    expect(report.read).toBe(6);
    expect(report.records.map((r) => [r.source.row, r.status])).toEqual([
      [1, 'UNCHANGED'],
      [2, 'CREATE'],
      [3, 'SKIPPED'],
      [4, 'REFUSED'],
      [5, 'REFUSED'],
      [6, 'REFUSED'],
    ]);
    // Records: create 1 (row 2), unchanged 1 (row 1), refused 3 (rows 4-6), skipped 1 (row 3).
    expect(report.summary.records).toEqual({ create: 1, update: 0, unchanged: 1, refused: 3, skipped: 1 });
    // Patients named by the file: P unchanged, R refused (row 5); X does not exist.
    expect(report.summary.patients).toEqual({ create: 0, update: 0, unchanged: 1, refused: 1 });
    expect(report.records[2].problems![0].code).toBe('IMPORT.BEFORE_REFERRAL');
    expect(report.records[3].problems![0].code).toBe('IMPORT.PATIENT_REFUSED');
    expect(report.records[4].problems!.map((p) => p.code)).toEqual(['SESSION.BEFORE_INTAKE']);
    expect(report.records[5].problems![0]).toMatchObject({ code: 'IMPORT.PATIENT_NOT_FOUND', source: { file: 'sessies.csv', row: 6 } });
    expect(report.patients.find((p) => p.ref === 'R')).toMatchObject({ status: 'REFUSED', problems: [expect.objectContaining({ code: 'IMPORT.RECORD_REFUSED' })] });
    expect(report.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await countRecords(ctx)).toEqual(before);
  });

  it('should answer in English and read commas, ISO dates and decimal points when the file is English', async () => {
    const file = csv('practice_agb,patient_ref,date,instrument,value', `${AGB},P,2025-02-10,CCQ,1.8`, `${AGB},P,2025-02-10,SIX_MWT,410`);
    const report = (
      await upload(ctx.http(), 'dry-run', { format: 'csv', kind: 'measurements', experiment: 'WORKED' }, [['m.csv', file]]).set('Accept-Language', 'en').expect(200)
    ).body as ImportReport;
    // Stored CCQ 1.6 -> 1.8 is a correction; the 6MWT of 410 m is stored as it is.
    expect(report.records.map((r) => r.status)).toEqual(['UPDATE', 'UNCHANGED']);
    expect(report.records[0].changes).toEqual([{ field: 'value', from: 1.6, to: 1.8 }]);

    const refused = await upload(ctx.http(), 'dry-run', { format: 'csv', kind: 'measurements', experiment: 'WORKED' }, [
      ['m.csv', csv('practice_agb,patient_ref,date,instrument,value', `${AGB},P,2025-02-30,CCQ,1.8`)],
    ])
      .set('Accept-Language', 'en')
      .expect(422);
    expect(refused.body.detail).toBe('The file was refused: 1 error found. Nothing was saved; see "errors".');
    expect(refused.body.errors[0].message).toBe(
      "File m.csv, row 1, date: '2025-02-30' is not an existing date; write dd-mm-yyyy (e.g. 10-02-2025) or yyyy-mm-dd.",
    );
  });

  it('should refuse the whole file and write nothing when it is not CSV, has an unknown column or a bad date', async () => {
    const before = await countRecords(ctx);
    const auditBefore = await ctx.count('audit_log');
    const notCsv = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81]); // a zip (xlsx) header: not UTF-8
    const refused = async (content: string | Buffer) =>
      (await upload(ctx.http(), 'dry-run', { format: 'csv', kind: 'sessions', experiment: 'WORKED' }, [['bestand.csv', content]]).expect(422)).body;

    expect((await refused(notCsv)).errors).toEqual([expect.objectContaining({ code: 'IMPORT.CSV_NOT_CSV', params: expect.objectContaining({ file: 'bestand.csv' }) })]);
    const header = await refused(csv('praktijk_agb;patientnummer;datum;soort;kleur', `${AGB};P;2025-09-02;INDIVIDUAL;rood`));
    expect(header.code).toBe('IMPORT.FILE_REFUSED');
    expect(header.errors).toEqual([expect.objectContaining({ code: 'IMPORT.CSV_UNKNOWN_COLUMN', params: expect.objectContaining({ value: 'kleur' }) })]);
    // 31-02-2025 does not exist; 03/04/2025 could be 3 April or 4 March.
    const dates = await refused(csv('praktijk_agb;patientnummer;datum;soort', `${AGB};P;2025-09-02;INDIVIDUAL`, `${AGB};P;31-02-2025;INDIVIDUAL`, `${AGB};P;03/04/2025;GROUP`));
    expect(dates.errors.map((e: { code: string; params: Record<string, unknown> }) => [e.code, e.params.file, e.params.row, e.params.field, e.params.value])).toEqual([
      ['IMPORT.CSV_DATE_INVALID', 'bestand.csv', 2, 'date', '31-02-2025'],
      ['IMPORT.CSV_DATE_AMBIGUOUS', 'bestand.csv', 3, 'date', '03/04/2025'],
    ]);
    expect(dates.errors[0].message).toContain('bestand.csv, regel 2');

    // A confirm reads the file again and refuses it the same way.
    const confirm = await upload(ctx.http(), 'confirm', { format: 'csv', kind: 'sessions', experiment: 'WORKED', digest: 'x'.repeat(64) }, [
      ['bestand.csv', csv('praktijk_agb;patientnummer;datum;soort', `${AGB};P;31-02-2025;INDIVIDUAL`)],
    ]);
    expect([confirm.status, confirm.body.code]).toEqual([422, 'IMPORT.FILE_REFUSED']);
    expect(await countRecords(ctx)).toEqual(before);
    expect(await ctx.count('audit_log')).toBe(auditBefore);
  });

  it('should refuse a practice naming the rows when its file holds another AGB', async () => {
    await ctx.http('ADMIN').post('/api/v1/practices').send({ agb: '87654321', name: 'Andere praktijk', region: 'Zwolle' }).expect(201);
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: [AGB] });
    const file = csv('praktijk_agb;patientnummer;datum;soort', `${AGB};P;2025-09-02;INDIVIDUAL`, `87654321;P;2025-09-03;INDIVIDUAL`, `87654321;Q;2025-09-04;GROUP`);
    const before = await countRecords(ctx);
    const response = await upload(practice(), 'dry-run', { format: 'csv', kind: 'sessions', experiment: 'WORKED' }, [['s.csv', file]]).expect(403);
    expect(response.body.code).toBe('IMPORT.OTHER_PRACTICE');
    expect(response.body.errors.map((e: { params: { row: number; practice: string } }) => [e.params.row, e.params.practice])).toEqual([
      [2, '87654321'],
      [3, '87654321'],
    ]);
    // Its own rows only: a dry run like any other.
    const own = await upload(practice(), 'dry-run', { format: 'csv', kind: 'sessions', experiment: 'WORKED' }, [['s.csv', csv('praktijk_agb;patientnummer;datum;soort', `${AGB};P;2025-09-02;INDIVIDUAL`)]]).expect(200);
    expect(own.body.summary.records).toEqual({ create: 1, update: 0, unchanged: 0, refused: 0, skipped: 0 });
    expect(await countRecords(ctx)).toEqual(before);
  });

  it('should refuse a changed file with 409, ask a reason for corrections, then write, audit once and queue the recompute', async () => {
    const fields = { format: 'csv', kind: 'measurements', experiment: 'WORKED' };
    const file = csv('praktijk_agb;patientnummer;datum;instrument;waarde', `${AGB};P;10-02-2025;CCQ;1,8`, `${AGB};P;11-02-2025;CAT;12`);
    const dry = (await upload(ctx.http(), 'dry-run', fields, [['m.csv', file]]).expect(200)).body as ImportReport;
    expect(dry.summary.records).toEqual({ create: 1, update: 1, unchanged: 0, refused: 0, skipped: 0 });
    const before = await countRecords(ctx);
    const outboxBefore = await ctx.count('indicator_outbox');

    const changed = file.replace('CAT;12', 'CAT;13');
    const conflict = await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest, reason: 'Verkeerd overgenomen' }, [['m.csv', changed]]).expect(409);
    expect(conflict.body.code).toBe('IMPORT.FILE_CHANGED');
    const noReason = await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest }, [['m.csv', file]]).expect(400);
    expect(noReason.body.code).toBe('CORRECTION.REASON_REQUIRED');
    expect(await countRecords(ctx)).toEqual(before);

    const done = (await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest, reason: 'Verkeerd overgenomen' }, [['m.csv', file]]).expect(200)).body;
    expect(done.written).toEqual({ patients: 0, records: 2 });
    // One measurement created (CAT), one corrected (CCQ 16 -> 18 tenths).
    expect(await countRecords(ctx)).toEqual({ ...before, measurements: before.measurements + 1 });
    const [{ value }] = await ctx.dataSource.query(`SELECT value FROM measurements WHERE instrument = 'CCQ' AND date = '2025-02-10'`);
    expect(value).toBe(18);
    const [{ pseudonym }] = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE ref = 'P'`);
    const audit = await ctx.dataSource.query(`SELECT patient_pseudonyms, reason, detail FROM audit_log WHERE action = 'import.csv'`);
    expect(audit).toEqual([expect.objectContaining({ patient_pseudonyms: [pseudonym], reason: 'Verkeerd overgenomen' })]);
    expect(audit[0].detail).toMatchObject({ digest: dry.digest, format: 'csv', kind: 'measurements', files: ['m.csv'] });
    expect(await ctx.count('indicator_outbox')).toBeGreaterThan(outboxBefore);

    // The same upload again: everything unchanged, nothing more written.
    const again = (await upload(ctx.http(), 'dry-run', fields, [['m.csv', file]]).expect(200)).body as ImportReport;
    expect(again.summary.records).toEqual({ create: 0, update: 0, unchanged: 2, refused: 0, skipped: 0 });
  });

  it('should stream progress lines and then the report when the client asks for NDJSON', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${AGB};P;${i % 2 === 0 ? '12-02-2025' : '19-02-2025'};INDIVIDUAL`);
    const response = await upload(ctx.http(), 'dry-run', { format: 'csv', kind: 'sessions', experiment: 'WORKED' }, [
      ['groot.csv', csv('praktijk_agb;patientnummer;datum;soort', ...rows)],
    ])
      .set('Accept', 'application/x-ndjson')
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => callback(null, text));
      })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (response.body as string).trim().split('\n').map((l) => JSON.parse(l));
    // Read progress every 10,000 rows (10,000 and 20,000), then the end of reading at 25,000, then checking.
    expect(lines.slice(0, -1).map((l) => l.progress)).toEqual([
      { phase: 'read', done: 10_000, total: 25_000 },
      { phase: 'read', done: 20_000, total: 25_000 },
      { phase: 'read', done: 25_000, total: 25_000 },
      { phase: 'check', done: 0, total: 25_000 },
      { phase: 'check', done: 25_000, total: 25_000 },
    ]);
    // Rows 3..25000 repeat rows 1 and 2: two unchanged, 24,998 duplicates refused, and so P is refused.
    expect(lines.at(-1).report.summary.records).toEqual({ create: 0, update: 0, unchanged: 0, refused: 25_000, skipped: 0 });
  });

  it('should give a template per kind with the headers of the language and one example row', async () => {
    const nl = await ctx.http().get('/api/v1/imports/templates/sessions?lang=nl').expect(200);
    expect(nl.headers['content-type']).toMatch(/text\/csv/);
    expect(nl.text).toBe('\uFEFFpraktijk_agb;patientnummer;datum;soort\r\n12345678;P-0001;10-03-2025;INDIVIDUAL\r\n');
    const en = await ctx.http().get('/api/v1/imports/templates/measurements?lang=en').expect(200);
    expect(en.text).toBe('\uFEFFpractice_agb,patient_ref,date,instrument,value\r\n12345678,P-0001,2025-03-10,CCQ,1.6\r\n');
    await ctx.http().get('/api/v1/imports/templates/contracts').expect(400);
  });

  it('should export every kind so that a dry run of the export finds every row unchanged, in Dutch and in English', async () => {
    for (const lang of ['nl', 'en']) {
      for (const kind of KINDS) {
        const exported = await ctx.http().get(`/api/v1/exports/csv/${kind}?experiment=WORKED&lang=${lang}`).expect(200);
        const report = (await upload(ctx.http(), 'dry-run', { format: 'csv', kind, experiment: 'WORKED' }, [[`${kind}.csv`, exported.text]]).expect(200))
          .body as ImportReport;
        const rows = exported.text.trim().split('\r\n').length - 1;
        expect(report.read).toBe(rows);
        const counts = kind === 'patients' ? report.summary.patients : report.summary.records;
        expect({ kind, lang, ...counts }).toMatchObject({ kind, lang, create: 0, update: 0, refused: 0, unchanged: rows });
      }
    }
    const [audit] = await ctx.dataSource.query(`SELECT patient_pseudonyms FROM audit_log WHERE action = 'export.csv' ORDER BY id DESC LIMIT 1`);
    expect(audit.patient_pseudonyms).toHaveLength(1); // the events export holds P's event only
  });

  async function roundTrip(source: string, target: string, doc: ReturnType<typeof generateExperiment> | ReturnType<typeof workedExampleDocument>) {
    // An empty experiment with the same registers and contracts.
    await ctx
      .http()
      .post('/api/v1/experiment-data')
      .send({ ...doc, experiment: { ...doc.experiment, code: target }, patients: [], sessions: [], measurements: [], events: [] })
      .expect(200);
    for (const kind of KINDS) {
      const exported = (await ctx.http().get(`/api/v1/exports/csv/${kind}?experiment=${source}&lang=nl`).expect(200)).text;
      const fields = { format: 'csv', kind, experiment: target };
      const dry = (await upload(ctx.http(), 'dry-run', fields, [[`${kind}.csv`, exported]]).expect(200)).body as ImportReport;
      const counts = kind === 'patients' ? dry.summary.patients : dry.summary.records;
      expect({ kind, refused: counts.refused }).toEqual({ kind, refused: 0 });
      await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest }, [[`${kind}.csv`, exported]]).expect(200);
    }
    const recompute = ctx.app.get(RecomputeService);
    for (const code of [source, target]) {
      const [{ id, last }] = await ctx.dataSource.query(
        `SELECT e.id, COALESCE((SELECT max(id) FROM indicator_outbox), 0)::int AS last FROM experiments e WHERE e.code = $1`,
        [code],
      );
      await recompute.recompute(id, last);
    }
    const comparison = async (code: string) => (await ctx.http().get(`/api/v1/indicators/comparison?experiment=${code}`).expect(200)).body;
    const [a, b] = [await comparison(source), await comparison(target)];
    expect(b.experiment).toBe(target);
    const enrolled = (doc: { indicators: { code: string; arms: Record<string, { value: number | null }> }[] }) =>
      Object.values(doc.indicators.find((i) => i.code === 'ENROLLED')!.arms).reduce((n, arm) => n + (arm.value ?? 0), 0);
    expect(enrolled(a)).toBeGreaterThan(0);
    expect(comparable(b)).toEqual(comparable(a));
  }

  it('should give the identical comparison document when the worked example is exported and imported into an empty experiment', async () => {
    await roundTrip('WORKED', 'WORKED-CSV', workedExampleDocument());
    const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id JOIN experiments e ON e.id = p.experiment_id WHERE e.code = 'WORKED-CSV'`);
    // The six sessions of DOMAIN.md 9: the sessions uploads above were dry runs, the confirm wrote measurements only.
    expect(n).toBe(6);
  });

  it('should give the identical comparison document when a seeded experiment is exported and imported into an empty experiment', async () => {
    const doc = generateExperiment({ practices: 2, patients: 40, seed: 11, experimentCode: 'SEEDED' });
    await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
    await roundTrip('SEEDED', 'SEEDED-CSV', doc);
    const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE e.code = 'SEEDED-CSV'`);
    expect(n).toBe(doc.patients.length);
  }, 120_000);
});
