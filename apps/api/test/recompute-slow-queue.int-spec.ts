import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import net from 'node:net';
import { INDICATORS_QUEUE, recomputeJobId } from '../src/core/queue/queue-names';
import { QUEUE_ADD_TIMEOUT_MS } from '../src/core/queue/queue-read';
import { redisOptionsFromUrl } from '../src/core/queue/redis.provider';
import { startTestApp, TestContext } from './support/test-app';
import { createRegisters } from './support/test-registers';
import { startTestWorker, waitForIndicators } from './support/test-worker';

// The proxy's own timers are not the ones under test: it keeps the real functions from before any spy.
const realSetTimeout = setTimeout;

/**
 * A TCP proxy in front of the test Redis that can hold every command back for delayMs before passing it on: a
 * Redis that answers slowly, and a command that has not reached Redis yet while it waits.
 */
async function startSlowProxy(target: string) {
  const { hostname, port } = new URL(target);
  let delayMs = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let releaseAt = 0; // chunks keep their order: none is passed on before an earlier one
    client.on('data', (chunk) => {
      releaseAt = Math.max(releaseAt, Date.now() + delayMs);
      realSetTimeout(() => upstream.writable && upstream.write(chunk), releaseAt - Date.now());
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) socket.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    setDelay: (ms: number) => {
      delayMs = ms;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Records the timers of exactly `ms` armed from now on, and whether each fired or was cleared. */
function watchTimers(ms: number) {
  const armed = new Map<unknown, 'pending' | 'fired' | 'cleared'>();
  const realClear = clearTimeout;
  jest.spyOn(global, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    if (delay !== ms) return realSetTimeout(callback, delay, ...args);
    const timer = realSetTimeout(() => {
      armed.set(timer, 'fired');
      callback(...args);
    }, delay);
    armed.set(timer, 'pending');
    return timer;
  }) as typeof setTimeout);
  jest.spyOn(global, 'clearTimeout').mockImplementation((timer) => {
    if (armed.get(timer) === 'pending') armed.set(timer, 'cleared');
    realClear(timer);
  });
  return () => [...armed.values()];
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

describe('recompute request while the queue answers slowly (real PostgreSQL, the test Redis behind a slow proxy)', () => {
  let ctx: TestContext;
  let proxy: Awaited<ReturnType<typeof startSlowProxy>>;
  let inspect: Queue;
  let experimentId: string;
  const directRedisUrl = process.env.REDIS_URL as string;
  const lastOutboxId = async (): Promise<number> =>
    (await ctx.dataSource.query(`SELECT max(id)::int AS id FROM indicator_outbox`))[0].id;

  beforeAll(async () => {
    proxy = await startSlowProxy(directRedisUrl);
    process.env.REDIS_URL = proxy.url; // the API reaches Redis through the proxy only
    ctx = await startTestApp();
    process.env.REDIS_URL = directRedisUrl;
    await createRegisters(ctx, { insurers: [], practices: [] });
    [{ id: experimentId }] = await ctx.dataSource.query(`SELECT id FROM experiments`);
    inspect = new Queue(INDICATORS_QUEUE, { connection: redisOptionsFromUrl(directRedisUrl), prefix: process.env.QUEUE_PREFIX });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    proxy.setDelay(0);
    await inspect.close();
    await ctx.close();
    await proxy.close();
  });

  it('should answer queued with the job id and leave no deadline timer armed when the queue answers at once', async () => {
    const timers = watchTimers(QUEUE_ADD_TIMEOUT_MS);
    const response = await ctx.http().post('/api/v1/indicators/recompute').send({}).expect(202);
    const jobId = recomputeJobId({ experimentId, upToOutboxId: await lastOutboxId() });
    expect(response.body).toEqual({ jobId, queued: true });
    expect(await inspect.getJobState(jobId)).toBe('waiting'); // no worker runs yet
    // one deadline armed for the add, and cleared as soon as the add answered
    expect(timers()).toEqual(['cleared']);
  });

  it('should answer not queued, with the reason and without a job id, when the queue holds the add past the deadline', async () => {
    proxy.setDelay(4000);
    const timers = watchTimers(QUEUE_ADD_TIMEOUT_MS);
    const response = await timed(() => ctx.http().post('/api/v1/indicators/recompute').send({}));
    const jobId = recomputeJobId({ experimentId, upToOutboxId: await lastOutboxId() });
    expect(response.result.status).toBe(202);
    expect(response.result.body).toEqual({
      queued: false,
      reason: 'QUEUE.UNAVAILABLE',
      detail: expect.stringContaining('start vanzelf'),
    });
    // answered at the 2 s deadline, not when the held add came through (4 s); slack for a busy machine
    expect(response.ms).toBeGreaterThanOrEqual(QUEUE_ADD_TIMEOUT_MS - 5);
    expect(response.ms).toBeLessThan(3500);
    // the job of the row it announced did not exist when the answer left
    expect(await inspect.getJobState(jobId)).toBe('unknown');
    // the deadline fired and nothing else was left armed
    expect(timers()).toEqual(['fired']);

    // The outbox row is there: the relay of a worker that reaches Redis directly catches up, without the API.
    proxy.setDelay(0);
    const [{ pending }] = await ctx.dataSource.query(`SELECT count(*)::int AS pending FROM indicator_outbox WHERE processed_at IS NULL`);
    expect(pending).toBe(2); // this request's row and the first test's (no worker ran yet)
    let worker: INestApplicationContext | undefined;
    try {
      worker = await startTestWorker();
      await waitForIndicators(ctx.dataSource, 20_000);
    } finally {
      await worker?.close();
    }
    const [run] = await ctx.dataSource.query(`SELECT last_outbox_id::int AS last, full_recompute FROM indicator_runs`);
    expect(run).toEqual({ last: await lastOutboxId(), full_recompute: true });
  });
});
