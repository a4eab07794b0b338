import { ContractTerms, priceEnrolment } from '@copd/domain';
import { systemActor } from '../src/core/actor/actor';
import { OutboxService } from '../src/core/outbox/outbox.service';
import { DemoDataService } from '../src/modules/demo-data/demo-data.service';
import { addSessionOnFirstDay } from './fixtures/extra-sessions';
import { startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';

/**
 * The set-based SQL and the reference implementation in libs/domain must price every patient alike:
 * 1,500 generated patients (both arms, yearly contract renewals with indexed tariffs, drop-outs), each
 * care quarter's bundle and FFS price, session count and flags compared one by one.
 */
describe('materialised facts agree with the domain pricing for every patient', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.app.get(DemoDataService).seed(systemActor('test', 'test'), { practices: 12, patients: 1500, seed: 99 });
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM experiments`);
    await ctx.dataSource.transaction((m) => ctx.app.get(OutboxService).announce(m, id, null, 'recompute'));
    await recomputeNow(ctx);
  });
  afterAll(() => ctx.close());

  /** Compares every patient's facts with priceEnrolment over the records as they are now. */
  async function compareWithDomain(): Promise<{ compared: number; quartersCompared: number; renewalsCrossed: number }> {
    const [{ analysis_date: analysisDate }] = await ctx.dataSource.query(`SELECT analysis_date FROM experiments`);
    const contracts: (ContractTerms & { practiceId: string; insurerId: string })[] = (
      await ctx.dataSource.query(`SELECT * FROM contracts`)
    ).map((c: Record<string, never>) => ({
      practiceId: c.practice_id,
      insurerId: c.insurer_id,
      practice: '',
      insurer: '',
      arm: c.arm,
      validFrom: c.valid_from,
      validTo: c.valid_to,
      bundle: { intake: c.bundle_intake_cents, quarter: c.bundle_quarter_cents },
      ffs: { intake: c.ffs_intake_cents, session: c.ffs_session_cents, homeSupplement: c.ffs_home_supplement_cents, groupSession: c.ffs_group_session_cents },
    }));
    const patients = await ctx.dataSource.query(`SELECT id, practice_id, insurer_id, arm, intake_date, end_date FROM patients ORDER BY id`);
    const sessions = await ctx.dataSource.query(`SELECT patient_id, date, kind FROM therapy_sessions`);
    const byPatient = new Map<string, { date: string; kind: never }[]>();
    for (const s of sessions) byPatient.set(s.patient_id, [...(byPatient.get(s.patient_id) ?? []), s]);
    const facts = new Map<string, Record<string, unknown>[]>();
    for (const q of await ctx.dataSource.query(`SELECT * FROM care_quarter_facts ORDER BY patient_id, quarter_index`)) {
      facts.set(q.patient_id, [...(facts.get(q.patient_id) ?? []), q]);
    }
    const totals = new Map<string, Record<string, number>>(
      (await ctx.dataSource.query(`SELECT * FROM patient_facts`)).map((f: Record<string, number> & { patient_id: string }) => [f.patient_id, f]),
    );

    let compared = 0;
    let quartersCompared = 0;
    let renewalsCrossed = 0;
    for (const p of patients) {
      const own = contracts.filter((c) => c.practiceId === p.practice_id && c.insurerId === p.insurer_id);
      const expected = priceEnrolment({ intakeDate: p.intake_date, endDate: p.end_date, arm: p.arm }, byPatient.get(p.id) ?? [], own, analysisDate);
      if (p.intake_date > analysisDate) {
        expect(totals.has(p.id)).toBe(false);
        continue;
      }
      const careQuarters = expected.quarters.filter((q) => q.isCareQuarter);
      const rows = (facts.get(p.id) ?? []).filter((q) => q.is_care_quarter);
      expect(rows.map((q) => [q.quarter_index, q.start_date, q.sessions, q.bundle_cents, q.ffs_cents, q.ended])).toEqual(
        careQuarters.map((q) => [q.index, q.start, q.sessionCount, q.bundleCents, q.ffsCents, q.ended]),
      );
      expect(totals.get(p.id)).toMatchObject({
        care_quarters: expected.totals.careQuarterCount,
        sessions: expected.totals.sessionCount,
        paid_cents: expected.totals.paidCents,
        counterfactual_cents: expected.totals.counterfactualCents,
        unpriced_items: expected.unpriced.length,
      });
      if (own.length > 1 && careQuarters.some((q) => own.some((c) => c.validFrom > q.start && c.validFrom < q.endExclusive))) renewalsCrossed++;
      quartersCompared += careQuarters.length;
      compared++;
    }
    expect(compared).toBe(totals.size);
    return { compared, quartersCompared, renewalsCrossed };
  }

  /** Every fact column except the timestamp, in a fixed order, to compare two recomputes row for row. */
  async function factRows(): Promise<{ patients: unknown[]; quarters: unknown[] }> {
    const patients = await ctx.dataSource.query(`SELECT * FROM patient_facts ORDER BY patient_id`);
    const quarters = await ctx.dataSource.query(`SELECT * FROM care_quarter_facts ORDER BY patient_id, quarter_index`);
    for (const row of patients) delete row.computed_at;
    return { patients, quarters };
  }

  it('should give each patient the same quarters, prices and session counts as priceEnrolment when recomputed in SQL', async () => {
    const { compared, quartersCompared, renewalsCrossed } = await compareWithDomain();
    // Every enrolled patient of the population was compared, and the data does exercise renewals inside a quarter.
    expect(compared).toBeGreaterThan(1000);
    expect(quartersCompared).toBeGreaterThan(3000);
    expect(renewalsCrossed).toBeGreaterThan(50);
  });

  it('should give the same rows when only the changed patients are recomputed as when everything is', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM experiments`);
    // 40 patients get an extra session on the day of their first one (a kind they had not that day);
    // 20 others lose every session after their first quarter.
    const added = await addSessionOnFirstDay(ctx.dataSource, 40);
    // (TypeORM returns [rows, count] for DELETE ... RETURNING.)
    const [trimmed]: [{ patient_id: string }[], number] = await ctx.dataSource.query(`
      DELETE FROM therapy_sessions WHERE care_quarter > 1
        AND patient_id IN (SELECT patient_id FROM patient_facts WHERE care_quarters > 2 ORDER BY patient_id DESC LIMIT 20)
      RETURNING patient_id`);
    const changed = [...new Set([...added, ...trimmed.map((r) => r.patient_id)])];
    expect(changed).toHaveLength(60);
    const outbox = ctx.app.get(OutboxService);
    await ctx.dataSource.transaction((m) => outbox.announce(m, id, changed, 'session'));
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: false, patients: 60 });
    const partial = await factRows();
    await compareWithDomain();

    await ctx.dataSource.transaction((m) => outbox.announce(m, id, null, 'recompute'));
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: true });
    expect(await factRows()).toEqual(partial);
  });
});
