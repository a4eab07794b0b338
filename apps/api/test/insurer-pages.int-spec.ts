import { INestApplicationContext } from '@nestjs/common';
import { aContractRow, aPatientRow, workedExampleSessions } from './fixtures/builders';
import { Http, startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

type Row = Record<string, unknown>;

/** Keys that would carry a clinical field of a patient (README "What an insurer sees of a patient"). */
const CLINICAL_KEYS = ['goldStage', 'profile', 'sex', 'birthYear', 'ref', 'referralDate', 'endReason', 'value', 'instrument', 'measurements', 'events', 'sessions', 'sessionKind', 'kind'];

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

/**
 * The worked example of DOMAIN.md 9 five times over (P1..P5 at practice 12345678, insurer 3311, BUNDLE), plus:
 * P6 at the same practice with intake 2025-08-01 and one session on 2025-08-05 (its Q1 falls in 2025-Q3);
 * F1 at practice 87654321, which has the SAME NAME "Praktijk C", insurer 3311, arm FFS (one patient: a small
 * cell); and X at practice 11112222 of insurer 4422 only (another insurer's insured).
 * Contract C everywhere: bundle intake 9000, quarter 36000; FFS intake 6000, session 4000, home +2000, group 2000.
 */
function document() {
  const worked = (ref: string, practice: string) => workedExampleSessions().map((s) => ({ patient: ref, practice, ...s }));
  const five = ['P1', 'P2', 'P3', 'P4', 'P5'];
  return {
    experiment: { code: 'WORKED', name: 'Worked example', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' },
    insurers: [
      { uzovi: '3311', name: 'Verzekeraar 3311' },
      { uzovi: '4422', name: 'Verzekeraar 4422' },
    ],
    practices: [
      { agb: '12345678', name: 'Praktijk C', region: 'Utrecht' },
      { agb: '87654321', name: 'Praktijk C', region: 'Zwolle' },
      { agb: '11112222', name: 'Praktijk X', region: 'Utrecht' },
    ],
    contracts: [aContractRow(), aContractRow({ practice: '87654321', arm: 'FFS' }), aContractRow({ practice: '11112222', insurer: '4422' })],
    patients: [
      ...five.map((ref) => aPatientRow({ ref })),
      aPatientRow({ ref: 'P6', referralDate: '2025-07-25', intakeDate: '2025-08-01' }),
      aPatientRow({ ref: 'F1', practice: '87654321' }),
      aPatientRow({ ref: 'X', practice: '11112222', insurer: '4422' }),
    ],
    sessions: [
      ...five.flatMap((ref) => worked(ref, '12345678')),
      { patient: 'P6', practice: '12345678', date: '2025-08-05', kind: 'INDIVIDUAL' },
      ...worked('F1', '87654321'),
      ...worked('X', '11112222'),
    ],
    measurements: [{ patient: 'P1', practice: '12345678', date: '2025-02-10', instrument: 'SIX_MWT', value: 400 }],
    events: [{ patient: 'P1', practice: '12345678', date: '2025-03-01', kind: 'EXACERBATION_MODERATE' }],
  };
}

const C_UTRECHT = { agb: '12345678', name: 'Praktijk C', region: 'Utrecht' };
const C_ZWOLLE = { agb: '87654321', name: 'Praktijk C', region: 'Zwolle' };

describe('insurer pages: costs per practice x quarter, a practice\'s patients and their priced items (issue 16)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let insurer: () => Http;
  const idOf = async (ref: string): Promise<string> => (await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = $1`, [ref]))[0].id;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(document()).expect(200);
    await waitForIndicators(ctx.dataSource);
    insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' }, 'verzekeraar-3311');
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  it('should give each practice x quarter the hand-computed paid and counterfactual cents when the insurer reads its costs', async () => {
    const body = (await insurer().get('/api/v1/insights/insurer-costs').expect(200)).body;
    expect(body.period).toEqual({ from: null, to: null });
    // Experiment start 2025-01-01 to analysis date 2025-09-30.
    expect(body.quarters).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    const utrecht = body.byPracticeQuarter.filter((r: Row) => (r.practice as Row).agb === '12345678');
    expect(utrecht).toEqual([
      // Q1 of P1..P5 starts 2025-02-10: 5 x 45000 (9000 + 36000) = 225000 paid, 5 x 22000 (6000 + 2 x 4000 + 2000
      // + 4000 + 2000) = 110000 counterfactual.
      { practice: C_UTRECHT, arm: 'BUNDLE', quarter: '2025-Q1', quarterStart: '2025-01-01', complete: true, patients: 5, careQuarters: 5, paidCents: 225000, counterfactualCents: 110000 },
      // Q2 starts 2025-05-10, one session: 5 x 36000 = 180000; 5 x 4000 = 20000.
      { practice: C_UTRECHT, arm: 'BUNDLE', quarter: '2025-Q2', quarterStart: '2025-04-01', complete: true, patients: 5, careQuarters: 5, paidCents: 180000, counterfactualCents: 20000 },
      // Q3 of P1..P5 starts 2025-08-10 (5 x 36000 / 5 x 4000) and P6's Q1 2025-08-01 (9000 + 36000 = 45000 /
      // 6000 + 4000 = 10000): 180000 + 45000 = 225000; 20000 + 10000 = 30000. 2025-Q3 ends on the analysis date: complete.
      { practice: C_UTRECHT, arm: 'BUNDLE', quarter: '2025-Q3', quarterStart: '2025-07-01', complete: true, patients: 6, careQuarters: 6, paidCents: 225000, counterfactualCents: 30000 },
    ]);
    // The practice of the same name is told apart by its AGB; one patient is a small cell: amounts withheld.
    const zwolle = body.byPracticeQuarter.filter((r: Row) => (r.practice as Row).agb === '87654321');
    expect(zwolle.map((r: Row) => [r.quarter, r.patients, r.paidCents, r.counterfactualCents, r.withheld])).toEqual([
      ['2025-Q1', 1, null, null, true],
      ['2025-Q2', 1, null, null, true],
      ['2025-Q3', 1, null, null, true],
    ]);
    expect(body.byPractice).toEqual([
      // 5 x 117000 + 45000 = 630000 paid; 5 x 30000 + 10000 = 160000 counterfactual; 5 x 3 + 1 = 16 care quarters.
      { practice: C_UTRECHT, arm: 'BUNDLE', patients: 6, careQuarters: 16, paidCents: 630000, counterfactualCents: 160000 },
      { practice: C_ZWOLLE, arm: 'FFS', patients: 1, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true },
    ]);
    expect(body.totals).toEqual([
      { arm: 'BUNDLE', patients: 6, careQuarters: 16, paidCents: 630000, counterfactualCents: 160000 },
      { arm: 'FFS', patients: 1, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true },
    ]);
    // Another insurer's practice and patient are nowhere.
    expect(JSON.stringify(body)).not.toContain('11112222');
  });

  it('should count only the care quarters starting in the period when a period is asked', async () => {
    const body = (await insurer().get('/api/v1/insights/insurer-costs?from=2025-Q2&to=2025-Q3').expect(200)).body;
    expect(body.period).toEqual({ from: '2025-Q2', to: '2025-Q3' });
    expect(body.byPracticeQuarter.filter((r: Row) => (r.practice as Row).agb === '12345678').map((r: Row) => r.quarter)).toEqual(['2025-Q2', '2025-Q3']);
    // Q2 + Q3: 180000 + 225000 = 405000 paid; 20000 + 30000 = 50000 counterfactual; 5 + 6 = 11 care quarters.
    expect(body.byPractice[0]).toEqual({ practice: C_UTRECHT, arm: 'BUNDLE', patients: 6, careQuarters: 11, paidCents: 405000, counterfactualCents: 50000 });
    expect(body.byQuarter.filter((r: Row) => r.arm === 'BUNDLE').map((r: Row) => [r.quarter, r.paidCents, r.counterfactualCents, r.complete])).toEqual([
      ['2025-Q2', 180000, 20000, true],
      ['2025-Q3', 225000, 30000, true],
    ]);
    // One quarter: 2025-Q1 alone, P1..P5 only (P6's care starts in 2025-Q3).
    const q1 = (await insurer().get('/api/v1/insights/insurer-costs?from=2025-Q1&to=2025-Q1').expect(200)).body;
    expect(q1.totals[0]).toEqual({ arm: 'BUNDLE', patients: 5, careQuarters: 5, paidCents: 225000, counterfactualCents: 110000 });
  });

  it('should show the evaluator the small cell the insurer does not see when both read the same insurer', async () => {
    const body = (await ctx.http().get('/api/v1/insights/insurer-costs?insurer=3311&from=2025-Q1&to=2025-Q1').expect(200)).body;
    // F1 is FFS: paid is the FFS price 22000, counterfactual the bundle price 9000 + 36000 = 45000.
    expect(body.byPracticeQuarter.find((r: Row) => (r.practice as Row).agb === '87654321')).toEqual({
      practice: C_ZWOLLE, arm: 'FFS', quarter: '2025-Q1', quarterStart: '2025-01-01', complete: true, patients: 1, careQuarters: 1, paidCents: 22000, counterfactualCents: 45000,
    });
  });

  it('should mark a calendar quarter still running on the analysis date as incomplete when the analysis date moves', async () => {
    await ctx.dataSource.query(`UPDATE experiments SET analysis_date = '2025-09-15'`);
    try {
      const body = (await ctx.http().get('/api/v1/insights/insurer-costs?insurer=3311').expect(200)).body;
      // 2025-Q3 ends 2025-09-30, after 2025-09-15: still running (the facts are unchanged until a recompute).
      expect(body.byPracticeQuarter.filter((r: Row) => (r.practice as Row).agb === '12345678').map((r: Row) => [r.quarter, r.complete])).toEqual([
        ['2025-Q1', true],
        ['2025-Q2', true],
        ['2025-Q3', false],
      ]);
    } finally {
      await ctx.dataSource.query(`UPDATE experiments SET analysis_date = '2025-09-30'`);
    }
  });

  it('should refuse a period that ends before it starts or a quarter that does not exist, and change nothing', async () => {
    const before = await ctx.count('audit_log');
    const inverted = (await insurer().get('/api/v1/insights/insurer-costs?from=2025-Q3&to=2025-Q1').expect(400)).body;
    expect(inverted.errors).toEqual([expect.objectContaining({ code: 'FILTER.PERIOD_INVERTED', path: 'to' })]);
    expect(inverted.detail).toEqual(expect.any(String));
    const badQuarter = (await insurer().get('/api/v1/insights/insurer-costs?from=2025-Q5').expect(400)).body;
    expect(badQuarter.errors).toEqual([expect.objectContaining({ path: 'from' })]);
    expect(await ctx.count('audit_log')).toBe(before);
  });

  it('should refuse clinical filters next to a period when an insurer asks', async () => {
    for (const url of [
      '/api/v1/insights/insurer-costs?from=2025-Q1&to=2025-Q1&goldStage=4',
      '/api/v1/insights/insurer-costs?profile=4',
      '/api/v1/insights/insurer-patients?practice=12345678&goldStage=3',
      '/api/v1/insights/insurer-patients?practice=12345678&from=2025-Q1&profile=4',
    ]) {
      const body = (await insurer().get(url).expect(400)).body;
      expect(body.code).toBe('FILTER.NOT_ALLOWED');
    }
  });

  it('should list the practice\'s patients of the quarter by pseudonym with their amounts and no clinical field', async () => {
    const body = (await insurer().get('/api/v1/insights/insurer-patients?practice=12345678&from=2025-Q3&to=2025-Q3').expect(200)).body;
    expect(body.practice).toEqual(C_UTRECHT);
    expect(body.period).toEqual({ from: '2025-Q3', to: '2025-Q3' });
    const pseudonyms: { ref: string; pseudonym: string }[] = await ctx.dataSource.query(`SELECT ref, pseudonym FROM patients WHERE ref LIKE 'P%'`);
    const byPseudonym = new Map(pseudonyms.map((p) => [p.pseudonym, p.ref]));
    expect(body.patients).toHaveLength(6);
    for (const patient of body.patients as Row[]) {
      const ref = byPseudonym.get(patient.pseudonym as string);
      // P1..P5: their Q3 (36000 / 4000); P6: its Q1 (9000 + 36000 = 45000 / 6000 + 4000 = 10000).
      const expected = ref === 'P6' ? [1, 45000, 10000, '2025-08-01'] : [1, 36000, 4000, '2025-02-10'];
      expect([patient.careQuarters, patient.paidCents, patient.counterfactualCents, patient.intakeDate]).toEqual(expected);
      expect(Object.keys(patient).sort()).toEqual(['arm', 'careQuarters', 'counterfactualCents', 'endDate', 'id', 'intakeDate', 'paidCents', 'pseudonym']);
    }
    expect(keysOf(body).filter((k) => CLINICAL_KEYS.includes(k))).toEqual([]);
    const [audit] = await ctx.dataSource.query(
      `SELECT patient_pseudonyms FROM audit_log WHERE action = 'insurer-costs.patients.read' ORDER BY id DESC LIMIT 1`,
    );
    expect([...audit.patient_pseudonyms].sort()).toEqual((body.patients as Row[]).map((p) => p.pseudonym).sort());
  });

  it('should give a patient\'s priced care quarters and their tariff lines when the insurer opens its items', async () => {
    const body = (await insurer().get(`/api/v1/patients/${await idOf('P1')}/cost-items`).expect(200)).body;
    expect(body.patient).toEqual({
      id: await idOf('P1'), pseudonym: expect.stringMatching(/^P-/), experiment: 'WORKED', practice: { agb: '12345678', name: 'Praktijk C' }, insurer: '3311', arm: 'BUNDLE', intakeDate: '2025-02-10', endDate: null,
    });
    expect(body.quarters.map((q: Row) => [q.index, q.calendarQuarter, q.paidCents, q.counterfactualCents, q.ended])).toEqual([
      [1, '2025-Q1', 45000, 22000, true],
      [2, '2025-Q2', 36000, 4000, true],
      // Q3 [08-10, 11-10) still runs on 2025-09-30.
      [3, '2025-Q3', 36000, 4000, false],
    ]);
    const line = (item: string, count: number, bundle: number, ffs: number) => ({
      item, count, bundleUnitCents: bundle / count, ffsUnitCents: ffs / count, bundleCents: bundle, ffsCents: ffs, paidCents: bundle, counterfactualCents: ffs, priced: true,
    });
    // Q1: intake 9000 / 6000; quarter tariff 36000; 02-12 and 02-19 individual 2 x 4000; 03-05 group 2000; 04-02 home 4000 + 2000.
    // Bundle 9000 + 36000 = 45000; FFS 6000 + 8000 + 2000 + 6000 = 22000.
    expect(body.quarters[0].lines).toEqual([
      line('INTAKE', 1, 9000, 6000),
      line('QUARTER', 1, 36000, 0),
      line('SESSION', 2, 0, 8000),
      line('HOME_SESSION', 1, 0, 6000),
      line('GROUP_SESSION', 1, 0, 2000),
    ]);
    // Q3: the remote session of 08-14 is priced at the session tariff.
    expect(body.quarters[2].lines).toEqual([line('QUARTER', 1, 36000, 0), line('SESSION', 1, 0, 4000)]);
    // 117000 / 3 = 39000 and 30000 / 3 = 10000 cents per care quarter.
    expect(body.totals).toEqual({ paidCents: 117000, counterfactualCents: 30000, differenceCents: 87000, careQuarterCount: 3, paidPerCareQuarterCents: 39000, counterfactualPerCareQuarterCents: 10000 });
    expect(keysOf(body).filter((k) => CLINICAL_KEYS.includes(k))).toEqual([]);
    const [audit] = await ctx.dataSource.query(`SELECT patient_pseudonym FROM audit_log WHERE action = 'pricing.cost-items.read' ORDER BY id DESC LIMIT 1`);
    expect(audit.patient_pseudonym).toBe(body.patient.pseudonym);
  });

  it('should answer 404 when an insurer asks for another insurer\'s patient or a practice it has no contract with', async () => {
    const other = await idOf('X');
    for (const url of [`/api/v1/patients/${other}/cost-items`, `/api/v1/patients/${other}/pricing`, `/api/v1/patients/${other}/facts`, `/api/v1/patients/${other}`]) {
      const body = (await insurer().get(url).expect(404)).body;
      expect(body.code).toBe('PATIENT.NOT_FOUND');
    }
    const practice = (await insurer().get('/api/v1/insights/insurer-patients?practice=11112222').expect(404)).body;
    expect(practice.code).toBe('PRACTICE.NOT_FOUND');
    const required = (await insurer().get('/api/v1/insights/insurer-patients').expect(400)).body;
    expect(required.errors).toEqual([expect.objectContaining({ code: 'FILTER.PRACTICE_REQUIRED', path: 'practice' })]);
  });

  it('should return no clinical field to an insurer from the pricing and facts routes', async () => {
    const id = await idOf('P1');
    const pricing = (await insurer().get(`/api/v1/patients/${id}/pricing`).expect(200)).body;
    const facts = (await insurer().get(`/api/v1/patients/${id}/facts`).expect(200)).body;
    const patient = (await insurer().get(`/api/v1/patients/${id}`).expect(200)).body;
    // The pricing and facts carry session counts per quarter (sessionCount, sessions): a count, the insurer's
    // own claims, no date or kind; no other clinical field.
    const allowedCounts = ['sessions'];
    expect(keysOf({ pricing, facts, patient }).filter((k) => CLINICAL_KEYS.includes(k) && !allowedCounts.includes(k))).toEqual([]);
    expect(pricing.totals).toMatchObject({ paidCents: 117000, counterfactualCents: 30000 });
  });

  it('should leave the date of an unpriced session out when an insurer reads the pricing', async () => {
    // Contract C shortened to 2025-08-13 (directly in the table, as a gap a later correction could leave): Q3's
    // quarter tariff is still priced at its start 08-10, the remote session of 08-14 has no contract in force.
    await ctx.dataSource.query(`UPDATE contracts c SET valid_to = '2025-08-13' FROM practices p WHERE p.id = c.practice_id AND p.agb = '12345678'`);
    const id = await idOf('P1');
    const asInsurer = (await insurer().get(`/api/v1/patients/${id}/pricing`).expect(200)).body;
    const asEvaluator = (await ctx.http().get(`/api/v1/patients/${id}/pricing`).expect(200)).body;
    expect(asEvaluator.unpriced).toEqual([{ item: 'SESSION', date: '2025-08-14', quarterIndex: 3 }]);
    expect(asInsurer.unpriced).toEqual([{ item: 'SESSION', date: null, quarterIndex: 3 }]);
    // Q3 under FFS: the session priced 0 (4000 before); the bundle quarter tariff 36000 stays.
    const items = (await insurer().get(`/api/v1/patients/${id}/cost-items`).expect(200)).body;
    expect(items.quarters[2].lines).toEqual([
      { item: 'QUARTER', count: 1, bundleUnitCents: 36000, ffsUnitCents: 0, bundleCents: 36000, ffsCents: 0, paidCents: 36000, counterfactualCents: 0, priced: true },
      { item: 'SESSION', count: 1, bundleUnitCents: 0, ffsUnitCents: 0, bundleCents: 0, ffsCents: 0, paidCents: 0, counterfactualCents: 0, priced: false },
    ]);
  });
});
