import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { INDICATORS_QUEUE, JOB, recomputeJobId, RecomputeExperimentPayload } from '../../core/queue/queue-names';
import { IndicatorRunsRepository } from './indicator-runs.repository';

/** How often the relay looks for pending outbox rows (ms); small enough for sub-second catch-up. */
const RELAY_INTERVAL_MS = Number(process.env.OUTBOX_RELAY_INTERVAL_MS ?? 200);
const RECOVERY_EVERY_TICKS = 25;

/**
 * Runs in the worker: turns pending outbox rows into recompute jobs, one per experiment, with a job id
 * derived from the experiment and the highest pending row, so repeated polls add the job only once.
 * When Redis is down the add fails, the rows stay pending, and the next poll tries again.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private lastError?: string;
  private ticks = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: IndicatorRunsRepository,
    @InjectQueue(INDICATORS_QUEUE) private readonly queue: Queue<RecomputeExperimentPayload>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), RELAY_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One relay pass; returns the number of jobs offered to the queue. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      // Every few seconds (and at start): recover experiments whose derived tables were emptied.
      if (this.ticks++ % RECOVERY_EVERY_TICKS === 0) {
        const recovered = await this.runs.announceMissingRuns(this.dataSource.manager);
        if (recovered > 0) this.logger.warn({ experiments: recovered }, 'indicators missing: full recompute announced');
      }
      const pending = await this.runs.pendingByExperiment(this.dataSource.manager);
      for (const { experimentId, upTo } of pending) {
        const payload = { experimentId, upToOutboxId: upTo };
        await withTimeout(this.queue.add(JOB.RECOMPUTE_EXPERIMENT, payload, { jobId: recomputeJobId(payload) }), 5000);
      }
      if (this.lastError) this.logger.log('outbox relay reaches the queue again');
      this.lastError = undefined;
      return pending.length;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastError) this.logger.warn({ err: message }, 'outbox relay could not enqueue; will retry');
      this.lastError = message;
      return 0;
    } finally {
      this.running = false;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
