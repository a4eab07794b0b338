import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { DataSource, EntityManager } from 'typeorm';
import {
  buildComparison,
  INSURER_VISIBLE_INDICATORS,
  withholdSmallCells,
  type ComparisonFilters,
  type ComparisonResult,
} from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { mustWithholdSmallCells } from '../../core/actor/field-visibility';
import { AppConfig } from '../../core/config/app-config';
import { AuditService } from '../../core/audit/audit.service';
import { AppError, notFound } from '../../core/errors/app-error';
import { InFlight } from '../../core/in-flight';
import { OutboxService } from '../../core/outbox/outbox.service';
import {
  COMPARISON_REFRESH_QUEUE,
  INDICATORS_QUEUE,
  JOB,
  parseRecomputeJobId,
  recomputeJobId,
  RecomputeExperimentPayload,
  RefreshComparisonPayload,
} from '../../core/queue/queue-names';
import { QUEUE_ADD_TIMEOUT_MS, queueRedis, readQueue } from '../../core/queue/queue-read';
import { ExperimentEntity } from '../experiments/experiment.entity';
import { ExperimentsService } from '../experiments/experiments.service';
import { PatientsService } from '../patients/patients.service';
import { ComparisonCellsRepository } from './comparison-cells.repository';
import { ComparisonContextService, freshnessOf } from './comparison-context.service';
import { ComparisonRepository } from './comparison.repository';
import { ComparisonQueryDto } from './dto/comparison-query.dto';
import { IndicatorRunsRepository } from './indicator-runs.repository';

/** The answer to a recompute request: the job to follow, or why there is none yet. */
export type RecomputeRequested =
  { queued: true; jobId: string } | { queued: false; reason: 'QUEUE.UNAVAILABLE'; detail: string };

export interface ComparisonDocument {
  experiment: string;
  analysisDate: string;
  computedAt: string | null;
  stale: boolean;
  filters: Record<string, unknown>;
  [key: string]: unknown;
}

/** Raised whenever the cached comparison document changes shape (2: practice-clustered intervals). */
const COMPARISON_DOCUMENT_SHAPE = 2;

/** The filters of an evaluator or administrator who sets none: the comparison every recompute leaves cached. */
const UNFILTERED: ComparisonFilters = {};
/** The cache key of the unfiltered comparison, the one every recompute writes. */
const UNFILTERED_KEY = comparisonCacheKey(UNFILTERED);

/**
 * The comparison cache's key of the filters. The document's shape is part of the key: a cache row written before a
 * field was added (the clustered intervals of DOMAIN.md 7a: shape 2) is never served, even if no recompute has
 * emptied the cache since.
 */
function comparisonCacheKey(filters: ComparisonFilters): string {
  return `${COMPARISON_DOCUMENT_SHAPE}:${JSON.stringify(filters)}`;
}

/** The groups a full recompute caches a comparison of (cacheGroupComparisons), and the filters of one group's value. */
const GROUP_FILTERS: readonly (readonly ['insurer' | 'profile', (value: string) => ComparisonFilters])[] = [
  ['insurer', (id) => ({ insurerIds: [id] })],
  ['profile', (profile) => ({ profiles: [Number(profile)] })],
];

/**
 * How many cached comparison documents (about 20 KB of text each, more parsed) an API process keeps parsed between
 * requests: the unfiltered one and the filters read most recently.
 */
const HELD_DOCUMENTS = 200;

/**
 * The Redis key that claims the background refresh of one filter of an experiment for COMPARISON_REFRESH_INTERVAL_MS,
 * for all API processes that share the queue's prefix (claimRefresh).
 */
export function refreshClaimKey(queuePrefix: string, experimentId: string, filterKey: string): string {
  return `${queuePrefix}:comparison-refresh:${experimentId}:${filterDigest(filterKey)}`;
}

/** The refresh job id of one filter of an experiment, for an interval of 0 (the readers' adds collapse into one job). */
export function refreshJobId(experimentId: string, filterKey: string): string {
  return `refresh-${experimentId}-${filterDigest(filterKey)}`;
}

function filterDigest(filterKey: string): string {
  return createHash('sha1').update(filterKey).digest('hex');
}

