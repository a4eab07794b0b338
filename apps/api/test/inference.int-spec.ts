import { INestApplicationContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { MIN_CELL_SIZE } from '@copd/domain';
import { revealedFields } from '../src/core/actor/field-visibility';
import { Http, startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';
import { aContractRow, tariffs } from './fixtures/builders';

/**
 * Issue 10, H1: what a role can infer. A role may not filter on a field it may not see (400 FILTER.NOT_ALLOWED),
 * and aggregates over fewer than MIN_CELL_SIZE patients whose records the reader may not see are withheld.
 *
 * Every patient: referral 2025-01-27, intake in February 2025, one INDIVIDUAL session two days after intake;
 * analysis date 2025-09-30. Tariffs as DOMAIN.md 9: bundle intake 9000 + quarter 36000, FFS intake 6000 +
 * session 4000. Q1 holds the session, Q2 and Q3 none: 1 care quarter per patient.
 *   paid under BUNDLE = 9000 + 36000 = 45000 cents, counterfactual (FFS) = 6000 + 4000 = 10000 cents;
 *   paid under FFS    = 10000 cents,               counterfactual (BUNDLE) = 45000 cents.
 *
 * Practice A 10000001: BUNDLE with insurer 3311, 5 patients, intakes 2025-02-10 .. 2025-02-14.
 * Practice B 10000002: FFS with insurer 3311, 4 patients (intake 2025-02-10).
 * Practices P3..P7 10000003..10000007: BUNDLE with 4422, 5 patients each; P8 10000008: BUNDLE with 4422, 4 patients.
 */
const CONTRACT = aContractRow(tariffs({ bundle: { intake: 9000, quarter: 36000 }, ffs: { intake: 6000, session: 4000 } }));
const A = '10000001';
const B = '10000002';
const PEERS = ['10000003', '10000004', '10000005', '10000006', '10000007'];
const SMALL_PEER = '10000008';

function plusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function document() {
  const patients: Record<string, unknown>[] = [];
  const add = (practice: string, insurer: string, count: number, spreadIntakes: boolean) => {
    for (let i = 1; i <= count; i++) {
      patients.push({
        ref: `${practice}-${i}`, practice, insurer, birthYear: 1950, sex: 'F', goldStage: i % 2 === 0 ? 4 : 3, profile: 4,
        referralDate: '2025-01-27', intakeDate: spreadIntakes ? plusDays('2025-02-10', i - 1) : '2025-02-10',
      });
    }
  };
  add(A, '3311', 5, true);
  add(B, '3311', 4, false);
  for (const p of PEERS) add(p, '4422', 5, false);
  add(SMALL_PEER, '4422', 4, false);
  const practices = [A, B, ...PEERS, SMALL_PEER];
  return {
    experiment: { code: 'INFER', name: 'Inference', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' },
    insurers: [{ uzovi: '3311', name: 'Verzekeraar Noord' }, { uzovi: '4422', name: 'Verzekeraar Zuid' }],
    practices: practices.map((agb) => ({ agb, name: `Praktijk ${agb}`, region: 'Utrecht' })),
    contracts: practices.map((agb) => ({
      ...CONTRACT, practice: agb, insurer: agb === A || agb === B ? '3311' : '4422', arm: agb === B ? 'FFS' : 'BUNDLE',
    })),
    patients,
    sessions: patients.map((p) => ({ patient: p.ref, practice: p.practice, date: plusDays(p.intakeDate as string, 2), kind: 'INDIVIDUAL' })),
    measurements: [],
    events: [],
  };
}

/**
 * Query parameters reviewed as revealing no patient field (issue 10 H1), on whichever route they are. A new
 * parameter fails the test until it is marked @Reveals(field) on its DTO or added here.
 * - experiment, practice, insurer, region, arm, inForceOn, q, role: experiments, organisations, contracts, users;
 *   a practice's or insurer's codes outside its scope answer as unknown ones;
 * - limit, offset: paging; asOf: the as-of date of pricing and the worklist;
 * - action, outcome, patient (a pseudonym), user, from, to (timestamps): the audit-log search.
 */
// format, lang: a report's file type and language; snapshot: which frozen snapshot an export reads (issue 13).
// order: the direction of the patient list's sort; status: active or ended, by the end date an insurer sees too (issue 14).
const NON_PATIENT_PARAMETERS: string[] = [
  'action', 'arm', 'asOf', 'experiment', 'format', 'from', 'inForceOn', 'insurer', 'lang', 'limit', 'offset', 'order', 'outcome',
  'patient', 'practice', 'q', 'region', 'role', 'snapshot', 'status', 'to', 'user',
];

type ArmCell = { n: number; value: number | null; ciLow: number | null; adjusted: number | null };
type Indicator = { code: string; arms: Record<'BUNDLE' | 'FFS', ArmCell>; difference: { value: number | null }; withheld?: string[] };

describe('what a role can infer: refused filters and small cells (real PostgreSQL, Redis and worker)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let insurer: () => Http;
  let practiceA: () => Http;
  let practiceB: () => Http;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(document()).expect(200);
    await waitForIndicators(ctx.dataSource);
    insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' }, 'verzekeraar-3311');
    practiceA = await ctx.signIn({ role: 'PRACTICE', practices: [A] }, 'praktijk-a');
    practiceB = await ctx.signIn({ role: 'PRACTICE', practices: [B] }, 'praktijk-b');
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  describe('filters on fields the role may not see', () => {
    /** Every query parameter of every route, with the patient field it reveals (or null), read from the running app. */
    const queryParameters = (): Record<string, string | null> => {
      const found: Record<string, string | null> = {};
      for (const module of ctx.app.get(ModulesContainer).values()) {
        for (const wrapper of module.controllers.values()) {
          const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
          if (!controller) continue;
          for (const handler of Object.getOwnPropertyNames(controller.prototype)) {
            const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
            const query = Object.entries(args).find(([key, arg]) => key.startsWith(`${RouteParamtypes.QUERY}:`) && arg.data === undefined);
            if (!query) continue;
            const dto = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler) as { name: string; prototype: object }[])[query[1].index];
            const properties = (Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype) ?? []) as string[];
            const revealed = revealedFields(dto);
            for (const property of properties.map((p) => p.slice(1))) found[`${dto.name}.${property}`] = revealed[property] ?? null;
          }
        }
      }
      return found;
    };

    it('should have decided for every query parameter of every route whether it narrows patients by one of their fields', () => {
      const parameters = queryParameters();
      // Patient fields, refused per role by core/actor/field-visibility.ts.
      expect(Object.fromEntries(Object.entries(parameters).filter(([, field]) => field !== null))).toEqual({
        'ComparisonQueryDto.goldStage': 'goldStage', 'ComparisonQueryDto.profile': 'profile',
        'ComparisonQueryDto.intakeFrom': 'intakeDate', 'ComparisonQueryDto.intakeTo': 'intakeDate',
        'InsightsQueryDto.goldStage': 'goldStage', 'InsightsQueryDto.profile': 'profile',
        'InsightsQueryDto.intakeFrom': 'intakeDate', 'InsightsQueryDto.intakeTo': 'intakeDate',
        'WorklistQueryDto.goldStage': 'goldStage', 'WorklistQueryDto.profile': 'profile',
        'WorklistQueryDto.intakeFrom': 'intakeDate', 'WorklistQueryDto.intakeTo': 'intakeDate',
        // Issue 16's insurer pages: the comparison's filters; their period (from, to) narrows care quarters by start.
        'InsurerCostsQueryDto.goldStage': 'goldStage', 'InsurerCostsQueryDto.profile': 'profile',
        'InsurerCostsQueryDto.intakeFrom': 'intakeDate', 'InsurerCostsQueryDto.intakeTo': 'intakeDate',
        'InsurerPatientsQueryDto.goldStage': 'goldStage', 'InsurerPatientsQueryDto.profile': 'profile',
        'InsurerPatientsQueryDto.intakeFrom': 'intakeDate', 'InsurerPatientsQueryDto.intakeTo': 'intakeDate',
        'PatientQuery.goldStage': 'goldStage', 'PatientQuery.profile': 'profile', 'PatientQuery.ref': 'ref',
        'PatientQuery.intakeFrom': 'intakeDate', 'PatientQuery.intakeTo': 'intakeDate',
        // Issue 14's patient list (EVALUATOR and PRACTICE only): search by ref, GOLD stage, problems and sorting by
        // session and measurement figures.
        'PatientRecordsQuery.q': 'ref', 'PatientRecordsQuery.goldStage': 'goldStage',
        'PatientRecordsQuery.attention': 'sessions', 'PatientRecordsQuery.sort': 'sessions',
        'SessionQuery.from': 'sessions', 'SessionQuery.to': 'sessions', 'SessionQuery.kind': 'sessions',
        'MeasurementQuery.from': 'measurements', 'MeasurementQuery.to': 'measurements', 'MeasurementQuery.instrument': 'measurements',
        'EventQuery.from': 'events', 'EventQuery.to': 'events', 'EventQuery.kind': 'events',
      });
      // Everything else names organisations, arms, paging, audit search terms or an as-of date: no patient field.
      const others = Object.keys(parameters).filter((p) => parameters[p] === null).map((p) => p.split('.')[1]);
      expect([...new Set(others)].sort()).toEqual(NON_PATIENT_PARAMETERS);
    });

    const refused: [string, string][] = [
      ['/api/v1/patients?goldStage=3', 'goldStage'],
      ['/api/v1/patients?profile=4', 'profile'],
      ['/api/v1/patients?ref=10000001-1', 'ref'],
      ['/api/v1/indicators/comparison?goldStage=3', 'goldStage'],
      ['/api/v1/indicators/comparison?profile=4', 'profile'],
      ['/api/v1/insights/cost-series?goldStage=3,4', 'goldStage'],
      ['/api/v1/insights/cost-series?profile=4', 'profile'],
      ['/api/v1/insights/insurer-costs?goldStage=4', 'goldStage'],
      ['/api/v1/insights/insurer-costs?profile=4', 'profile'],
      ['/api/v1/insights/insurer-costs?from=2025-Q1&goldStage=4', 'goldStage'],
      ['/api/v1/insights/insurer-patients?practice=10000001&profile=4', 'profile'],
    ];

    it.each(refused)('should refuse %s with 400 FILTER.NOT_ALLOWED when an insurer asks', async (url, param) => {
      const body = (await insurer().get(url).expect(400)).body;
      expect(body.code).toBe('FILTER.NOT_ALLOWED');
      expect(body.errors).toEqual([expect.objectContaining({ code: 'FILTER.NOT_ALLOWED', path: param })]);
      expect(body.detail).toContain(param);
      expect(body.detail).toContain('verzekeraar');
    });

    it('should name every refused parameter and audit the refusal when an insurer combines several', async () => {
      const body = (await insurer().get('/api/v1/patients?goldStage=3&ref=x&practice=10000001').expect(400)).body;
      expect(body.errors.map((e: { path: string }) => e.path)).toEqual(['goldStage', 'ref']);
      const [row] = await ctx.dataSource.query(
        `SELECT outcome, resource_id, detail FROM audit_log WHERE actor = 'verzekeraar-3311' AND action = 'access.denied' ORDER BY id DESC LIMIT 1`,
      );
      expect(row).toEqual({ outcome: 'DENIED', resource_id: 'GET /api/v1/patients', detail: { code: 'FILTER.NOT_ALLOWED', parameters: ['goldStage', 'ref'] } });
    });

    it('should read nothing when it refuses a filter', async () => {
      const before = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient.list'`);
      await insurer().get('/api/v1/patients?goldStage=3').expect(400);
      const after = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient.list'`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('should allow an insurer the filters on what it sees when it filters on practice, arm and intake date', async () => {
      const body = (await insurer().get(`/api/v1/patients?practice=${A}&arm=BUNDLE&intakeFrom=2025-02-11&intakeTo=2025-02-12`).expect(200)).body;
      // A's intakes 02-10 .. 02-14: 02-11 and 02-12 are in the window.
      expect(body.total).toBe(2);
      await insurer().get('/api/v1/indicators/comparison?intakeFrom=2025-02-10&intakeTo=2025-02-14').expect(200);
    });

    it("should let a practice filter its own patients on everything when it lists them", async () => {
      const body = (await practiceA().get('/api/v1/patients?goldStage=4&profile=4&ref=10000001-2').expect(200)).body;
      // Patients 2 and 4 of A have GOLD 4; ref narrows to number 2.
      expect(body.items.map((p: { ref: string; goldStage: number }) => [p.ref, p.goldStage])).toEqual([['10000001-2', 4]]);
      await practiceA().get('/api/v1/indicators/comparison?goldStage=3').expect(200);
    });

    it.each([
      ['goldStage=3', 'goldStage'],
      ['profile=4', 'profile'],
      ['intakeFrom=2025-02-01', 'intakeFrom'],
      ['intakeTo=2025-02-07', 'intakeTo'],
    ])("should refuse %s on peer figures when a practice narrows other practices' patients", async (query, param) => {
      const body = (await practiceA().get(`/api/v1/insights/peer-distribution?${query}`).expect(400)).body;
      expect(body.code).toBe('FILTER.NOT_ALLOWED');
      expect(body.errors.map((e: { path: string }) => e.path)).toEqual([param]);
    });

    it('should allow the evaluator every filter on peer figures when it evaluates', async () => {
      await ctx.http().get(`/api/v1/insights/peer-distribution?practice=${A}&goldStage=3&intakeFrom=2025-02-01`).expect(200);
    });
  });

  describe('cells of fewer than MIN_CELL_SIZE patients', () => {
    const indicator = (doc: { indicators: Indicator[] }, code: string) => doc.indicators.find((i) => i.code === code)!;

    it('should withhold an insurer’s arm of 4 patients and show its arm of 5 with the right value', async () => {
      expect(MIN_CELL_SIZE).toBe(5);
      const doc = (await insurer().get('/api/v1/indicators/comparison').expect(200)).body;
      const paid = indicator(doc, 'PAID_PER_CARE_QUARTER');
      // BUNDLE: A's 5 patients, each 45000 cents over 1 care quarter = EUR 450.00; FFS: B's 4 patients, withheld.
      expect(paid.arms.BUNDLE).toMatchObject({ n: 5, value: 450 });
      expect(paid.arms.FFS).toEqual({ n: 4, value: null, ciLow: null, ciHigh: null, adjusted: null, adjustedNote: 'withheld: fewer than 5 patients' });
      expect(paid.withheld).toEqual(['FFS']);
      // BUNDLE - FFS would give the FFS value back from the BUNDLE one.
      expect(paid.difference).toEqual({ value: null, ciLow: null, ciHigh: null, mdd: null });
      // No GOLD-standardised value for an insurer: a figure per GOLD stage, weighed together.
      expect(paid.arms.BUNDLE.adjusted).toBeNull();
    });

    it('should give the evaluator the same cells unwithheld when it compares the arms', async () => {
      const doc = (await ctx.http().get('/api/v1/indicators/comparison?insurer=3311').expect(200)).body;
      const paid = indicator(doc, 'PAID_PER_CARE_QUARTER');
      // FFS: 4 patients, each 10000 cents over 1 care quarter = EUR 100.00; difference 450 - 100 = 350.
      expect(paid.arms.FFS).toMatchObject({ n: 4, value: 100 });
      expect(paid.difference.value).toBe(350);
      expect(paid.withheld).toBeUndefined();
    });

    it('should withhold a cell that a narrow intake window brings below 5 when an insurer filters', async () => {
      // A's intakes 02-10, 02-11, 02-12, 02-13 up to 02-13: 4 patients; up to 02-14: 5.
      const narrow = (await insurer().get(`/api/v1/indicators/comparison?practice=${A}&intakeTo=2025-02-13`).expect(200)).body;
      expect(indicator(narrow, 'PAID_PER_CARE_QUARTER').arms.BUNDLE).toMatchObject({ n: 4, value: null });
      const five = (await insurer().get(`/api/v1/indicators/comparison?practice=${A}&intakeTo=2025-02-14`).expect(200)).body;
      expect(indicator(five, 'PAID_PER_CARE_QUARTER').arms.BUNDLE).toMatchObject({ n: 5, value: 450 });
    });

    it('should withhold cost-series buckets and totals of fewer than 5 patients when an insurer reads them', async () => {
      const body = (await insurer().get('/api/v1/insights/cost-series').expect(200)).body;
      // Every care quarter starts in February 2025 (2025-Q1). BUNDLE: 5 patients x 45000 = 225000 paid,
      // 5 x 10000 = 50000 counterfactual. FFS: 4 patients, withheld.
      expect(body.rows).toEqual([
        { arm: 'BUNDLE', quarter: '2025-Q1', quarterStart: '2025-01-01', careQuarters: 5, patients: 5, paidCents: 225000, counterfactualCents: 50000, complete: true },
        { arm: 'FFS', quarter: '2025-Q1', quarterStart: '2025-01-01', careQuarters: null, patients: 4, paidCents: null, counterfactualCents: null, complete: true, withheld: true },
      ]);
      expect(body.totals).toEqual([
        { arm: 'BUNDLE', patients: 5, careQuarters: 5, paidCents: 225000, counterfactualCents: 50000 },
        { arm: 'FFS', patients: 4, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true },
      ]);
    });

    it('should withhold per-practice and per-quarter cells of fewer than 5 patients in the insurer’s cost table', async () => {
      const body = (await insurer().get('/api/v1/insights/insurer-costs').expect(200)).body;
      expect(body.byPractice).toEqual([
        { practice: { agb: A, name: `Praktijk ${A}`, region: 'Utrecht' }, arm: 'BUNDLE', patients: 5, careQuarters: 5, paidCents: 225000, counterfactualCents: 50000 },
        { practice: { agb: B, name: `Praktijk ${B}`, region: 'Utrecht' }, arm: 'FFS', patients: 4, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true },
      ]);
      expect(body.byQuarter.map((r: { arm: string; withheld?: boolean }) => [r.arm, r.withheld ?? false])).toEqual([['BUNDLE', false], ['FFS', true]]);
    });

    it('should show a practice its own small cell in full when it reads its own costs', async () => {
      const body = (await practiceB().get('/api/v1/insights/cost-series').expect(200)).body;
      // B's 4 FFS patients: 4 x 10000 = 40000 paid, 4 x 45000 = 180000 counterfactual.
      expect(body.rows).toEqual([
        { arm: 'FFS', quarter: '2025-Q1', quarterStart: '2025-01-01', careQuarters: 4, patients: 4, paidCents: 40000, counterfactualCents: 180000, complete: true },
      ]);
    });

    it('should leave a peer practice of 4 patients out of the peer values when a practice compares itself', async () => {
      const body = (await practiceA().get('/api/v1/insights/peer-distribution').expect(200)).body;
      const [bundle] = body.arms;
      const enrolled = bundle.indicators.find((i: { code: string }) => i.code === 'ENROLLED');
      // Peers of A in BUNDLE: P3..P7 with 5 patients each and P8 with 4. P8 is left out: 5 values of 5.
      expect(bundle.peerPractices).toBe(6);
      expect(enrolled).toMatchObject({ value: 5, n: 5, peers: [5, 5, 5, 5, 5], peerMedian: 5, peersWithheld: false });
      const paid = bundle.indicators.find((i: { code: string }) => i.code === 'PAID_PER_CARE_QUARTER');
      // Every BUNDLE patient: 45000 cents / 1 care quarter = EUR 450.
      expect(paid.peers).toEqual([450, 450, 450, 450, 450]);
    });

    it('should withhold all peer values when fewer than 5 peers of at least 5 patients remain', async () => {
      const body = (await practiceA().get('/api/v1/insights/peer-distribution').expect(200)).body;
      // SIX_MWT_CHANGE_3M: no patient has a measurement, so no peer has a value (n = 0).
      const change = body.arms[0].indicators.find((i: { code: string }) => i.code === 'SIX_MWT_CHANGE_3M');
      expect(change).toMatchObject({ peers: [], peerMedian: null, peersWithheld: true });
    });

    it('should show the evaluator every peer, the small one included, when it reads peer figures', async () => {
      const body = (await ctx.http().get(`/api/v1/insights/peer-distribution?practice=${A}`).expect(200)).body;
      const enrolled = body.arms[0].indicators.find((i: { code: string }) => i.code === 'ENROLLED');
      // P8's 4 next to P3..P7's 5; median of 4, 5, 5, 5, 5, 5 = (5 + 5) / 2 = 5.
      expect(enrolled).toMatchObject({ peers: [4, 5, 5, 5, 5, 5], peerMedian: 5, peersWithheld: false });
    });
  });
});
