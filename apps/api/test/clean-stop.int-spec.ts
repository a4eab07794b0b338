import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort, makeWorkDir, removeDir, repoRoot } from '@copd/dev-stack';
import { allPids, descendants, readProcess, type TreeProcess } from './support/processes';

/**
 * Issue 17, target 8: a signal to the npm process of `npm run demo` or `npm test` (and nothing else) stops every
 * process under it. npm forwards SIGINT and SIGTERM to its script, not SIGHUP, and a SIGKILL cannot be forwarded:
 * bootstrap.cjs passes the three signals on and notices when npm is gone; the entry stops its children; the
 * servers are tied to their parent by the kernel (lifecycle.ts in libs/dev-stack).
 *
 * The real commands run, on free ports and throw-away data: `npm run demo` (its own PostgreSQL cluster and Redis,
 * a tiny experiment, a stand-in dashboard build instead of a 20 s vite build: the dashboard server still runs
 * and answers), and `npm test` on two fixture tests that wait five minutes in two Jest workers. Once everything
 * listens, the npm process alone gets the signal. "Everything is gone" is asked of /proc: every process that was
 * below npm at that moment (parent links), and every process carrying this run's mark in its environment
 * (inherited by all descendants, so it also finds one started later or adopted by init), zombies excepted.
 */
const MARK = 'COPD_CLEAN_STOP_RUN';
const STOP_BOUND_MS = 30_000;
const timings: string[] = [];