@Injectable()
export class IndicatorsService {
  private readonly logger = new Logger(IndicatorsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsService,
    private readonly comparisons: ComparisonRepository,
    private readonly cells: ComparisonCellsRepository,
    private readonly context: ComparisonContextService,
    private readonly runs: IndicatorRunsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly patients: PatientsService,
    @InjectQueue(INDICATORS_QUEUE) private readonly queue: Queue<RecomputeExperimentPayload>,
    @InjectQueue(COMPARISON_REFRESH_QUEUE) private readonly refreshQueue: Queue<RefreshComparisonPayload>,
    private readonly config: AppConfig,
  ) {}

  /**
   * The arm comparison for the filters, from the materialised facts. A document computed from the current facts is
   * served from the cache (every recompute caches the unfiltered comparison of its facts); otherwise it is aggregated
   * now and cached. The freshness and the cached document are read in one statement (readState), so from one
   * snapshot: the header names the run the database held when the document was read.
   *
   * A document of these filters computed from older facts (a recompute of some patients leaves the other filters'
   * documents in place) is served at once, marked stale with the time of the facts it shows, while a worker makes it
   * again (refreshInBackground) when it was cached at least COMPARISON_REFRESH_INTERVAL_MS ago; a later reader gets
   * the fresh one. So a write does not make every evaluator who reads a filtered comparison
   * afterwards wait for an aggregation of the whole experiment, and writes arriving all the time cost each such
   * filter one aggregation per interval, not one per write. The same holds for filters the comparison cells answer
   * (practices, regions, GOLD stages): their first document of a run is combined from the cells at once, a later
   * run's in the background. (Until issue 17's load run they were combined again for the first reader of every run:
   * with a run a second under writes, those combinations were a third of PostgreSQL's time.) The unfiltered document
   * is always of the last run: every recompute writes it.
   */
  async comparison(actor: Actor, query: ComparisonQueryDto): Promise<ComparisonDocument> {
    const experiment = await this.experiments.resolve(query.experiment);
    const manager = this.dataSource.manager;
    const filters = await this.context.filters(actor, query);
    const filterKey = comparisonCacheKey(filters);
    const { lastComputedAt, cached, ...freshness } = await this.readState(experiment, filterKey);
    const header = { ...freshness, filters: publicFilters(query) };
    // A document of the run the header names is fresh; one of another run says so: its time, and stale.
    const answer = (document: ComparisonResult, basedOn: Date | null): ComparisonDocument =>
      sameInstant(basedOn, lastComputedAt)
        ? { ...header, ...visibleTo(actor, document) }
        : { ...header, computedAt: basedOn ? basedOn.toISOString() : null, stale: true, ...visibleTo(actor, document) };
    if (cached && sameInstant(cached.basedOn, lastComputedAt)) return answer(cached.document, cached.basedOn);
    // A filtered document of an earlier run is served at once, marked stale with its time, whichever way it is made;
    // it is made again in the background at most once per COMPARISON_REFRESH_INTERVAL_MS (refreshInBackground). The
    // unfiltered document is the recompute's own (refreshCachedComparison), so it never gets here but after a full
    // recompute, which empties the cache.
    if (cached && filterKey !== UNFILTERED_KEY) {
      if (Date.now() - cached.cachedAt.getTime() >= this.config.COMPARISON_REFRESH_INTERVAL_MS) {
        this.refreshInBackground(experiment.id, filters, filterKey);
      }
      return answer(cached.document, cached.basedOn);
    }
    // Filters the comparison cells answer (none, practices, regions, GOLD stages) are combined from them, fresh:
    // a few thousand cells instead of the facts. Readers of these filters and this run who arrive while their
    // document is being combined wait for it instead of combining their own (combining).
    const fromCells = await this.combining.get(`${experiment.id} ${filterKey} ${lastComputedAt?.toISOString()}`, async () => {
      const result = await this.fromCells(experiment.id, filters, lastComputedAt);
      if (result) await this.runs.cacheComparison(manager, experiment.id, filterKey, result, lastComputedAt);
      return result;
    });
    if (fromCells) return answer(fromCells, lastComputedAt);
    if (cached) return answer(cached.document, cached.basedOn);
    // No document of these filters yet: aggregated now. A reader who joins an aggregation that started before its
    // own facts' time was read gets that aggregation's document, marked stale with the time it was started for.
    const aggregated = await this.aggregatingOnce.get(`${experiment.id} ${filterKey}`, async () => {
      const result = buildComparison(await this.aggregating(() => this.comparisons.summarise(manager, experiment.id, filters)));
      await this.runs.cacheComparison(manager, experiment.id, filterKey, result, lastComputedAt);
      return { result, basedOn: lastComputedAt };
    });
    return answer(aggregated.result, aggregated.basedOn);
  }

