import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { AppConfig } from '../src/core/config/app-config';
import { INDICATORS_QUEUE, recomputeJobId } from '../src/core/queue/queue-names';
import { IndicatorRunsRepository } from '../src/modules/indicators/indicator-runs.repository';
import { OutboxRelayService } from '../src/modules/indicators/outbox-relay.service';
import { RecomputeService } from '../src/modules/indicators/recompute.service';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';

/**
 * The outbox relay under a stream of writes (issue 17, target 4), on real PostgreSQL and Redis with no worker
 * taking jobs, so a job the relay adds stays waiting: the relay adds no second job for an experiment while its
 * last one has not started, and that job, when it runs, takes every change pending then, also the later ones.
 */
describe('outbox relay: one waiting job per experiment takes the writes that arrive before it starts', () => {
  let ctx: TestContext;
  let queue: Queue;
  let relay: OutboxRelayService;
  let experimentId: string;
  let patientId: string;
  let practice: Awaited<ReturnType<TestContext['signIn']>>;

  const lastOutboxId = async (): Promise<number> => (await ctx.dataSource.query(`SELECT max(id)::int AS last FROM indicator_outbox`))[0].last;
  const jobOf = (upTo: number) => recomputeJobId({ experimentId, upToOutboxId: upTo });
  const writeSession = (date: string) =>
    practice().post(`/api/v1/patients/${patientId}/sessions`).send({ date, kind: 'INDIVIDUAL' }).expect(201);

  beforeAll(async () => {
    ctx = await startTestApp();
    queue = ctx.app.get<Queue>(getQueueToken(INDICATORS_QUEUE));
    // The worker's relay, built by hand and moved by hand (tick), without its timer and its LISTEN.
    relay = new OutboxRelayService(ctx.dataSource, ctx.app.get(IndicatorRunsRepository), queue, ctx.app.get(AppConfig));
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    [{ id: patientId, experiment_id: experimentId }] = await ctx.dataSource.query(`SELECT id, experiment_id FROM patients WHERE ref = 'P'`);
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
  });
  afterAll(async () => {
    await relay.onApplicationShutdown();
    await ctx.close();
  });

  it('should add one job for the import, and none for the writes that arrive while it waits', async () => {
    const imported = await lastOutboxId();
    expect(await relay.tick()).toBe(1); // one experiment with pending rows
    expect(await queue.getJobState(jobOf(imported))).toBe('waiting');

    await writeSession('2025-09-03');
    const first = await lastOutboxId();
    await relay.tick();
    await writeSession('2025-09-10');
    const second = await lastOutboxId();
    await relay.tick();
    expect(second).toBeGreaterThan(first);
    expect(first).toBeGreaterThan(imported);
    // No job for either write: the import's job has not started and will take them.
    expect(await queue.getJobState(jobOf(first))).toBe('unknown');
    expect(await queue.getJobState(jobOf(second))).toBe('unknown');
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it("should take every pending change when the waiting job runs, also those after its own row, and give the figures of all of them", async () => {
    const [{ rows, last }] = await ctx.dataSource.query(`SELECT count(*)::int AS rows, max(id)::int AS last FROM indicator_outbox`);
    // The import's job, run as the worker runs it, with the upTo of its id: the import's row, below the writes' rows.
    const [{ imported }] = await ctx.dataSource.query(`SELECT max(id)::int AS imported FROM indicator_outbox WHERE reason = 'import'`);
    expect(rows).toBe(3); // the import's experiment-wide row and one per session
    expect(imported).toBeLessThan(last);
    const result = await ctx.app.get(RecomputeService).recompute(experimentId, imported);
    // The first run of the experiment is a full one; it took the import's rows and both sessions' rows.
    expect(result).toMatchObject({ status: 'DONE', full: true, outboxRows: rows });
    expect((await ctx.dataSource.query(`SELECT count(*)::int AS n FROM indicator_outbox WHERE processed_at IS NULL`))[0].n).toBe(0);
    expect((await ctx.dataSource.query(`SELECT last_outbox_id::int AS last FROM indicator_runs`))[0].last).toBe(last);
    // DOMAIN.md section 9's patient P: six sessions, paid 117000 cents (bundle: intake + a quarter price per care
    // quarter), counterfactual Q1 22000 + Q2 4000 + Q3 4000 = 30000. Both new sessions (2025-09-03 and 2025-09-10,
    // INDIVIDUAL) fall in Q3 (2025-08-10 .. 2025-11-10): 8 sessions, counterfactual 30000 + 2 x 4000 = 38000; the
    // bundle pays per quarter, so paid stays 117000.
    const facts = (await ctx.http().get(`/api/v1/patients/${patientId}/facts`).expect(200)).body;
    expect(facts).toMatchObject({ sessions: 8, paidCents: 117000, counterfactualCents: 38000 });
  });

  it('should add a job for a new write once its last job for the experiment is no longer waiting', async () => {
    // As when the worker has taken and finished it: the job is no longer in the waiting list.
    const [waiting] = await queue.getWaiting();
    await waiting.remove();
    await writeSession('2025-09-17');
    const third = await lastOutboxId();
    expect(await relay.tick()).toBe(1);
    expect(await queue.getJobState(jobOf(third))).toBe('waiting');
  });
});
