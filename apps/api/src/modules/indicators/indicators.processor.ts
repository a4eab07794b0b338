import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Provider } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { AppConfig } from '../../core/config/app-config';
import { INDICATORS_QUEUE, JOB, JobResult, RecomputeExperimentPayload } from '../../core/queue/queue-names';
import { RecomputeLockRepository } from './recompute-lock.repository';
import { RecomputeService } from './recompute.service';

/** First wait of a job whose experiment is being recomputed by another job; doubles on every further wait. */
export const LOCK_RETRY_FIRST_MS = 50;
/** Longest wait between two tries: a change behind a long full recompute is picked up at most this late. */
export const LOCK_RETRY_MAX_MS = 500;

/**
 * How long a job waits before it tries its experiment's lock again, after `waits` earlier waits: 50, 100, 200, 400,
 * then 500 ms. Short at first, because most recomputes are of one patient (tens of milliseconds) and a write should
 * be readable within a quarter of a second; capped, so a job behind a full recompute (seconds to a minute at national
 * size) costs a few cheap tries per second and is late by at most half a second.
 */
export function lockRetryDelayMs(waits: number): number {
  return Math.min(LOCK_RETRY_FIRST_MS * 2 ** Math.max(0, waits), LOCK_RETRY_MAX_MS);
}

/**
 * The coalescing rule (RECOMPUTE_COALESCE_MS): changes written while the last recompute of their experiment ran mean
 * that writes are streaming in; their recompute starts no sooner than `coalesceMs` after that one committed and then
 * takes every change pending (RecomputeService), instead of one recompute after another back to back. Changes written
 * after the last commit (a write after a quiet spell; every write of a user who waits for the last one to show) are
 * recomputed at once. This is the first half: the end of the window after the last commit, when `now` is within it
 * (ms since the epoch), else null. Within it, the job waits when changes written before that commit are pending.
 */
export function coalescingWindowEnd(lastCommittedAt: number | undefined, coalesceMs: number, now: number): number | null {
  if (lastCommittedAt === undefined || coalesceMs === 0) return null;
  const end = lastCommittedAt + coalesceMs;
  return now < end ? end : null;
}

/**
 * Runs the recompute jobs of the indicators queue, WORKER_CONCURRENCY at a time per worker process, any number of
 * worker processes on the same queue. One experiment is recomputed by one job at a time: a job first takes the
 * experiment's lock (RecomputeLockRepository.tryLock, shared by every process through PostgreSQL); when
 * another job holds it, this one does not wait in its slot but goes back to the queue as delayed, without using an
 * attempt, and tries again shortly (lockRetryDelayMs). Registered through indicatorsProcessorProvider, which gives it
 * its worker options from the typed configuration.
 */
export class IndicatorsProcessor extends WorkerHost {
  constructor(
    private readonly recompute: RecomputeService,
    private readonly locks: RecomputeLockRepository,
    private readonly coalesceMs = 0,
  ) {
    super();
  }

  async process(job: Job<RecomputeExperimentPayload>, token?: string): Promise<JobResult> {
    switch (job.name) {
      case JOB.RECOMPUTE_EXPERIMENT:
        return this.recomputeAlone(job, token);
      default:
        // A job nobody handles is a deployment error: fail it loudly so it stays visible.
        throw new Error(`No handler for job ${job.name}`);
    }
  }

  private async recomputeAlone(job: Job<RecomputeExperimentPayload>, token?: string): Promise<JobResult> {
    const { experimentId, upToOutboxId } = job.data;
    // Changes written while the last recompute ran wait for the ones still to come (coalescingWindowEnd); the wait is
    // a delay like the lock's below, not an attempt.
    const last = this.recompute.lastCommit(experimentId);
    const windowEnd = coalescingWindowEnd(last?.at, this.coalesceMs, Date.now());
    if (last && windowEnd !== null && (await this.recompute.pendingSince(experimentId, last.databaseAt))) {
      await job.moveToDelayed(windowEnd, token);
      throw new DelayedError();
    }
    const lock = await this.locks.tryLock(experimentId);
    if (!lock) {
      // Every start counts in attemptsStarted, a wait not in attemptsMade: the difference, less this start, is the
      // number of earlier waits.
      const waits = job.attemptsStarted - job.attemptsMade - 1;
      await job.moveToDelayed(Date.now() + lockRetryDelayMs(waits), token);
      throw new DelayedError(); // tells BullMQ the job has been moved, not failed
    }
    try {
      return await this.recompute.recompute(experimentId, upToOutboxId, (p) => job.updateProgress(p));
    } finally {
      await lock.release();
    }
  }
}

/**
 * The processor with its worker options from the DI-provided AppConfig: a decorator's options are fixed when the
 * file is imported, before the configuration is loaded and validated, so @Processor is applied here, when Nest
 * builds the provider (before the BullMQ explorer creates the worker from it). JOB_LOCK_DURATION_MS is the lock
 * duration of an active job: a killed worker's job is picked up again after it expires.
 */
export const indicatorsProcessorProvider: Provider = {
  provide: IndicatorsProcessor,
  inject: [AppConfig, RecomputeService, RecomputeLockRepository],
  useFactory: (config: AppConfig, recompute: RecomputeService, locks: RecomputeLockRepository) => {
    Processor(INDICATORS_QUEUE, {
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.JOB_LOCK_DURATION_MS,
      stalledInterval: config.JOB_LOCK_DURATION_MS,
    })(IndicatorsProcessor);
    return new IndicatorsProcessor(recompute, locks, config.RECOMPUTE_COALESCE_MS);
  },
};
