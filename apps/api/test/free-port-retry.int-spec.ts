import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import Redis from 'ioredis';
import { makeWorkDir, removeDir, startOnFreePort, startPostgres, startRedis, StartedService } from '@copd/dev-stack';

/**
 * The port race of the test stack (seen once in a full run: four side-by-side `npm test` runs, and one
 * PostgreSQL "could not create any TCP/IP sockets"): a free port is free when asked, and another process
 * can bind it before the server does. Here that other process is this test: the first port handed out is
 * taken before the real server starts on it, so the real server fails on it and `startOnFreePort` must
 * start it again on another port.
 */
describe('startOnFreePort: a throw-away server whose free port was taken before it bound it', () => {
  const workDir = makeWorkDir('copd-free-port-');
  const started: StartedService[] = [];
  const squatters: Server[] = [];

  /** Binds `port` on loopback, as another process would between the port's choice and the server's start. */
  const takePort = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
      squatters.push(server);
    });

  afterAll(async () => {
    for (const service of started.reverse()) await service.stop();
    for (const server of squatters) await new Promise((resolve) => server.close(resolve));
    removeDir(workDir);
  });

  it('should start PostgreSQL on a second port when the first was taken, and answer there', async () => {
    const tried: number[] = [];
    const superuserPassword = randomBytes(8).toString('hex');
    const pg = await startOnFreePort(async (port) => {
      tried.push(port);
      if (tried.length === 1) await takePort(port);
      return startPostgres({ dataDir: path.join(workDir, 'pg'), port, durable: false, superuserPassword });
    });
    started.push(pg);

    expect(tried).toHaveLength(2);
    expect(tried[1]).not.toBe(tried[0]);
    expect(new URL(pg.url).port).toBe(String(tried[1]));
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('should start Redis on a second port when the first was taken, and answer PING there', async () => {
    const tried: number[] = [];
    const redis = await startOnFreePort(async (port) => {
      tried.push(port);
      if (tried.length === 1) await takePort(port);
      return startRedis({ dataDir: path.join(workDir, 'redis'), port, persistent: false });
    });
    started.push(redis);

    expect(tried).toHaveLength(2);
    expect(redis.url).toBe(`redis://127.0.0.1:${tried[1]}`);
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });

  it('should give up after the attempts it was given, with the server’s own reason', async () => {
    const tried: number[] = [];
    const failure = startOnFreePort(async (port) => {
      tried.push(port);
      await takePort(port);
      return startRedis({ dataDir: path.join(workDir, 'redis-taken'), port, persistent: false });
    }, 2);

    await expect(failure).rejects.toThrow(/Address already in use|Failed listening on port/);
    expect(tried).toHaveLength(2);
  });

  it('should not try another port when the server failed for another reason', async () => {
    let calls = 0;
    const failure = startOnFreePort(async () => {
      calls++;
      throw new Error('initdb: could not create directory "/nowhere": Permission denied');
    });

    await expect(failure).rejects.toThrow('Permission denied');
    expect(calls).toBe(1);
  });
});
