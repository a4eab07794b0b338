import { getQueueToken, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy, Provider } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '../../core/config/app-config';
import { COMPARISON_REFRESH_QUEUE, JOB, RefreshComparisonPayload, RefreshResult } from '../../core/queue/queue-names';
import { QUEUE_ADD_TIMEOUT_MS, queueRedis, readQueue } from '../../core/queue/queue-read';
import { IndicatorsService } from './indicators.service';

/**
 * After a refresh of T ms, the next one (in any worker process) starts 10T later: refreshes take at most an eleventh
 * of the time. (2 until the load run of 2026-12-03 found nearly every request of more than 200 ms, 36 of 37,
 * overlapping such a refresh: each holds a core of PostgreSQL for 100 ms to 1 s at 100,000 patients. The README's
 * "Filtered comparisons" has the load runs that chose 10.)
 */
export const REFRESH_PAUSE_FACTOR = 10;

/** The longest a refresh holds the shared lane (sharedLaneKey) if its process stops during it. */
const SHARED_LANE_HOLD_MS = 60_000;

/** The Redis key of the lane the refreshes of all worker processes share: held during a refresh and its pause. */
export function sharedLaneKey(queuePrefix: string): string {
  return `${queuePrefix}:comparison-refresh-lane`;
}

/**
 * Makes filtered comparison documents again in the worker (the API processes queue them: IndicatorsService
 * .refreshInBackground), so that the JavaScript that combines a document never holds an API process's event loop.
 * One at a time per worker process (concurrency 1), and one at a time among all of them: a refresh takes the lane in
 * Redis (SET NX PX), and keeps it for REFRESH_PAUSE_FACTOR times its own duration after it, so under writes arriving
 * all the time the refreshes take a bounded share of one database connection and leave the machine to the readers
 * and the writes. A job that has waited longer than COMPARISON_REFRESH_INTERVAL_MS when its turn comes is dropped:
 * the lane's work is what readers ask for now, not a backlog of filters nobody reads any more (a reader since then
 * has claimed and queued the filter again). With an interval of 0 nothing is dropped and the lane is not shared.
 * Registered through comparisonRefreshProcessorProvider.
 */
export class ComparisonRefreshProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(ComparisonRefreshProcessor.name);
  /** Set when the worker stops: a job waiting for the lane gives up, so stopping does not wait out a pause. */
  private closing = false;

  constructor(
    private readonly indicators: IndicatorsService,
    private readonly queue: Queue<RefreshComparisonPayload>,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleDestroy(): void {
    this.closing = true;
  }

  async process(job: Job<RefreshComparisonPayload>): Promise<RefreshResult> {
    if (job.name !== JOB.REFRESH_COMPARISON) throw new Error(`No handler for job ${job.name}`);
    const { experimentId, filters, filterKey } = job.data;
    if (this.overdue(job) || !(await this.takeSharedLane())) return { status: 'DROPPED', ms: 0 };
    const started = Date.now();
    try {
      if (this.overdue(job)) return { status: 'DROPPED', ms: 0 };
      await this.indicators.refreshComparison(experimentId, filters, filterKey);
      return { status: 'REFRESHED', ms: Date.now() - started };
    } catch (error) {
      // Not retried: the next reader of the stale document asks again.
      this.logger.warn({ experimentId, filterKey, err: (error as Error).message }, 'filtered comparison not refreshed');
      throw error;
    } finally {
      await this.holdSharedLane((Date.now() - started) * REFRESH_PAUSE_FACTOR);
    }
  }

  /** Queued longer ago than the interval: no reader has asked for this job during it (see the class). */
  private overdue(job: Job): boolean {
    const intervalMs = this.config.COMPARISON_REFRESH_INTERVAL_MS;
    return intervalMs > 0 && Date.now() - job.timestamp > intervalMs;
  }

  /**
   * Waits until no other worker's refresh, nor the pause after it, holds the shared lane, and takes it (for at most
   * SHARED_LANE_HOLD_MS should this process stop during the refresh). False when the worker is stopping. With Redis
   * unreachable, or an interval of 0, it does not wait.
   */
  private async takeSharedLane(): Promise<boolean> {
    if (this.config.COMPARISON_REFRESH_INTERVAL_MS <= 0) return true;
    const key = sharedLaneKey(this.config.QUEUE_PREFIX);
    while (!this.closing) {
      const taken = await readQueue(this.queue, async () => (await queueRedis(this.queue)).set(key, String(process.pid), 'PX', SHARED_LANE_HOLD_MS, 'NX'), QUEUE_ADD_TIMEOUT_MS);
      if (!taken.reachable || taken.value === 'OK') return true;
      const left = await readQueue(this.queue, async () => (await queueRedis(this.queue)).pttl(key), QUEUE_ADD_TIMEOUT_MS);
      const waitMs = left.reachable && left.value > 0 ? Math.min(left.value, 250) : 50;
      await new Promise<void>((resolve) => setTimeout(resolve, waitMs).unref());
    }
    return false;
  }

  /** After a refresh: the lane stays this process's for the pause after it (then any worker may take it). */
  private async holdSharedLane(pauseMs: number): Promise<void> {
    if (this.config.COMPARISON_REFRESH_INTERVAL_MS <= 0) return;
    const key = sharedLaneKey(this.config.QUEUE_PREFIX);
    await readQueue(this.queue, async () => (await queueRedis(this.queue)).set(key, String(process.pid), 'PX', Math.max(1, Math.round(pauseMs))), QUEUE_ADD_TIMEOUT_MS);
  }
}

/**
 * The processor with its worker options (concurrency 1), applied when Nest builds the provider, as the recompute
 * processor's are (indicatorsProcessorProvider). A refresh's job lock is renewed while it runs, like a recompute's.
 */
export const comparisonRefreshProcessorProvider: Provider = {
  provide: ComparisonRefreshProcessor,
  inject: [AppConfig, IndicatorsService, getQueueToken(COMPARISON_REFRESH_QUEUE)],
  useFactory: (config: AppConfig, indicators: IndicatorsService, queue: Queue<RefreshComparisonPayload>) => {
    Processor(COMPARISON_REFRESH_QUEUE, { concurrency: 1, lockDuration: config.JOB_LOCK_DURATION_MS, stalledInterval: config.JOB_LOCK_DURATION_MS })(
      ComparisonRefreshProcessor,
    );
    return new ComparisonRefreshProcessor(indicators, queue, config);
  },
};
