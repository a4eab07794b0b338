import type { ExchangeDocument, ExchangeSession } from '../src/modules/exchange/exchange-document';
import { generateExperiment } from '../src/modules/demo-data/demo-generator';
import { countRecords, startTestApp, TestContext } from './support/test-app';
import { aContractRow } from './fixtures/builders';

/** A small valid document: one practice (AGB with a leading zero), one insurer, one contract, 20 patients x 50 sessions. */
function smallDocument(): ExchangeDocument {
  const patients = Array.from({ length: 20 }, (_, i) => ({
    ref: `P${String(i + 1).padStart(2, '0')}`,
    practice: '01234567',
    insurer: '3311',
    birthYear: 1950 + i,
    sex: i % 2 === 0 ? ('F' as const) : ('M' as const),
    goldStage: 2 + (i % 3),
    profile: 3,
    referralDate: '2025-01-20',
    intakeDate: '2025-02-03',
  }));
  const sessions: ExchangeSession[] = patients.flatMap((p) =>
    Array.from({ length: 50 }, (_, d) => ({ patient: p.ref, practice: p.practice, date: plusDays('2025-02-04', d), kind: 'INDIVIDUAL' as const })),
  );
  return {
    experiment: { code: 'COPD-X', name: 'Exchange test', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' },
    insurers: [{ uzovi: '3311', name: 'Zilveren Kruis' }],
    practices: [{ agb: '01234567', name: 'Fysiotherapie Test', region: 'Utrecht' }],
    contracts: [
      aContractRow({ practice: '01234567', validTo: '2029-12-31' }),
    ],
    patients,
    sessions,
    measurements: [
      { patient: 'P01', practice: '01234567', date: '2025-02-03', instrument: 'SIX_MWT', value: 410 },
      { patient: 'P01', practice: '01234567', date: '2025-02-03', instrument: 'CCQ', value: 1.6 },
    ],
    events: [{ patient: 'P02', practice: '01234567', date: '2025-03-10', kind: 'EXACERBATION_MODERATE' }],
  };
}

function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('experiment data import and export (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('should reject the whole document naming exactly the bad paths when 3 of 1,003 sessions break the rules', async () => {
    const doc = smallDocument();
    const bad: [number, ExchangeSession][] = [
      [17, { patient: 'P01', practice: '01234567', date: '2025-02-01', kind: 'INDIVIDUAL' }], // before the intake
      [500, { patient: 'P02', practice: '01234567', date: '2025-06-02', kind: 'SAUNA' as never }], // unknown kind
      [1002, { patient: 'P03', practice: '01234567', date: '2029-06-01', kind: 'INDIVIDUAL' }], // in the future
    ];
    for (const [index, session] of bad) doc.sessions.splice(index, 0, session);
    expect(doc.sessions).toHaveLength(1003);
    const before = await countRecords(ctx);
    const auditBefore = await ctx.count('audit_log');

    const response = await ctx.http().post('/api/v1/experiment-data').send(doc).expect(422);

    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('IMPORT.REJECTED');
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '$.sessions[17].date',
      '$.sessions[500].kind',
      '$.sessions[1002].date',
    ]);
    expect(response.body.errors.map((e: { code: string }) => e.code)).toEqual(['SESSION.BEFORE_INTAKE', 'SHAPE.ENUM', 'SESSION.IN_FUTURE']);
    expect(await countRecords(ctx)).toEqual(before);
    expect(await ctx.count('audit_log')).toBe(auditBefore);
  });

  it('should report duplicates, unknown references and a stored contract overlap when the document conflicts', async () => {
    const doc = smallDocument();
    doc.experiment.code = 'COPD-DUP';
    await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
    const before = await countRecords(ctx);

    const next = smallDocument();
    next.experiment.code = 'COPD-DUP';
    next.contracts.push({ ...next.contracts[0], validFrom: '2026-01-01', validTo: '2030-12-31' }); // overlaps the stored one
    next.sessions.push({ ...next.sessions[3] }); // duplicate key
    next.measurements.push({ patient: 'NOBODY', practice: '01234567', date: '2025-03-01', instrument: 'CAT', value: 12 });
    const response = await ctx.http().post('/api/v1/experiment-data').send(next).expect(422);

    expect(response.body.errors.map((e: { code: string; path: string }) => `${e.code} ${e.path}`)).toEqual([
      'CONTRACT.OVERLAP $.contracts[0].validTo',
      'CONTRACT.OVERLAP $.contracts[1].validFrom',
      'BATCH.DUPLICATE_KEY $.sessions[1000]',
      'IMPORT.UNKNOWN_PATIENT $.measurements[2].patient',
    ]);
    expect(await countRecords(ctx)).toEqual(before);
  });

  it('should leave identical rows and report everything unchanged when the same document is imported twice', async () => {
    const doc = smallDocument();
    doc.experiment.code = 'COPD-TWICE';
    doc.practices[0].agb = doc.contracts[0].practice = '07654321';
    for (const list of [doc.patients, doc.sessions, doc.measurements, doc.events]) for (const item of list) item.practice = '07654321';

    const first = await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
    expect(first.body.counts.sessions).toEqual({ created: 1000, updated: 0, unchanged: 0 });
    expect(first.body.counts.patients).toEqual({ created: 20, updated: 0, unchanged: 0 });
    const counts = await countRecords(ctx);
    const rows = await snapshot(ctx);
    const audit = await ctx.dataSource.query(`SELECT action, resource_type, patient_pseudonym, detail FROM audit_log WHERE actor = 'test-evaluator' ORDER BY id`);
    const ours = audit.filter((a: { detail: { document?: string; sha256?: string } }) => (a.detail.document ?? a.detail.sha256) === first.body.sha256);
    expect(ours.filter((a: { resource_type: string }) => a.resource_type === 'experiment')).toHaveLength(1);
    expect(ours.filter((a: { resource_type: string; patient_pseudonym: string }) => a.resource_type === 'patient' && /^P-[0-9A-F]{16}$/.test(a.patient_pseudonym))).toHaveLength(20);

    const second = await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
    for (const [entity, c] of Object.entries(second.body.counts as Record<string, { created: number; updated: number }>)) {
      expect([entity, c.created, c.updated]).toEqual([entity, 0, 0]);
    }
    expect(second.body.counts.sessions.unchanged).toBe(1000);
    expect(await countRecords(ctx)).toEqual(counts);
    expect(await snapshot(ctx)).toEqual(rows);

    const corrected = structuredClone(doc);
    corrected.measurements[1].value = 1.2;
    const third = await ctx.http().post('/api/v1/experiment-data').send(corrected).expect(200);
    expect(third.body.counts.measurements).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(third.body.counts.sessions).toEqual({ created: 0, updated: 0, unchanged: 1000 });
    const stored = await ctx.dataSource.query(`SELECT value FROM measurements WHERE instrument = 'CCQ' AND date = '2025-02-03' AND patient_id IN
      (SELECT p.id FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE e.code = 'COPD-TWICE')`);
    expect(stored).toEqual([{ value: 12 }]); // CCQ kept in tenths
    expect(await countRecords(ctx)).toEqual(counts);
  });

  it('should give an identical document when exported, imported into a fresh database and exported again', async () => {
    const generated = generateExperiment({ practices: 4, patients: 120, seed: 11, experimentCode: 'COPD-RT' });
    await ctx.http().post('/api/v1/experiment-data').send(generated).expect(200);
    const exported = (await ctx.http().get('/api/v1/experiment-data?experiment=COPD-RT').expect(200)).body;
    // Export writes what was imported, in the generator's order, CCQ back in its own unit.
    expect(exported).toEqual(generated);

    const fresh = await startTestApp();
    try {
      const imported = await fresh.http().post('/api/v1/experiment-data').send(exported).expect(200);
      expect(imported.body.counts.sessions.created).toBe(generated.sessions.length);
      // With exactly one experiment stored, the code may be omitted.
      const again = (await fresh.http().get('/api/v1/experiment-data').expect(200)).body;
      expect(JSON.stringify(again)).toBe(JSON.stringify(exported));
    } finally {
      await fresh.close();
    }
  });

  it('should answer 404 when exporting an experiment that does not exist', async () => {
    const response = await ctx.http().get('/api/v1/experiment-data?experiment=NOPE').expect(404);
    expect(response.body.code).toBe('EXPERIMENT.NOT_FOUND');
  });
});

async function snapshot(ctx: TestContext): Promise<unknown[]> {
  const tables = ['experiments', 'insurers', 'practices', 'contracts', 'patients', 'therapy_sessions', 'measurements', 'events'];
  const out: unknown[] = [];
  for (const table of tables) out.push(await ctx.dataSource.query(`SELECT * FROM ${table} ORDER BY id`));
  return out;
}
