import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { INDICATORS_QUEUE, recomputeJobId } from '../src/core/queue/queue-names';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Short retries, so that a job uses up its attempts in well under a second instead of 127 s; offered again 3 s after,
 * which leaves the test time to look at the failed job before the relay moves it.
 */
const POLICY = { RECOMPUTE_ATTEMPTS: '2', RECOMPUTE_BACKOFF_MS: '100', RECOMPUTE_RETRY_FAILED_AFTER_MS: '3000' };

describe('indicator catch-up after a recompute job failed for good (real PostgreSQL, Redis and worker)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let queue: Queue;
  const saved = Object.fromEntries(Object.keys(POLICY).map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    Object.assign(process.env, POLICY);
    ctx = await startTestApp();
    worker = await startTestWorker();
    queue = worker.get<Queue>(getQueueToken(INDICATORS_QUEUE));
  });
  afterAll(async () => {
    await worker.close();
    await ctx.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('should recompute the pending change without a new write when the cause of the failures is gone', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
    const [{ id: patientId, experiment_id: experimentId }] = await ctx.dataSource.query(
      `SELECT id, experiment_id FROM patients WHERE ref = 'P'`,
    );
    const facts = async () => (await ctx.http().get(`/api/v1/patients/${patientId}/facts`).expect(200)).body;
    // DOMAIN.md section 9: six sessions; counterfactual Q1 22000 + Q2 4000 + Q3 4000 = 30000 cents.
    expect(await facts()).toMatchObject({ sessions: 6, paidCents: 117000, counterfactualCents: 30000 });

    // A real cause: the application role may no longer delete comparison cells, which every recompute does in its
    // transaction, so each attempt fails and rolls back (the relay, the API and the writes never delete there).
    await ctx.db.asOwner((client) => client.query('REVOKE DELETE ON comparison_cells FROM copd_app'));
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    await practice()
      .post(`/api/v1/patients/${patientId}/sessions`)
      .send({ date: '2025-09-03', kind: 'INDIVIDUAL' })
      .expect(201);
    const [{ last, rows }] = await ctx.dataSource.query(
      `SELECT max(id)::int AS last, count(*)::int AS rows FROM indicator_outbox`,
    );
    const jobId = recomputeJobId({ experimentId, upToOutboxId: last });

    // Both attempts fail; the job stays in the failed set under the deterministic id the relay offers again.
    await until(async () => (await queue.getJobState(jobId)) === 'failed', 20_000, 'the job to fail for good');
    const failed = await queue.getJob(jobId);
    expect(failed?.attemptsMade).toBe(2);
    expect(failed?.failedReason).toMatch(/permission denied for table comparison_cells/);
    const pending = async () =>
      (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM indicator_outbox WHERE processed_at IS NULL`))[0].n;
    expect(await pending()).toBe(1); // the new session's row
    expect(await facts()).toMatchObject({ sessions: 6, counterfactualCents: 30000 }); // every attempt rolled back

    // The cause goes away; nobody writes or presses recompute.
    await ctx.db.asOwner((client) => client.query('GRANT DELETE ON comparison_cells TO copd_app'));
    await waitForIndicators(ctx.dataSource, 20_000);

    expect(await pending()).toBe(0);
    // No new outbox row was needed: the same job, offered again, did the work.
    expect(await ctx.dataSource.query(`SELECT max(id)::int AS last, count(*)::int AS rows FROM indicator_outbox`)).toEqual([
      { last, rows },
    ]);
    expect(await queue.getJobState(jobId)).toBe('completed');
    expect((await queue.getJob(jobId))?.returnvalue).toEqual({ status: 'DONE', patients: 1, full: false, outboxRows: 1 });
    // Seven sessions; the new one (2025-09-03, INDIVIDUAL) falls in Q3 (2025-08-10 .. 2025-11-10), so Q3 FFS
    // 4000 + 4000 = 8000 and the counterfactual 30000 + 4000 = 34000; paid stays 117000 (bundle per quarter).
    const after = await facts();
    expect(after).toMatchObject({ sessions: 7, careQuarters: 3, paidCents: 117000, counterfactualCents: 34000 });
    expect(after.quarters[2]).toMatchObject({ index: 3, sessions: 2, bundleCents: 36000, ffsCents: 8000 });
  });
});