  /**
   * The comparison read's state in one statement (comparisonReadState): the freshness header, and the filters' cached
   * document, which this process keeps parsed by version (heldDocuments), so the document's text is read and parsed
   * only when it changed. (The answer is made per reader from the kept document: visibleTo copies, never changes it.)
   */
  private async readState(
    experiment: ExperimentEntity,
    filterKey: string,
  ): Promise<ReturnType<typeof freshnessOf> & { cached: { document: ComparisonResult; basedOn: Date | null; cachedAt: Date } | null }> {
    const heldKey = `${experiment.id} ${filterKey}`;
    const held = this.heldDocuments.get(heldKey);
    const state = await this.runs.comparisonReadState(this.dataSource.manager, experiment.id, filterKey, held?.version ?? null);
    const freshness = freshnessOf(experiment, state.run, state.backlogRows);
    if (!state.cached) return { ...freshness, cached: null };
    const { basedOn, cachedAt, version } = state.cached;
    let document = held?.document;
    if (state.cached.document !== undefined || !document) {
      document = state.cached.document as ComparisonResult;
      // Most recently read last; the least recently read goes first when more are held than HELD_DOCUMENTS.
      this.heldDocuments.delete(heldKey);
      this.heldDocuments.set(heldKey, { version, document });
      if (this.heldDocuments.size > HELD_DOCUMENTS) this.heldDocuments.delete(this.heldDocuments.keys().next().value!);
    }
    return { ...freshness, cached: { document, basedOn, cachedAt } };
  }

  /** Cached comparison documents this process has read, parsed, by experiment and filter key, with their version. */
  private readonly heldDocuments = new Map<string, { version: string; document: ComparisonResult }>();

  /**
   * The aggregations of the facts in this process (in an API process a reader's first document of some filters; in a
   * worker a refresh, and the full recompute's documents per insurer and profile)
   * run one at a time: each reads every fact of the experiment and takes a core for up to a second at 100,000
   * patients, so two of them at once leave nothing for the readers and writers, and one after another take the same
   * time in all.
   */
  private readonly aggregating = pLimit(1);

  /**
   * The aggregations of the facts under way in this process, by experiment and filter key: a reader who asks for a
   * filter whose document another request is aggregating right now gets that request's result. Without it, the first
   * minute after a full recompute (every filtered document gone) had each of the readers of a popular filter
   * aggregate the facts at once: the load run, started without filtered documents, made 105 aggregations of 16
   * filters in 60 s, up to 1.9 s each, and every other request queued behind them. The result carries the facts' time
   * it was computed for; a reader whose header names another time is told the document's time and that it is stale.
   * A failure is every waiting reader's failure, and the next reader tries again.
   */
  private readonly aggregatingOnce = new InFlight<{ result: ComparisonResult; basedOn: Date | null }>();

  /** The combinations from the comparison cells under way in this process, by experiment, filter key and run. */
  private readonly combining = new InFlight<ComparisonResult | null>();

  /**
   * The comparison combined from the comparison cells, when they answer the filters and hold the facts of the run
   * the header names (lastComputedAt); otherwise null. One REPEATABLE READ transaction: the cells read are those
   * whose run was checked.
   */
  private async fromCells(experimentId: string, filters: ComparisonFilters, lastComputedAt: Date | null): Promise<ComparisonResult | null> {
    if (lastComputedAt === null || !ComparisonCellsRepository.servesFilters(filters)) return null;
    const summaries = await this.dataSource.transaction('REPEATABLE READ', async (manager) =>
      (await this.cells.validFor(manager, experimentId, lastComputedAt)) ? this.cells.summarise(manager, experimentId, filters) : null,
    );
    return summaries && buildComparison(summaries);
  }

