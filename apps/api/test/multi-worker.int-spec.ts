import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { Client } from 'pg';
import { INDICATORS_QUEUE, JobResult } from '../src/core/queue/queue-names';
import { RecomputeService } from '../src/modules/indicators/recompute.service';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

/** One call of a worker's recompute unit of work, as that worker saw it (performance.now(), ms). */
interface Run {
  worker: string;
  experimentId: string;
  upTo: number;
  start: number;
  end?: number;
  result?: JobResult;
}

/**
 * Starts a worker context and records every recompute it runs, calling through to the real unit of work. The
 * recording is installed before the caller's next await, so before the worker can have taken a job.
 */
async function startRecordedWorker(name: string, runs: Run[]): Promise<INestApplicationContext> {
  const worker = await startTestWorker();
  const service = worker.get(RecomputeService);
  const recompute = service.recompute.bind(service);
  jest.spyOn(service, 'recompute').mockImplementation(async (experimentId, upTo, onProgress) => {
    const run: Run = { worker: name, experimentId, upTo, start: performance.now() };
    runs.push(run);
    try {
      run.result = await recompute(experimentId, upTo, onProgress);
      return run.result;
    } finally {
      run.end = performance.now();
    }
  });
  return worker;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A second connection that holds FOR SHARE row locks on experiments until commit(): a recompute of them waits. */
async function holdExperiments(url: string, codes: string[]) {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`SELECT id FROM experiments WHERE code = ANY($1::text[]) FOR SHARE`, [codes]);
  return {
    commit: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Worked example B: the DOMAIN.md section 9 example again, in an experiment of its own. */
function experimentB() {
  const doc = workedExampleDocument();
  return { ...doc, experiment: { ...doc.experiment, code: 'WORKED-B', name: 'Worked example B' } };
}

/** The writes of this spec, in order, so the single-worker run on a fresh database can make exactly the same. */
async function importBoth(ctx: TestContext): Promise<void> {
  await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
  await ctx.http().post('/api/v1/experiment-data').send(experimentB()).expect(200);
}

/** A new session of patient P of experiment WORKED, through the API as its practice. */
async function writeSession(ctx: TestContext, date: string): Promise<void> {
  const [{ id }] = await ctx.dataSource.query(
    `SELECT p.id FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE e.code = 'WORKED' AND p.ref = 'P'`,
  );
  const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
  await practice().post(`/api/v1/patients/${id}/sessions`).send({ date, kind: 'INDIVIDUAL' }).expect(201);
}

async function requestRecompute(ctx: TestContext, experiment: string): Promise<string> {
  const response = await ctx.http().post('/api/v1/indicators/recompute').send({ experiment }).expect(202);
  expect(response.body.queued).toBe(true);
  return response.body.jobId;
}

/** Everything a recompute produces, keyed by experiment code and patient ref (ids differ between databases). */
async function computedState(ctx: TestContext) {
  const facts = await ctx.dataSource.query(
    `SELECT e.code, p.ref, to_jsonb(f) - 'patient_id' - 'experiment_id' - 'practice_id' - 'insurer_id' - 'computed_at' AS facts
     FROM patient_facts f JOIN patients p ON p.id = f.patient_id JOIN experiments e ON e.id = f.experiment_id ORDER BY 1, 2`,
  );
  const quarters = await ctx.dataSource.query(
    `SELECT e.code, p.ref, q.quarter_index, to_jsonb(q) - 'patient_id' - 'experiment_id' AS quarter
     FROM care_quarter_facts q JOIN patients p ON p.id = q.patient_id JOIN experiments e ON e.id = q.experiment_id
     ORDER BY 1, 2, 3`,
  );
  const comparisons: Record<string, unknown> = {};
  for (const code of ['WORKED', 'WORKED-B']) {
    const { computedAt, ...document } = (await ctx.http().get(`/api/v1/indicators/comparison?experiment=${code}`).expect(200)).body;
    expect(computedAt).toEqual(expect.any(String));
    comparisons[code] = document;
  }
  return { facts, quarters, comparisons };
}

/** Granted recompute locks (two-key advisory locks of key space 1703, RecomputeLockRepository). */
async function heldRecomputeLocks(ctx: TestContext): Promise<number> {
  const [{ n }] = await ctx.dataSource.query(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 1703 AND objsubid = 2 AND granted`,
  );
  return n;
}

type Indicator = { code: string; arms: Record<string, { n: number; value: number | null }> };
const bundleValue = (document: unknown, code: string) =>
  ((document as { indicators: Indicator[] }).indicators.find((i) => i.code === code) as Indicator).arms.BUNDLE;

describe('recompute jobs shared by two worker processes (real PostgreSQL and Redis, two worker contexts on one queue)', () => {
  // One job at a time per worker, so whatever runs in parallel runs in two workers.
  const saved = process.env.WORKER_CONCURRENCY;
  const runs: Run[] = [];
  let ctx: TestContext;
  let workers: INestApplicationContext[] = [];
  let queue: Queue;
  let ids: Record<'WORKED' | 'WORKED-B', string>;
  let multiWorkerState: Awaited<ReturnType<typeof computedState>>;

  beforeAll(async () => {
    process.env.WORKER_CONCURRENCY = '1';
    ctx = await startTestApp();
  });
  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await ctx?.close();
    jest.restoreAllMocks();
    if (saved === undefined) delete process.env.WORKER_CONCURRENCY;
    else process.env.WORKER_CONCURRENCY = saved;
  });

  it('should recompute two experiments at the same time in the two workers when both have changes', async () => {
    // Both imports are pending when the workers start; the held row locks keep each job inside its transaction
    // until both have started.
    await importBoth(ctx);
    const experiments: { id: string; code: string }[] = await ctx.dataSource.query(`SELECT id, code FROM experiments`);
    ids = Object.fromEntries(experiments.map((e) => [e.code, e.id])) as typeof ids;
    const hold = await holdExperiments(ctx.db.url, ['WORKED', 'WORKED-B']);
    try {
      workers = [await startRecordedWorker('w1', runs), await startRecordedWorker('w2', runs)];
      queue = workers[0].get<Queue>(getQueueToken(INDICATORS_QUEUE));
      await until(() => runs.length === 2, 20_000, 'both experiments to be taken by a worker');
      expect(await queue.getActiveCount()).toBe(2);
      expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(['w1', 'w2']));
      expect(new Set(runs.map((r) => r.experimentId))).toEqual(new Set([ids.WORKED, ids['WORKED-B']]));
      expect(await heldRecomputeLocks(ctx)).toBe(2); // one per experiment
    } finally {
      await hold.commit();
    }
    await waitForIndicators(ctx.dataSource, 20_000);
    // A job is marked completed a moment after its transaction commits.
    await until(async () => (await queue.getCompletedCount()) === 2, 5000, 'both jobs to be completed');
    await until(() => runs.every((r) => r.end !== undefined), 5000, 'both runs to end');

    // Overlapping intervals: each started before the other ended, in the recordings and in the jobs' own timestamps.
    const [a, b] = runs;
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end as number, b.end as number));
    const jobs = (await queue.getJobs(['completed'])) as Job[];
    expect(jobs).toHaveLength(2);
    const [j1, j2] = jobs;
    expect(Math.max(j1.processedOn as number, j2.processedOn as number)).toBeLessThan(
      Math.min(j1.finishedOn as number, j2.finishedOn as number),
    );
    expect(runs.map((r) => r.result)).toEqual([
      { status: 'DONE', patients: 1, full: true, outboxRows: 1 },
      { status: 'DONE', patients: 1, full: true, outboxRows: 1 },
    ]);
    expect(await heldRecomputeLocks(ctx)).toBe(0); // released after each job
  });

  it('should never recompute one experiment in two workers at once, and delay a job that finds it busy, when many changes come in while it runs', async () => {
    runs.length = 0;
    const hold = await holdExperiments(ctx.db.url, ['WORKED']);
    let delayedJobId: string;
    try {
      const first = await requestRecompute(ctx, 'WORKED');
      await until(() => runs.length === 1, 20_000, 'the first recompute to start');
      expect(await queue.getJobState(first)).toBe('active');

      // The second request's job goes to the other (free) worker, finds the experiment locked and is delayed,
      // again and again, without ever entering the recompute.
      delayedJobId = await requestRecompute(ctx, 'WORKED');
      await until(async () => ((await queue.getJob(delayedJobId))?.attemptsStarted ?? 0) >= 3, 20_000, 'the job to be delayed twice');
      const waiting = (await queue.getJob(delayedJobId)) as Job;
      expect(waiting.attemptsMade).toBe(0); // a wait is not a failed attempt
      expect(['delayed', 'waiting', 'active']).toContain(await queue.getJobState(delayedJobId));
      expect(runs).toHaveLength(1);

      // Meanwhile the delayed job holds no slot: the other experiment is recomputed while WORKED is still busy.
      const other = await requestRecompute(ctx, 'WORKED-B');
      await until(async () => (await queue.getJobState(other)) === 'completed', 20_000, "WORKED-B's recompute");
      expect(await queue.getJobState(first)).toBe('active');

      // More changes to the busy experiment: two sessions and one more recompute request.
      await writeSession(ctx, '2025-09-03');
      await writeSession(ctx, '2025-09-10');
      await requestRecompute(ctx, 'WORKED');
      expect(await heldRecomputeLocks(ctx)).toBe(1); // WORKED's, held by the first job
      expect(runs.filter((r) => r.experimentId === ids.WORKED)).toHaveLength(1);
    } finally {
      await hold.commit();
    }
    await waitForIndicators(ctx.dataSource, 30_000);
    // Jobs whose changes a later job already covered still run (and find nothing to do): wait for the queue to drain.
    const unfinished = async () => Object.values(await queue.getJobCounts('active', 'waiting', 'delayed')).reduce((x, y) => x + y, 0);
    await until(async () => (await unfinished()) === 0, 20_000, 'the queue to drain');
    await until(() => runs.every((r) => r.end !== undefined), 5000, 'every run to end');

    // Pairwise disjoint: sorted by start, each run of WORKED ends before the next one starts.
    const worked = runs.filter((r) => r.experimentId === ids.WORKED).sort((x, y) => x.start - y.start);
    expect(worked.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < worked.length; i++) expect(worked[i - 1].end as number).toBeLessThanOrEqual(worked[i].start);
    // Both workers did some of it.
    expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(['w1', 'w2']));

    // The delayed job ran once it could, to completion: started more than once, one attempt used.
    const delayed = (await queue.getJob(delayedJobId!)) as Job;
    expect(await delayed.getState()).toBe('completed');
    expect(delayed.attemptsStarted).toBeGreaterThanOrEqual(4);
    expect(delayed.attemptsMade).toBe(1);
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
    expect(await heldRecomputeLocks(ctx)).toBe(0);
  });

  it('should give the hand-computed figures of both experiments when the two workers have caught up', async () => {
    multiWorkerState = await computedState(ctx);
    const facts = Object.fromEntries(multiWorkerState.facts.map((f: { code: string; facts: unknown }) => [f.code, f.facts]));
    // WORKED: P's six sessions plus 2025-09-03 and 2025-09-10 (INDIVIDUAL, both in Q3 2025-08-10 .. 2025-11-10):
    // 8 sessions; Q3 FFS 4000 + 2 x 4000 = 12000, so the counterfactual is 22000 + 4000 + 12000 = 38000 cents;
    // paid stays 45000 + 36000 + 36000 = 117000 (the bundle pays per quarter, not per session).
    expect(facts.WORKED).toMatchObject({ sessions: 8, care_quarters: 3, paid_cents: 117000, counterfactual_cents: 38000 });
    // WORKED-B: the worked example as it is: 6 sessions, counterfactual 22000 + 4000 + 4000 = 30000.
    expect(facts['WORKED-B']).toMatchObject({ sessions: 6, care_quarters: 3, paid_cents: 117000, counterfactual_cents: 30000 });
    // PAID_PER_CARE_QUARTER 117000 / 3 = 39000 cents = EUR 390 in both; COUNTERFACTUAL 38000 / 3 = 12666.67 cents
    // = EUR 126.67 in WORKED and 30000 / 3 = 10000 cents = EUR 100 in WORKED-B.
    const { WORKED, 'WORKED-B': B } = multiWorkerState.comparisons;
    expect(bundleValue(WORKED, 'PAID_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 390 });
    expect(bundleValue(B, 'PAID_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 390 });
    expect(bundleValue(WORKED, 'COUNTERFACTUAL_PER_CARE_QUARTER').value).toBeCloseTo(126.67, 2);
    expect(bundleValue(B, 'COUNTERFACTUAL_PER_CARE_QUARTER')).toMatchObject({ n: 1, value: 100 });
  });

  it('should give exactly the facts and comparisons of one worker when the same writes are made on a fresh database', async () => {
    for (const worker of workers) await worker.close();
    workers = [];
    await ctx.close();
    // One worker, one job at a time: the shape before issue 17.
    ctx = await startTestApp();
    workers = [await startTestWorker()];
    await importBoth(ctx);
    await waitForIndicators(ctx.dataSource, 20_000);
    await requestRecompute(ctx, 'WORKED');
    await requestRecompute(ctx, 'WORKED');
    await requestRecompute(ctx, 'WORKED-B');
    await writeSession(ctx, '2025-09-03');
    await writeSession(ctx, '2025-09-10');
    await requestRecompute(ctx, 'WORKED');
    await waitForIndicators(ctx.dataSource, 30_000);

    const single = await computedState(ctx);
    expect(single.facts).toHaveLength(2);
    expect(single.quarters).toHaveLength(6);
    expect(single).toEqual(multiWorkerState);
  });
});
