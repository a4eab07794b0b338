import { INestApplicationContext } from '@nestjs/common';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

type Indicator = { code: string; arms: Record<string, { n: number; value: number | null; p90?: number | null }> };

describe('indicators: the DOMAIN.md section 9 worked example through import, job and comparison', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  it('should show the worked example figures when the import has been recomputed by the worker', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);

    const response = await ctx.http().get('/api/v1/indicators/comparison').expect(200);
    const doc = response.body;
    expect(doc).toMatchObject({ experiment: 'WORKED', analysisDate: '2025-09-30', stale: false });
    expect(doc.practices).toEqual({ BUNDLE: 1, FFS: 0 });
    const bundle = (code: string) => (doc.indicators as Indicator[]).find((i) => i.code === code)!.arms.BUNDLE;

    // Paid 117000 cents over 3 care quarters = EUR 390.00 per care quarter.
    expect(bundle('PAID_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 390 });
    // Counterfactual 30000 cents / 3 = EUR 100.00.
    expect(bundle('COUNTERFACTUAL_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 100 });
    // 117000 - 30000 = 87000 cents = EUR 870.00.
    expect(bundle('PAID_MINUS_COUNTERFACTUAL_PER_PATIENT')).toMatchObject({ n: 1, value: 870 });
    // 6 sessions / 3 care quarters = 2.
    expect(bundle('SESSIONS_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 2 });
    // Q2 ended with one session, Q3 still running: 1 of 1 judged quarters.
    expect(bundle('LOW_INTENSITY_QUARTERS')).toMatchObject({ n: 1, value: 1 });
    // 2025-02-10 - 2025-01-27 = 14 days; one patient, so median = p90 = 14.
    expect(bundle('WAIT_DAYS')).toMatchObject({ n: 1, value: 14, p90: 14 });
    expect(bundle('ENROLLED')).toMatchObject({ n: 1, value: 1 });
    // Intake 232 days before the analysis date (< 365): not yet judged for guideline volume.
    expect(bundle('ABOVE_GUIDELINE_VOLUME')).toMatchObject({ n: 0, value: null });
  });

  it('should give the per-quarter priced facts of the patient when asked for them', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'P'`);
    const facts = (await ctx.http().get(`/api/v1/patients/${id}/facts`).expect(200)).body;
    expect(facts).toMatchObject({ arm: 'BUNDLE', careQuarters: 3, sessions: 6, paidCents: 117000, counterfactualCents: 30000 });
    // Q1 bundle 9000 + 36000 = 45000, FFS 6000 + 4000 + 4000 + 2000 + 6000 = 22000; Q2 and Q3 36000 / 4000.
    expect(facts.quarters).toEqual([
      expect.objectContaining({ index: 1, start: '2025-02-10', endExclusive: '2025-05-10', sessions: 4, bundleCents: 45000, ffsCents: 22000, ended: true }),
      expect.objectContaining({ index: 2, start: '2025-05-10', endExclusive: '2025-08-10', sessions: 1, bundleCents: 36000, ffsCents: 4000, ended: true }),
      expect.objectContaining({ index: 3, start: '2025-08-10', endExclusive: '2025-11-10', sessions: 1, bundleCents: 36000, ffsCents: 4000, ended: false }),
    ]);
  });
});
