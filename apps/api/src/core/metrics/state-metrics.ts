import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { InFlight } from '../in-flight';
import { COMPARISON_REFRESH_QUEUE, INDICATORS_QUEUE } from '../queue/queue-names';
import { QUEUE_READ_TIMEOUT_MS, readQueue } from '../queue/queue-read';
import { LastRun, MetricsRepository, OutboxState } from './metrics.repository';
import { MetricsRegistry } from './metrics-registry';

/** How long a scrape waits for PostgreSQL before it reports the database part as unreachable. */
export const DATABASE_READ_TIMEOUT_MS = 1000;

/** The queue states a scrape reports (BullMQ counts `waiting` together with a paused queue's jobs). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

type Read<T> = { reachable: true; value: T } | { reachable: false };

/**
 * Gauges of the shared state, read when Prometheus scrapes (so every process that serves metrics reports the same
 * values; take max() across instances): the indicators and comparison-refreshes queues per state, the outbox's
 * backlog and lag, and each experiment's last recompute. Redis is read within QUEUE_READ_TIMEOUT_MS and PostgreSQL within
 * DATABASE_READ_TIMEOUT_MS, so a scrape answers while either is down: the gauges of an unreachable source then have
 * no sample (not a stale one) and copd_metrics_source_up says which source failed. In a clustered API every copy
 * reads them and the sum over the copies takes their max (source_up: min), not their sum.
 */
@Injectable()
export class StateMetrics {
  private readonly database = new InFlight<Read<{ outbox: OutboxState; runs: LastRun[] }>>();
  private readonly redis = new InFlight<Read<Record<string, Record<string, number>>>>();

  constructor(
    metrics: MetricsRegistry,
    private readonly dataSource: DataSource,
    private readonly repository: MetricsRepository,
    @InjectQueue(INDICATORS_QUEUE) private readonly queue: Queue,
    @InjectQueue(COMPARISON_REFRESH_QUEUE) private readonly refreshQueue: Queue,
  ) {
    const registers = [metrics.registry];
    const queueJobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'copd_queue_jobs',
      help: 'Jobs of each queue (indicators: recomputes; comparison-refreshes: filtered comparison documents) per state (waiting, active, delayed, failed), read from Redis at scrape time.',
      labelNames: ['queue', 'state'],
      registers,
      aggregator: 'max',
      collect: async () => {
        queueJobs.reset();
        const read = await this.readQueue();
        if (!read.reachable) return;
        for (const [queue, counts] of Object.entries(read.value)) {
          for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, counts[state] ?? 0);
        }
      },
    });
    const outboxLag: Gauge = new Gauge({
      name: 'copd_outbox_lag_seconds',
      help: 'Age in seconds of the oldest pending indicator outbox row (0 when none is pending): how far the indicators are behind the records.',
      registers,
      aggregator: 'max',
      collect: async () => {
        outboxLag.reset();
        const read = await this.readDatabase();
        if (read.reachable) outboxLag.set(read.value.outbox.lagSeconds);
      },
    });
    const outboxPending: Gauge = new Gauge({
      name: 'copd_outbox_pending_rows',
      help: 'Indicator outbox rows not yet processed by a recompute.',
      registers,
      aggregator: 'max',
      collect: async () => {
        outboxPending.reset();
        const read = await this.readDatabase();
        if (read.reachable) outboxPending.set(read.value.outbox.pendingRows);
      },
    });
    const lastDuration: Gauge<'experiment'> = new Gauge({
      name: 'copd_recompute_last_duration_seconds',
      help: 'Duration in seconds of the last recompute of each experiment (indicator_runs.duration_ms), full or of some patients.',
      labelNames: ['experiment'],
      registers,
      aggregator: 'max',
      collect: async () => {
        lastDuration.reset();
        const read = await this.readDatabase();
        if (read.reachable) for (const run of read.value.runs) lastDuration.set({ experiment: run.experimentCode }, run.durationMs / 1000);
      },
    });
    const lastRunAt: Gauge<'experiment'> = new Gauge({
      name: 'copd_recompute_last_timestamp_seconds',
      help: 'When the last recompute of each experiment was computed, in seconds since the Unix epoch.',
      labelNames: ['experiment'],
      registers,
      aggregator: 'max',
      collect: async () => {
        lastRunAt.reset();
        const read = await this.readDatabase();
        if (read.reachable) for (const run of read.value.runs) lastRunAt.set({ experiment: run.experimentCode }, run.computedAtSeconds);
      },
    });
    const sourceUp: Gauge<'source'> = new Gauge({
      name: 'copd_metrics_source_up',
      help: 'Whether the scrape could read the source (1) or not within its deadline (0): postgres, redis.',
      labelNames: ['source'],
      registers,
      aggregator: 'min',
      collect: async () => {
        const [database, redis] = await Promise.all([this.readDatabase(), this.readQueue()]);
        sourceUp.set({ source: 'postgres' }, database.reachable ? 1 : 0);
        sourceUp.set({ source: 'redis' }, redis.reachable ? 1 : 0);
      },
    });
  }

  /** One read of PostgreSQL per scrape, shared by the gauges that prom-client collects at the same time. */
  private readDatabase(): Promise<Read<{ outbox: OutboxState; runs: LastRun[] }>> {
    return this.database.get('', () =>
      withinDeadline(DATABASE_READ_TIMEOUT_MS, async () => {
        const manager = this.dataSource.manager;
        return { outbox: await this.repository.outboxState(manager), runs: await this.repository.lastRuns(manager) };
      }),
    );
  }

  /** One read of both queues' job counts per scrape (one Redis connection: both reachable or neither). */
  private readQueue(): Promise<Read<Record<string, Record<string, number>>>> {
    return this.redis.get('', () =>
      readQueue(
        this.queue,
        async () => ({
          [INDICATORS_QUEUE]: await this.queue.getJobCounts(...QUEUE_STATES),
          [COMPARISON_REFRESH_QUEUE]: await this.refreshQueue.getJobCounts(...QUEUE_STATES),
        }),
        QUEUE_READ_TIMEOUT_MS,
      ),
    );
  }
}

/** The work's value, or unreachable when it fails or takes longer than timeoutMs (the timer is always cleared). */
async function withinDeadline<T>(timeoutMs: number, work: () => Promise<T>): Promise<Read<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const running = work().then((value) => ({ value }));
    running.catch(() => undefined); // a read that fails after its deadline is no unhandled rejection
    const answer = await Promise.race([running, deadline]);
    return answer === 'timeout' ? { reachable: false } : { reachable: true, value: answer.value };
  } catch {
    return { reachable: false };
  } finally {
    clearTimeout(timer);
  }
}
