import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Job } from 'bullmq';
import { Counter, Histogram } from 'prom-client';
import { COMPARISON_REFRESH_QUEUE, INDICATORS_QUEUE, JobResult, RefreshResult } from '../queue/queue-names';
import { MetricsRegistry } from './metrics-registry';

/** Seconds: a recompute of some patients takes well under a second, a national full recompute several seconds. */
export const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * Durations and failures of the recompute jobs this worker process runs, and the durations of its comparison
 * refreshes, from the events of the BullMQ workers that @nestjs/bullmq created for the processors (found among the
 * providers after bootstrap, so the processors themselves know nothing of metrics). A job's duration is from its start in this worker to its end.
 * Every failed attempt counts as a failure; `final` says whether it was the job's last attempt (then the job
 * waits in the failed set, and the outbox relay offers it again later).
 */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobMetrics.name);
  private readonly duration: Histogram<'outcome' | 'scope'>;
  private readonly failures: Counter<'final'>;
  private readonly refreshes: Histogram<'outcome'>;

  constructor(
    metrics: MetricsRegistry,
    private readonly discovery: DiscoveryService,
  ) {
    this.duration = new Histogram({
      name: 'copd_recompute_job_duration_seconds',
      help: 'Duration of the recompute jobs of this worker: outcome done, nothing_to_do or failed; scope full (every patient) or patients.',
      labelNames: ['outcome', 'scope'],
      buckets: JOB_BUCKETS,
      registers: [metrics.registry],
    });
    this.failures = new Counter({
      name: 'copd_recompute_job_failures_total',
      help: 'Failed attempts of recompute jobs in this worker; final="true" when it was the last attempt.',
      labelNames: ['final'],
      registers: [metrics.registry],
    });
    this.refreshes = new Histogram({
      name: 'copd_comparison_refresh_job_duration_seconds',
      help: 'Duration of the filtered comparison refresh jobs of this worker, waiting for the shared lane included: outcome refreshed, dropped (waited longer than COMPARISON_REFRESH_INTERVAL_MS, or the worker stopping) or failed.',
      labelNames: ['outcome'],
      buckets: JOB_BUCKETS,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    for (const host of hosts) {
      let worker: WorkerHost['worker'];
      try {
        worker = host.worker;
      } catch (error) {
        // A processor registered by hand and not yet started: its jobs go untimed rather than stop the worker.
        this.logger.warn({ err: error }, 'a queue processor has no BullMQ worker yet; its jobs are not timed');
        continue;
      }
      if (worker.name === COMPARISON_REFRESH_QUEUE) {
        worker.on('completed', (job: Job, result: RefreshResult) => this.refreshes.observe({ outcome: result.status.toLowerCase() }, secondsOf(job)));
        worker.on('failed', (job: Job | undefined) => this.refreshes.observe({ outcome: 'failed' }, job ? secondsOf(job) : 0));
        continue;
      }
      if (worker.name !== INDICATORS_QUEUE) continue;
      worker.on('completed', (job: Job, result: JobResult) => {
        this.duration.observe({ outcome: result.status.toLowerCase(), scope: result.full ? 'full' : 'patients' }, secondsOf(job));
      });
      worker.on('failed', (job: Job | undefined) => {
        if (job) this.duration.observe({ outcome: 'failed', scope: 'unknown' }, secondsOf(job));
        const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
        this.failures.inc({ final: String(final) });
      });
      this.logger.log({ queue: worker.name }, 'recompute job metrics attached');
    }
  }
}

/** From the job's start in the worker to its end (now, when BullMQ has not stamped it). */
function secondsOf(job: Job): number {
  const started = job.processedOn ?? Date.now();
  return Math.max(0, ((job.finishedOn ?? Date.now()) - started) / 1000);
}
