import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { INDICATORS_QUEUE, JOB, recomputeJobId, RecomputeExperimentPayload } from '../../core/queue/queue-names';
import { AppConfig } from '../../core/config/app-config';
import { OUTBOX_CHANNEL } from '../../core/outbox/outbox.service';
import { retryPolicy } from '../../core/queue/retry-policy';
import { IndicatorRunsRepository } from './indicator-runs.repository';

/** How often a pass also looks for experiments whose derived tables were emptied (as the 25th poll of 200 ms did). */
const RECOVERY_EVERY_MS = 5000;
/** The listening connection's application_name: what an operator (or a test) finds it by in pg_stat_activity. */
export const RELAY_LISTENER_NAME = 'copd-outbox-relay';
/** Reconnect delays of the listening connection: from 100 ms, doubled after every failed attempt, at most 5 s. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;
/** Job states of a job that has not started: it will read the outbox when it does. */
const NOT_STARTED = new Set<string>(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Runs in the worker: turns pending outbox rows into recompute jobs, one per experiment, with a job id
 * derived from the experiment and the highest pending row, so repeated passes add the job only once; and none
 * while the job this relay last added for the experiment has not started (it takes every row pending when it does).
 * A pass starts when a writer's transaction commits: the outbox trigger (migration 1765100000000) notifies
 * channel copd_outbox, which the relay LISTENs to on a connection of its own (a pg Client outside the TypeORM
 * pool: a pooled connection is handed to others and would lose the LISTEN). When that connection drops, the
 * relay reconnects with backoff and makes a pass at once, to catch what was committed meanwhile. The poll every
 * OUTBOX_RELAY_INTERVAL_MS stays as the safety net (and retries enqueueing while Redis is down).
 * When Redis is down the add fails, the rows stay pending, and the next pass tries again.
 * A job that used up its attempts (a database outage longer than its backoff) stays in the failed set, where
 * an add with its id is ignored as a duplicate; so when that job's rows are still pending, the relay moves it
 * back to waiting with fresh attempts, once it has been failed for retryFailedAfterMs. The id stays the same:
 * repeated passes still collapse, and the job never runs twice at once (BullMQ moves only a failed job).
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  /** A wake-up came during a pass: its rows may have committed after the pass read the outbox, so pass again. */
  private again = false;
  private stopped = false;
  private lastError?: string;
  private lastRecovery = 0;
  private readonly retryFailedAfterMs: number;
  /** How often the relay looks for pending outbox rows without being woken (ms, OUTBOX_RELAY_INTERVAL_MS). */
  private readonly intervalMs: number;
  private readonly databaseUrl: string;
  private listener?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelayMs = RECONNECT_FIRST_MS;
  private listenError?: string;
  /** The job this relay last added per experiment (stillToStart). */
  private readonly offered = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: IndicatorRunsRepository,
    @InjectQueue(INDICATORS_QUEUE) private readonly queue: Queue<RecomputeExperimentPayload>,
    config: AppConfig,
  ) {
    this.retryFailedAfterMs = retryPolicy(config).retryFailedAfterMs;
    this.intervalMs = config.OUTBOX_RELAY_INTERVAL_MS;
    this.databaseUrl = config.DATABASE_URL;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /**
   * Opens the listening connection; on success makes a pass (rows committed while nobody listened). A failed
   * connect or a dropped connection schedules the next attempt with a growing delay.
   */
  private listen(): void {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, application_name: RELAY_LISTENER_NAME, keepAlive: true });
    let lost = false;
    const drop = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const message = error?.message ?? 'connection ended';
      if (message !== this.listenError) {
        this.logger.warn({ err: message, retryInMs: this.reconnectDelayMs }, 'outbox relay lost its LISTEN connection; polling until it is back');
      }
      this.listenError = message;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        this.listen();
      }, this.reconnectDelayMs);
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
    };
    client.on('notification', () => void this.tick());
    client.on('error', drop);
    client.on('end', () => drop());
    client
      .connect()
      .then(() => client.query(`LISTEN ${OUTBOX_CHANNEL}`))
      .then(() => {
        if (lost) return;
        if (this.stopped) return void client.end().catch(() => undefined);
        this.listener = client;
        this.reconnectDelayMs = RECONNECT_FIRST_MS;
        if (this.listenError) this.logger.log('outbox relay listens again');
        this.listenError = undefined;
        void this.tick();
      }, drop);
  }

  /** One relay pass; returns the number of jobs offered to the queue. */
  async tick(): Promise<number> {
    if (this.stopped) return 0;
    if (this.running) {
      this.again = true;
      return 0;
    }
    this.running = true;
    try {
      // Every few seconds (and at start): recover experiments whose derived tables were emptied.
      if (Date.now() - this.lastRecovery >= RECOVERY_EVERY_MS) {
        const recovered = await this.runs.announceMissingRuns(this.dataSource.manager);
        this.lastRecovery = Date.now();
        if (recovered > 0) this.logger.warn({ experiments: recovered }, 'indicators missing: full recompute announced');
      }
      const pending = await this.runs.pendingByExperiment(this.dataSource.manager);
      for (const { experimentId, upTo } of pending) {
        const payload = { experimentId, upToOutboxId: upTo };
        const jobId = recomputeJobId(payload);
        const state = await withTimeout(this.queue.getJobState(jobId), 5000);
        if (state === 'failed') await withTimeout(this.retryFailed(jobId), 5000);
        else if (state === 'unknown' && !(await this.stillToStart(experimentId, jobId))) {
          await withTimeout(this.queue.add(JOB.RECOMPUTE_EXPERIMENT, payload, { jobId }), 5000);
          this.offered.set(experimentId, jobId);
        }
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
      if (this.again) {
        this.again = false;
        setImmediate(() => void this.tick());
      }
    }
  }

  /**
   * Whether the job this relay last offered for the experiment has not started yet (waiting, or delayed because
   * another job holds the experiment). A recompute takes every change pending when it starts, so that job will take
   * the rows of `jobId` too: no new job. The state is read after the rows' commit (their NOTIFY woke this pass), and
   * BullMQ marks a job active before it runs, so a job read as not started cannot have read the outbox yet. Without
   * this, every write under a stream of writes added a job that then bounced off the experiment's lock (about 75
   * lock tries a second in the 200-user load run).
   */
  private async stillToStart(experimentId: string, jobId: string): Promise<boolean> {
    const earlier = this.offered.get(experimentId);
    if (earlier === undefined || earlier === jobId) return false;
    return NOT_STARTED.has(await withTimeout(this.queue.getJobState(earlier), 5000));
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
