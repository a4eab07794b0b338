import { buildComparison, type ComparisonFilters } from '@copd/domain';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { systemActor } from '../src/core/actor/actor';
import { AppConfig } from '../src/core/config/app-config';
import { OutboxService } from '../src/core/outbox/outbox.service';
import { COMPARISON_REFRESH_QUEUE, RefreshComparisonPayload } from '../src/core/queue/queue-names';
import { REDIS } from '../src/core/queue/redis.provider';
import { DemoDataService } from '../src/modules/demo-data/demo-data.service';
import { ComparisonCellsRepository } from '../src/modules/indicators/comparison-cells.repository';
import { ComparisonRepository } from '../src/modules/indicators/comparison.repository';
import { IndicatorRunsRepository } from '../src/modules/indicators/indicator-runs.repository';
import { ComparisonRefreshProcessor, REFRESH_PAUSE_FACTOR, sharedLaneKey } from '../src/modules/indicators/comparison-refresh.processor';
import { IndicatorsService, refreshClaimKey } from '../src/modules/indicators/indicators.service';
import { addSessionOnFirstDay } from './fixtures/extra-sessions';
import { startTestApp, TestContext } from './support/test-app';
import { until } from './support/until';
import { recomputeNow } from './support/test-worker';

/**
 * The comparison cells (issue 17, target 2) against the direct aggregation, on 1,500 generated patients in 12
 * practices, both arms and all GOLD stages. The unfiltered summaries combined from the cells must EQUAL those
 * aggregated from the facts (toEqual on float8 values: no tolerance), after a full recompute and after every
 * recompute of some patients in a sequence of writes (sessions added and removed, a patient moved to another
 * practice and another GOLD stage, a measurement changed), and the cached document must be the one a full recompute
 * of the final state leaves.
 */