  /**
   * Hands the making of the filters' comparison of the current run to the workers (ComparisonRefreshProcessor, on the
   * comparison-refreshes queue), once per COMPARISON_REFRESH_INTERVAL_MS for all API processes together (claimRefresh).
   * Until issue 17's stop 31 the API process made it itself, in a lane of one refresh at a time: 100-450 ms of
   * JavaScript for a document combined from the cells, on the event loop every other request of that process waits
   * for (the load run's slowest requests overlapped such refreshes). Nobody waits for a refresh: with Redis
   * unreachable the job is not queued (logged), and a later reader finds the older document again and asks again.
   * With an interval of 0 the job id is the filter's own (refreshJobId), so readers who ask while it waits queue it once.
   */
  private refreshInBackground(experimentId: string, filters: ComparisonFilters, filterKey: string): void {
    void (async () => {
      if (!(await this.claimRefresh(experimentId, filterKey))) return;
      const payload: RefreshComparisonPayload = { experimentId, filters, filterKey };
      const jobId = this.config.COMPARISON_REFRESH_INTERVAL_MS > 0 ? undefined : refreshJobId(experimentId, filterKey);
      const added = await readQueue(
        this.refreshQueue,
        () => this.refreshQueue.add(JOB.REFRESH_COMPARISON, payload, { jobId }),
        QUEUE_ADD_TIMEOUT_MS,
      );
      if (!added.reachable) this.logger.warn({ experimentId, filterKey }, 'filtered comparison refresh not queued: queue unreachable');
    })().catch((error: Error) => this.logger.warn({ experimentId, filterKey, err: error.message }, 'filtered comparison refresh not queued'));
  }

  /**
   * Makes the filters' comparison of the current run again and caches it (a refresh job's work): from the comparison
   * cells when they answer the filters and hold the current run, else from the facts, one aggregation at a time in
   * this process. The run is read right before either is read.
   */
  async refreshComparison(experimentId: string, filters: ComparisonFilters, filterKey: string): Promise<void> {
    const manager = this.dataSource.manager;
    const computedAt = (await this.runs.lastRun(manager, experimentId))?.computedAt ?? null;
    const fromCells = await this.fromCells(experimentId, filters, computedAt);
    if (fromCells) {
      await this.runs.cacheComparison(manager, experimentId, filterKey, fromCells, computedAt);
      return;
    }
    const [factsRun, summaries] = await this.aggregating(async () => [
      await this.runs.lastRun(manager, experimentId),
      await this.comparisons.summarise(manager, experimentId, filters),
    ] as const);
    await this.runs.cacheComparison(manager, experimentId, filterKey, buildComparison(summaries), factsRun?.computedAt ?? null);
  }

  /**
   * Whether this reader's process queues the filter's refresh now: the first API process to ask claims it in Redis for
   * COMPARISON_REFRESH_INTERVAL_MS (SET NX PX), and the others leave it to that one, so together they ask for each
   * filter at most once per interval (each process on its own did it once per interval per process: twice the
   * aggregations with two processes). The document they share is in the database. With Redis unreachable (not ready,
   * or no answer within QUEUE_ADD_TIMEOUT_MS) nothing can be queued either; with an interval of 0 there is nothing
   * to claim.
   */
  private async claimRefresh(experimentId: string, filterKey: string): Promise<boolean> {
    const intervalMs = this.config.COMPARISON_REFRESH_INTERVAL_MS;
    if (intervalMs <= 0) return true;
    const key = refreshClaimKey(this.config.QUEUE_PREFIX, experimentId, filterKey);
    const claim = await readQueue(
      this.queue,
      async () => (await queueRedis(this.queue)).set(key, String(process.pid), 'PX', intervalMs, 'NX'),
      QUEUE_ADD_TIMEOUT_MS,
    );
    return claim.reachable && claim.value === 'OK';
  }

  /**
   * The full comparison (what an evaluator sees, nothing withheld) for the filters, within the caller's
   * transaction and without the cache: what a snapshot freezes.
   */
  async comparisonWithin(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
  ): Promise<ComparisonResult> {
    return buildComparison(await this.comparisons.summarise(manager, experimentId, filters));
  }

