/**
 * The embedded development stack: a real PostgreSQL (./postgres.ts) and a real Redis
 * (Debian's redis-server binary), both on loopback only. Used by `npm run demo` (persistent data under
 * .data/) and `npm test` (throw-away directories, free ports). When DATABASE_URL / REDIS_URL are set,
 * the caller uses those instead and nothing is started here.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { withParentDeathSignal } from './lifecycle';
import type { StartedService } from './postgres';
import { oneLine, StackError } from './stack-error';

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

/** What PostgreSQL and redis-server say when their port was taken: `startPostgres`/`startRedis` put it in their error. */
const PORT_TAKEN = /could not create any TCP\/IP sockets|Address already in use|Failed listening on port/i;

/**
 * Starts a throw-away service on a free port. A free port is only free when asked: another process (a
 * side-by-side test run, anything on the machine) can bind it before the service does, PostgreSQL a second
 * or two later, after initdb. When the service says its port was taken, it is started again on another
 * free port (at most `attempts` times in all); any other failure is thrown at once.
 */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= attempts || !PORT_TAKEN.test(oneLine(error))) throw error;
    }
  }
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
    throw new StackError(`${binary} is not installed. Install it (Debian/Ubuntu: sudo apt-get install ${debianPackage}), ${alternative}.`);
  }
  process.stderr.write(`${binary} not found: installing Debian package ${debianPackage} with apt-get...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { stdio: 'inherit', env });
  const after = find();
  if (update.status !== 0 || install.status !== 0 || after.status !== 0) {
    throw new StackError(`Installing ${debianPackage} with apt-get failed; install it by hand, ${alternative}.`);
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
  // Tied to this process: the kernel stops Redis when we end, even when we are killed outright (lifecycle.ts).
  // Detached, like PostgreSQL: a Ctrl-C stops the apps first and Redis after them, through our stop path.
  const [command, commandArgs] = withParentDeathSignal('SIGTERM', binary, args);
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // 'close', not 'exit': it comes after the output has been read, so the error holds redis-server's last line
    // ("Address already in use", which startOnFreePort retries on). On 'exit' that line could still be unread.
    child.on('close', (code) => reject(new StackError(`redis-server exited with code ${code}: ${output.trim().split('\n').pop() ?? ''}`)));
  });
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  child.removeAllListeners('close');
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