describe('comparison cells: the unfiltered comparison combined per practice equals the direct aggregation', () => {
  let ctx: TestContext;
  let experimentId: string;
  let cells: ComparisonCellsRepository;
  let direct: ComparisonRepository;
  let outbox: OutboxService;

  const savedRefresh = process.env.COMPARISON_REFRESH_INTERVAL_MS;

  beforeAll(async () => {
    // An hour between two aggregations of a filter the cells cannot answer (the last test moves the clock instead).
    process.env.COMPARISON_REFRESH_INTERVAL_MS = '3600000';
    ctx = await startTestApp();
    await ctx.app.get(DemoDataService).seed(systemActor('test', 'test'), { practices: 12, patients: 1500, seed: 7 });
    [{ id: experimentId }] = await ctx.dataSource.query(`SELECT id FROM experiments`);
    cells = ctx.app.get(ComparisonCellsRepository);
    direct = ctx.app.get(ComparisonRepository);
    outbox = ctx.app.get(OutboxService);
    await ctx.dataSource.transaction((m) => outbox.announce(m, experimentId, null, 'recompute'));
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: true });
  });
  afterAll(async () => {
    await ctx.close();
    if (savedRefresh === undefined) delete process.env.COMPARISON_REFRESH_INTERVAL_MS;
    else process.env.COMPARISON_REFRESH_INTERVAL_MS = savedRefresh;
  });

  const cachedDocument = async () =>
    (await ctx.dataSource.query(`SELECT document FROM comparison_cache WHERE experiment_id = $1 AND filter_key = '2:{}'`, [experimentId]))[0]
      ?.document;
  const cellSet = async () =>
    (await ctx.dataSource.query(`SELECT computed_at FROM comparison_cell_sets WHERE experiment_id = $1`, [experimentId]))[0]?.computed_at as
      | Date
      | undefined;
  const lastComputedAt = async () =>
    (await ctx.dataSource.query(`SELECT max(computed_at) AS at FROM indicator_runs WHERE experiment_id = $1`, [experimentId]))[0].at as Date;

  const directSummaries = (filters: ComparisonFilters) => direct.summarise(ctx.dataSource.manager, experimentId, filters);

  /** Cells and direct aggregation agree exactly, and the cache holds the comparison of the current facts. */
  async function expectParity(): Promise<void> {
    const fromFacts = await direct.summarise(ctx.dataSource.manager, experimentId, {});
    const fromCells = await cells.summarise(ctx.dataSource.manager, experimentId);
    // Both arms, 4 GOLD stages each (the seed covers II-IV and more), the crude rows and one row per practice.
    expect(fromFacts.length).toBeGreaterThan(2 + 2 * 3 + 12);
    expect(fromCells).toEqual(fromFacts);
    // The running wait-day counts per arm and GOLD stage equal a fresh count of the facts.
    const runningCounts = await ctx.dataSource.query(
      `SELECT arm, gold_stage, wait_days, n FROM comparison_stratum_waits WHERE experiment_id = $1 ORDER BY 1, 2, 3`,
      [experimentId],
    );
    const freshCounts = await ctx.dataSource.query(
      `SELECT arm, gold_stage, wait_days, count(*)::int AS n FROM patient_facts WHERE experiment_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [experimentId],
    );
    expect(runningCounts).toEqual(freshCounts);
    // The filters the cells answer: some practices, a region, GOLD stages, both, and a scope that allows nothing.
    const practices = (await ctx.dataSource.query(`SELECT id FROM practices ORDER BY agb LIMIT 3`)).map((r: { id: string }) => r.id);
    const [{ region }] = await ctx.dataSource.query(`SELECT region FROM patient_facts WHERE experiment_id = $1 ORDER BY patient_id LIMIT 1`, [
      experimentId,
    ]);
    const filterSets: ComparisonFilters[] = [
      { practiceIds: practices },
      { regions: [region] },
      // GOLD stages alone: the strata's wait days come from the running counts of those stages.
      { goldStages: [2, 3] },
      { goldStages: [4] },
      { regions: [region], goldStages: [4] },
      { practiceIds: practices.slice(0, 1), goldStages: [3] },
      { practiceIds: [] },
    ];
    for (const filters of filterSets) {
      const direct = await directSummaries(filters);
      expect({ filters, rows: await cells.summarise(ctx.dataSource.manager, experimentId, filters) }).toEqual({ filters, rows: direct });
    }
    expect(await cachedDocument()).toEqual(JSON.parse(JSON.stringify(buildComparison(fromFacts))));
    expect((await cellSet())?.getTime()).toBe((await lastComputedAt()).getTime());
  }

  async function recomputePatients(patientIds: string[]): Promise<void> {
    await ctx.dataSource.transaction((m) => outbox.announce(m, experimentId, patientIds, 'session'));
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: false, patients: patientIds.length });
  }

  it('should give the same summaries as the facts when a full recompute has built every cell', async () => {
    // 12 practices: every practice has cells, at most one per arm and GOLD stage it treats.
    const [{ practices, patients }] = await ctx.dataSource.query(
      `SELECT count(DISTINCT practice_id)::int AS practices, sum(patients)::int AS patients FROM comparison_cells WHERE experiment_id = $1`,
      [experimentId],
    );
    const [{ facts }] = await ctx.dataSource.query(`SELECT count(*)::int AS facts FROM patient_facts WHERE experiment_id = $1`, [experimentId]);
    expect(practices).toBe(12);
    expect(patients).toBe(facts);
    await expectParity();
  });

  it("should leave each region's, each set of GOLD stages' and each region-with-set's comparison cached after a full recompute, as the direct aggregation gives it", async () => {
    const [{ regions, stages }] = await ctx.dataSource.query(
      `SELECT array_agg(DISTINCT region ORDER BY region) AS regions, array_agg(DISTINCT gold_stage ORDER BY gold_stage) AS stages
       FROM patient_facts WHERE experiment_id = $1 AND gold_stage IS NOT NULL`,
      [experimentId],
    );
    // Written out for the seed's stages: every non-empty set, each in ascending order, as a reader's filter sorts them.
    expect(stages).toEqual([2, 3, 4]);
    const stageSets = [[2], [3], [2, 3], [4], [2, 4], [3, 4], [2, 3, 4]];
    const expected: ComparisonFilters[] = [
      ...(regions as string[]).map((region) => ({ regions: [region] })),
      ...stageSets.map((goldStages) => ({ goldStages })),
      // Each region with each set: regions first in the key, as a reader's filters have them.
      ...(regions as string[]).flatMap((region) => stageSets.map((goldStages) => ({ regions: [region], goldStages }))),
    ];
    // The seed's practices lie in more than one region: 7 sets per region, with and without it, plus the 7 sets.
    expect(regions.length).toBeGreaterThan(1);
    expect(expected).toHaveLength(regions.length + 7 + 7 * regions.length);
    const cached: { filter_key: string; document: unknown; based_on: Date }[] = await ctx.dataSource.query(
      `SELECT filter_key, document, based_on FROM comparison_cache
       WHERE experiment_id = $1 AND (filter_key LIKE '%"regions"%' OR filter_key LIKE '%"goldStages"%')`,
      [experimentId],
    );
    // The cache key is '<document shape>:' followed by the filters' JSON.
    expect(cached.map((c) => c.filter_key).sort()).toEqual(expected.map((filters) => `2:${JSON.stringify(filters)}`).sort());
    const run = await lastComputedAt();
    for (const filters of expected) {
      const row = cached.find((c) => c.filter_key === `2:${JSON.stringify(filters)}`)!;
      expect({ filters, basedOn: row.based_on.getTime() }).toEqual({ filters, basedOn: run.getTime() });
      const direct = JSON.parse(JSON.stringify(buildComparison(await directSummaries(filters))));
      expect({ filters, document: row.document }).toEqual({ filters, document: direct });
    }
    // A reader of one gets it as it is cached, fresh.
    const byRegion = (await ctx.http().get(`/api/v1/indicators/comparison?region=${encodeURIComponent((regions as string[])[0])}`).expect(200)).body;
    expect([byRegion.stale, byRegion.computedAt]).toEqual([false, run.toISOString()]);
  });

  it('should stay equal to the facts through a sequence of recomputes of some patients, and equal a full recompute of the end state', async () => {
    // 1. 30 patients get an extra session on the day of their first one (a kind they had not that day).
    const added = await addSessionOnFirstDay(ctx.dataSource, 30);
    expect(added).toHaveLength(30);
    await recomputePatients(added);
    await expectParity();

    // 2. 10 patients lose every session after their first quarter.
    const [trimmed]: [{ patient_id: string }[], number] = await ctx.dataSource.query(`
      DELETE FROM therapy_sessions WHERE care_quarter > 1
        AND patient_id IN (SELECT patient_id FROM patient_facts WHERE care_quarters > 2 ORDER BY patient_id DESC LIMIT 10)
      RETURNING patient_id`);
    await recomputePatients([...new Set(trimmed.map((r) => r.patient_id))]);
    await expectParity();

    // 3. One patient moves to another practice of the same arm (its old practice's cells and its new one's change),
    //    another to another GOLD stage.
    const [moved] = await ctx.dataSource.query(
      `SELECT f.patient_id, f.practice_id, other.practice_id AS to_practice FROM patient_facts f
       JOIN LATERAL (SELECT practice_id FROM patient_facts o WHERE o.arm = f.arm AND o.practice_id <> f.practice_id LIMIT 1) other ON TRUE
       WHERE f.experiment_id = $1 ORDER BY f.patient_id LIMIT 1`,
      [experimentId],
    );
    // (Its practice-local reference gets a suffix: another patient of the new practice may carry the same one.)
    await ctx.dataSource.query(`UPDATE patients SET practice_id = $2, ref = ref || '-moved' WHERE id = $1`, [moved.patient_id, moved.to_practice]);
    const [restaged] = await ctx.dataSource.query(
      `UPDATE patients SET gold_stage = CASE WHEN gold_stage = 2 THEN 3 ELSE 2 END
       WHERE id = (SELECT patient_id FROM patient_facts WHERE experiment_id = $1 ORDER BY patient_id DESC LIMIT 1) RETURNING id`,
      [experimentId],
    );
    const before = await ctx.dataSource.query(
      `SELECT patients FROM comparison_cells WHERE experiment_id = $1 AND practice_id = $2 AND arm = (SELECT arm FROM patient_facts WHERE patient_id = $3)`,
      [experimentId, moved.practice_id, moved.patient_id],
    );
    await recomputePatients([moved.patient_id, restaged[0].id]);
    await expectParity();
    const after = await ctx.dataSource.query(
      `SELECT patients FROM comparison_cells WHERE experiment_id = $1 AND practice_id = $2 AND arm = (SELECT arm FROM patient_facts WHERE patient_id = $3)`,
      [experimentId, moved.practice_id, moved.patient_id],
    );
    // The old practice counts the moved patient no more: its cells of that arm hold one patient fewer.
    const total = (rows: { patients: string }[]) => rows.reduce((sum, r) => sum + Number(r.patients), 0);
    expect(total(after)).toBe(total(before) - 1);

    // 4. A baseline 6MWT is 25 m longer (the change from baseline, a compared mean, moves).
    const [measured] = await ctx.dataSource.query(
      `UPDATE measurements SET value = value + 25
       WHERE id = (SELECT m.id FROM measurements m JOIN patient_facts f ON f.patient_id = m.patient_id
                   WHERE m.instrument = 'SIX_MWT' AND f.six_mwt_base IS NOT NULL AND f.six_mwt_3m IS NOT NULL ORDER BY m.id LIMIT 1)
       RETURNING patient_id`,
    );
    await recomputePatients([measured[0].patient_id]);
    await expectParity();

    // The end state, recomputed in full: the same cached document as the sequence left.
    const sequenced = await cachedDocument();
    await ctx.dataSource.transaction((m) => outbox.announce(m, experimentId, null, 'recompute'));
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: true });
    await expectParity();
    expect(await cachedDocument()).toEqual(sequenced);
  });

  it("should reuse the practice rows it holds and read again only those rebuilt since, also by another process's recompute", async () => {
    // A second process's repository (another API or worker process), which read the rows before the write.
    const other = new ComparisonCellsRepository();
    const practiceRows = (rows: Awaited<ReturnType<ComparisonCellsRepository['summarise']>>) =>
      new Map(rows.filter((r) => typeof r.practice === 'string').map((r) => [`${r.arm} ${r.practice}`, r]));
    const held = practiceRows(await other.summarise(ctx.dataSource.manager, experimentId));
    const revisions = async () =>
      new Map<string, number>(
        (
          await ctx.dataSource.query(`SELECT arm, practice_id, revision FROM comparison_practice_rows WHERE experiment_id = $1`, [experimentId])
        ).map((r: { arm: string; practice_id: string; revision: number }) => [`${r.arm} ${r.practice_id}`, r.revision]),
      );
    const before = await revisions();
    // A row per practice and arm (some of the 12 practices treat in both arms), each read once.
    expect(held.size).toBe(before.size);
    expect(held.size).toBeGreaterThanOrEqual(12);

    // One patient's new session, recomputed by this app's worker (not by `other`).
    const [patientId] = await addSessionOnFirstDay(ctx.dataSource, 1);
    const [{ practice_id: practiceId, arm }] = await ctx.dataSource.query(`SELECT practice_id, arm FROM patients WHERE id = $1`, [patientId]);
    await recomputePatients([patientId]);

    // The rebuild gave that practice's rows (one per arm it treats in) new revisions and left the others as they were.
    const after = await revisions();
    const ofPractice = [...after.keys()].filter((key) => key.endsWith(` ${practiceId}`));
    expect(ofPractice).toContain(`${arm} ${practiceId}`);
    const changed = [...after].filter(([key, revision]) => before.get(key) !== revision).map(([key]) => key);
    expect(changed.sort()).toEqual(ofPractice.sort());
    expect(after.size - changed.length).toBeGreaterThanOrEqual(11);

    // `other` answers the new facts exactly; it kept the rows it had parsed (the same objects) and read the new ones.
    const rows = await other.summarise(ctx.dataSource.manager, experimentId);
    expect(rows).toEqual(await directSummaries({}));
    const now = practiceRows(rows);
    expect([...now.keys()].sort()).toEqual([...held.keys()].sort());
    for (const [key, row] of now) {
      if (changed.includes(key)) {
        expect(row).not.toBe(held.get(key));
        // The same practice and arm: a session more changes no patient count.
        expect(row.patients).toBe(held.get(key)!.patients);
      } else expect(row).toBe(held.get(key));
    }
    // The kept rows are shared by every later reader, so nobody may change them.
    const shared = now.get(`${arm} ${practiceId}`)!;
    expect(() => Object.assign(shared, { patients: 0 })).toThrow(TypeError);
    expect(() => Object.assign(shared.profiles, { 1: 99 })).toThrow(TypeError);
    await expectParity();
  });

  it('should build every cell again when the cells are not those of the previous run', async () => {
    // A wrong cell that a recompute of some patients would not touch, and a cell set that is not the last run's
    // (as after a recompute that did not keep the cells): the next recompute must not trust them.
    const [untouched] = await ctx.dataSource.query(
      `SELECT practice_id FROM comparison_cells WHERE experiment_id = $1 ORDER BY practice_id DESC LIMIT 1`,
      [experimentId],
    );
    await ctx.dataSource.query(`UPDATE comparison_cells SET patients = patients + 5 WHERE experiment_id = $1 AND practice_id = $2`, [
      experimentId,
      untouched.practice_id,
    ]);
    await ctx.dataSource.query(`UPDATE comparison_cell_sets SET computed_at = computed_at - interval '1 second' WHERE experiment_id = $1`, [
      experimentId,
    ]);
    const [patient] = await ctx.dataSource.query(
      `SELECT patient_id FROM patient_facts WHERE experiment_id = $1 AND practice_id <> $2 ORDER BY patient_id LIMIT 1`,
      [experimentId, untouched.practice_id],
    );
    await recomputePatients([patient.patient_id]);
    await expectParity();

    // Without any cell set (emptied), likewise.
    await ctx.dataSource.query(`DELETE FROM comparison_cell_sets WHERE experiment_id = $1`, [experimentId]);
    await recomputePatients([patient.patient_id]);
    await expectParity();
  });

  it('should recompute the patients of a practice whose region is corrected, so a filter by region counts them there', async () => {
    const [practice] = await ctx.dataSource.query(
      `SELECT f.practice_id, count(*)::int AS patients FROM patient_facts f WHERE f.experiment_id = $1
       GROUP BY f.practice_id ORDER BY f.practice_id LIMIT 1`,
      [experimentId],
    );
    await ctx.http('ADMIN').patch(`/api/v1/practices/${practice.practice_id}`).send({ region: 'Waddeneilanden' }).expect(200);
    const [announced] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n, min(reason) AS reason FROM indicator_outbox WHERE processed_at IS NULL AND experiment_id = $1`,
      [experimentId],
    );
    // Every patient of the practice (facts or not yet: all of its enrolled patients) is announced once, as 'practice'.
    const [{ enrolled }] = await ctx.dataSource.query(`SELECT count(*)::int AS enrolled FROM patients WHERE practice_id = $1`, [
      practice.practice_id,
    ]);
    expect(announced).toEqual({ n: enrolled, reason: 'practice' });
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: false });
    const regions = await ctx.dataSource.query(
      `SELECT region, count(*)::int AS n FROM patient_facts WHERE practice_id = $1 GROUP BY region`,
      [practice.practice_id],
    );
    expect(regions).toEqual([{ region: 'Waddeneilanden', n: practice.patients }]);
    const byRegion = await cells.summarise(ctx.dataSource.manager, experimentId, { regions: ['Waddeneilanden'] });
    // The crude rows (one per arm: the practice treats patients of both, by their insurers' contracts) count exactly its patients.
    const crude = byRegion.filter((r) => r.goldStage === null && r.practice === undefined);
    expect(crude.reduce((sum, r) => sum + r.patients, 0)).toBe(practice.patients);
    expect(byRegion.filter((r) => r.practice !== undefined).map((r) => r.practice)).toEqual(crude.map(() => practice.practice_id));
    await expectParity();
  });

  it('should send a cached document only when it is not the version the API process holds, and serve every rewrite of it', async () => {
    const runs = ctx.app.get(IndicatorRunsRepository);
    const manager = ctx.dataSource.manager;
    const read = (held: string | null) => runs.comparisonReadState(manager, experimentId, '2:{}', held);
    const first = await read(null);
    // The run and the backlog as their own reads give them.
    expect(first.run).toEqual(await runs.lastRun(manager, experimentId));
    expect(first.backlogRows).toBe((await runs.backlog(manager, experimentId)).rows);
    expect(first.cached?.document).toEqual(await cachedDocument());
    // Holding that version: the same row, without its document.
    const { document: _document, ...meta } = first.cached!;
    expect(await read(first.cached!.version)).toEqual({ run: first.run, backlogRows: first.backlogRows, cached: meta });
    // A rewrite that keeps computed_at is still a new row version (its xmin): a reader gets the rewritten document.
    const served = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
    const practices = served.practices.BUNDLE as number;
    await ctx.dataSource.query(
      `UPDATE comparison_cache SET document = jsonb_set(document, '{practices,BUNDLE}', to_jsonb($2::int)) WHERE experiment_id = $1 AND filter_key = '2:{}'`,
      [experimentId, practices + 1000],
    );
    expect((await read(first.cached!.version)).cached?.document).toBeDefined();
    expect((await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body.practices.BUNDLE).toBe(practices + 1000);
    await ctx.dataSource.query(
      `UPDATE comparison_cache SET document = jsonb_set(document, '{practices,BUNDLE}', to_jsonb($2::int)) WHERE experiment_id = $1 AND filter_key = '2:{}'`,
      [experimentId, practices],
    );
    expect((await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body).toEqual(served);
  });

  it('should have a filter the cells cannot answer made again by a worker only once COMPARISON_REFRESH_INTERVAL_MS has passed since it was cached, queued by one API process', async () => {
    const [{ uzovi }] = await ctx.dataSource.query(
      `SELECT i.uzovi FROM insurers i JOIN patient_facts f ON f.insurer_id = i.id WHERE f.experiment_id = $1 ORDER BY i.uzovi LIMIT 1`,
      [experimentId],
    );
    const byInsurer = async () => (await ctx.http().get(`/api/v1/indicators/comparison?insurer=${uzovi}`).expect(200)).body;
    const cachedAt = async () =>
      (
        await ctx.dataSource.query(
          `SELECT computed_at FROM comparison_cache WHERE experiment_id = $1 AND filter_key LIKE '%insurerIds%' ORDER BY computed_at DESC LIMIT 1`,
          [experimentId],
        )
      )[0].computed_at.getTime() as number;
    // The refresh jobs the API queues; this spec runs no worker, it runs the worker's processor on them by hand.
    const refreshes = ctx.app.get<Queue<RefreshComparisonPayload>>(getQueueToken(COMPARISON_REFRESH_QUEUE));
    const config = ctx.app.get(AppConfig);
    const processor = new ComparisonRefreshProcessor(ctx.app.get(IndicatorsService), refreshes, config);
    /** The one refresh job the readers queued (waited for: the API queues it after it has answered). */
    const queuedJob = async (): Promise<Job<RefreshComparisonPayload>> => {
      await until(async () => (await refreshes.getWaitingCount()) > 0, 5_000, 'a refresh job to be queued');
      const jobs = await refreshes.getWaiting();
      expect(jobs).toHaveLength(1);
      return jobs[0];
    };
    /** Runs the job as the worker would, then takes it off the queue (no BullMQ worker moved it). */
    const run = async (p: ComparisonRefreshProcessor, job: Job<RefreshComparisonPayload>) => {
      try {
        return await p.process(job);
      } finally {
        await job.remove();
      }
    };
    // The insurer's first document: the full recompute's (cacheGroupComparisons) is removed, so this reader aggregates.
    await ctx.dataSource.query(`DELETE FROM comparison_cache WHERE experiment_id = $1 AND filter_key LIKE '%insurerIds%'`, [experimentId]);
    const first = await byInsurer();
    expect(first.stale).toBe(false);
    const firstCached = await cachedAt();

    // One session more for a patient of that insurer (on the first of its session days without a remote one), recomputed.
    const [patient] = await ctx.dataSource.query(
      `SELECT f.patient_id FROM patient_facts f JOIN insurers i ON i.id = f.insurer_id WHERE i.uzovi = $1 AND f.sessions > 0 ORDER BY f.patient_id LIMIT 1`,
      [uzovi],
    );
    const oneSessionMore = async () => {
      const added = await ctx.dataSource.query(
        `INSERT INTO therapy_sessions (patient_id, date, kind)
         SELECT patient_id, date, 'REMOTE' FROM therapy_sessions s WHERE patient_id = $1
           AND NOT EXISTS (SELECT 1 FROM therapy_sessions t WHERE t.patient_id = s.patient_id AND t.date = s.date AND t.kind = 'REMOTE')
         ORDER BY date LIMIT 1 RETURNING id`,
        [patient.patient_id],
      );
      expect(added).toHaveLength(1);
      await recomputePatients([patient.patient_id]);
    };
    await oneSessionMore();

    // Within the hour: the earlier document, stale, and nothing queued (the cache row stays as it was).
    for (let i = 0; i < 3; i++) {
      const again = await byInsurer();
      expect([again.stale, again.computedAt]).toEqual([true, first.computedAt]);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await cachedAt()).toBe(firstCached);
    expect(await refreshes.getWaitingCount()).toBe(0);

    // The hour has passed (the cache row is made an hour and a second older).
    await ctx.dataSource.query(
      `UPDATE comparison_cache SET computed_at = computed_at - interval '3601 seconds' WHERE experiment_id = $1 AND filter_key LIKE '%insurerIds%'`,
      [experimentId],
    );
    // Another API process has claimed this filter's refresh (refreshClaimKey, in the shared Redis): this one leaves it
    // to that one. Its readers get the earlier document, nothing is queued, and the cache row stays as it was.
    const [{ filter_key: filterKey }] = await ctx.dataSource.query(
      `SELECT filter_key FROM comparison_cache WHERE experiment_id = $1 AND filter_key LIKE '%insurerIds%'`,
      [experimentId],
    );
    const redis = ctx.app.get<Redis>(REDIS);
    const claimKey = refreshClaimKey(config.QUEUE_PREFIX, experimentId, filterKey);
    expect(await redis.set(claimKey, 'another process', 'PX', 60_000, 'NX')).toBe('OK');
    const agedCachedAt = await cachedAt();
    for (let i = 0; i < 3; i++) {
      expect((await byInsurer()).stale).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await cachedAt()).toBe(agedCachedAt);
    expect(await refreshes.getWaitingCount()).toBe(0);
    expect(await redis.get(claimKey)).toBe('another process');
    // That claim ends: the next reader's process claims the refresh itself, for the interval (an hour here), and
    // queues it with the reader's filters. The API process does not make the document itself: the row stays as it was.
    await redis.del(claimKey);
    expect((await byInsurer()).stale).toBe(true);
    const job = await queuedJob();
    expect(job.data).toEqual({ experimentId, filters: JSON.parse(filterKey.slice(2)), filterKey });
    expect(await redis.get(claimKey)).toBe(String(process.pid));
    const claimMs = await redis.pttl(claimKey);
    expect(claimMs).toBeGreaterThan(3_600_000 - 60_000);
    expect(claimMs).toBeLessThanOrEqual(3_600_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await cachedAt()).toBe(agedCachedAt);
    // The worker's processor makes it: then the reader's document is fresh, and equals the direct aggregation.
    expect(await run(processor, job)).toMatchObject({ status: 'REFRESHED' });
    const fresh = await byInsurer();
    expect(fresh.stale).toBe(false);
    expect(fresh.computedAt).not.toBe(first.computedAt);
    // The cache key is '<document shape>:' followed by the filters' JSON.
    const direct = buildComparison(await ctx.app.get(ComparisonRepository).summarise(ctx.dataSource.manager, experimentId, JSON.parse(filterKey.slice(2))));
    expect(fresh.indicators).toEqual(JSON.parse(JSON.stringify(direct.indicators)));
    // After it, the lane is the processor's for the pause: REFRESH_PAUSE_FACTOR times the refresh's own time.
    const lane = sharedLaneKey(config.QUEUE_PREFIX);
    expect(await redis.get(lane)).toBe(String(process.pid));

    // Stale and due again: one session more, the cache row an hour and a second older, this process's claim let go.
    const makeDueAgain = async () => {
      await oneSessionMore();
      await ctx.dataSource.query(
        `UPDATE comparison_cache SET computed_at = computed_at - interval '3601 seconds' WHERE experiment_id = $1 AND filter_key = $2`,
        [experimentId, filterKey],
      );
      await redis.del(claimKey);
    };
    // A job queued longer ago than the interval when its turn comes is dropped (not made); a reader since has queued
    // the filter again.
    await makeDueAgain();
    const dueCachedAt = await cachedAt();
    expect((await byInsurer()).stale).toBe(true);
    const overdue = await queuedJob();
    overdue.timestamp = Date.now() - 3_600_001;
    expect(await run(processor, overdue)).toEqual({ status: 'DROPPED', ms: 0 });
    expect(await cachedAt()).toBe(dueCachedAt);

    // The worker processes share one lane: while another one's refresh, or the pause after it, holds it (its key in
    // Redis, here for 1.5 s), this one's job waits, and runs once it is free.
    await redis.del(claimKey);
    expect((await byInsurer()).stale).toBe(true);
    const waiting = await queuedJob();
    await redis.del(lane);
    expect(await redis.set(lane, 'another process', 'PX', 1_500, 'NX')).toBe('OK');
    const heldFrom = Date.now();
    const result = await run(processor, waiting);
    expect(result).toMatchObject({ status: 'REFRESHED' });
    expect(Date.now() - heldFrom).toBeGreaterThanOrEqual(1_500);
    expect(await cachedAt()).toBeGreaterThan(dueCachedAt);
    expect((await byInsurer()).stale).toBe(false);
    // Its pause: the lane is held for ten times the refresh's milliseconds (at least 1 ms), then free.
    const pauseMs = await redis.pttl(lane);
    expect(pauseMs).toBeGreaterThan(0);
    expect(pauseMs).toBeLessThanOrEqual(Math.max(1, REFRESH_PAUSE_FACTOR * result.ms));

    // A worker that stops does not wait out another's pause: its job waiting for the lane is let go at once.
    await makeDueAgain();
    expect((await byInsurer()).stale).toBe(true);
    const atStop = await queuedJob();
    await redis.del(lane);
    expect(await redis.set(lane, 'another process', 'PX', 60_000, 'NX')).toBe('OK');
    const stopping = new ComparisonRefreshProcessor(ctx.app.get(IndicatorsService), refreshes, config);
    const stopped = run(stopping, atStop);
    await new Promise((r) => setTimeout(r, 300));
    const stopAt = Date.now();
    stopping.onModuleDestroy();
    expect(await stopped).toEqual({ status: 'DROPPED', ms: 0 });
    expect(Date.now() - stopAt).toBeLessThan(1_000);
    await redis.del(lane);
  });
});