  /**
   * Within a recompute's transaction, after its facts, its run and the comparison cells are written: replaces the
   * experiment's cached comparisons by the unfiltered one of the new facts, combined from the cells
   * (ComparisonCellsRepository: the same figures as aggregating the facts, without reading them all), under the key
   * an evaluator's or administrator's request without filters reads (visibleTo still applies per reader). It commits
   * with the facts, so the cache is never empty: until the commit a reader gets the previous document, marked stale
   * because the recompute's outbox rows are still pending; from the commit on, the new one. The first reader after a
   * recompute pays no aggregation.
   */
  async refreshCachedComparison(manager: EntityManager, experimentId: string, computedAt: Date): Promise<void> {
    const result = buildComparison(await this.cells.summarise(manager, experimentId));
    await this.runs.replaceComparisonCache(manager, experimentId, UNFILTERED_KEY, result, computedAt);
  }

  /**
   * After a full recompute (which empties the cache): the comparison of each insurer and of each profile, every group
   * from one pass over the facts, cached under the key a reader's filter of that one insurer or that one profile reads
   * (and an insurer's own unfiltered view, its scope), resting on the recompute's run. They are the dashboard's
   * single-choice filters that the comparison cells cannot answer: without this, the first reader of each after the
   * nightly recompute waited for an aggregation of the whole experiment (0.3-1.5 s at 100,000 patients), one after
   * another. Then each region's and each set of GOLD stages', from the comparison cells. A document a reader cached
   * meanwhile from a later run is kept (cacheComparison replaces older ones only).
   */
  async cacheGroupComparisons(experimentId: string, computedAt: Date): Promise<void> {
    const manager = this.dataSource.manager;
    for (const [group, filtersOf] of GROUP_FILTERS) {
      const comparisons = await this.aggregating(() => this.comparisonsByGroup(manager, experimentId, group));
      for (const [value, result] of comparisons) {
        await this.runs.cacheComparison(manager, experimentId, comparisonCacheKey(filtersOf(value)), result, computedAt);
      }
    }
    // Then the cell-served filters the dashboard's region and GOLD-stage choices make: each region, each set of the
    // GOLD stages there are, and each region with each set. Combining one takes 100-450 ms at 100,000 patients (every
    // practice's rows and wait days, then the document), mostly JavaScript: done here, once, the first evaluators who
    // choose them after the nightly recompute do not hold an API process's event loop for it (in the load run that
    // followed a full recompute, every action's p99 was over 400 ms, its warm-up's 2 s, until the regions and sets
    // were made here; the region-with-stages combinations followed in stop 31). Each rests on the run current when it
    // is combined.
    for (const filters of await this.cellServedFilters(manager, experimentId)) {
      const run = (await this.runs.lastRun(manager, experimentId))?.computedAt ?? null;
      const result = await this.fromCells(experimentId, filters, run);
      if (result) await this.runs.cacheComparison(manager, experimentId, comparisonCacheKey(filters), result, run);
    }
  }

  /**
   * The filters of one region each, of each non-empty set of the GOLD stages, and of each region with each set
   * (sorted, and with their keys in the order a reader's filters have them: ComparisonContextService.filters), of the
   * experiment's comparison cells. The single ones first: they are read most.
   */
  private async cellServedFilters(manager: EntityManager, experimentId: string): Promise<ComparisonFilters[]> {
    const rows: { regions: string[] | null; stages: number[] | null }[] = await manager.query(
      `SELECT array_agg(DISTINCT region ORDER BY region) AS regions,
              array_agg(DISTINCT gold_stage ORDER BY gold_stage) FILTER (WHERE gold_stage IS NOT NULL) AS stages
       FROM comparison_cells WHERE experiment_id = $1`,
      [experimentId],
    );
    const regions = rows[0]?.regions ?? [];
    const stages = rows[0]?.stages ?? [];
    // Every non-empty subset of the stages, by bit mask; each one's stages in ascending order.
    const stageSets = Array.from({ length: 2 ** stages.length - 1 }, (_, i) => stages.filter((_, bit) => ((i + 1) >> bit) & 1));
    return [
      ...regions.map((region) => ({ regions: [region] })),
      ...stageSets.map((goldStages) => ({ goldStages })),
      ...regions.flatMap((region) => stageSets.map((goldStages) => ({ regions: [region], goldStages }))),
    ];
  }

