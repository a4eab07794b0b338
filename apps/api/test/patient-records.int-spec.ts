import Ajv from 'ajv';
import { addDays, nextDue, type Instrument } from '@copd/domain';
import { Clock } from '../src/core/clock';
import { aContractRow, aPatientRow, workedExampleSessions } from './fixtures/builders';
import { Http, startTestApp, TestContext } from './support/test-app';

type Row = Record<string, unknown>;

/** The day every read of this spec is judged on (the Clock is fixed to it before anything is written). */
const TODAY = '2026-12-10';
const A = '12345678';
const B = '22222222';

/**
 * Practice A (12345678) has five patients, practice B (22222222) one with 200 sessions. On 2026-12-10:
 * - P, the DOMAIN.md 9 worked example (BUNDLE, GOLD 3, profile 4): six sessions, the last 2025-08-14; a 6MWT on
 *   +14 (baseline), a CAT on +15 (no window), a 6MWT on +91 (3 months), a CCQ on +113 (no window), a 6MWT on +410
 *   (12 months). No CCQ or CAT in the baseline window: MISSING_BASELINE; 2025-08-14 is 483 days ago:
 *   NO_RECENT_SESSION. All windows closed: nothing next.
 * - R-NEW, enrolled last week (intake 2026-12-03, GOLD 3): baseline window [11-03, 12-17] open and closing within
 *   14 days (12-17 <= 12-24): next SIX_MWT CLOSING; 1 care quarter; no problem.
 * - R-3M (intake 2026-09-01, GOLD 4, profile 2: maximum 6): baseline 6MWT and CAT on 09-01; six sessions 09-02..09-07
 *   and one on 12-01: 7 > 6 in the first year: ABOVE_KNGF_MAXIMUM. Q2 starts 2026-12-01, so 2 care quarters; the
 *   3-month window [11-10, 12-22] closes within 14 days: next SIX_MWT CLOSING.
 * - R-OK (insurer 5533, FFS, intake 2026-10-15, GOLD 2, profile 3): baseline complete, sessions 10-20 and 11-30;
 *   3-month window opens 10-15 + 70 = 12-24 = today + 14: next SIX_MWT UPCOMING, window end 12-24 + 42 = 2027-02-04.
 * - R-END (intake 2025-06-01, ended 2025-12-31 COMPLETED, GOLD 2): one session, no measurement: MISSING_BASELINE;
 *   ended, so no NO_RECENT_SESSION and nothing next.
 */
