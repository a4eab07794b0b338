import { INestApplicationContext } from '@nestjs/common';
import { systemActor } from '../src/core/actor/actor';
import { Clock } from '../src/core/clock';
import { DemoDataService } from '../src/modules/demo-data/demo-data.service';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

type Row = Record<string, unknown>;

describe('insights: the dashboard read models on the DOMAIN.md section 9 worked example', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  it('should place each care quarter in the calendar quarter of its start when building the cost series', async () => {
    const body = (await ctx.http().get('/api/v1/insights/cost-series').expect(200)).body;
    expect(body).toMatchObject({ experiment: 'WORKED', analysisDate: '2025-09-30', stale: false });
    // Q1 starts 2025-02-10 (bundle 9000 + 36000, FFS 22000), Q2 2025-05-10 and Q3 2025-08-10 (36000 / 4000 each).
    expect(body.rows).toEqual([
      { arm: 'BUNDLE', quarter: '2025-Q1', quarterStart: '2025-01-01', careQuarters: 1, patients: 1, paidCents: 45000, counterfactualCents: 22000, complete: true },
      { arm: 'BUNDLE', quarter: '2025-Q2', quarterStart: '2025-04-01', careQuarters: 1, patients: 1, paidCents: 36000, counterfactualCents: 4000, complete: true },
      // 2025-Q3 ends on 2025-09-30, the analysis date itself: complete.
      { arm: 'BUNDLE', quarter: '2025-Q3', quarterStart: '2025-07-01', careQuarters: 1, patients: 1, paidCents: 36000, counterfactualCents: 4000, complete: true },
    ]);
    // 117000 paid and 30000 counterfactual cents in total (DOMAIN.md 9).
    expect(body.totals).toEqual([{ arm: 'BUNDLE', patients: 1, careQuarters: 3, paidCents: 117000, counterfactualCents: 30000 }]);
  });

  it('should give the wait days with median and p90 when asked for their distribution', async () => {
    const body = (await ctx.http().get('/api/v1/insights/wait-days').expect(200)).body;
    // 2025-02-10 - 2025-01-27 = 14 days.
    expect(body.arms).toEqual([{ arm: 'BUNDLE', n: 1, median: 14, p90: 14, counts: [{ days: 14, patients: 1 }] }]);
  });

  it('should count the patient as eligible and incomplete when no baseline was measured', async () => {
    const body = (await ctx.http().get('/api/v1/insights/completeness').expect(200)).body;
    // Intake 232 days before the analysis date: eligible for baseline (>= 14) and 3 months (>= 112), not 12 (>= 410).
    expect(body.practices).toEqual([
      expect.objectContaining({
        practice: { agb: '12345678', name: 'Praktijk C', region: 'Utrecht' },
        arms: ['BUNDLE'],
        baselineEligible: 1,
        baselineComplete: 0,
        followup3mEligible: 1,
        followup3mComplete: 0,
        followup12mEligible: 0,
      }),
    ]);
  });

  it('should give the practice its own values and no peers when it is alone in its arm', async () => {
    const body = (await ctx.http().get('/api/v1/insights/peer-distribution?practice=12345678').expect(200)).body;
    expect(body.practice).toEqual({ agb: '12345678', name: 'Praktijk C', region: 'Utrecht' });
    const bundle = body.arms[0];
    expect(bundle).toMatchObject({ arm: 'BUNDLE', peerPractices: 0 });
    const paid = bundle.indicators.find((i: Row) => i.code === 'PAID_PER_CARE_QUARTER');
    // 117000 cents / 3 care quarters = 39000 cents = EUR 390.
    expect(paid).toEqual({ code: 'PAID_PER_CARE_QUARTER', unit: 'EUR', n: 1, value: 390, peers: [], peerMedian: null, peersWithheld: true });
  });

  it('should require one practice when the actor has no single practice of its own', async () => {
    const body = (await ctx.http().get('/api/v1/insights/peer-distribution').expect(400)).body;
    expect(body.errors).toEqual([expect.objectContaining({ code: 'FILTER.PRACTICE_REQUIRED', path: 'practice' })]);
  });

  it('should list the missed windows and the open 3-month window by the DOMAIN.md windows', async () => {
    // On 2025-09-30 both the baseline [01-11, 02-24] and the 3-month window [04-21, 06-02] have closed without a
    // value of either instrument; the 12-month window opens 2025-12-27, more than 14 days later.
    const late = (await ctx.http().get('/api/v1/insights/worklist?asOf=2025-09-30').expect(200)).body;
    expect(late).toMatchObject({ asOf: '2025-09-30', analysisDate: '2025-09-30' });
    expect(late.items.map((i: Row) => [i.milestone, i.instrument, i.status])).toEqual([
      ['BASELINE', 'SIX_MWT', 'MISSED'],
      ['BASELINE', 'CCQ_OR_CAT', 'MISSED'],
      ['FOLLOWUP_3M', 'SIX_MWT', 'MISSED'],
      ['FOLLOWUP_3M', 'CCQ_OR_CAT', 'MISSED'],
    ]);
    // On 2025-05-01 the 3-month window is open and closes 06-02, more than 14 days ahead (05-15): DUE, the form
    // pre-filled with the day itself.
    const early = (await ctx.http().get('/api/v1/insights/worklist?asOf=2025-05-01').expect(200)).body;
    expect(early.items.find((i: Row) => i.milestone === 'FOLLOWUP_3M')).toMatchObject({
      instrument: 'SIX_MWT',
      status: 'DUE',
      windowStart: '2025-04-21',
      windowEnd: '2025-06-02',
      target: '2025-05-12',
      suggestedDate: '2025-05-01',
      ref: null,
    });
    // On 2025-05-20 it closes within 14 days (06-02 <= 06-03): CLOSING.
    const closing = (await ctx.http().get('/api/v1/insights/worklist?asOf=2025-05-20').expect(200)).body;
    expect(closing.items.find((i: Row) => i.milestone === 'FOLLOWUP_3M')).toMatchObject({ status: 'CLOSING' });
  });

  it('should judge on today in Europe/Amsterdam, not on the analysis date, when no asOf is given', async () => {
    const body = (await ctx.http().get('/api/v1/insights/worklist').expect(200)).body;
    expect(body.asOf).toBe(ctx.app.get(Clock).today());
    expect(body.analysisDate).toBe('2025-09-30');
  });

  it('should drop the item when the measurement is recorded inside its window', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'P'`);
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    await practice().post(`/api/v1/patients/${id}/measurements`).send({ date: '2025-05-12', instrument: 'SIX_MWT', value: 420 }).expect(201);
    const body = (await ctx.http().get('/api/v1/insights/worklist?asOf=2025-05-20').expect(200)).body;
    // The 3-month 6MWT is recorded; the baseline (both instruments) and the 3-month CCQ or CAT are still open.
    expect(body.items.map((i: Row) => [i.milestone, i.instrument])).toEqual([
      ['BASELINE', 'SIX_MWT'],
      ['BASELINE', 'CCQ_OR_CAT'],
      ['FOLLOWUP_3M', 'CCQ_OR_CAT'],
    ]);
  });

  it('should audit the worklist as a read of each listed patient', async () => {
    await ctx.http().get('/api/v1/insights/worklist').expect(200);
    const [patient] = await ctx.dataSource.query(`SELECT pseudonym FROM patients WHERE ref = 'P'`);
    const rows = await ctx.dataSource.query(
      `SELECT patient_pseudonym FROM audit_log WHERE action = 'insights.worklist.read' AND patient_pseudonym IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: Row) => r.patient_pseudonym === patient.pseudonym)).toBe(true);
  });

  it('should give the insurer costs per practice and per quarter with totals', async () => {
    const body = (await ctx.http().get('/api/v1/insights/insurer-costs?insurer=3311').expect(200)).body;
    expect(body.insurers).toEqual([{ uzovi: '3311', name: 'Verzekeraar 3311' }]);
    // Paid 9000 + 3 x 36000 = 117000 cents; counterfactual 22000 + 4000 + 4000 = 30000 cents (DOMAIN.md 9).
    expect(body.byPractice).toEqual([
      { practice: { agb: '12345678', name: 'Praktijk C', region: 'Utrecht' }, arm: 'BUNDLE', patients: 1, careQuarters: 3, paidCents: 117000, counterfactualCents: 30000 },
    ]);
    expect(body.byQuarter).toHaveLength(3);
  });

  it('should reject unknown codes in the filters with a field error', async () => {
    const body = (await ctx.http().get('/api/v1/insights/cost-series?practice=99999999').expect(422)).body;
    expect(body.errors).toEqual([expect.objectContaining({ code: 'FILTER.UNKNOWN_PRACTICE', path: 'practice' })]);
  });
  // Last in this block: it moves the analysis date.
  it('should mark the calendar quarter still running on the analysis date incomplete in the cost series and the insurer costs', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM experiments WHERE code = 'WORKED'`);
    await ctx.http().put(`/api/v1/experiments/${id}/analysis-date`).send({ analysisDate: '2025-09-29', reason: 'Grensgeval lopend kwartaal' }).expect(200);
    await waitForIndicators(ctx.dataSource);
    const body = (await ctx.http().get('/api/v1/insights/cost-series').expect(200)).body;
    expect(body).toMatchObject({ analysisDate: '2025-09-29', stale: false });
    // 2025-Q3 runs to 2025-09-30 > 2025-09-29: still running. Its care quarter (start 2025-08-10, session 08-14) is
    // priced as before (36000 paid, 4000 counterfactual cents), but marked incomplete; Q1 and Q2 ended before.
    expect(body.rows.map((r: Row) => [r.quarter, r.paidCents, r.counterfactualCents, r.complete])).toEqual([
      ['2025-Q1', 45000, 22000, true],
      ['2025-Q2', 36000, 4000, true],
      ['2025-Q3', 36000, 4000, false],
    ]);
    const insurer = (await ctx.http().get('/api/v1/insights/insurer-costs?insurer=3311').expect(200)).body;
    expect(insurer.byQuarter.map((r: Row) => [r.quarter, r.complete])).toEqual([
      ['2025-Q1', true],
      ['2025-Q2', true],
      ['2025-Q3', false],
    ]);
  });
});

describe('insights: agreement with the arm comparison on a generated experiment', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  type Indicator = { code: string; arms: Record<string, { n: number; value: number | null; p90?: number | null }> };
  let comparison: { indicators: Indicator[] };
  const indicator = (code: string) => comparison.indicators.find((i) => i.code === code)!;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.app.get(DemoDataService).seed(systemActor('test', 'test'), { practices: 6, patients: 300, seed: 3 });
    await ctx.http().post('/api/v1/indicators/recompute').send({}).expect(202);
    await waitForIndicators(ctx.dataSource);
    comparison = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
  });

  it('should add up to the per-patient totals when the cost series is summed over quarters', async () => {
    const body = (await ctx.http().get('/api/v1/insights/cost-series').expect(200)).body;
    for (const total of body.totals) {
      const rows = body.rows.filter((r: Row) => r.arm === total.arm);
      expect(rows.reduce((s: number, r: Row) => s + (r.paidCents as number), 0)).toBe(total.paidCents);
      expect(rows.reduce((s: number, r: Row) => s + (r.counterfactualCents as number), 0)).toBe(total.counterfactualCents);
      expect(rows.reduce((s: number, r: Row) => s + (r.careQuarters as number), 0)).toBe(total.careQuarters);
      expect(total.patients).toBe(indicator('ENROLLED').arms[total.arm].value);
    }
  });

  it('should count exactly the comparison denominators when completeness is summed over practices', async () => {
    const body = (await ctx.http().get('/api/v1/insights/completeness').expect(200)).body;
    const sum = (key: string) => body.practices.reduce((s: number, p: Row) => s + (p[key] as number), 0);
    const base = indicator('BASELINE_COMPLETE');
    expect(sum('baselineEligible')).toBe(base.arms.BUNDLE.n + base.arms.FFS.n);
    const shares = body.practices.map((p: Row) => (p.baselineComplete as number) / (p.baselineEligible as number));
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
  });

  it('should give the comparison median and p90 when the wait days are read per arm', async () => {
    const body = (await ctx.http().get('/api/v1/insights/wait-days').expect(200)).body;
    for (const arm of body.arms) {
      const wait = indicator('WAIT_DAYS').arms[arm.arm] as { value: number | null; p90?: number | null };
      expect(arm.median).toBe(wait.value);
      expect(arm.p90).toBe(wait.p90);
      expect(arm.counts.reduce((s: number, c: Row) => s + (c.patients as number), 0)).toBe(arm.n);
    }
  });

  it('should narrow every insight to its own practice when a practice user asks', async () => {
    const [own, other] = await ctx.dataSource.query(`SELECT agb, name FROM practices ORDER BY agb LIMIT 2`);
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: [own.agb] });
    const completeness = (await practice().get('/api/v1/insights/completeness').expect(200)).body;
    expect(completeness.practices.map((p: { practice: Row }) => p.practice.agb)).toEqual([own.agb]);
    // Another practice's code answers as an unknown code: the scope cannot be widened or probed.
    const widened = (await practice().get(`/api/v1/insights/cost-series?practice=${other.agb}`).expect(422)).body;
    expect(widened.errors).toEqual([expect.objectContaining({ code: 'FILTER.UNKNOWN_PRACTICE', path: 'practice' })]);
    const worklist = (await practice().get('/api/v1/insights/worklist').expect(200)).body;
    expect(worklist.items.length).toBeGreaterThan(0);
    expect(worklist.items.every((i: Row) => i.practice === own.agb && typeof i.ref === 'string')).toBe(true);
    const peers = (await practice().get('/api/v1/insights/peer-distribution').expect(200)).body;
    expect(peers.practice.agb).toBe(own.agb);
    expect(JSON.stringify(peers)).not.toContain(other.name);
    await practice().get(`/api/v1/insights/peer-distribution?practice=${other.agb}`).expect(404);
  });

  it('should give an insurer only its own insured and refuse it the patient worklist', async () => {
    const [insurer] = await ctx.dataSource.query(`SELECT uzovi FROM insurers ORDER BY uzovi LIMIT 1`);
    const user = await ctx.signIn({ role: 'INSURER', insurer: insurer.uzovi });
    const costs = (await user().get('/api/v1/insights/insurer-costs').expect(200)).body;
    expect(costs.insurers).toEqual([expect.objectContaining({ uzovi: insurer.uzovi })]);
    const all = (await ctx.http().get(`/api/v1/insights/insurer-costs?insurer=${insurer.uzovi}`).expect(200)).body;
    expect(costs.totals).toEqual(all.totals);
    await user().get('/api/v1/insights/worklist').expect(403);
    await user().get('/api/v1/insights/completeness').expect(403);
    await user().get('/api/v1/insights/wait-days').expect(403);
  });

  it('should refuse the administrator and an anonymous caller', async () => {
    await ctx.http('ADMIN').get('/api/v1/insights/cost-series').expect(403);
    await ctx.http('ANONYMOUS').get('/api/v1/insights/cost-series').expect(401);
  });

  it('should give a practice the value the comparison gives when filtered to that practice', async () => {
    const [{ agb }] = await ctx.dataSource.query(`SELECT agb FROM practices ORDER BY agb LIMIT 1`);
    const peers = (await ctx.http().get(`/api/v1/insights/peer-distribution?practice=${agb}`).expect(200)).body;
    const own = (await ctx.http().get(`/api/v1/indicators/comparison?practice=${agb}`).expect(200)).body as { indicators: Indicator[] };
    for (const arm of peers.arms) {
      for (const code of ['PAID_PER_CARE_QUARTER', 'SESSIONS_PER_CARE_QUARTER', 'BASELINE_COMPLETE', 'WAIT_DAYS', 'EXACERBATION_RATE']) {
        const mine = arm.indicators.find((i: Row) => i.code === code);
        const expected = own.indicators.find((i) => i.code === code)!.arms[arm.arm].value as number;
        expect(mine.value).toBeCloseTo(expected, 9);
      }
      // Peers are values only: nothing names them; fewer than 5 are not shown at all.
      expect(JSON.stringify(arm)).not.toMatch(/"agb"|"name"/);
      for (const indicator of arm.indicators as { peers: number[]; peersWithheld: boolean }[])
        expect(indicator.peersWithheld ? indicator.peers.length === 0 : indicator.peers.length >= 5).toBe(true);
    }
  });
});
