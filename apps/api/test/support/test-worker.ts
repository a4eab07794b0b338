import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../../src/worker.module';

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
