import { INestApplicationContext } from '@nestjs/common';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';
import { aContractRow, aPatientRow } from './fixtures/builders';

type Indicator = { code: string; arms: Record<'BUNDLE' | 'FFS', { n: number; value: number | null }> };
type Comparison = { practices: Record<'BUNDLE' | 'FFS', number>; indicators: Indicator[]; caseMix?: unknown };

/** Practice A (BUNDLE, insurer 3311) with 2 patients, practice B (BUNDLE, insurer 4422) with 3, practice C (FFS, 3311) with 1. */
function document() {
  const patient = (practice: string, insurer: string, ref: string) => aPatientRow({ ref, practice, insurer });
  const patients = [
    patient('11111111', '3311', 'A1'), patient('11111111', '3311', 'A2'),
    patient('22222222', '4422', 'B1'), patient('22222222', '4422', 'B2'), patient('22222222', '4422', 'B3'),
    patient('33333333', '3311', 'C1'),
  ];
  return {
    experiment: { code: 'SCOPE', name: 'Scope', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' },
    insurers: [{ uzovi: '3311', name: 'Verzekeraar Noord' }, { uzovi: '4422', name: 'Verzekeraar Zuid' }],
    practices: [
      { agb: '11111111', name: 'Praktijk A', region: 'Utrecht' },
      { agb: '22222222', name: 'Praktijk B', region: 'Utrecht' },
      { agb: '33333333', name: 'Praktijk C', region: 'Utrecht' },
    ],
    contracts: [
      aContractRow({ practice: '11111111', insurer: '3311', arm: 'BUNDLE' }),
      aContractRow({ practice: '22222222', insurer: '4422', arm: 'BUNDLE' }),
      aContractRow({ practice: '33333333', insurer: '3311', arm: 'FFS' }),
    ],
    patients,
    sessions: patients.map((p) => ({ patient: p.ref, practice: p.practice, date: '2025-02-12', kind: 'INDIVIDUAL' })),
    measurements: [],
    events: [],
  };
}

describe('indicators respect the actor scope (real PostgreSQL, Redis and worker)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  const enrolled = (doc: Comparison) => doc.indicators.find((i) => i.code === 'ENROLLED')!.arms;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(document()).expect(200);
    await waitForIndicators(ctx.dataSource);
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  it("should count only the practice's own patients in a practice's comparison when it asks for its own figures", async () => {
    const all = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body as Comparison;
    expect(enrolled(all)).toMatchObject({ BUNDLE: { n: 5 }, FFS: { n: 1 } });
    expect(all.practices).toEqual({ BUNDLE: 2, FFS: 1 });

    const practiceA = await ctx.signIn({ role: 'PRACTICE', practices: ['11111111'] });
    const own = (await practiceA().get('/api/v1/indicators/comparison').expect(200)).body as Comparison;
    // 2 own patients, not the 6 of the experiment; no other practice behind the figures.
    expect(enrolled(own)).toMatchObject({ BUNDLE: { n: 2 }, FFS: { n: 0 } });
    expect(own.practices).toEqual({ BUNDLE: 1, FFS: 0 });
    const filtered = (await practiceA().get('/api/v1/indicators/comparison?practice=11111111').expect(200)).body as Comparison;
    expect(enrolled(filtered)).toMatchObject({ BUNDLE: { n: 2 } });
  });

  it("should answer another practice's code exactly as an unknown one when a practice filters on it", async () => {
    const practiceA = await ctx.signIn({ role: 'PRACTICE', practices: ['11111111'] });
    const foreign = (await practiceA().get('/api/v1/indicators/comparison?practice=22222222').expect(422)).body;
    const unknown = (await practiceA().get('/api/v1/indicators/comparison?practice=99999999').expect(422)).body;
    expect(foreign.errors.map((e: { code: string }) => e.code)).toEqual(['FILTER.UNKNOWN_PRACTICE']);
    expect(unknown.errors.map((e: { code: string }) => e.code)).toEqual(['FILTER.UNKNOWN_PRACTICE']);
  });

  it('should give an insurer the cost indicators of its own insured only', async () => {
    const insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' });
    const doc = (await insurer().get('/api/v1/indicators/comparison').expect(200)).body as Comparison;
    expect(doc.indicators.map((i) => i.code).sort()).toEqual(['COUNTERFACTUAL_PER_CARE_QUARTER', 'ENROLLED', 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT', 'PAID_PER_CARE_QUARTER']);
    expect(doc).not.toHaveProperty('caseMix');
    // 3311 insures A1, A2 (BUNDLE) and C1 (FFS); B's three patients are 4422's.
    expect(enrolled(doc)).toMatchObject({ BUNDLE: { n: 2 }, FFS: { n: 1 } });
    await insurer().get('/api/v1/indicators/comparison?insurer=4422').expect(422);
  });
});