function document() {
  const m = (patient: string, date: string, instrument: Instrument, value: number) => ({ patient, practice: A, date, instrument, value });
  const s = (patient: string, practice: string, date: string, kind = 'INDIVIDUAL') => ({ patient, practice, date, kind });
  const b200 = Array.from({ length: 200 }, (_, i) => s('B-200', B, addDays('2025-01-03', i), i % 2 ? 'GROUP' : 'INDIVIDUAL'));
  return {
    experiment: { code: 'RECORDS', name: 'Records', start: '2025-01-01', end: '2029-12-31', analysisDate: '2026-09-30' },
    insurers: [
      { uzovi: '3311', name: 'Verzekeraar 3311' },
      { uzovi: '5533', name: 'Verzekeraar 5533' },
      { uzovi: '4422', name: 'Verzekeraar 4422' },
    ],
    practices: [
      { agb: A, name: 'Praktijk A', region: 'Utrecht' },
      { agb: B, name: 'Praktijk B', region: 'Utrecht' },
    ],
    contracts: [
      aContractRow(),
      aContractRow({ validFrom: '2026-01-01', validTo: '2026-12-31' }),
      aContractRow({ insurer: '5533', arm: 'FFS', validTo: '2026-12-31' }),
      aContractRow({ practice: B, insurer: '4422', arm: 'FFS', validTo: '2026-12-31' }),
    ],
    patients: [
      aPatientRow(),
      aPatientRow({ ref: 'R-NEW', goldStage: 3, profile: 3, referralDate: '2026-11-26', intakeDate: '2026-12-03' }),
      aPatientRow({ ref: 'R-3M', goldStage: 4, profile: 2, referralDate: '2026-08-20', intakeDate: '2026-09-01' }),
      aPatientRow({ ref: 'R-OK', insurer: '5533', goldStage: 2, profile: 3, referralDate: '2026-10-01', intakeDate: '2026-10-15' }),
      aPatientRow({ ref: 'R-END', goldStage: 2, profile: 2, referralDate: '2025-05-20', intakeDate: '2025-06-01', endDate: '2025-12-31', endReason: 'COMPLETED' }),
      aPatientRow({ ref: 'B-200', practice: B, insurer: '4422', referralDate: '2024-12-20', intakeDate: '2025-01-02' }),
    ],
    sessions: [
      ...workedExampleSessions().map((x) => s('P', A, x.date, x.kind)),
      ...['2026-09-02', '2026-09-03', '2026-09-04', '2026-09-05', '2026-09-06', '2026-09-07', '2026-12-01'].map((d) => s('R-3M', A, d)),
      s('R-OK', A, '2026-10-20'),
      s('R-OK', A, '2026-11-30'),
      s('R-END', A, '2025-06-05'),
      ...b200,
    ],
    measurements: [
      m('P', '2025-02-24', 'SIX_MWT', 400),
      m('P', '2025-02-25', 'CAT', 20),
      m('P', '2025-05-12', 'SIX_MWT', 420),
      m('P', '2025-06-03', 'CCQ', 1.6),
      m('P', '2026-03-27', 'SIX_MWT', 430),
      m('R-3M', '2026-09-01', 'SIX_MWT', 380),
      m('R-3M', '2026-09-01', 'CAT', 18),
      m('R-OK', '2026-10-15', 'SIX_MWT', 450),
      m('R-OK', '2026-10-15', 'CCQ', 2.2),
    ],
    events: [{ patient: 'P', practice: A, date: '2025-03-01', kind: 'EXACERBATION_MODERATE' }],
  };
}