  /** The full comparison per insurer id, region or profile, every group from one pass over the facts. */
  async comparisonsByGroup(
    manager: EntityManager,
    experimentId: string,
    group: 'insurer' | 'region' | 'profile',
  ): Promise<Map<string, ComparisonResult>> {
    const summaries = await this.comparisons.summariseBy(
      manager,
      experimentId,
      {},
      group === 'insurer' ? 'insurer_id' : group,
    );
    return new Map([...summaries].map(([key, rows]) => [key, buildComparison(rows)]));
  }

  async status(_actor: Actor, experimentCode?: string) {
    const experiment = await this.experiments.resolve(experimentCode);
    const manager = this.dataSource.manager;
    const [lastRun, backlog, jobs] = await Promise.all([
      this.runs.lastRun(manager, experiment.id),
      this.runs.backlog(manager, experiment.id),
      readQueue(this.queue, () => this.queue.getJobs(['active', 'waiting', 'delayed', 'prioritized'], 0, 50)),
    ]);
    return {
      experiment: experiment.code,
      analysisDate: experiment.analysisDate,
      lastComputed: lastRun
        ? {
            computedAt: lastRun.computedAt.toISOString(),
            analysisDate: lastRun.analysisDate,
            patients: lastRun.patients,
            full: lastRun.fullRecompute,
            durationMs: lastRun.durationMs,
          }
        : null,
      outboxBacklog: {
        rows: backlog.rows,
        oldest: backlog.oldest ? new Date(backlog.oldest).toISOString() : null,
      },
      queueReachable: jobs.reachable,
      jobs: (jobs.reachable ? jobs.value : [])
        .filter((job) => job?.data?.experimentId === experiment.id)
        .map((job) => ({ id: job.id, name: job.name, progress: job.progress, attempts: job.attemptsMade })),
    };
  }

  /**
   * Requests a full recompute: an outbox row (so it happens even if Redis is down now) and the job
   * that covers it, whose id is returned (the same id the relay would enqueue). Only the id of a job the queue
   * has taken is returned: when Redis is not ready or does not take the job within QUEUE_ADD_TIMEOUT_MS, the
   * answer is "not queued" with the reason, and the relay enqueues the committed outbox row.
   */
  async requestRecompute(actor: Actor, experimentCode?: string): Promise<RecomputeRequested> {
    const experiment = await this.experiments.resolve(experimentCode);
    const upTo = await this.dataSource.transaction(async (manager) => {
      await this.outbox.announce(manager, experiment.id, null, 'recompute');
      await this.audit.record(
        actor,
        { action: 'indicators.recompute', resourceType: 'experiment', resourceId: experiment.id },
        manager,
      );
      return this.runs.lastOutboxId(manager, experiment.id);
    });
    const payload = { experimentId: experiment.id, upToOutboxId: upTo };
    const jobId = recomputeJobId(payload);
    // An add with the deterministic id is harmless if it still lands after the deadline: the relay's add collapses.
    const added = await readQueue(
      this.queue,
      () => this.queue.add(JOB.RECOMPUTE_EXPERIMENT, payload, { jobId }),
      QUEUE_ADD_TIMEOUT_MS,
    );
    if (added.reachable) return { jobId, queued: true };
    return {
      queued: false,
      reason: 'QUEUE.UNAVAILABLE',
      detail:
        'De wachtrij is nu niet bereikbaar. De herberekening is vastgelegd en start vanzelf zodra de wachtrij weer bereikbaar is; tot dan tonen de cijfers de laatste berekening.',
    };
  }

  /**
   * A job's state from the queue; while Redis does not answer (within QUEUE_READ_TIMEOUT_MS), state "unknown" with
   * queueReachable false and what PostgreSQL knows of a recompute job: how many of the changes it covers are still
   * waiting (0: they are in the figures, by this job or a later one).
   */
  async job(_actor: Actor, jobId: string) {
    const read = await readQueue(this.queue, async () => {
      // The state before the fields: a job that finishes in between shows its final fields under the earlier state
      // (the next read says finished), never a finished state with the fields of before (no result, no attempt).
      const state = await this.queue.getJobState(jobId);
      const job = await this.queue.getJob(jobId);
      return job ? { job, state } : null;
    });
    if (!read.reachable) return this.jobWhileQueueUnreachable(jobId);
    if (!read.value) throw notFound('Job', jobId);
    const { job, state } = read.value;
    return {
      id: job.id,
      name: job.name,
      state,
      progress: job.progress,
      attempts: job.attemptsMade,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason ?? null,
      queueReachable: true,
      pendingChanges: null,
    };
  }

