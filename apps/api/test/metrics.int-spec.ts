import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { freePort, spawnTypeScript, startRedis } from '@copd/dev-stack';
import { Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/core/config/app-config';
import { WorkerMetricsServer } from '../src/core/metrics/worker-metrics-server';
import { COMPARISON_REFRESH_QUEUE, INDICATORS_QUEUE, JOB } from '../src/core/queue/queue-names';
import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { recomputeNow, startTestWorker, waitForIndicators } from './support/test-worker';

const TOKEN = 'metrics-token-for-the-test-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped; label values without escapes, as ours are). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with exactly these labels, or undefined when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const key = JSON.stringify(Object.entries(labels).sort());
  const found = samples.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === key);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${key}`);
  return found[0]?.value;
}

/** Sets (or removes, for undefined) environment variables and gives back a function that restores them. */
function withEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

describe('metrics (issue 17): Prometheus on the API and the worker, on real PostgreSQL and Redis', () => {
  describe('the API without METRICS_TOKEN', () => {
    let ctx: TestContext;
    let restore: () => void;

    beforeAll(async () => {
      restore = withEnv({ METRICS_TOKEN: undefined, METRICS_PORT: undefined });
      ctx = await startTestApp();
    });
    afterAll(async () => {
      await ctx.close();
      restore();
    });

    it('should answer 404 problem+json, as for an unknown address, when no METRICS_TOKEN is configured, whoever asks', async () => {
      for (const request of [
        ctx.http('ANONYMOUS').get('/metrics'),
        ctx.http('EVALUATOR').get('/metrics'),
        ctx.http('ADMIN').get('/metrics'),
        ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Bearer ${TOKEN}`),
      ]) {
        const response = await request;
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 404, code: 'ROUTE.NOT_FOUND', instance: '/metrics' });
      }
    });
  });

  describe('the API with METRICS_TOKEN', () => {
    let ctx: TestContext;
    let restore: () => void;
    let experimentId: string;
    const scrape = async (): Promise<Sample[]> => {
      const response = await ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      return parseExposition(response.text);
    };

    beforeAll(async () => {
      restore = withEnv({ METRICS_TOKEN: TOKEN, METRICS_PORT: undefined });
      ctx = await startTestApp();
      await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
      [{ id: experimentId }] = await ctx.dataSource.query(`SELECT id FROM experiments WHERE code = 'WORKED'`);
    });
    afterAll(async () => {
      await ctx.close();
      restore();
    });

    it('should answer 401 problem+json with a Bearer challenge when the token is missing, wrong, or a signed-in role\'s session', async () => {
      for (const request of [
        ctx.http('ANONYMOUS').get('/metrics'),
        ctx.http('ANONYMOUS').get('/metrics').set('Authorization', 'Bearer not-the-metrics-token-at-all'),
        ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`),
        ctx.http('EVALUATOR').get('/metrics'),
        ctx.http('ADMIN').get('/metrics'),
      ]) {
        const response = await request;
        expect(response.status).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
        expect(response.body).toMatchObject({ status: 401, code: 'METRICS.TOKEN_REQUIRED' });
        expect(response.body.detail).toContain('METRICS_TOKEN');
      }
    });

    it('should serve the text format with the default process metrics when the token is right', async () => {
      const response = await ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      // Express puts the charset first; Prometheus reads either order.
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8; version=0.0.4');
      expect(response.headers['cache-control']).toBe('no-store');
      const samples = parseExposition(response.text);
      expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(valueOf(samples, 'copd_metrics_source_up', { source: 'postgres' })).toBe(1);
      expect(valueOf(samples, 'copd_metrics_source_up', { source: 'redis' })).toBe(1);
    });

    it('should count exactly the requests made to a route template, per method and status class, when the URLs carry ids', async () => {
      const route = '/api/v1/experiments/:id';
      const before = await scrape();
      const count = (samples: Sample[], status_class: string) =>
        valueOf(samples, 'copd_http_request_duration_seconds_count', { route, method: 'GET', status_class }) ?? 0;
      const missing = '00000000-0000-4000-8000-000000000000';
      for (let i = 0; i < 3; i++) await ctx.http().get(`/api/v1/experiments/${experimentId}`).expect(200);
      for (let i = 0; i < 2; i++) await ctx.http().get(`/api/v1/experiments/${missing}`).expect(404);
      await ctx.http('ANONYMOUS').get(`/api/v1/experiments/${experimentId}`).expect(401);
      const response = await ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      const after = parseExposition(response.text);
      // 3 answered 200; 2 of a missing id + 1 anonymous (refused by the guard) are 3 answers in 4xx.
      expect([count(after, '2xx') - count(before, '2xx'), count(after, '4xx') - count(before, '4xx')]).toEqual([3, 3]);
      // The +Inf bucket holds every observation, as the count does.
      expect(valueOf(after, 'copd_http_request_duration_seconds_bucket', { route, method: 'GET', status_class: '2xx', le: '+Inf' })).toBe(count(after, '2xx'));
      expect(response.text).not.toContain(experimentId);
      expect(response.text).not.toContain(missing);
      // An address without a route counts once under 'unmatched', not under its URL.
      const unmatched = (samples: Sample[]) =>
        valueOf(samples, 'copd_http_request_duration_seconds_count', { route: 'unmatched', method: 'GET', status_class: '4xx' }) ?? 0;
      await ctx.http().get(`/api/v1/no-such-address/${experimentId}`).expect(404);
      const last = await ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(unmatched(parseExposition(last.text)) - unmatched(after)).toBe(1);
      expect(last.text).not.toContain('no-such-address');
      expect(last.text).not.toContain('{*path}');
    });

    it('should report the jobs the test put in the queue, per state, when it scrapes', async () => {
      const queue = ctx.app.get<Queue>(getQueueToken(INDICATORS_QUEUE));
      // No worker runs in this describe: 3 jobs stay waiting, 2 delayed by an hour.
      for (let i = 1; i <= 3; i++) await queue.add(JOB.RECOMPUTE_EXPERIMENT, { experimentId, upToOutboxId: 0 }, { jobId: `metrics-waiting-${i}` });
      for (let i = 1; i <= 2; i++) await queue.add(JOB.RECOMPUTE_EXPERIMENT, { experimentId, upToOutboxId: 0 }, { jobId: `metrics-delayed-${i}`, delay: 3_600_000 });
      // And 2 comparison refreshes waiting in their own queue, counted under its name, not the recomputes'.
      const refreshes = ctx.app.get<Queue>(getQueueToken(COMPARISON_REFRESH_QUEUE));
      for (let i = 1; i <= 2; i++) await refreshes.add(JOB.REFRESH_COMPARISON, { experimentId, filters: { regions: [`R${i}`] }, filterKey: `2:${i}` });
      const samples = await scrape();
      const depthOf = (name: string) =>
        Object.fromEntries(['waiting', 'active', 'delayed', 'failed'].map((state) => [state, valueOf(samples, 'copd_queue_jobs', { queue: name, state })]));
      expect(depthOf(INDICATORS_QUEUE)).toEqual({ waiting: 3, active: 0, delayed: 2, failed: 0 });
      expect(depthOf(COMPARISON_REFRESH_QUEUE)).toEqual({ waiting: 2, active: 0, delayed: 0, failed: 0 });
      await queue.obliterate({ force: true });
      await refreshes.obliterate({ force: true });
    });

    it('should give the age of the oldest pending outbox row as the lag when a row has waited an hour', async () => {
      const startedAt = Date.now();
      await ctx.dataSource.query(
        `INSERT INTO indicator_outbox (experiment_id, patient_id, reason, created_at) VALUES ($1, NULL, 'experiment', now() - interval '3600 seconds')`,
        [experimentId],
      );
      const samples = await scrape();
      const elapsedSeconds = (Date.now() - startedAt) / 1000;
      const [{ pending }] = await ctx.dataSource.query(`SELECT count(*)::int AS pending FROM indicator_outbox WHERE processed_at IS NULL`);
      // created_at = (PostgreSQL's now() at the insert) - 3600 s, and the scrape reads it at most elapsedSeconds later:
      // 3600 <= lag <= 3600 + elapsedSeconds. No row of this spec is older (the spec started well within the hour).
      const lag = valueOf(samples, 'copd_outbox_lag_seconds')!;
      expect(lag).toBeGreaterThanOrEqual(3600);
      expect(lag).toBeLessThanOrEqual(3600 + elapsedSeconds);
      expect(valueOf(samples, 'copd_outbox_pending_rows')).toBe(pending);
      await ctx.dataSource.query(`UPDATE indicator_outbox SET processed_at = now() WHERE processed_at IS NULL`);
      const none = await scrape();
      expect([valueOf(none, 'copd_outbox_lag_seconds'), valueOf(none, 'copd_outbox_pending_rows')]).toEqual([0, 0]);
    });

    it('should give the last recompute duration and time of the experiment from indicator_runs when it has been recomputed', async () => {
      await recomputeNow(ctx);
      const [run] = await ctx.dataSource.query(
        `SELECT duration_ms, EXTRACT(EPOCH FROM computed_at)::float8 AS computed_at FROM indicator_runs WHERE experiment_id = $1`,
        [experimentId],
      );
      const samples = await scrape();
      expect(valueOf(samples, 'copd_recompute_last_duration_seconds', { experiment: 'WORKED' })).toBe(run.duration_ms / 1000);
      expect(valueOf(samples, 'copd_recompute_last_timestamp_seconds', { experiment: 'WORKED' })).toBe(run.computed_at);
    });
  });

  describe('the API with METRICS_TOKEN while Redis is stopped (a Redis this test stops)', () => {
    let ctx: TestContext;
    let restore: () => void;
    let redis: Awaited<ReturnType<typeof startRedis>>;

    beforeAll(async () => {
      const port = await freePort();
      redis = await startRedis({ dataDir: path.join(tmpdir(), `redis-metrics-${port}`), port, persistent: false });
      restore = withEnv({ METRICS_TOKEN: TOKEN, METRICS_PORT: undefined, REDIS_URL: redis.url });
      ctx = await startTestApp();
    });
    afterAll(async () => {
      await ctx.close();
      await redis.stop();
      restore();
    });

    it('should answer the scrape without the queue gauges and with redis marked down, not hang, when Redis is stopped', async () => {
      const scrape = async () => {
        const started = performance.now();
        const response = await ctx.http('ANONYMOUS').get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
        return { ms: performance.now() - started, samples: parseExposition(response.text) };
      };
      const up = await scrape();
      expect(valueOf(up.samples, 'copd_metrics_source_up', { source: 'redis' })).toBe(1);
      expect(valueOf(up.samples, 'copd_queue_jobs', { queue: INDICATORS_QUEUE, state: 'waiting' })).toBe(0);
      await redis.stop();
      const down = await scrape();
      // The Redis read gives up after QUEUE_READ_TIMEOUT_MS (500 ms); without it a command waits for Redis to return
      // (57 s and more, issue 10 M4). 2 s leaves room for a loaded machine.
      expect(down.ms).toBeLessThan(2000);
      expect(valueOf(down.samples, 'copd_metrics_source_up', { source: 'redis' })).toBe(0);
      expect(down.samples.filter((s) => s.name === 'copd_queue_jobs')).toEqual([]);
      expect(valueOf(down.samples, 'copd_metrics_source_up', { source: 'postgres' })).toBe(1);
      expect(valueOf(down.samples, 'copd_outbox_pending_rows')).toBe(0);
    });
  });

  describe('the worker metrics server', () => {
    let ctx: TestContext;
    let worker: INestApplicationContext;
    let restore: () => void;
    let base: string;

    beforeAll(async () => {
      // METRICS_PORT=0: a free port chosen by the system, read back from the server.
      restore = withEnv({ METRICS_TOKEN: TOKEN, METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
      ctx = await startTestApp();
      worker = await startTestWorker();
      const address = worker.get(WorkerMetricsServer).address();
      if (!address) throw new Error('the worker metrics server does not listen');
      base = `http://127.0.0.1:${address.port}`;
    });
    afterAll(async () => {
      await worker.close();
      await ctx.close();
      restore();
    });

    it('should refuse a scrape without the token and answer other addresses and methods with problem+json', async () => {
      const refused = await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer wrong-token-wrong-token-wrong' } });
      expect([refused.status, refused.headers.get('content-type'), refused.headers.get('www-authenticate')]).toEqual([
        401,
        'application/problem+json',
        'Bearer realm="metrics"',
      ]);
      expect(await refused.json()).toMatchObject({ status: 401, code: 'METRICS.TOKEN_REQUIRED' });
      const elsewhere = await fetch(`${base}/health`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect([elsewhere.status, ((await elsewhere.json()) as { code: string }).code]).toEqual([404, 'ROUTE.NOT_FOUND']);
      const posted = await fetch(`${base}/metrics`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
      expect([posted.status, posted.headers.get('allow'), ((await posted.json()) as { code: string }).code]).toEqual([405, 'GET, HEAD', 'REQUEST.METHOD_NOT_ALLOWED']);
    });

    it('should time every recompute job the worker ran and report the run when an import has been recomputed', async () => {
      await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
      await waitForIndicators(ctx.dataSource);
      const queue = worker.get<Queue>(getQueueToken(INDICATORS_QUEUE));
      // The run is committed before BullMQ marks its job completed: wait (at most 10 s) until no job is left to run
      // and the scrape has timed as many jobs as BullMQ holds as completed.
      let completed = 0;
      let timed = -1;
      let samples: Sample[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        const counts = await queue.getJobCounts('completed', 'active', 'waiting', 'delayed');
        const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
        samples = parseExposition(await response.text());
        completed = counts.completed;
        timed = samples.filter((s) => s.name === 'copd_recompute_job_duration_seconds_count').reduce((sum, s) => sum + s.value, 0);
        if (counts.active + counts.waiting + counts.delayed === 0 && completed >= 1 && timed === completed) break;
      }
      // Every job BullMQ holds as completed (removeOnComplete keeps the last 1,000) was timed once, none failed.
      expect(completed).toBeGreaterThanOrEqual(1);
      expect(timed).toBe(completed);
      expect(samples.filter((s) => s.name === 'copd_recompute_job_failures_total').map((s) => s.value)).toEqual([]);
      const [run] = await ctx.dataSource.query(`SELECT duration_ms FROM indicator_runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.code = 'WORKED'`);
      expect(valueOf(samples, 'copd_recompute_last_duration_seconds', { experiment: 'WORKED' })).toBe(run.duration_ms / 1000);
      expect(valueOf(samples, 'copd_outbox_lag_seconds')).toBe(0);
      expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    });

    it('should time the comparison refreshes the worker made and dropped, by outcome', async () => {
      const [{ id: experimentId }] = await ctx.dataSource.query(`SELECT id FROM experiments WHERE code = 'WORKED'`);
      const refreshes = worker.get<Queue>(getQueueToken(COMPARISON_REFRESH_QUEUE));
      const filters = { goldStages: [2] };
      const filterKey = `2:${JSON.stringify(filters)}`;
      // One queued an hour ago (longer than COMPARISON_REFRESH_INTERVAL_MS, 30 s: dropped), one now (made).
      await refreshes.add(JOB.REFRESH_COMPARISON, { experimentId, filters, filterKey }, { timestamp: Date.now() - 3_600_000 });
      await refreshes.add(JOB.REFRESH_COMPARISON, { experimentId, filters, filterKey });
      const counted = (samples: Sample[], outcome: string) =>
        valueOf(samples, 'copd_comparison_refresh_job_duration_seconds_count', { outcome }) ?? 0;
      let samples: Sample[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        samples = parseExposition(await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text());
        if (counted(samples, 'refreshed') + counted(samples, 'dropped') >= 2) break;
      }
      expect([counted(samples, 'refreshed'), counted(samples, 'dropped'), counted(samples, 'failed')]).toEqual([1, 1, 0]);
      const [cached] = await ctx.dataSource.query(`SELECT based_on FROM comparison_cache WHERE experiment_id = $1 AND filter_key = $2`, [experimentId, filterKey]);
      expect(cached).toBeDefined();
    });
  });

  describe('the worker metrics server, when a job fails', () => {
    let ctx: TestContext;
    let worker: INestApplicationContext;
    let restore: () => void;

    beforeAll(async () => {
      restore = withEnv({ METRICS_TOKEN: TOKEN, METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
      ctx = await startTestApp();
      worker = await startTestWorker();
    });
    afterAll(async () => {
      await worker.close();
      await ctx.close();
      restore();
    });

    it('should count a failed attempt as final when the job had one attempt, and time it as failed', async () => {
      const queue = worker.get<Queue>(getQueueToken(INDICATORS_QUEUE));
      // A job name no processor handles fails on its first run (indicators.processor.ts); one attempt makes it final.
      await queue.add('indicators.no-such-job', { experimentId: '00000000-0000-4000-8000-000000000000', upToOutboxId: 0 }, { jobId: 'metrics-fails', attempts: 1 });
      const port = worker.get(WorkerMetricsServer).address()!.port;
      let samples: Sample[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        samples = parseExposition(await response.text());
        if (valueOf(samples, 'copd_recompute_job_failures_total', { final: 'true' }) !== undefined) break;
      }
      expect(await queue.getJobState('metrics-fails')).toBe('failed');
      expect(valueOf(samples, 'copd_recompute_job_failures_total', { final: 'true' })).toBe(1);
      expect(valueOf(samples, 'copd_recompute_job_failures_total', { final: 'false' })).toBeUndefined();
      expect(valueOf(samples, 'copd_recompute_job_duration_seconds_count', { outcome: 'failed', scope: 'unknown' })).toBe(1);
      expect(valueOf(samples, 'copd_queue_jobs', { queue: INDICATORS_QUEUE, state: 'failed' })).toBe(1);
    });
  });

  describe('the clustered API (API_PROCESSES=2, apps/api/src/cluster.ts)', () => {
    let db: TestDatabase;
    let child: ChildProcess;
    let port: number;
    let output = '';

    /** One request on a connection of its own (no keep-alive), so node:cluster hands each to the next copy in turn. */
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end();
      });

    beforeAll(async () => {
      db = await createTestDatabase();
      port = await freePort();
      const env = {
        ...process.env,
        DATABASE_URL: db.url,
        QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_PROCESSES: '2',
        METRICS_TOKEN: TOKEN,
        LOG_LEVEL: 'silent',
      };
      child = spawnTypeScript(['apps/api/src/cluster.ts'], { env, parentDeathSignal: 'SIGTERM' });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    }, 120_000);
    afterAll(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await db.drop();
    }, 60_000);

    it('should count every copy\'s requests in each scrape, whichever copy answers it, when the API runs as two processes', async () => {
      // Both copies listening: two answers in a row from /health (round-robin hands them to different copies).
      let healthy = 0;
      const deadline = Date.now() + 100_000;
      let okInARow = 0;
      while (okInARow < 2) {
        if (Date.now() > deadline) throw new Error(`the clustered API did not start:\n${output.slice(-2000)}`);
        const answer = await get('/health').catch(() => ({ status: 0, text: '' }));
        if (answer.status === 200) healthy++;
        okInARow = answer.status === 200 ? okInARow + 1 : 0;
        if (answer.status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      for (let i = 0; i < 6; i++) expect((await get('/health')).status).toBe(200);
      healthy += 6;
      // Without the primary's sum, each scrape would show only the requests of the copy that answers it (about half).
      const counts: number[] = [];
      for (let i = 0; i < 4; i++) {
        const scrape = await get('/metrics', { Authorization: `Bearer ${TOKEN}` });
        expect(scrape.status).toBe(200);
        const samples = parseExposition(scrape.text);
        counts.push(valueOf(samples, 'copd_http_request_duration_seconds_count', { route: '/health', method: 'GET', status_class: '2xx' }) ?? 0);
        // The shared-state gauges are each copy's same reading, taken once (max), not added up.
        expect(valueOf(samples, 'copd_metrics_source_up', { source: 'postgres' })).toBe(1);
        expect(valueOf(samples, 'copd_outbox_pending_rows')).toBe(0);
      }
      expect(counts).toEqual([healthy, healthy, healthy, healthy]);
    }, 150_000);
  });

  it('should refuse to start when METRICS_PORT is set without METRICS_TOKEN', () => {
    const required = { DATABASE_URL: 'postgres://localhost/copd', PSEUDONYM_KEY: 'k'.repeat(32) };
    expect(() => loadConfig({ ...required, METRICS_PORT: '9464' })).toThrow('METRICS_PORT: set METRICS_TOKEN too');
    expect(() => loadConfig({ ...required, METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN must be at least 16 characters');
    expect(loadConfig({ ...required, METRICS_PORT: '9464', METRICS_TOKEN: TOKEN })).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: '127.0.0.1' });
  });
});
