import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobResult } from '../../core/queue/queue-names';
import { FactsRepository } from './facts.repository';
import { IndicatorRunsRepository } from './indicator-runs.repository';
import { IndicatorsService } from './indicators.service';

/**
 * One unit of work of the recompute job: in ONE transaction, take the experiment's pending outbox rows
 * (up to a position), rebuild the facts of the patients they name (or of everyone, when a row names the
 * whole experiment or the analysis date moved), mark the rows done, save the run, and replace the cached
 * comparisons by the unfiltered comparison of the new facts (so the first reader after it finds it computed).
 * A crash anywhere rolls all of it back; a rerun gives the same rows.
 */
@Injectable()
export class RecomputeService {
  private readonly logger = new Logger(RecomputeService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: FactsRepository,
    private readonly runs: IndicatorRunsRepository,
    private readonly indicators: IndicatorsService,
  ) {}

  async recompute(
    experimentId: string,
    upToOutboxId: number,
    onProgress: (percent: number) => Promise<void> = async () => undefined,
  ): Promise<JobResult> {
    const started = Date.now();
    let comparisonMs = 0;
    let computedAt = new Date();
    const result = await this.dataSource.transaction(async (manager) => {
      // Serialises recomputes of one experiment (two workers never interleave their deletes/inserts).
      const experiment = await this.runs.lockExperiment(manager, experimentId);
      if (!experiment) return { status: 'NOTHING_TO_DO', patients: 0, full: false, outboxRows: 0 } satisfies JobResult;
      const pending = await this.runs.pendingOutbox(manager, experimentId, upToOutboxId);
      const lastRun = await this.runs.lastRun(manager, experimentId);
      if (pending.length === 0 && lastRun?.analysisDate === experiment.analysisDate) {
        return { status: 'NOTHING_TO_DO', patients: 0, full: false, outboxRows: 0 } satisfies JobResult;
      }
      await onProgress(10);
      const full =
        !lastRun || lastRun.analysisDate !== experiment.analysisDate || pending.some((row) => row.patientId === null);
      const patientIds = full ? null : [...new Set(pending.map((row) => row.patientId as string))];
      computedAt = new Date();
      const patients = await this.facts.rebuild(manager, experimentId, patientIds, computedAt);
      await onProgress(80);
      await this.runs.markProcessed(manager, pending.map((row) => row.id), computedAt);
      // The run first: its row lock makes a reader that would cache a comparison of the old facts now wait
      // for this commit and then cache nothing (IndicatorRunsRepository.cacheComparison).
      await this.runs.saveRun(manager, {
        experimentId,
        analysisDate: experiment.analysisDate,
        computedAt,
        lastOutboxId: Math.max(upToOutboxId, lastRun?.lastOutboxId ?? 0),
        patients,
        fullRecompute: full,
        durationMs: Date.now() - started,
      });
      // A full rebuild swapped in new partitions under an ACCESS EXCLUSIVE lock that lasts until the commit: it only
      // empties the cache here and fills it right after the commit, so readers of the facts wait for the swap alone.
      // A rebuild of some patients locks only their rows: it replaces the cache here, committed with the facts.
      const comparisonStarted = Date.now();
      if (full) await this.runs.clearComparisonCache(manager, experimentId);
      else await this.indicators.refreshCachedComparison(manager, experimentId);
      comparisonMs = Date.now() - comparisonStarted;
      return { status: 'DONE', patients, full, outboxRows: pending.length } satisfies JobResult;
    });
    if (result.status === 'DONE' && result.full) comparisonMs = await this.refreshAfterFullRecompute(experimentId, computedAt);
    await onProgress(100);
    this.logger.log({ experimentId, ...result, comparisonMs, ms: Date.now() - started }, 'indicators recomputed');
    return result;
  }

  /**
   * After a full recompute's commit: caches the unfiltered comparison of its facts, unless a later recompute has
   * saved its run meanwhile (which holds its own). Until this is done a reader aggregates it, as before. The facts
   * are committed, so a failure here only costs that first reader the aggregation: it is logged, not retried.
   */
  private async refreshAfterFullRecompute(experimentId: string, computedAt: Date): Promise<number> {
    const started = Date.now();
    try {
      await this.dataSource.transaction(async (manager) => {
        if (await this.runs.holdRunIfCurrent(manager, experimentId, computedAt)) {
          await this.indicators.refreshCachedComparison(manager, experimentId);
        }
      });
    } catch (error) {
      this.logger.warn({ experimentId, err: (error as Error).message }, 'comparison not cached after the full recompute');
    }
    return Date.now() - started;
  }
}