  private async jobWhileQueueUnreachable(jobId: string) {
    const covered = parseRecomputeJobId(jobId);
    if (!covered) {
      throw new AppError(
        'UNAVAILABLE',
        'QUEUE.UNAVAILABLE',
        'De wachtrij is nu niet bereikbaar; probeer het zo opnieuw.',
        [],
        { queueReachable: false },
      );
    }
    const backlog = await this.runs.backlog(
      this.dataSource.manager,
      covered.experimentId,
      covered.upToOutboxId,
    );
    return {
      id: jobId,
      name: JOB.RECOMPUTE_EXPERIMENT,
      state: 'unknown',
      progress: 0,
      attempts: null,
      result: null,
      failedReason: null,
      queueReachable: false,
      pendingChanges: backlog.rows,
    };
  }

  /** The priced facts of one patient (paid, counterfactual, sessions per care quarter), audited. */
  async patientFacts(actor: Actor, patientId: string) {
    const patient = await this.patients.requirePatient(actor, patientId);
    const facts = await this.comparisons.patientFacts(this.dataSource.manager, patientId);
    await this.audit.record(actor, {
      action: 'patient.facts.read',
      resourceType: 'patient',
      resourceId: patientId,
      patientPseudonym: patient.pseudonym,
    });
    return { patient: patient.pseudonym, ...toFactsDto(facts) };
  }
}

/**
 * An INSURER sees the indicators the catalogue marks insurerVisible (the euro indicators and ENROLLED): no
 * outcomes, volumes or clinical case mix of its insured, and no GOLD-standardised values (they are figures
 * per GOLD stage, weighed together). Every arm of fewer than
 * MIN_CELL_SIZE patients is withheld for a reader who may not see their records (core/actor/field-visibility).
 */
function visibleTo(actor: Actor, result: ComparisonResult): Partial<ComparisonResult> {
  const shown = mustWithholdSmallCells(actor) ? withholdSmallCells(result) : result;
  if (actor.role !== 'INSURER') return shown;
  const { caseMix: _caseMix, ...rest } = shown;
  const unstratified = (arm: ComparisonResult['indicators'][number]['arms']['BUNDLE']) => ({
    ...arm,
    adjusted: null,
    adjustedNote:
      arm.value === null ? arm.adjustedNote : 'not shown: standardised by GOLD stage, a clinical field',
  });
  return {
    ...rest,
    indicators: shown.indicators
      .filter((i) => INSURER_VISIBLE_INDICATORS.has(i.code))
      .map((i) => ({ ...i, arms: { BUNDLE: unstratified(i.arms.BUNDLE), FFS: unstratified(i.arms.FFS) } })),
  };
}

/** Two run times (or none) are the same instant. */
function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}

function publicFilters(query: ComparisonQueryDto): Record<string, unknown> {
  const { experiment: _experiment, ...rest } = query;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

function toFactsDto(facts: { patient: Record<string, unknown> | null; quarters: Record<string, unknown>[] }) {
  const p = facts.patient;
  return {
    computed: p !== null,
    analysisDate: p?.analysis_date ?? null,
    arm: p?.arm ?? null,
    careQuarters: p?.care_quarters ?? null,
    sessions: p?.sessions ?? null,
    paidCents: p?.paid_cents ?? null,
    counterfactualCents: p?.counterfactual_cents ?? null,
    unpricedItems: p?.unpriced_items ?? null,
    quarters: facts.quarters.map((q) => ({
      index: q.quarter_index,
      start: q.start_date,
      endExclusive: q.end_exclusive,
      sessions: q.sessions,
      isCareQuarter: q.is_care_quarter,
      ended: q.ended,
      bundleCents: q.bundle_cents,
      ffsCents: q.ffs_cents,
      paidCents: q.paid_cents,
      counterfactualCents: q.counterfactual_cents,
    })),
  };
}
