import { INestApplicationContext } from '@nestjs/common';
import { SNAPSHOT_COPIED_TABLES } from '../src/modules/snapshots/snapshot.repository';
import { scenarioDocument, SCENARIO_ANALYSIS_DATE } from './fixtures/scenario';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

/*
 * Frozen snapshots (issue 13 item 1) on the 24-patient scenario of fixtures/scenario.ts (analysis date
 * 2026-06-30; BUNDLE practices 11110001 and 11110002, FFS 22220001 and 22220002): a snapshot keeps its figures
 * when data changes later, the database refuses to change or delete one, and the comparison with now counts the
 * late, corrected and deleted records per practice.
 */
type Indicator = { code: string; arms: Record<'BUNDLE' | 'FFS', { n: number; value: number | null }> };
type Detail = {
  snapshot: {
    id: string;
    analysisDate: string;
    label: string;
    inputDigest: string;
    codeVersion: string;
    records: Record<string, number>;
  };
  comparison: {
    analysisDate: string;
    stale: boolean;
    practices: Record<string, number>;
    indicators: Indicator[];
  };
  byInsurer: { uzovi: string; comparison: { indicators: Indicator[] } }[];
  byRegion: { region: string; comparison: { indicators: Indicator[] } }[];
};

describe('snapshots: freeze, immutability and the comparison with later data (real PostgreSQL and Redis)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let practiceB1: () => ReturnType<TestContext['http']>;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(scenarioDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
    practiceB1 = await ctx.signIn({ role: 'PRACTICE', practices: ['11110001'] });
  });
  afterAll(async () => {
    await worker?.close();
    await ctx?.close();
  });

  const idOf = async (ref: string) =>
    (await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = $1`, [ref]))[0].id as string;

  it('should freeze the comparison, per insurer and per region, the records and a verifiable digest when an evaluator takes one', async () => {
    const live = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
    const res = await ctx.http().post('/api/v1/snapshots').send({ label: 'Rapportage Q2 2026' }).expect(201);
    const detail = res.body as Detail;
    expect(detail.snapshot).toMatchObject({
      analysisDate: SCENARIO_ANALYSIS_DATE,
      label: 'Rapportage Q2 2026',
    });
    expect(detail.snapshot.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    // fixtures/scenario.ts: 1 experiment, 1 insurer, 4 practices, 4 contracts, 25 patients (F13 included: it is a
    // record, only outside the population of the facts).
    expect(detail.snapshot.records).toMatchObject({ experiments: 1, practices: 4, patients: 25 });
    expect(detail.snapshot.records.therapy_sessions).toBe(await ctx.count('therapy_sessions'));
    expect(detail.snapshot.records.measurements).toBe(await ctx.count('measurements'));
    // The frozen comparison is the live one (the cache or not, the same facts).
    expect(detail.comparison.indicators).toEqual(live.indicators);
    expect(detail.comparison).toMatchObject({
      analysisDate: SCENARIO_ANALYSIS_DATE,
      stale: false,
      practices: { BUNDLE: 2, FFS: 2 },
    });
    // One insurer in the scenario: its comparison is the overall one; the regions split it.
    expect(detail.byInsurer.map((i) => i.uzovi)).toHaveLength(1);
    expect(detail.byInsurer[0].comparison.indicators).toEqual(live.indicators);
    const enrolled = (indicators: Indicator[]) => indicators.find((i) => i.code === 'ENROLLED')!.arms;
    const perRegion = detail.byRegion.map(
      (r) => enrolled(r.comparison.indicators).BUNDLE.n + enrolled(r.comparison.indicators).FFS.n,
    );
    // 12 + 12 patients in the population, spread over the regions.
    expect(perRegion.reduce((a, b) => a + b, 0)).toBe(24);
    // The copies hold exactly the patient facts of the population (24) and the digest recomputes from them.
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM snapshot_patient_facts WHERE snapshot_id = $1`,
      [detail.snapshot.id],
    );
    expect(n).toBe(24);
    const verification = (
      await ctx.http().get(`/api/v1/snapshots/${detail.snapshot.id}/verification`).expect(200)
    ).body;
    expect(verification).toEqual({
      inputDigest: detail.snapshot.inputDigest,
      recomputedDigest: detail.snapshot.inputDigest,
      matches: true,
    });
    // Audited, naming the snapshot.
    const [audit] = await ctx.dataSource.query(
      `SELECT actor, detail FROM audit_log WHERE action = 'snapshot.create' AND resource_id = $1`,
      [detail.snapshot.id],
    );
    expect(audit).toMatchObject({
      actor: 'test-evaluator',
      detail: { inputDigest: detail.snapshot.inputDigest, analysisDate: SCENARIO_ANALYSIS_DATE },
    });
  });

  it('should refuse UPDATE, DELETE and TRUNCATE of a snapshot for the application and for the owner', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM snapshots LIMIT 1`);
    for (const sql of [
      `UPDATE snapshots SET label = 'changed' WHERE id = '${id}'`,
      `DELETE FROM snapshot_therapy_sessions_packed WHERE snapshot_id = '${id}'`,
      `UPDATE snapshot_measurements_packed SET value = value WHERE snapshot_id = '${id}'`,
      `UPDATE snapshot_patient_facts SET paid_cents = 0 WHERE snapshot_id = '${id}'`,
    ]) {
      await expect(ctx.dataSource.query(sql)).rejects.toThrow(/permission denied/);
      await expect(ctx.db.asOwner((c) => c.query(sql))).rejects.toThrow(/snapshots are immutable/);
    }
    await expect(ctx.db.asOwner((c) => c.query(`TRUNCATE snapshot_events`))).rejects.toThrow(
      /snapshots are immutable/,
    );
    // The views that unpack sessions and measurements cannot be written through either.
    await expect(
      ctx.dataSource.query(`DELETE FROM snapshot_therapy_sessions WHERE snapshot_id = '${id}'`),
    ).rejects.toThrow(/cannot delete from view/);
    // No route changes or deletes one.
    await ctx.http().delete(`/api/v1/snapshots/${id}`).expect(404);
    await ctx.http().patch(`/api/v1/snapshots/${id}`).send({ label: 'x' }).expect(404);
    const [{ label }] = await ctx.dataSource.query(`SELECT label FROM snapshots WHERE id = $1`, [id]);
    expect(label).toBe('Rapportage Q2 2026');
  });

  it('should keep the frozen figures and count a late session, a corrected patient and a deleted measurement per practice when data changes after it', async () => {
    const [{ id }] = await ctx.dataSource.query(
      `SELECT id FROM snapshots WHERE label = 'Rapportage Q2 2026'`,
    );
    const before = (await ctx.http().get(`/api/v1/snapshots/${id}`).expect(200)).body as Detail;

    // At practice 11110001: B01 gets a session on 2026-06-12 (before the analysis date 2026-06-30: late),
    // B03's KNGF profile is corrected 4 -> 5, and one of B05's measurements is deleted.
    const b01 = await idOf('B01');
    await practiceB1()
      .post(`/api/v1/patients/${b01}/sessions`)
      .send({ date: '2026-06-12', kind: 'INDIVIDUAL' })
      .expect(201);
    const b03 = await idOf('B03');
    await practiceB1().patch(`/api/v1/patients/${b03}`).send({ profile: 5, reason: 'Profiel herzien' }).expect(200);
    const [measurement] = await ctx.dataSource.query(
      `SELECT m.id FROM measurements m JOIN patients p ON p.id = m.patient_id WHERE p.ref = 'B05' ORDER BY m.date LIMIT 1`,
    );
    await practiceB1().delete(`/api/v1/measurements/${measurement.id}`).send({ reason: 'Dubbel ingevoerd' }).expect(204);
    await waitForIndicators(ctx.dataSource);

    const after = (await ctx.http().get(`/api/v1/snapshots/${id}`).expect(200)).body as Detail;
    expect(after).toEqual(before);

    const changes = (await ctx.http().get(`/api/v1/snapshots/${id}/changes`).expect(200)).body;
    expect(changes.from).toMatchObject({ snapshotId: id, analysisDate: SCENARIO_ANALYSIS_DATE });
    expect(changes.to).toMatchObject({ snapshotId: null, stale: false });
    // B01: 7 -> 8 sessions over 4 care quarters, 1.75 -> 2; the BUNDLE mean over 12 patients moves 0.25 / 12 = 0.0208333.
    const sessions = changes.figures.find(
      (f: { code: string; figure: string }) =>
        f.code === 'SESSIONS_PER_CARE_QUARTER' && f.figure === 'BUNDLE.value',
    );
    expect(sessions.change).toBeCloseTo(0.25 / 12, 10);
    // Paid stays: B01's Q6 was already a care quarter, the bundle price is per care quarter.
    expect(changes.figures.filter((f: { code: string }) => f.code === 'PAID_PER_CARE_QUARTER')).toEqual([]);
    expect(changes.total).toEqual({ added: 1, late: 1, corrected: 1, deleted: 1 });
    expect(changes.practices).toEqual([
      {
        agb: '11110001',
        name: expect.any(String),
        total: { added: 1, late: 1, corrected: 1, deleted: 1 },
        tables: [
          { table: 'patients', counts: { added: 0, late: 0, corrected: 1, deleted: 0 } },
          { table: 'therapy_sessions', counts: { added: 1, late: 1, corrected: 0, deleted: 0 } },
          { table: 'measurements', counts: { added: 0, late: 0, corrected: 0, deleted: 1 } },
        ],
      },
    ]);

    // A second snapshot of the changed data: snapshot-to-snapshot gives the same answer as snapshot-to-now.
    const second = (await ctx.http().post('/api/v1/snapshots').send({ label: 'Na correcties' }).expect(201))
      .body as Detail;
    expect(second.snapshot.inputDigest).not.toBe(before.snapshot.inputDigest);
    const between = (
      await ctx.http().get(`/api/v1/snapshots/${id}/changes?to=${second.snapshot.id}`).expect(200)
    ).body;
    expect(between.figures).toEqual(changes.figures);
    expect(between.practices).toEqual(changes.practices);
    const list = (await ctx.http().get('/api/v1/snapshots').expect(200)).body as { id: string }[];
    expect(list.map((s) => s.id)).toEqual([second.snapshot.id, id]);
  });

  it('should refuse a snapshot with 409 SNAPSHOT.STALE and write nothing when a change waits to be recomputed', async () => {
    await worker.close();
    try {
      const b02 = await idOf('B02');
      const practiceB2 = await ctx.signIn({ role: 'PRACTICE', practices: ['11110002'] });
      await practiceB2()
        .post(`/api/v1/patients/${b02}/sessions`)
        .send({ date: '2026-06-15', kind: 'INDIVIDUAL' })
        .expect(201);
      const snapshots = await ctx.count('snapshots');
      const res = await ctx.http().post('/api/v1/snapshots').send({ label: 'Te vroeg' }).expect(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('SNAPSHOT.STALE');
      expect(res.body.detail).toMatch(/herberekening/);
      expect(await ctx.count('snapshots')).toBe(snapshots);
    } finally {
      worker = await startTestWorker();
      await waitForIndicators(ctx.dataSource);
    }
  });

  it("should answer 400, 403 and 404 with problem details when the request is wrong or not the evaluator's", async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM snapshots LIMIT 1`);
    expect((await ctx.http().post('/api/v1/snapshots').send({}).expect(400)).body.code).toBe(
      'REQUEST.INVALID',
    );
    expect(
      (
        await ctx
          .http()
          .post('/api/v1/snapshots')
          .send({ label: 'x'.repeat(201) })
          .expect(400)
      ).body.code,
    ).toBe('REQUEST.INVALID');
    expect((await ctx.http().get(`/api/v1/snapshots/${id}/changes?to=gisteren`).expect(400)).body.code).toBe(
      'REQUEST.INVALID',
    );
    await ctx.http().get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000').expect(404);
    expect((await ctx.http().get('/api/v1/snapshots/not-a-uuid').expect(400)).body.code).toBe(
      'REQUEST.INVALID_ID',
    );
    await practiceB1().get('/api/v1/snapshots').expect(403);
    await practiceB1().post('/api/v1/snapshots').send({ label: 'x' }).expect(403);
    await ctx.http('ADMIN').get(`/api/v1/snapshots/${id}`).expect(403);
    const insurer = await ctx.signIn({
      role: 'INSURER',
      insurer: (await ctx.dataSource.query(`SELECT uzovi FROM insurers LIMIT 1`))[0].uzovi,
    });
    await insurer().get(`/api/v1/snapshots/${id}/changes`).expect(403);
  });

  it('should have copy tables (or unpacking views) with snapshot_id and then exactly the live columns, in order', async () => {
    for (const table of SNAPSHOT_COPIED_TABLES) {
      const columns = async (name: string) =>
        (
          await ctx.dataSource.query(
            `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
            [name],
          )
        ).map((c: { column_name: string; data_type: string }) => `${c.column_name} ${c.data_type}`);
      expect({ table, columns: await columns(`snapshot_${table}`) }).toEqual({
        table,
        columns: ['snapshot_id uuid', ...(await columns(table))],
      });
    }
  });
});
