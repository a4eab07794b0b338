import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { INDICATORS_QUEUE, JOB, recomputeJobId, RecomputeExperimentPayload } from '../../core/queue/queue-names';
import { AppConfig } from '../../core/config/app-config';
import { retryPolicy } from '../../core/queue/retry-policy';
import { IndicatorRunsRepository } from './indicator-runs.repository';

const RECOVERY_EVERY_TICKS = 25;

/**
 * Runs in the worker: turns pending outbox rows into recompute jobs, one per experiment, with a job id
 * derived from the experiment and the highest pending row, so repeated polls add the job only once.
 * When Redis is down the add fails, the rows stay pending, and the next poll tries again.
 * A job that used up its attempts (a database outage longer than its backoff) stays in the failed set, where
 * an add with its id is ignored as a duplicate; so when that job's rows are still pending, the relay moves it
 * back to waiting with fresh attempts, once it has been failed for retryFailedAfterMs. The id stays the same:
 * repeated polls still collapse, and the job never runs twice at once (BullMQ moves only a failed job).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private lastError?: string;
  private ticks = 0;
  private readonly retryFailedAfterMs: number;
  /** How often the relay looks for pending outbox rows (ms, OUTBOX_RELAY_INTERVAL_MS). */
  private readonly intervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: IndicatorRunsRepository,
    @InjectQueue(INDICATORS_QUEUE) private readonly queue: Queue<RecomputeExperimentPayload>,
    config: AppConfig,
  ) {
    this.retryFailedAfterMs = retryPolicy(config).retryFailedAfterMs;
    this.intervalMs = config.OUTBOX_RELAY_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
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
        const jobId = recomputeJobId(payload);
        const state = await withTimeout(this.queue.getJobState(jobId), 5000);
        if (state === 'failed') await withTimeout(this.retryFailed(jobId), 5000);
        else if (state === 'unknown') await withTimeout(this.queue.add(JOB.RECOMPUTE_EXPERIMENT, payload, { jobId }), 5000);
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

  /**
   * Offers a failed recompute job again, attempts reset, once it has been failed for retryFailedAfterMs (so a long
   * outage costs one round of retries per interval, not one per poll). Another worker's relay may have moved it
   * first; BullMQ then refuses the move, which is fine.
   */
  private async retryFailed(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job?.finishedOn || Date.now() - job.finishedOn < this.retryFailedAfterMs) return;
    const { failedReason } = job;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      this.logger.warn({ jobId, failedReason }, 'failed recompute offered again: its changes are still pending');
    } catch (error) {
      if ((await this.queue.getJobState(jobId)) === 'failed') throw error;
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
