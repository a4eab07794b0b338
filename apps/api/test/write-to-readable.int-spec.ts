import { INestApplicationContext } from '@nestjs/common';
import type { ComparisonFilters } from '@copd/domain';
import { ComparisonRepository } from '../src/modules/indicators/comparison.repository';
import { IndicatorRunsRepository } from '../src/modules/indicators/indicator-runs.repository';
import { IndicatorsProcessor } from '../src/modules/indicators/indicators.processor';
import { IndicatorsService } from '../src/modules/indicators/indicators.service';
import { FactsRepository } from '../src/modules/indicators/facts.repository';
import { RecomputeService } from '../src/modules/indicators/recompute.service';
import { InFlight } from '../src/core/in-flight';
import { RELAY_LISTENER_NAME } from '../src/modules/indicators/outbox-relay.service';
import { WORKED_EXAMPLE } from './fixtures/builders';
import { workedExampleDocument } from './fixtures/worked-example';
import { Http, startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';
import { until, untilFresh } from './support/until';

type Indicator = { code: string; arms: Record<string, { n: number; value: number | null }> };

/**
 * Write to readable (issue 17, target 2) on the real PostgreSQL, Redis and worker: the relay is woken by the outbox
 * trigger's NOTIFY at commit, not by its poll, which is set to a minute here; it reconnects after losing its LISTEN
 * connection; and the recompute leaves the unfiltered comparison of the new facts cached, committed with them.
 * The figures follow the DOMAIN.md section 9 worked example (patient P, six sessions, bundle arm), to which every test
 * adds one INDIVIDUAL session in care quarter Q3 (2025-08-10 .. 2025-11-10), each 4000 cents under FFS.
 */
describe('write to readable: the relay wakes at commit and the recompute leaves the comparison computed', () => {
  const POLL_MS = '60000';
  /** From the write's response until its recompute is committed: far below the one-minute poll. */
  const WAKE_BOUND_MS = 2000;
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let practice: () => Http;
  let patientId: string;
  let experimentId: string;
  const saved = process.env.OUTBOX_RELAY_INTERVAL_MS;
  const savedRefresh = process.env.COMPARISON_REFRESH_INTERVAL_MS;
  const savedCoalesce = process.env.RECOMPUTE_COALESCE_MS;
  /**
   * The coalescing window here: 3 s rather than the default 1 s, so that the quiet write below lands inside the window
   * of the commit before it even on a loaded machine (a full `npm test` once took 1,089 ms from that commit to it).
   */
  const COALESCE_MS = 3000;

  beforeAll(async () => {
    process.env.OUTBOX_RELAY_INTERVAL_MS = POLL_MS;
    // A filtered comparison is aggregated again after every recompute (the default waits 30 s between two).
    process.env.COMPARISON_REFRESH_INTERVAL_MS = '0';
    process.env.RECOMPUTE_COALESCE_MS = String(COALESCE_MS);
    ctx = await startTestApp();
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    // The import's row was committed before the worker listened: its first pass after LISTEN picks it up.
    worker = await startTestWorker();
    await waitForIndicators(ctx.dataSource);
    [{ id: patientId, experiment_id: experimentId }] = await ctx.dataSource.query(
      `SELECT id, experiment_id FROM patients WHERE ref = 'P'`,
    );
    practice = await ctx.signIn({ role: 'PRACTICE', practices: [WORKED_EXAMPLE.practice] });
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
    if (saved === undefined) delete process.env.OUTBOX_RELAY_INTERVAL_MS;
    else process.env.OUTBOX_RELAY_INTERVAL_MS = saved;
    if (savedRefresh === undefined) delete process.env.COMPARISON_REFRESH_INTERVAL_MS;
    else process.env.COMPARISON_REFRESH_INTERVAL_MS = savedRefresh;
    if (savedCoalesce === undefined) delete process.env.RECOMPUTE_COALESCE_MS;
    else process.env.RECOMPUTE_COALESCE_MS = savedCoalesce;
  });

  const pending = async (): Promise<number> =>
    (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM indicator_outbox WHERE processed_at IS NULL`))[0].n;
  const listenerPids = async (): Promise<number[]> =>
    (
      await ctx.dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
        [RELAY_LISTENER_NAME],
      )
    ).map((r: { pid: number }) => r.pid);

  /** Writes one session of patient P and returns the milliseconds from the write's answer until it is recomputed. */
  async function writeAndTime(date: string): Promise<number> {
    await practice().post(`/api/v1/patients/${patientId}/sessions`).send({ date, kind: 'INDIVIDUAL' }).expect(201);
    const written = Date.now();
    await until(async () => (await pending()) === 0, 30_000, 'the session to be recomputed');
    return Date.now() - written;
  }

  const facts = async () => (await ctx.http().get(`/api/v1/patients/${patientId}/facts`).expect(200)).body;
  /**
   * The cache keys of the documents a full recompute leaves besides the unfiltered one, sorted: patient P's insurer's,
   * profile's, region's, GOLD stage's and region-with-stage's (IndicatorsService.cacheGroupComparisons; the worked
   * example has one of each), and the unfiltered one.
   */
  const fullRecomputeKeys = async (): Promise<string[]> => {
    const [{ insurer_id, profile, region, gold_stage }] = await ctx.dataSource.query(
      `SELECT insurer_id, profile, region, gold_stage FROM patient_facts WHERE patient_id = $1`,
      [patientId],
    );
    return [
      `2:{"insurerIds":["${insurer_id}"]}`,
      `2:{"profiles":[${profile}]}`,
      `2:{"regions":["${region}"]}`,
      `2:{"goldStages":[${gold_stage}]}`,
      `2:{"regions":["${region}"],"goldStages":[${gold_stage}]}`,
      '2:{}',
    ].sort();
  };
  /** How many documents a full recompute leaves (fullRecomputeKeys). */
  const FULL_RECOMPUTE_DOCUMENTS = 6;

  it('should recompute a session write within 2 s when the relay polls only once a minute', async () => {
    expect(await listenerPids()).toHaveLength(1);
    const ms = await writeAndTime('2025-09-03');
    expect(ms).toBeLessThan(WAKE_BOUND_MS);
    // Seven sessions; counterfactual 30000 + 4000 = 34000; paid stays 117000 (the bundle's quarter tariff).
    expect(await facts()).toMatchObject({ sessions: 7, careQuarters: 3, paidCents: 117000, counterfactualCents: 34000 });
  });

  it('should listen again and still wake at commit when its LISTEN connection is terminated', async () => {
    const [before] = await listenerPids();
    const [{ terminated }] = await ctx.dataSource.query(`SELECT pg_terminate_backend($1) AS terminated`, [before]);
    expect(terminated).toBe(true);
    // Reconnects after 100 ms (the first backoff step), as a new backend.
    await until(async () => {
      const now = await listenerPids();
      return now.length === 1 && now[0] !== before;
    }, 10_000, 'the relay to listen again');

    const ms = await writeAndTime('2025-09-10');
    expect(ms).toBeLessThan(WAKE_BOUND_MS);
    // Eight sessions; counterfactual 34000 + 4000 = 38000.
    expect(await facts()).toMatchObject({ sessions: 8, paidCents: 117000, counterfactualCents: 38000 });
  });

  it('should leave the unfiltered comparison of the new facts cached before any reader asks when a recompute commits', async () => {
    await writeAndTime('2025-09-17');
    // Nobody has read the comparison since the write: the unfiltered row is the recompute's, under the key of an
    // evaluator without filters (document shape 2, no filters); the insurer's, profile's, region's and GOLD stage's
    // are the first full recompute's, left in place.
    const cached: { filter_key: string; document: { indicators: Indicator[]; practices: Record<string, number> } }[] =
      await ctx.dataSource.query(`SELECT filter_key, document FROM comparison_cache WHERE experiment_id = $1 ORDER BY filter_key`, [experimentId]);
    expect(cached.map((row) => row.filter_key).sort()).toEqual(await fullRecomputeKeys());
    const unfilteredRow = cached.filter((row) => row.filter_key === '2:{}');
    const bundle = (indicators: Indicator[], code: string) => indicators.find((i) => i.code === code)!.arms.BUNDLE;
    const expected = {
      // Nine sessions over three care quarters: 9 / 3 = 3.
      SESSIONS_PER_CARE_QUARTER: 3,
      // Counterfactual 30000 + 3 x 4000 = 42000 cents over 3 care quarters = EUR 140.00.
      COUNTERFACTUAL_PER_CARE_QUARTER: 140,
      // Paid 117000 cents over 3 care quarters = EUR 390.00 (the bundle does not change with a session).
      PAID_PER_CARE_QUARTER: 390,
      // 117000 - 42000 = 75000 cents = EUR 750.00.
      PAID_MINUS_COUNTERFACTUAL_PER_PATIENT: 750,
    };
    for (const [code, value] of Object.entries(expected)) {
      expect({ code, ...bundle(unfilteredRow[0].document.indicators, code) }).toMatchObject({ code, n: 1, value });
    }
    expect(unfilteredRow[0].document.practices).toEqual({ BUNDLE: 1, FFS: 0 });

    // The evaluator's request is served that document, fresh; reading it adds nothing to the cache.
    const doc = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
    expect(doc).toMatchObject({ experiment: 'WORKED', stale: false });
    for (const [code, value] of Object.entries(expected)) {
      expect({ code, ...bundle(doc.indicators, code) }).toMatchObject({ code, n: 1, value });
    }
    // The unfiltered document and the other documents of the first full recompute, no other.
    expect(await ctx.count('comparison_cache')).toBe(FULL_RECOMPUTE_DOCUMENTS);
  });

  it('should serve the previous document marked stale, never an empty cache, while a write waits for its recompute', async () => {
    const processor = worker.get(IndicatorsProcessor);
    await processor.worker.pause();
    try {
      await practice().post(`/api/v1/patients/${patientId}/sessions`).send({ date: '2025-09-24', kind: 'INDIVIDUAL' }).expect(201);
      const doc = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
      // The change waits in the outbox, so the figures are those of nine sessions (9 / 3 = 3), said to be stale.
      expect(doc.stale).toBe(true);
      expect(doc.indicators.find((i: Indicator) => i.code === 'SESSIONS_PER_CARE_QUARTER').arms.BUNDLE).toMatchObject({ value: 3 });
      // The unfiltered document and the insurer's, profile's, region's and GOLD stage's of the first full recompute.
      expect(await ctx.count('comparison_cache')).toBe(FULL_RECOMPUTE_DOCUMENTS);
    } finally {
      processor.worker.resume();
    }
    await until(async () => (await pending()) === 0, 30_000, 'the paused recompute');
    const doc = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
    // Ten sessions over three care quarters: 10 / 3 = 3.333...
    expect(doc.stale).toBe(false);
    expect(doc.indicators.find((i: Indicator) => i.code === 'SESSIONS_PER_CARE_QUARTER').arms.BUNDLE.value).toBeCloseTo(10 / 3, 10);
  });

  it('should not hold a write back when a recompute of its experiment holds the experiment lock', async () => {
    // The recompute's own lock, in a transaction of the test's, held while a practice writes.
    const runner = ctx.dataSource.createQueryRunner();
    await runner.startTransaction();
    let answered: number | 'blocked';
    try {
      await ctx.app.get(IndicatorRunsRepository, { strict: false }).lockExperiment(runner.manager, experimentId);
      const started = Date.now();
      const write = practice()
        .post(`/api/v1/patients/${patientId}/sessions`)
        .send({ date: '2025-09-26', kind: 'INDIVIDUAL' })
        .then((response) => {
          expect(response.status).toBe(201);
          return Date.now() - started;
        });
      // The write's outbox row checks its foreign key with FOR KEY SHARE on the experiment's row, which the
      // recompute's FOR UPDATE blocked until its commit; FOR NO KEY UPDATE lets it through.
      answered = await Promise.race([write, new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 5000))]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(answered).not.toBe('blocked');
    expect(answered).toBeLessThan(WAKE_BOUND_MS);
    await until(async () => (await pending()) === 0, 30_000, 'the recompute after the lock is released');
    // Eleven sessions: the six of the example and five added; counterfactual 30000 + 5 x 4000 = 50000.
    expect(await facts()).toMatchObject({ sessions: 11, paidCents: 117000, counterfactualCents: 50000 });
  });

  it('should have the unfiltered comparison of the new facts cached when a full recompute job completes', async () => {
    const requested = (await ctx.http().post('/api/v1/indicators/recompute').send({}).expect(202)).body;
    await until(
      async () => (await ctx.http().get(`/api/v1/indicators/jobs/${encodeURIComponent(requested.jobId)}`)).body.state === 'completed',
      30_000,
      'the full recompute job',
    );
    const [run] = await ctx.dataSource.query(`SELECT full_recompute FROM indicator_runs WHERE experiment_id = $1`, [experimentId]);
    expect(run.full_recompute).toBe(true);
    // Filled right after the full recompute's commit (not inside it, which would keep the facts locked meanwhile): the
    // unfiltered document, and the insurer's and the profile's (cacheGroupComparisons).
    const cached: { filter_key: string; document: { indicators: Indicator[] } }[] = await ctx.dataSource.query(
      `SELECT filter_key, document FROM comparison_cache WHERE experiment_id = $1 ORDER BY filter_key`,
      [experimentId],
    );
    expect(cached.map((row) => row.filter_key).sort()).toEqual(await fullRecomputeKeys());
    for (const row of cached) {
      const sessions = row.document.indicators.find((i) => i.code === 'SESSIONS_PER_CARE_QUARTER')!.arms.BUNDLE;
      // Eleven sessions over three care quarters: 11 / 3 = 3.666... (P is the insurer's and the profile's only patient)
      expect({ key: row.filter_key, n: sessions.n }).toEqual({ key: row.filter_key, n: 1 });
      expect(sessions.value).toBeCloseTo(11 / 3, 10);
    }
    // Each group's document is the one an aggregation of its filter makes, and a reader gets it without one.
    const [{ insurer_id, profile, uzovi }] = await ctx.dataSource.query(
      `SELECT f.insurer_id, f.profile, i.uzovi FROM patient_facts f JOIN insurers i ON i.id = f.insurer_id WHERE f.patient_id = $1`,
      [patientId],
    );
    const service = ctx.app.get(IndicatorsService);
    const repository = ctx.app.get(ComparisonRepository);
    const aggregations = jest.spyOn(repository, 'summarise');
    try {
      const groups: [string, ComparisonFilters, (typeof cached)[number]][] = [
        [`insurer=${uzovi}`, { insurerIds: [insurer_id] }, cached.find((row) => row.filter_key.includes('insurerIds'))!],
        [`profile=${profile}`, { profiles: [profile] }, cached.find((row) => row.filter_key.includes('profiles'))!],
      ];
      for (const [query, filters, row] of groups) {
        const direct = await service.comparisonWithin(ctx.dataSource.manager, experimentId, filters);
        expect(row.document.indicators).toEqual(JSON.parse(JSON.stringify(direct.indicators)));
        aggregations.mockClear();
        const read = (await ctx.http().get(`/api/v1/indicators/comparison?${query}`).expect(200)).body;
        expect({ query, stale: read.stale }).toEqual({ query, stale: false });
        expect(read.indicators).toEqual(row.document.indicators);
        expect(aggregations).not.toHaveBeenCalled();
      }
    } finally {
      aggregations.mockRestore();
    }
  });

  it('should serve a filtered comparison at once marked stale, then the fresh one made once in the background, when a write was recomputed, from the facts or from the cells', async () => {
    // An insurer filter cuts through the comparison cells (they have no insurer): aggregated from the facts.
    const byInsurer = async () =>
      (await ctx.http().get(`/api/v1/indicators/comparison?insurer=${WORKED_EXAMPLE.insurer}`).expect(200)).body as Doc;
    // A practice filter selects whole cells: combined from them.
    const byPractice = async () =>
      (await ctx.http().get(`/api/v1/indicators/comparison?practice=${WORKED_EXAMPLE.practice}`).expect(200)).body as Doc;
    type Doc = { stale: boolean; computedAt: string; indicators: Indicator[] };
    const perQuarter = (doc: { indicators: Indicator[] }) => doc.indicators.find((i) => i.code === 'SESSIONS_PER_CARE_QUARTER')!.arms.BUNDLE.value;
    // Aggregated now and cached: eleven sessions over three care quarters, 11 / 3.
    const first = await byInsurer();
    expect(first.stale).toBe(false);
    expect(perQuarter(first)).toBeCloseTo(11 / 3, 10);
    expect(perQuarter(await byPractice())).toBeCloseTo(11 / 3, 10);
    // The full recompute's and the practice's.
    expect(await ctx.count('comparison_cache')).toBe(FULL_RECOMPUTE_DOCUMENTS + 1);

    // A twelfth session (Q3), recomputed: the recompute caches the unfiltered document and leaves the others.
    await writeAndTime('2025-09-29');
    const unfiltered = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
    expect(unfiltered.stale).toBe(false);
    expect(unfiltered.indicators.find((i: Indicator) => i.code === 'SESSIONS_PER_CARE_QUARTER').arms.BUNDLE.value).toBe(4);
    // The practice's reader, too, gets the document of the eleven sessions at once, stale and of the earlier run: the
    // cells are not combined again in the request (under a stream of writes that was a combination per reader and run).
    const practiceNow = await byPractice();
    expect(practiceNow.stale).toBe(true);
    expect(practiceNow.computedAt).toBe(first.computedAt);
    expect(perQuarter(practiceNow)).toBeCloseTo(11 / 3, 10);
    // Combined again in the background; then fresh: 12 / 3 = 4.
    const practiceFresh = await untilFresh(byPractice, 'the practice comparison to be combined again');
    expect(practiceFresh.computedAt).toBe(unfiltered.computedAt);
    expect(perQuarter(practiceFresh)).toBe(4);

    // The insurer's reader gets the document of the eleven sessions at once, said to be stale and of the earlier run.
    const older = await byInsurer();
    expect(older.stale).toBe(true);
    expect(older.computedAt).toBe(first.computedAt);
    expect(older.computedAt).not.toBe(unfiltered.computedAt);
    expect(perQuarter(older)).toBeCloseTo(11 / 3, 10);
    // Its re-aggregation runs once in the background; then the same request is fresh: 12 / 3 = 4.
    const fresh = await untilFresh(byInsurer, 'the filtered comparison to be aggregated again');
    expect(fresh.computedAt).toBe(unfiltered.computedAt);
    expect(perQuarter(fresh)).toBe(4);
    expect(await ctx.count('comparison_cache')).toBe(FULL_RECOMPUTE_DOCUMENTS + 1);
  });

  /**
   * Resolves once `n` requests have asked the API's shared aggregations of the facts (IndicatorsService.aggregatingOnce)
   * for a document: from then on they have started or joined one, and holding the aggregation back until then makes
   * every one of them overlap it, however slowly the requests arrive.
   */
  function askedForAggregation(n: number): { asked: Promise<void>; restore: () => void } {
    const shared = (ctx.app.get(IndicatorsService) as unknown as { aggregatingOnce: InFlight<unknown> }).aggregatingOnce;
    const get = shared.get.bind(shared);
    let calls = 0;
    let done: () => void = () => undefined;
    const asked = new Promise<void>((r) => (done = r));
    const spy = jest.spyOn(shared, 'get').mockImplementation((key, work) => {
      const answer = get(key, work);
      if (++calls === n) done();
      return answer;
    });
    return { asked, restore: () => spy.mockRestore() };
  }

  it('should aggregate a filter without a document once for all its concurrent readers, and one filter after another', async () => {
    // Two intake windows, both holding patient P (intake 2025-02-10): filters the cells cannot answer, never read yet.
    const paths = ['/api/v1/indicators/comparison?intakeFrom=2025-01-01', '/api/v1/indicators/comparison?intakeFrom=2025-02-01'];
    const repository = ctx.app.get(ComparisonRepository);
    const aggregate = repository.summarise.bind(repository);
    const readers = askedForAggregation(10);
    let running = 0;
    let mostAtOnce = 0;
    // Each aggregation of the facts (the real one, on the real database) waits until all ten readers have asked.
    const spy = jest.spyOn(repository, 'summarise').mockImplementation(async (...args) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await readers.asked;
        return await aggregate(...args);
      } finally {
        running--;
      }
    });
    try {
      const unfiltered = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => ctx.http().get(paths[i % 2]).expect(200)),
      );
      // Ten readers, two filters: two aggregations, never both at once.
      expect(spy).toHaveBeenCalledTimes(2);
      expect(mostAtOnce).toBe(1);
      for (const { body } of answers) {
        expect(body.stale).toBe(false);
        expect(body.computedAt).toBe(unfiltered.computedAt);
        // Twelve sessions over three care quarters (the earlier tests' writes): 12 / 3 = 4.
        expect(body.indicators.find((i: Indicator) => i.code === 'SESSIONS_PER_CARE_QUARTER').arms.BUNDLE.value).toBe(4);
      }
      // Each filter's document is cached once, next to the earlier tests' (the full recompute's and the practice's).
      expect(await ctx.count('comparison_cache')).toBe(FULL_RECOMPUTE_DOCUMENTS + 3);
    } finally {
      spy.mockRestore();
      readers.restore();
    }
  });

  it('should give a reader who joins an aggregation started before the latest recompute its document marked stale, with the earlier time', async () => {
    const path = '/api/v1/indicators/comparison?intakeTo=2025-12-31';
    const repository = ctx.app.get(ComparisonRepository);
    const aggregate = repository.summarise.bind(repository);
    const readers = askedForAggregation(2);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let started: () => void = () => undefined;
    const underWay = new Promise<void>((r) => (started = r));
    // The aggregation waits until the test lets it go: a write is recomputed in the meantime.
    const spy = jest.spyOn(repository, 'summarise').mockImplementation(async (...args) => {
      started();
      await held;
      return aggregate(...args);
    });
    try {
      const before = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
      // then(): supertest sends a request only when it is awaited.
      const first = ctx.http().get(path).expect(200).then((r) => r.body);
      await underWay;
      // A thirteenth session (Q3), recomputed while the first reader's aggregation waits.
      await writeAndTime('2025-09-25');
      const after = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
      expect(after.computedAt).not.toBe(before.computedAt);
      const second = ctx.http().get(path).expect(200).then((r) => r.body);
      // The second reader has joined the aggregation (its facts' time is the new one) before it goes on.
      await readers.asked;
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(spy).toHaveBeenCalledTimes(1);
      // The first reader's document is of the run it read: fresh then. The second's is the same document, said to be
      // of that earlier run and stale.
      expect(a).toMatchObject({ stale: false, computedAt: before.computedAt });
      expect(b).toMatchObject({ stale: true, computedAt: before.computedAt });
      expect(b.indicators).toEqual(a.indicators);
      // The aggregation ran after the recompute: thirteen sessions over three care quarters, 13 / 3.
      const value = a.indicators.find((i: Indicator) => i.code === 'SESSIONS_PER_CARE_QUARTER').arms.BUNDLE.value;
      expect(value).toBeCloseTo(13 / 3, 10);
    } finally {
      spy.mockRestore();
      readers.restore();
    }
  });

  it('should take the writes that arrive while a recompute runs into one recompute, started RECOMPUTE_COALESCE_MS (3 s here) after it committed, and a write after a quiet spell at once', async () => {
    const recompute = worker.get(RecomputeService);
    const factsRepository = worker.get(FactsRepository);
    const rebuild = factsRepository.rebuild.bind(factsRepository);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let started: () => void = () => undefined;
    const underWay = new Promise<void>((r) => (started = r));
    // The first recompute's rebuild waits until the test lets it go; the writes below arrive meanwhile.
    const spy = jest.spyOn(factsRepository, 'rebuild').mockImplementationOnce(async (...args) => {
      started();
      await held;
      return rebuild(...args);
    });
    const outboxRow = async (date: string) =>
      (
        await ctx.dataSource.query(
          `SELECT o.created_at, o.processed_at FROM indicator_outbox o
           JOIN therapy_sessions s ON s.patient_id = o.patient_id AND s.date = $2::date
           WHERE o.patient_id = $1 AND o.created_at = s.created_at`,
          [patientId, date],
        )
      )[0] as { created_at: Date; processed_at: Date };
    const write = (date: string) => practice().post(`/api/v1/patients/${patientId}/sessions`).send({ date, kind: 'INDIVIDUAL' }).expect(201);
    try {
      const sessionsBefore = (await facts()).sessions;
      await write('2025-09-01');
      await underWay;
      // Three writes while that recompute runs.
      for (const date of ['2025-09-02', '2025-09-04', '2025-09-05']) await write(date);
      release();
      await until(async () => (await pending()) === 0, 30_000, 'the writes to be recomputed');
      const committed = recompute.lastCommit(experimentId)?.at ?? NaN;

      const first = await outboxRow('2025-09-01');
      const during = await Promise.all(['2025-09-02', '2025-09-04', '2025-09-05'].map(outboxRow));
      // The three were taken by one recompute (one processed_at, its computedAt), which started no sooner than 3 s after
      // the first recompute committed: the first's computedAt is before the three were written, the next's after.
      expect(new Set(during.map((row) => row.processed_at.getTime())).size).toBe(1);
      const firstRun = first.processed_at.getTime();
      const nextRun = during[0].processed_at.getTime();
      expect(nextRun - firstRun).toBeGreaterThanOrEqual(COALESCE_MS);
      expect(spy).toHaveBeenCalledTimes(2);
      // 13 sessions before this test + 4 = 17 in the facts.
      expect((await facts()).sessions).toBe(sessionsBefore + 4);
      expect(sessionsBefore).toBe(13);
      expect(committed).toBeGreaterThanOrEqual(nextRun);

      // A write after the last commit is recomputed at once: not 3 s after that commit.
      await new Promise((r) => setTimeout(r, 50));
      await write('2025-09-08');
      await until(async () => (await pending()) === 0, 30_000, 'the quiet write to be recomputed');
      const quiet = await outboxRow('2025-09-08');
      expect(quiet.processed_at.getTime() - quiet.created_at.getTime()).toBeLessThan(500);
      expect(quiet.processed_at.getTime() - committed).toBeLessThan(COALESCE_MS);
      expect((await facts()).sessions).toBe(18);
    } finally {
      release();
      spy.mockRestore();
    }
  });
});