describe('stopping npm run demo and npm test by signalling npm', () => {
  const workDirs: string[] = [];
  const runs: Started[] = [];

  afterAll(() => {
    // A failed case must not leave its processes to the machine.
    for (const run of runs) for (const proc of leftovers(run, run.tree)) killQuietly(proc.pid);
    for (const dir of workDirs) removeDir(dir);
    if (timings.length > 0) process.stdout.write(`[clean-stop] ${timings.join('; ')}\n`);
  });

  // The three demos (and then the four test runs) start side by side, each on its own ports and data; each case
  // stops its own and finds the others still running: the signal reached one tree and nothing else.
  describe('npm run demo', () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const demos = new Map<string, { run: Started; ports: number[] }>();

    beforeAll(async () => {
      const dashboardDist = makeWorkDir('copd-clean-stop-dashboard-');
      workDirs.push(dashboardDist);
      writeFileSync(path.join(dashboardDist, 'index.html'), '<!doctype html><title>clean stop</title>\n');
      const ports = await distinctFreePorts(4 * signals.length);
      for (const [i, signal] of signals.entries()) {
        const [api, dashboard, pg, redis] = ports.slice(4 * i, 4 * i + 4);
        const dataDir = makeWorkDir('copd-clean-stop-demo-');
        workDirs.push(dataDir);
        const run = startNpm(['run', 'demo'], {
          PORT: String(api),
          DASHBOARD_PORT: String(dashboard),
          DEMO_PG_PORT: String(pg),
          DEMO_REDIS_PORT: String(redis),
          DEMO_DATA_DIR: dataDir,
          DASHBOARD_DIST: dashboardDist,
          DEMO_PRACTICES: '4',
          DEMO_PATIENTS: '40',
        });
        runs.push(run);
        demos.set(signal, { run, ports: [api, dashboard, pg, redis] });
      }
      await Promise.all([...demos.values()].map(({ run }) => run.waitFor((output) => output.includes('The COPD experiment tracker is running'), 300_000)));
    }, 330_000);

    it.each(signals)('should free every port and leave no process of the tree when npm alone gets %s', async (signal) => {
      const { run, ports } = demos.get(signal)!;
      expect({ listening: await listening(ports), ended: run.ended() }).toEqual({ listening: ports, ended: undefined });
      run.tree = descendants(run.npm.pid!);
      expect(roles(run.tree)).toEqual(['api', 'bootstrap', 'dashboard', 'demo', 'postgres', 'redis', 'worker']);

      const stoppedInMs = await stopAndWait(run, signal, ports);
      timings.push(`demo ${signal}: ${(stoppedInMs / 1000).toFixed(1)} s`);
      expect({ leftovers: leftovers(run, run.tree), busyPorts: await listening(ports) }).toEqual({ leftovers: [], busyPorts: [] });
      expect(run.output()).toContain('Stopped.');
      const others = signals.filter((other) => other !== signal && !demos.get(other)!.run.tree);
      for (const other of others) expect(await listening(demos.get(other)!.ports)).toEqual(demos.get(other)!.ports);
    });
  });

  describe('npm test', () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const;
    const fixtures = path.join(repoRoot, 'apps/api/test/clean-stop');
    // Its own Jest configuration: the fixtures are no part of the suite, and two of them with two workers put
    // Jest's worker processes in the tree.
    const jestConfig = JSON.stringify({
      rootDir: fixtures,
      testMatch: ['<rootDir>/*.fixture.js'],
      testEnvironment: 'node',
      transform: {},
      testTimeout: 600_000,
    });
    const stackLine = /PostgreSQL postgres:\/\/[^@]+@127\.0\.0\.1:(\d+)\/\S+, Redis redis:\/\/127\.0\.0\.1:(\d+)/;
    const testRuns = new Map<string, { run: Started; ports: number[] }>();
    // Both fixture tests are running, each in its Jest worker. Checked again right before each run is signalled:
    // once, in a full CI run, a run seen with both workers had none a moment later (jest still running).
    const bothWorkersRunning = (run: Started, timeoutMs: number) =>
      run.waitFor(() => roles(descendants(run.npm.pid!)).filter((role) => role === 'jest worker').length === 2, timeoutMs);

    beforeAll(async () => {
      for (const signal of signals) {
        const run = startNpm(['test', '--', '--config', jestConfig, '--maxWorkers=2'], {});
        runs.push(run);
        testRuns.set(signal, { run, ports: [] });
      }
      await Promise.all(
        [...testRuns.values()].map(async (entry) => {
          await entry.run.waitFor((output) => stackLine.test(output), 240_000);
          entry.ports = stackLine.exec(entry.run.output())!.slice(1).map(Number);
          await bothWorkersRunning(entry.run, 240_000);
        }),
      );
    }, 300_000);

    it.each(signals)('should free the ports of its PostgreSQL and Redis and leave no process of the tree when npm alone gets %s', async (signal) => {
      const { run, ports } = testRuns.get(signal)!;
      await bothWorkersRunning(run, 60_000);
      expect({ listening: await listening(ports), ended: run.ended() }).toEqual({ listening: ports, ended: undefined });
      run.tree = descendants(run.npm.pid!);
      expect(roles(run.tree)).toEqual(['bootstrap', 'jest', 'jest worker', 'jest worker', 'postgres', 'redis', 'run-tests']);

      const stoppedInMs = await stopAndWait(run, signal, ports);
      timings.push(`test ${signal}: ${(stoppedInMs / 1000).toFixed(1)} s`);
      expect({ leftovers: leftovers(run, run.tree), busyPorts: await listening(ports) }).toEqual({ leftovers: [], busyPorts: [] });
    });
  });
});

interface Started {
  npm: ChildProcess;
  mark: string;
  /** The processes below npm just before the signal. */
  tree?: TreeProcess[];
  output(): string;
  /** How npm ended (with its last output), or undefined while it runs. */
  ended(): string | undefined;
  waitFor(check: (output: string) => boolean, timeoutMs: number): Promise<void>;
}