describe('patient records: the practice list and the record read model, judged on a fixed today (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practiceA: () => Http;
  let practiceB: () => Http;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await startTestApp();
    jest.spyOn(ctx.app.get(Clock), 'today').mockReturnValue(TODAY);
    await ctx.http().post('/api/v1/experiment-data').send(document()).expect(200);
    for (const r of await ctx.dataSource.query(`SELECT id, ref FROM patients`)) ids[r.ref] = r.id;
    practiceA = await ctx.signIn({ role: 'PRACTICE', practices: [A] }, 'praktijk-a');
    practiceB = await ctx.signIn({ role: 'PRACTICE', practices: [B] }, 'praktijk-b');
  });
  afterAll(async () => {
    await ctx.close();
  });

  const list = async (query: string, as: () => Http = practiceA) => (await as().get(`/api/v1/patient-records${query}`).expect(200)).body;
  const refs = (body: { items: Row[] }) => body.items.map((r) => r.ref);

  it('should list the practice its own five patients with the figures of today when it asks without parameters', async () => {
    const body = await list('');
    expect(body).toMatchObject({ total: 5, limit: 50, offset: 0, today: TODAY });
    const byRef = Object.fromEntries(body.items.map((r: Row) => [r.ref, r]));
    expect(byRef.P).toEqual({
      id: ids.P, ref: 'P', pseudonym: expect.any(String), practice: A, insurer: '3311', arm: 'BUNDLE', goldStage: 3,
      intakeDate: '2025-02-10', endDate: null, endReason: null,
      // DOMAIN.md 9: Q1, Q2 and Q3 hold sessions; no later quarter does.
      careQuarters: 3, lastSession: '2025-08-14', nextDue: null,
      problems: ['MISSING_BASELINE', 'NO_RECENT_SESSION'],
    });
    expect(byRef['R-NEW']).toMatchObject({
      careQuarters: 1, lastSession: null, problems: [],
      nextDue: { instrument: 'SIX_MWT', milestone: 'BASELINE', windowStart: '2026-11-03', windowEnd: '2026-12-17', status: 'CLOSING' },
    });
    expect(byRef['R-3M']).toMatchObject({
      careQuarters: 2, lastSession: '2026-12-01', problems: ['ABOVE_KNGF_MAXIMUM'],
      nextDue: { instrument: 'SIX_MWT', milestone: 'FOLLOWUP_3M', windowStart: '2026-11-10', windowEnd: '2026-12-22', status: 'CLOSING' },
    });
    expect(byRef['R-OK']).toMatchObject({
      arm: 'FFS', insurer: '5533', careQuarters: 1, lastSession: '2026-11-30', problems: [],
      nextDue: { instrument: 'SIX_MWT', milestone: 'FOLLOWUP_3M', windowStart: '2026-12-24', windowEnd: '2027-02-04', status: 'UPCOMING' },
    });
    expect(byRef['R-END']).toMatchObject({
      endDate: '2025-12-31', endReason: 'COMPLETED', careQuarters: 1, lastSession: '2025-06-05', nextDue: null, problems: ['MISSING_BASELINE'],
    });
  });

  it.each([
    // Refs containing "r-" in any case: all but P.
    ['?q=r-', ['R-3M', 'R-END', 'R-NEW', 'R-OK'], 4],
    ['?q=NEW', ['R-NEW'], 1],
    // LIKE wildcards are matched literally: no ref holds "_" or "%".
    ['?q=_', [], 0],
    ['?q=%25', [], 0],
    // Active: no end date, or one of today or later (R-END ended 2025-12-31).
    ['?status=active', ['P', 'R-3M', 'R-NEW', 'R-OK'], 4],
    ['?status=ended', ['R-END'], 1],
    ['?arm=FFS', ['R-OK'], 1],
    ['?insurer=5533', ['R-OK'], 1],
    ['?goldStage=3', ['P', 'R-NEW'], 2],
    ['?goldStage=4', ['R-3M'], 1],
    // P (2 problems), R-3M (1), R-END (1).
    ['?attention=true', ['P', 'R-3M', 'R-END'], 3],
    ['?attention=true&status=active', ['P', 'R-3M'], 2],
  ])('should filter on the server when the query is %s', async (query, expected, total) => {
    const body = await list(query);
    expect(refs(body)).toEqual(expected);
    expect(body.total).toBe(total);
  });

  it('should find a patient by the beginning of its pseudonym in any case', async () => {
    const [{ pseudonym }] = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE ref = 'P'`);
    expect(refs(await list(`?q=${encodeURIComponent(pseudonym.slice(0, 8).toLowerCase())}`))).toEqual(['P']);
    // Only the beginning counts: the pseudonym's tail alone finds nothing.
    expect(refs(await list(`?q=${encodeURIComponent(pseudonym.slice(4))}`))).toEqual([]);
  });

  it.each([
    ['intakeDate', 'asc', ['P', 'R-END', 'R-3M', 'R-OK', 'R-NEW']],
    ['intakeDate', 'desc', ['R-NEW', 'R-OK', 'R-3M', 'R-END', 'P']],
    // 2026-12-01, 2026-11-30, 2025-08-14, 2025-06-05, then R-NEW without a session (empty values last either way).
    ['lastSession', 'desc', ['R-3M', 'R-OK', 'P', 'R-END', 'R-NEW']],
    ['lastSession', 'asc', ['R-END', 'P', 'R-OK', 'R-3M', 'R-NEW']],
    ['ref', 'desc', ['R-OK', 'R-NEW', 'R-END', 'R-3M', 'P']],
  ])('should sort on the server by %s %s', async (sort, order, expected) => {
    expect(refs(await list(`?sort=${sort}&order=${order}`))).toEqual(expected);
  });

  it('should sort by the next window to close with nothing due last and ties by id', async () => {
    // Window ends 2026-12-17 (R-NEW), 12-22 (R-3M), 2027-02-04 (R-OK); P and R-END have nothing due: by id.
    const body = await list('?sort=nextDue');
    const rest = [ids.P, ids['R-END']].sort();
    expect(body.items.map((r: Row) => r.id)).toEqual([ids['R-NEW'], ids['R-3M'], ids['R-OK'], ...rest]);
    // Care quarters: P 3, R-3M 2, then three of 1 by id.
    const quarters = await list('?sort=careQuarters&order=desc');
    expect(quarters.items.map((r: Row) => r.careQuarters)).toEqual([3, 2, 1, 1, 1]);
    expect(quarters.items.slice(2).map((r: Row) => r.id)).toEqual([ids['R-NEW'], ids['R-OK'], ids['R-END']].sort());
  });

  it('should page on the server with the total of the filter when given limit and offset', async () => {
    // By ref: P, R-3M, R-END, R-NEW, R-OK; the page of 2 from offset 2 is R-END, R-NEW.
    const body = await list('?limit=2&offset=2');
    expect(body).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(refs(body)).toEqual(['R-END', 'R-NEW']);
    // Past the end: no items, the total still counted.
    expect(await list('?offset=10')).toMatchObject({ items: [], total: 5 });
  });

  it('should audit every listed patient in one row when a page is read', async () => {
    await list('?limit=2');
    const [row] = await ctx.dataSource.query(
      `SELECT patient_pseudonyms, detail FROM audit_log WHERE action = 'patient-record.list' ORDER BY id DESC LIMIT 1`,
    );
    const pseudonyms = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE ref IN ('P', 'R-3M') ORDER BY ref`);
    expect([...row.patient_pseudonyms].sort()).toEqual(pseudonyms.map((p: Row) => p.pseudonym).sort());
    expect(row.detail).toMatchObject({ total: 5, returned: 2, limit: 2 });
  });

  it("should answer 404 when a practice names another practice's list or reads another practice's record", async () => {
    const foreign = (await practiceA().get(`/api/v1/patient-records?practice=${B}`).expect(404)).body;
    expect(foreign.code).toBe('PRACTICE.NOT_FOUND');
    await practiceA().get(`/api/v1/patient-records/${ids['B-200']}`).expect(404);
    await practiceB().get(`/api/v1/patient-records/${ids.P}`).expect(404);
    // B's own list holds only its patient.
    expect(refs(await list('', practiceB))).toEqual(['B-200']);
  });

  it('should refuse an evaluator without a practice with 400 and a Dutch field error', async () => {
    const body = (await ctx.http().get('/api/v1/patient-records').expect(400)).body;
    expect(body.errors).toEqual([expect.objectContaining({ code: 'FILTER.PRACTICE_REQUIRED', path: 'practice' })]);
    expect(body.detail).toContain('praktijk');
    expect(refs(await list(`?practice=${A}&goldStage=4`, () => ctx.http()))).toEqual(['R-3M']);
  });

  it('should refuse a practice user with two practices without a practice, and insurers and administrators altogether', async () => {
    const both = await ctx.signIn({ role: 'PRACTICE', practices: [A, B] });
    await both().get('/api/v1/patient-records').expect(400);
    expect(refs(await list(`?practice=${B}`, both))).toEqual(['B-200']);
    const insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' });
    await insurer().get(`/api/v1/patient-records?practice=${A}`).expect(403);
    await insurer().get(`/api/v1/patient-records/${ids.P}`).expect(403);
    await ctx.http('ADMIN').get(`/api/v1/patient-records/${ids.P}`).expect(403);
  });

  it('should give the record with every measurement labelled with its window, NONE outside every window', async () => {
    const body = (await practiceA().get(`/api/v1/patient-records/${ids.P}`).expect(200)).body;
    expect(body).toMatchObject({ today: TODAY, analysisDate: '2026-09-30', insurerName: 'Verzekeraar 3311' });
    expect(body.patient).toMatchObject({ id: ids.P, ref: 'P', arm: 'BUNDLE', insurer: '3311', profile: 4, referralDate: '2025-01-27' });
    const measurements = body.timeline.filter((t: Row) => t.kind === 'MEASUREMENT').map((t: Row) => [t.date, t.instrument, t.value, t.window]);
    // Offsets from the intake 2025-02-10: +14, +15, +91, +113, +410.
    expect(measurements).toEqual([
      ['2025-02-24', 'SIX_MWT', 400, 'BASELINE'],
      ['2025-02-25', 'CAT', 20, 'NONE'],
      ['2025-05-12', 'SIX_MWT', 420, 'FOLLOWUP_3M'],
      ['2025-06-03', 'CCQ', 1.6, 'NONE'],
      ['2026-03-27', 'SIX_MWT', 430, 'FOLLOWUP_12M'],
    ]);
    // Date ascending; the event of 2025-03-01 between the sessions of 02-25 and 03-05.
    expect(body.timeline.map((t: Row) => `${t.date} ${t.kind}`).slice(0, 6)).toEqual([
      '2025-02-12 SESSION', '2025-02-19 SESSION', '2025-02-24 MEASUREMENT', '2025-02-25 MEASUREMENT', '2025-03-01 EVENT', '2025-03-05 SESSION',
    ]);
    expect(body.timeline.find((t: Row) => t.kind === 'SESSION' && t.date === '2025-04-02')).toEqual({ kind: 'SESSION', id: expect.any(String), date: '2025-04-02', sessionKind: 'HOME' });
    expect(body.timeline.find((t: Row) => t.kind === 'EVENT')).toEqual({ kind: 'EVENT', id: expect.any(String), date: '2025-03-01', eventKind: 'EXACERBATION_MODERATE' });
    expect(body.problems).toEqual(['MISSING_BASELINE', 'NO_RECENT_SESSION']);
    expect(body.windows).toEqual([
      { milestone: 'BASELINE', windowStart: '2025-01-11', windowEnd: '2025-02-24', target: '2025-02-10' },
      { milestone: 'FOLLOWUP_3M', windowStart: '2025-04-21', windowEnd: '2025-06-02', target: '2025-05-12' },
      { milestone: 'FOLLOWUP_12M', windowStart: '2025-12-27', windowEnd: '2026-03-27', target: '2026-02-10' },
    ]);
  });

  it("should give the care quarters and amounts of the pricing route when reading P's record", async () => {
    const body = (await practiceA().get(`/api/v1/patient-records/${ids.P}`).expect(200)).body;
    // DOMAIN.md 9: Q1 [02-10, 05-10) 4 sessions, paid 9000 + 36000 = 45000, counterfactual 6000 + 4000 + 4000 +
    // 2000 (group) + 6000 (home) = 22000; Q2 [05-10, 08-10) and Q3 [08-10, 11-10) one session each, 36000 / 4000.
    // All three ended before 2026-12-10; the later quarters hold no session and are no care quarters.
    expect(body.careQuarters).toEqual([
      { index: 1, start: '2025-02-10', end: '2025-05-09', sessions: 4, paidCents: 45000, counterfactualCents: 22000, complete: true },
      { index: 2, start: '2025-05-10', end: '2025-08-09', sessions: 1, paidCents: 36000, counterfactualCents: 4000, complete: true },
      { index: 3, start: '2025-08-10', end: '2025-11-09', sessions: 1, paidCents: 36000, counterfactualCents: 4000, complete: true },
    ]);
    // The pricing route as the indicators read it: on the analysis date (2026-09-30), its default.
    const pricing = (await practiceA().get(`/api/v1/patients/${ids.P}/pricing`).expect(200)).body;
    expect(pricing.asOf).toBe('2026-09-30');
    expect(pricing.totals).toMatchObject({ paidCents: 117000, counterfactualCents: 30000, careQuarterCount: 3 });
    expect(body.careQuarters.map((q: Row) => [q.index, q.start, q.sessions, q.paidCents, q.counterfactualCents, q.complete])).toEqual(
      pricing.quarters.filter((q: Row) => q.isCareQuarter).map((q: Row) => [q.index, q.start, q.sessionCount, q.paidCents, q.counterfactualCents, q.ended]),
    );
  });

  it('should list a quarter started after the analysis date without amounts and still running when R-3M has a session in it', async () => {
    const body = (await practiceA().get(`/api/v1/patient-records/${ids['R-3M']}`).expect(200)).body;
    // Q1 [2026-09-01, 12-01): six sessions 09-02 .. 09-07, all on or before the analysis date 2026-09-30: BUNDLE
    // intake 9000 + quarter 36000 = 45000; FFS 6000 + 6 x 4000 = 30000. Q2 [2026-12-01, 2027-03-01) holds the
    // session of 12-01: a care quarter today, but it starts after the analysis date, so the indicators (and the
    // pricing route) have no amounts for it yet; it still runs on 2026-12-10.
    expect(body.careQuarters).toEqual([
      { index: 1, start: '2026-09-01', end: '2026-11-30', sessions: 6, paidCents: 45000, counterfactualCents: 30000, complete: true },
      { index: 2, start: '2026-12-01', end: '2027-02-28', sessions: 1, paidCents: null, counterfactualCents: null, complete: false },
    ]);
    const pricing = (await practiceA().get(`/api/v1/patients/${ids['R-3M']}/pricing`).expect(200)).body;
    expect(pricing.quarters.map((q: Row) => [q.index, q.paidCents, q.counterfactualCents])).toEqual([[1, 45000, 30000]]);
  });

  it('should agree between the SQL of the list and the TypeScript of libs/domain on every patient of the fixture', async () => {
    // The list computes care quarters, the next measurement and problems in SQL; the record and nextDue() in
    // TypeScript (libs/domain/src/records/daily-work.ts). Both must give the same answer for every patient.
    const rows = (await list('')).items as Row[];
    for (const row of rows) {
      const record = (await practiceA().get(`/api/v1/patient-records/${row.id}`).expect(200)).body;
      const facts = {
        intakeDate: record.patient.intakeDate,
        endDate: record.patient.endDate,
        profile: record.patient.profile,
        sessionDates: record.timeline.filter((t: Row) => t.kind === 'SESSION').map((t: Row) => t.date),
        measurements: record.timeline.filter((t: Row) => t.kind === 'MEASUREMENT').map((t: Row) => ({ date: t.date, instrument: t.instrument })),
      };
      const due = nextDue(facts, TODAY);
      expect({ ref: row.ref, problems: row.problems, careQuarters: row.careQuarters, nextDue: row.nextDue }).toEqual({
        ref: row.ref,
        problems: record.problems,
        careQuarters: record.careQuarters.length,
        nextDue: due && { instrument: due.instrument, milestone: due.milestone, windowStart: due.windowStart, windowEnd: due.windowEnd, status: due.status },
      });
    }
  });

  it('should answer exactly the shapes the served OpenAPI document describes when listing and reading', async () => {
    const document = (await ctx.http().get('/api/docs-json').expect(200)).body;
    const validate = (route: string, body: unknown) => {
      const ajv = new Ajv({ allErrors: true, strict: true });
      ajv.addVocabulary(['example', 'discriminator', 'components']);
      const schema = document.paths[route].get.responses['200'].content['application/json'].schema;
      const check = ajv.compile({ ...schema, components: document.components });
      return check(body) ? [] : check.errors;
    };
    // The list holds rows with and without a next measurement (a nullable reference), the record every timeline kind.
    const page = await list('');
    expect(validate('/api/v1/patient-records', page)).toEqual([]);
    // Not vacuous: the row schema is closed.
    expect(validate('/api/v1/patient-records', { ...page, items: [{ ...page.items[0], bsnHmac: 'x' }] })).not.toEqual([]);
    const record = (await practiceA().get(`/api/v1/patient-records/${ids.P}`).expect(200)).body;
    expect(new Set(record.timeline.map((t: Row) => t.kind))).toEqual(new Set(['SESSION', 'MEASUREMENT', 'EVENT']));
    expect(validate('/api/v1/patient-records/{id}', record)).toEqual([]);
  });

  it('should audit the record read with the patient pseudonym', async () => {
    await practiceA().get(`/api/v1/patient-records/${ids['R-OK']}`).expect(200);
    const [row] = await ctx.dataSource.query(`SELECT resource_id, patient_pseudonym FROM audit_log WHERE action = 'patient-record.read' ORDER BY id DESC LIMIT 1`);
    const [p] = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE ref = 'R-OK'`);
    expect(row).toEqual({ resource_id: ids['R-OK'], patient_pseudonym: p.pseudonym });
  });

  it('should filter, sort and page a practice of 1,000 patients on the server when timed through HTTP', async () => {
    // Practice 33333333: 1,000 patients, intake 2026-06-01, profile 2 (KNGF maximum 6), baseline 6MWT and CAT on
    // the intake. The 500 even-numbered ones have 20 sessions (2026-11-11 .. 11-30): above the maximum; the 500
    // odd ones 3 (11-28 .. 11-30). Every last session is 10 days before 2026-12-10 and the 12-month window opens
    // 2027-04-17: no other problem, nothing due.
    const C = '33333333';
    const n = 1000;
    const refOf = (i: number) => `C-${String(i).padStart(4, '0')}`;
    const doc = document();
    const patients = Array.from({ length: n }, (_, i) =>
      aPatientRow({ ref: refOf(i), practice: C, profile: 2, referralDate: '2026-05-20', intakeDate: '2026-06-01' }),
    );
    const sessions = patients.flatMap((p, i) =>
      Array.from({ length: i % 2 === 0 ? 20 : 3 }, (_, k) => ({ patient: p.ref, practice: C, date: addDays('2026-11-30', -k), kind: 'INDIVIDUAL' })),
    );
    const measurements = patients.flatMap((p) =>
      (['SIX_MWT', 'CAT'] as const).map((instrument) => ({ patient: p.ref, practice: C, date: '2026-06-01', instrument, value: 20 })),
    );
    await ctx.http().post('/api/v1/experiment-data').send({
      ...doc,
      practices: [...doc.practices, { agb: C, name: 'Praktijk C', region: 'Utrecht' }],
      contracts: [...doc.contracts, aContractRow({ practice: C, validFrom: '2026-01-01', validTo: '2026-12-31' })],
      patients: [...doc.patients, ...patients],
      sessions: [...doc.sessions, ...sessions],
      measurements: [...doc.measurements, ...measurements],
    }).expect(200);
    const practiceC = await ctx.signIn({ role: 'PRACTICE', practices: [C] });
    const url = '/api/v1/patient-records?attention=true&sort=lastSession&order=desc&limit=50&offset=100';
    const body = (await practiceC().get(url).expect(200)).body;
    expect(body.total).toBe(500);
    expect(body.items).toHaveLength(50);
    // Intake 2026-06-01: Q1 [06-01, 09-01), Q2 [09-01, 12-01); the sessions of 11-11 .. 11-30 lie in Q2: Q1 + Q2 = 2.
    expect(body.items.every((r: Row) => (r.problems as string[]).join() === 'ABOVE_KNGF_MAXIMUM' && r.careQuarters === 2 && r.nextDue === null)).toBe(true);
    // Sorted by last session (all 2026-11-30), so by id: the page is the 101st to 150th id of the 500.
    const even = await ctx.dataSource.query(
      `SELECT id FROM patients WHERE ref LIKE 'C-%' AND substr(ref, 3)::int % 2 = 0 ORDER BY id LIMIT 50 OFFSET 100`,
    );
    expect(body.items.map((r: Row) => r.id)).toEqual(even.map((r: Row) => r.id));
    // Its speed is the benchmark's (`npm run bench` prints the patient-records page and record times).
  });

  it('should give the whole timeline of a record with 200 sessions, the same on every read', async () => {
    // Its speed is the benchmark's (`npm run bench` prints the record's open time); this test checks the content.
    const url = `/api/v1/patient-records/${ids['B-200']}`;
    const first = (await practiceB().get(url).expect(200)).body;
    expect(first.timeline.filter((t: Row) => t.kind === 'SESSION')).toHaveLength(200);
    const again = (await practiceB().get(url).expect(200)).body;
    expect(again).toEqual(first);
  });
});
