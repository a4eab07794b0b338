import { INestApplicationContext } from '@nestjs/common';
import { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { systemActor } from '../src/core/actor/actor';
import { DemoDataService } from '../src/modules/demo-data/demo-data.service';
import { freePort, spawnTypeScript, startRedis } from '@copd/dev-stack';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';


/** A digest of every materialised fact except the timestamp, to compare two recomputes row for row. */
async function factsDigest(
  dataSource: DataSource,
): Promise<{ patients: number; quarters: number; digest: string }> {
  const [row] = await dataSource.query(`
    SELECT (SELECT count(*) FROM patient_facts)::int AS patients,
           (SELECT count(*) FROM care_quarter_facts)::int AS quarters,
           md5((SELECT string_agg(t::text, '|' ORDER BY t.patient_id)
                FROM (SELECT patient_id, practice_id, arm, gold_stage, care_quarters, sessions, paid_cents,
                             counterfactual_cents, judged_quarters, low_intensity_quarters, above_guideline,
                             baseline_complete, six_mwt_base, six_mwt_3m, ccq_base_tenths, cat_12m,
                             followup_days, exacerbations, admissions FROM patient_facts) t)
               || (SELECT string_agg(q::text, '|' ORDER BY q.patient_id, q.quarter_index)
                   FROM (SELECT patient_id, quarter_index, start_date, sessions, is_care_quarter, ended,
                                bundle_cents, ffs_cents, paid_cents FROM care_quarter_facts) q)) AS digest`);
  return row;
}

function spawnWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawnTypeScript(['apps/api/src/worker.ts'], { env: { ...env, LOG_LEVEL: 'silent' }, stdio: 'ignore' });
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('indicator recompute under failure (real PostgreSQL, Redis and worker processes)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    // Large enough that a full recompute takes long enough to be interrupted (about 1 s here).
    await ctx.app
      .get(DemoDataService)
      .seed(systemActor('test', 'test'), { practices: 30, patients: 8000, seed: 7 });
  });
  afterAll(() => ctx.close());

  it('should give identical facts when the worker is killed in the middle of a full recompute and restarted', async () => {
    const env = { ...process.env, JOB_LOCK_DURATION_MS: '1500' };
    const first = spawnWorker(env);
    // The first recompute has started when its SQL is running; kill the worker process right then.
    try {
      await until(
        async () =>
          (
            await ctx.dataSource.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%facts_work_%'
               AND state = 'active' AND pid <> pg_backend_pid()`,
            )
          ).length > 0,
        60_000,
        'the recompute SQL to start',
      );
    } finally {
      first.kill('SIGKILL');
      if (first.exitCode === null && first.signalCode === null)
        await new Promise((r) => first.once('exit', r));
    }
    // Nothing half-written: no run recorded, no facts, the outbox still pending.
    await until(
      async () =>
        (
          await ctx.dataSource.query(
            `SELECT 1 FROM pg_stat_activity WHERE query LIKE '%facts_work_%' AND state = 'active' AND pid <> pg_backend_pid()`,
          )
        ).length === 0,
      60_000,
      'the killed worker’s transaction to end',
    );
    expect(await ctx.count('indicator_runs')).toBe(0);
    expect(await ctx.count('patient_facts')).toBe(0);
    expect(await ctx.count('care_quarter_facts')).toBe(0);
    const [{ pending }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS pending FROM indicator_outbox WHERE processed_at IS NULL`,
    );
    expect(pending).toBeGreaterThan(0);

    // A new worker picks the stalled job up once its lock expires and completes it.
    const second = spawnWorker(env);
    try {
      await waitForIndicators(ctx.dataSource, 120_000);
      const afterCrash = await factsDigest(ctx.dataSource);
      expect(afterCrash.patients).toBe(8000);

      // The same recompute, uninterrupted, gives exactly the same rows.
      const response = await ctx.http().post('/api/v1/indicators/recompute').send({}).expect(202);
      await until(
        async () =>
          (await ctx.http().get(`/api/v1/indicators/jobs/${encodeURIComponent(response.body.jobId)}`)).body
            .state === 'completed',
        120_000,
        'the uninterrupted recompute',
      );
      expect(await factsDigest(ctx.dataSource)).toEqual(afterCrash);
    } finally {
      second.kill('SIGTERM');
      if (second.exitCode === null && second.signalCode === null)
        await new Promise((r) => second.once('exit', r));
    }
  });
});

describe('indicator catch-up after Redis was down (real PostgreSQL and a Redis this test stops)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let redisPort: number;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const sharedRedisUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis({
      dataDir: path.join(tmpdir(), `redis-${redisPort}`),
      port: redisPort,
      persistent: false,
    });
    process.env.REDIS_URL = redis.url;
    ctx = await startTestApp();
    worker = await startTestWorker();
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
    await redis.stop();
    process.env.REDIS_URL = sharedRedisUrl;
  });

  it('should accept writes while Redis is stopped and catch up once it is back', async () => {
    const { generateExperiment } = await import('../src/modules/demo-data/demo-generator');
    const document = generateExperiment({ practices: 4, patients: 60, seed: 11 });
    await ctx.http().post('/api/v1/experiment-data').send(document).expect(200);
    await waitForIndicators(ctx.dataSource);
    const enrolled = async () => {
      const body = (await ctx.http().get('/api/v1/indicators/comparison').expect(200)).body;
      const row = body.indicators.find((i: { code: string }) => i.code === 'ENROLLED');
      return { stale: body.stale as boolean, total: row.arms.BUNDLE.value + row.arms.FFS.value };
    };
    // Patients with an intake on or before the analysis date are the population.
    const before = await enrolled();
    expect(before.stale).toBe(false);

    await redis.stop();
    // The same document plus one more patient with one session: a write that affects the indicators.
    const template = document.patients.find((p) => p.intakeDate <= document.experiment.analysisDate)!;
    const extraPatient = { ...template, ref: 'EXTRA-1' };
    const extra = {
      ...document,
      patients: [...document.patients, extraPatient],
      sessions: [
        ...document.sessions,
        { patient: 'EXTRA-1', practice: template.practice, date: template.intakeDate, kind: 'INDIVIDUAL' },
      ],
    };
    const write = await ctx.http().post('/api/v1/experiment-data').send(extra);
    expect(write.status).toBe(200);
    const health = await ctx.http().get('/health');
    expect(health.status).toBe(503);
    const whileDown = await enrolled();
    expect(whileDown).toEqual({ stale: true, total: before.total });

    redis = await startRedis({
      dataDir: path.join(tmpdir(), `redis-${redisPort}`),
      port: redisPort,
      persistent: false,
    });
    await waitForIndicators(ctx.dataSource, 60_000);
    const after = await enrolled();
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE p.intake_date <= e.analysis_date`,
    );
    expect(after).toEqual({ stale: false, total: n });
    expect(n).toBe(before.total + 1);
  });
});