/** npm in a process group of its own, so that nothing but what we send reaches it; marked for the /proc search. */
function startNpm(args: string[], env: Record<string, string>): Started {
  const mark = randomBytes(8).toString('hex');
  const npm = spawn('npm', args, { cwd: repoRoot, env: { ...inheritedEnv(), ...env, [MARK]: mark }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let exit: string | undefined;
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  npm.once('exit', (code, signal) => (exit = signal ?? `exit code ${code}`));
  return {
    npm,
    mark,
    output: () => output,
    ended: () => (exit === undefined ? undefined : `${exit}:\n${output.split('\n').slice(-30).join('\n')}`),
    waitFor: async (check, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!check(output)) {
        if (exit !== undefined || Date.now() > deadline) {
          throw new Error(`npm ${args.join(' ')} ${exit ? `ended (${exit})` : 'did not get there in time'}; its last output:\n${output.split('\n').slice(-30).join('\n')}`);
        }
        await sleep(200);
      }
    },
  };
}

/** The spawning spec's environment without what would point the command at the suite's own servers. */
function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const pointing = ['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'REDIS_URL', 'PSEUDONYM_KEY', 'PORT', 'DASHBOARD_PORT', 'DASHBOARD_DIST', 'API_URL'];
  for (const name of Object.keys(env)) if (/^(TEST_|DEMO_|npm_)/.test(name) || pointing.includes(name)) delete env[name];
  return env;
}

/** Sends the signal to npm only and waits until the tree is gone and the ports are free; returns how long that took. */
async function stopAndWait(started: Started, signal: NodeJS.Signals, ports: number[]): Promise<number> {
  const sentAt = Date.now();
  process.kill(started.npm.pid!, signal);
  const deadline = sentAt + STOP_BOUND_MS;
  while (Date.now() < deadline) {
    if (leftovers(started, started.tree).length === 0 && (await listening(ports)).length === 0) return Date.now() - sentAt;
    await sleep(100);
  }
  return Date.now() - sentAt;
}

/**
 * What is still alive of the run: the processes of the snapshot (same pid and start time, not a zombie), npm
 * itself, and any process with the run's mark in its environment. PostgreSQL and Redis overwrite theirs with
 * their process titles, so for them the snapshot and the ports are what count.
 */
function leftovers(started: Started, tree: TreeProcess[] = []): TreeProcess[] {
  const alive = new Map<number, TreeProcess>();
  for (const known of tree) {
    const now = readProcess(known.pid);
    if (now && now.state !== 'Z' && now.startTime === known.startTime) alive.set(known.pid, known);
  }
  for (const pid of allPids()) {
    if (alive.has(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${MARK}=${started.mark}`)) continue;
    } catch {
      continue; // gone meanwhile
    }
    const proc = readProcess(pid);
    if (proc && proc.state !== 'Z') alive.set(pid, { pid, ppid: proc.ppid, startTime: proc.startTime, command: proc.command });
  }
  return [...alive.values()];
}

/** What each process of the tree is, sorted; processes that are none of these (npm's `sh`, setpriv) are left out. */
function roles(tree: TreeProcess[]): string[] {
  const patterns: [string, RegExp][] = [
    ['bootstrap', /tools\/bootstrap\.cjs /],
    ['demo', /tools\/demo\.ts/],
    ['run-tests', /tools\/run-tests\.ts/],
    ['api', /apps\/api\/src\/main\.ts/],
    ['worker', /apps\/api\/src\/worker\.ts/],
    ['dashboard', /apps\/dashboard\/server\/serve\.ts/],
    ['jest worker', /jest-worker\/build\/processChild\.js/],
    ['jest', /jest\/bin\/jest\.js/],
    ['postgres', /\/bin\/postgres -D /],
    ['redis', /^\S*redis-server /],
  ];
  const role = (proc: TreeProcess) => patterns.find(([, pattern]) => pattern.test(proc.command))?.[0];
  const byPid = new Map(tree.map((proc) => [proc.pid, proc]));
  return (
    tree
      // The postmaster only: its backends and helpers are titled "postgres: ...", except for a moment after the fork.
      .filter((proc) => !(role(proc) === 'postgres' && byPid.has(proc.ppid) && role(byPid.get(proc.ppid)!) === 'postgres'))
      .map(role)
      .filter((name): name is string => name !== undefined)
      .sort()
  );
}

/** The ports of `ports` that accept a connection on loopback. */
async function listening(ports: number[]): Promise<number[]> {
  const open = await Promise.all(
    ports.map(
      (port) =>
        new Promise<boolean>((resolve) => {
          const socket = connect({ port, host: '127.0.0.1' });
          socket.once('connect', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        }),
    ),
  );
  return ports.filter((_, i) => open[i]);
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
