import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { Client } from 'pg';
import { freePort, spawnTypeScript } from '@copd/dev-stack';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The cluster entry of issue 17 (apps/api/src/cluster.ts): API_PROCESSES copies of main.ts on one port, started
 * as a process of its own against the test stack, as the bench starts it.
 */
jest.setTimeout(180_000);

/** Process ids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) === pid) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('API cluster entry (API_PROCESSES)', () => {
  let db: TestDatabase;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterEach(async () => {
    for (const child of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
    }
  });

  afterAll(async () => {
    await db.drop();
  });

  async function startCluster(
    processes: string,
    extraEnv: Record<string, string> = {},
  ): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
    const port = await freePort();
    let stderr = '';
    const child = spawnTypeScript(['apps/api/src/cluster.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: String(port),
        API_PROCESSES: processes,
        QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
        LOG_LEVEL: 'silent',
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    started.push(child);
    return { child, port, stderr: () => stderr };
  }

  async function healthy(port: number): Promise<boolean> {
    const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
    return response?.status === 200;
  }

  it('should answer on one port from two copies and stop them all when the primary gets SIGTERM', async () => {
    const { child, port } = await startCluster('2');
    await until(() => healthy(port), 120_000);
    // Both copies listen: the primary has exactly two children.
    await until(() => childrenOf(child.pid!).length === 2, 30_000);
    const copies = childrenOf(child.pid!);
    expect(copies).toHaveLength(2);
    // 20 requests in a row, handed round-robin to the copies, all answered.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await fetch(`http://127.0.0.1:${port}/health`)).status);
    expect(statuses).toEqual(Array(20).fill(200));

    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(copies.filter(alive)).toEqual([]);
    expect(await portFree(port)).toBe(true);
  });

  it('should have every copy open its DB_POOL_SIZE connections at start, before any request needs them, and keep them', async () => {
    const { child, port } = await startCluster('2', { DB_POOL_SIZE: '3' });
    await until(() => healthy(port), 120_000);
    await until(() => childrenOf(child.pid!).length === 2, 30_000);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const backends = async () =>
        (
          await client.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = 'copd-api' AND datname = current_database() ORDER BY pid`,
          )
        ).rows.map((r) => r.pid);
      // Two copies x DB_POOL_SIZE 3, whichever copy answered /health: both filled their pools before listening.
      await until(async () => (await backends()).length === 6, 10_000);
      const opened = await backends();
      expect(opened).toHaveLength(6);
      // Past pg's idle timeout of 10 s they are the same backends (data-source-options.ts: min = max).
      await new Promise((r) => setTimeout(r, 11_000));
      expect(await backends()).toEqual(opened);
    } finally {
      await client.end();
    }
  });

  it('should stop the other copy and exit with code 1 when one copy dies', async () => {
    const { child, port, stderr } = await startCluster('2');
    await until(() => healthy(port), 120_000);
    await until(() => childrenOf(child.pid!).length === 2, 30_000);
    const [victim, other] = childrenOf(child.pid!);

    process.kill(victim, 'SIGKILL');
    expect(await exited(child)).toEqual({ code: 1, signal: null });
    expect(alive(other)).toBe(false);
    expect(await portFree(port)).toBe(true);
    expect(stderr()).toContain(`API process ${victim} ended (SIGKILL); stopping the others`);
  });

  it('should leave no copy behind when the primary is killed outright', async () => {
    const { child, port } = await startCluster('2');
    await until(() => healthy(port), 120_000);
    await until(() => childrenOf(child.pid!).length === 2, 30_000);
    const copies = childrenOf(child.pid!);

    child.kill('SIGKILL');
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });
    // A copy ends when its channel to the primary closes (node:cluster), without a signal of its own.
    await until(() => copies.filter(alive).length === 0, 15_000);
    expect(await portFree(port)).toBe(true);
  });

  it('should refuse to start with one line when API_PROCESSES is not a whole number from 1 to 64', async () => {
    for (const value of ['0', '65', '2.5', 'two']) {
      const { child, stderr } = await startCluster(value);
      expect(await exited(child)).toEqual({ code: 1, signal: null });
      expect(stderr().trim()).toBe(`API failed to start: API_PROCESSES must be a whole number from 1 to 64 (is "${value}")`);
    }
  });
});
