import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobResult } from '../../core/queue/queue-names';
import { ComparisonCellsRepository } from './comparison-cells.repository';
import { FactsRepository } from './facts.repository';
import { IndicatorRunsRepository } from './indicator-runs.repository';
import { IndicatorsService } from './indicators.service';

/** When a process last committed a recompute of an experiment (RecomputeService.lastCommit). */
export interface LastCommit {
  /** This process's clock, ms since the epoch. */
  at: number;
  /** The database's clock at the recompute transaction's last statement. */
  databaseAt: Date;
}

/**
 * One unit of work of the recompute job: in ONE transaction, take the experiment's pending outbox rows
 * (up to a position), rebuild the facts of the patients they name (or of everyone, when a row names the
 * whole experiment or the analysis date moved), mark the rows done, save the run, rebuild the comparison cells of
 * the practices concerned, and replace the cached comparisons by the unfiltered comparison combined from the cells
 * (so the first reader after it finds it computed, and a write costs its practice's facts, not the experiment's).
 * A crash anywhere rolls all of it back; a rerun gives the same rows.
 */
@Injectable()
export class RecomputeService {
  private readonly logger = new Logger(RecomputeService.name);
  /**
   * When this process last committed a recompute, per experiment: `at` on this process's clock (ms since the epoch),
   * `databaseAt` on the database's, taken by the transaction's last statement (the outbox rows' created_at is on it).
   */
  private readonly committed = new Map<string, LastCommit>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: FactsRepository,
    private readonly runs: IndicatorRunsRepository,
    private readonly indicators: IndicatorsService,
    private readonly cells: ComparisonCellsRepository,
  ) {}

  async recompute(
    experimentId: string,
    upToOutboxId: number,
    onProgress: (percent: number) => Promise<void> = async () => undefined,
  ): Promise<JobResult> {
    const started = Date.now();
    let comparisonMs = 0;
    let computedAt = new Date();
    let databaseAt: Date | undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      // Serialises recomputes of one experiment (two workers never interleave their deletes/inserts).
      const experiment = await this.runs.lockExperiment(manager, experimentId);
      if (!experiment) return { status: 'NOTHING_TO_DO', patients: 0, full: false, outboxRows: 0 } satisfies JobResult;
      // Every change pending now, also those after the job's own row: a later job then finds them done (the relay
      // offers no new job while one of its own still waits, OutboxRelayService), so under a stream of writes one job
      // takes what arrived while the previous one ran, instead of one job per write each waiting for the lock.
      const pending = await this.runs.pendingOutbox(manager, experimentId);
      const lastRun = await this.runs.lastRun(manager, experimentId);
      if (pending.length === 0 && lastRun?.analysisDate === experiment.analysisDate) {
        return { status: 'NOTHING_TO_DO', patients: 0, full: false, outboxRows: 0 } satisfies JobResult;
      }
      await onProgress(10);
      const full =
        !lastRun || lastRun.analysisDate !== experiment.analysisDate || pending.some((row) => row.patientId === null);
      const patientIds = full ? null : [...new Set(pending.map((row) => row.patientId as string))];
      computedAt = new Date();
      // The practices whose comparison cells change: the patients' practices before and after their rebuild.
      const practicesBefore = patientIds ? await this.cells.practicesOf(manager, experimentId, patientIds) : [];
      const patients = await this.facts.rebuild(manager, experimentId, patientIds, computedAt);
      await onProgress(80);
      await this.runs.markProcessed(manager, pending.map((row) => row.id), computedAt);
      // The run first: a reader's freshness check reads it, and every cached document names the run it rests on
      // (IndicatorRunsRepository.cacheComparison), so a document of the old facts is served as stale from this commit.
      await this.runs.saveRun(manager, {
        experimentId,
        analysisDate: experiment.analysisDate,
        computedAt,
        lastOutboxId: pending.reduce((last, row) => Math.max(last, row.id), Math.max(upToOutboxId, lastRun?.lastOutboxId ?? 0)),
        patients,
        fullRecompute: full,
        durationMs: Date.now() - started,
      });
      // A full rebuild swapped in new partitions under an ACCESS EXCLUSIVE lock that lasts until the commit: it only
      // empties the cache here and fills it right after the commit, so readers of the facts wait for the swap alone.
      // A rebuild of some patients locks only their rows: it replaces the cache here, committed with the facts.
      // The comparison cells follow the facts: a rebuild of some patients rebuilds the cells of their practices, when
      // the cells are those of the previous run (otherwise all of them); a full rebuild forgets them here and builds
      // them all after its commit, with the cached comparison.
      const comparisonStarted = Date.now();
      if (full) {
        await this.runs.clearComparisonCache(manager, experimentId);
        await this.cells.clear(manager, experimentId);
      } else {
        const current = lastRun !== null && (await this.cells.validFor(manager, experimentId, lastRun.computedAt));
        const practices = current
          ? [...new Set([...practicesBefore, ...(await this.cells.practicesOf(manager, experimentId, patientIds!))])]
          : null;
        await this.cells.rebuild(manager, experimentId, practices, computedAt);
        await this.indicators.refreshCachedComparison(manager, experimentId, computedAt);
      }
      comparisonMs = Date.now() - comparisonStarted;
      [{ now: databaseAt }] = await manager.query(`SELECT clock_timestamp() AS now`);
      return { status: 'DONE', patients, full, outboxRows: pending.length } satisfies JobResult;
    });
    if (result.status === 'DONE' && databaseAt) this.committed.set(experimentId, { at: Date.now(), databaseAt });
    if (result.status === 'DONE' && result.full) comparisonMs = await this.refreshAfterFullRecompute(experimentId, computedAt);
    await onProgress(100);
    this.logger.log({ experimentId, ...result, comparisonMs, ms: Date.now() - started }, 'indicators recomputed');
    return result;
  }

  /** When this process last committed a recompute of the experiment; undefined: not yet. */
  lastCommit(experimentId: string): LastCommit | undefined {
    return this.committed.get(experimentId);
  }

  /** Whether changes of the experiment that were written before `since` (the database's clock) are still pending. */
  pendingSince(experimentId: string, since: Date): Promise<boolean> {
    return this.runs.pendingWrittenBefore(this.dataSource.manager, experimentId, since);
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
          await this.cells.rebuild(manager, experimentId, null, computedAt);
          await this.indicators.refreshCachedComparison(manager, experimentId, computedAt);
        }
      });
    } catch (error) {
      this.logger.warn({ experimentId, err: (error as Error).message }, 'comparison not cached after the full recompute');
    }
    // Then each insurer's and each profile's, which the cells cannot answer, and each region's and each set of GOLD
    // stages', which they can: nobody waits for their first aggregation or combination.
    try {
      await this.indicators.cacheGroupComparisons(experimentId, computedAt);
    } catch (error) {
      this.logger.warn({ experimentId, err: (error as Error).message }, 'comparisons per insurer, profile, region and set of GOLD stages not cached after the full recompute');
    }
    return Date.now() - started;
  }
}
