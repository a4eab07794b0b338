import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { JobResult } from '../../src/core/queue/queue-names';
import { RecomputeService } from '../../src/modules/indicators/recompute.service';
import { WorkerModule } from '../../src/worker.module';
import { TestContext } from './test-app';

/**
 * The queue worker in-process (processors + outbox relay) on the database and Redis prefix that
 * startTestApp() set in the environment. Call close() in afterAll.
 */
export async function startTestWorker(): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker.init();
  return worker;
}

/** Waits until the experiment has no pending outbox rows and a computed run, or fails after timeoutMs. */
export async function waitForIndicators(dataSource: DataSource, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ pending, runs }] = await dataSource.query(
      `SELECT (SELECT count(*) FROM indicator_outbox WHERE processed_at IS NULL)::int AS pending,
              (SELECT count(*) FROM indicator_runs)::int AS runs`,
    );
    if (pending === 0 && runs > 0) return;
    if (Date.now() > deadline) throw new Error(`indicators not computed within ${timeoutMs} ms (${pending} pending)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs the recompute job's unit of work in this process for the spec's only experiment, up to the newest
 * outbox row (announce rows first; without any, only a changed analysis date triggers work).
 */
export async function recomputeNow(ctx: TestContext): Promise<JobResult> {
  const [{ id, last }] = await ctx.dataSource.query(
    `SELECT e.id, COALESCE((SELECT max(id) FROM indicator_outbox), 0)::int AS last FROM experiments e`,
  );
  return ctx.app.get(RecomputeService).recompute(id, last);
}
