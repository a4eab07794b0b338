import type { ImportReport } from '../src/modules/interchange/import-report';
import { InterchangeRepository } from '../src/modules/interchange/interchange.repository';
import { aPatientRow, WORKED_EXAMPLE } from './fixtures/builders';
import { workedExampleDocument } from './fixtures/worked-example';
import { countRecords, startTestApp, type Http, type TestContext } from './support/test-app';

const AGB = WORKED_EXAMPLE.practice;
const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** A multipart upload as the dashboard sends it (as in interchange-csv.int-spec.ts). */
function upload(http: Http, route: 'dry-run' | 'confirm', fields: Record<string, string | undefined>, files: [string, string][]) {
  let request = http.post(`/api/v1/imports/${route}`);
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) request = request.field(name, value);
  for (const [name, content] of files) request = request.attach('files', Buffer.from(content, 'utf8'), name);
  return request;
}

/**
 * The confirm plans under its locks once and checks again only what its plan did not (issue 15's confirm): what is
 * stored between the plan and the locks makes it plan again, and a corrected enrolment window is still checked
 * against the records stored outside it.
 */
describe('CSV confirm against what is stored at the write (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    // The worked example (patient P, sessions from 2025-02-12) plus patient R without records.
    const doc = workedExampleDocument();
    doc.patients.push(aPatientRow({ ref: 'R', referralDate: '2025-02-20', intakeDate: '2025-03-03' }));
    await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
  }, 120_000);
  afterAll(() => ctx.close());

  it('should refuse a corrected intake date that leaves stored sessions outside the enrolment, and write nothing', async () => {
    const fields = { format: 'csv', kind: 'patients', experiment: 'WORKED' };
    const file = csv('praktijk_agb;patientnummer;intakedatum', `${AGB};P;13-02-2025`);
    const dry = (await upload(ctx.http(), 'dry-run', fields, [['p.csv', file]]).expect(200)).body as ImportReport;
    expect(dry.summary.patients).toMatchObject({ update: 1, refused: 0 });
    const before = await countRecords(ctx);
    const auditBefore = await ctx.count('audit_log');

    const refused = await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest, reason: 'Intake verkeerd overgenomen' }, [['p.csv', file]]).expect(422);
    expect(refused.body.code).toBe('IMPORT.REJECTED');
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toContain('ENROLMENT.SESSIONS_OUTSIDE_ENROLMENT');
    const [{ intake_date }] = await ctx.dataSource.query(`SELECT intake_date FROM patients WHERE ref = 'P'`);
    expect(intake_date).toBe('2025-02-10');
    expect(await countRecords(ctx)).toEqual(before);
    expect(await ctx.count('audit_log')).toBe(auditBefore);
  });

  it('should plan again and write only what is new when a session is stored between its first plan and its locks', async () => {
    const fields = { format: 'csv', kind: 'sessions', experiment: 'WORKED' };
    const file = csv('praktijk_agb;patientnummer;datum;soort', `${AGB};R;04-03-2025;INDIVIDUAL`, `${AGB};R;05-03-2025;INDIVIDUAL`);
    const dry = (await upload(ctx.http(), 'dry-run', fields, [['s.csv', file]]).expect(200)).body as ImportReport;
    expect(dry.summary.records).toMatchObject({ create: 2, unchanged: 0 });

    // Another writer stores the first session after the confirm has read the stored state, before it takes the locks.
    const repository = ctx.app.get(InterchangeRepository);
    const storedState = repository.storedState.bind(repository);
    const spy = jest.spyOn(repository, 'storedState').mockImplementationOnce(async (...args) => {
      const state = await storedState(...args);
      await ctx.dataSource.query(
        `INSERT INTO therapy_sessions (patient_id, date, kind) SELECT id, '2025-03-04', 'INDIVIDUAL' FROM patients WHERE ref = 'R'`,
      );
      return state;
    });
    try {
      const done = (await upload(ctx.http(), 'confirm', { ...fields, digest: dry.digest }, [['s.csv', file]]).expect(200)).body as ImportReport;
      expect(done.summary.records).toMatchObject({ create: 1, unchanged: 1, refused: 0 });
      expect(done.written).toEqual({ patients: 0, records: 1 });
    } finally {
      spy.mockRestore();
    }
    const rows = await ctx.dataSource.query(
      `SELECT s.date FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id WHERE p.ref = 'R' ORDER BY s.date`,
    );
    expect(rows.map((r: { date: string }) => r.date)).toEqual(['2025-03-04', '2025-03-05']);
  });
});
