/**
 * `npm run bench`: the indicator engine at national scale (issue 3). Starts its own PostgreSQL and
 * Redis in a temporary directory (durable defaults, more memory), loads a deterministic experiment of
 * 100,000 patients / ~6 million sessions / ~1 million measurements, runs the real API and worker as
 * separate processes, and prints one JSON line per figure: {"name", "value", "unit"}.
 * Options: --patients N --practices M (defaults 100000 / 1500).
 */
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { provisionDatabase, withDatabase } from '../../apps/api/src/core/database/database-roles';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import { freePort, makeWorkDir, oneLine, removeDir, startPostgres, startRedis, StartedService, spawnTypeScript } from '@copd/dev-stack';
import { loadNationalData, NATIONAL_DEFAULTS } from './national-data';
import { benchActor, BenchAuth } from './bench-auth';

function figure(name: string, value: number, unit: string): void {
  process.stdout.write(JSON.stringify({ name, value: Number(value.toFixed(4)), unit }) + '\n');
}

function note(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(): Promise<void> {
  const patients = argument('patients', NATIONAL_DEFAULTS.patients);
  const practices = argument('practices', NATIONAL_DEFAULTS.practices);
  const workDir = makeWorkDir('copd-bench-');
  const services: StartedService[] = [];
  const children: ChildProcess[] = [];
  try {
    const pg = await startPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: await freePort(),
      durable: true,
      superuserPassword: randomBytes(16).toString('hex'),
      settings: { shared_buffers: '2GB', work_mem: '256MB', maintenance_work_mem: '1GB', max_wal_size: '8GB' },
    });
    services.push(pg);
    const redis = await startRedis({ dataDir: path.join(workDir, 'redis'), port: await freePort(), persistent: false });
    services.push(redis);
    // As in production: migrations as copd_owner, the API and worker as copd_app. The loader stays superuser
    // (it ends with VACUUM and CHECKPOINT).
    const roles = await provisionDatabase(pg.url, 'bench', { owner: randomBytes(16).toString('hex'), app: randomBytes(16).toString('hex') });
    await runMigrations(roles.ownerUrl);
    const databaseUrl = roles.appUrl;

    const db = new Client({ connectionString: withDatabase(pg.url, 'bench') });
    await db.connect();
    note(`loading ${patients} patients in ${practices} practices...`);
    const [counts, loadMs] = await timed(() => loadNationalData(db, { ...NATIONAL_DEFAULTS, patients, practices }));
    figure('load_seconds', loadMs / 1000, 's');
    for (const [table, n] of Object.entries(counts)) figure(`rows_${table}`, n, 'rows');

    const apiPort = await freePort();
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PORT: String(apiPort),
      PSEUDONYM_KEY: 'bench-only-pseudonym-key-0123456789abcdef',
      LOG_LEVEL: 'warn',
    };
    const start = (entry: string) => {
      const child = spawnTypeScript([entry], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      return child;
    };
    start('apps/api/src/main.ts');
    const worker = start('apps/api/src/worker.ts');
    const api = `http://127.0.0.1:${apiPort}`;
    await waitFor(async () => (await fetch(`${api}/health`).catch(() => null))?.ok === true, 60_000, 'the API');
    const auth: BenchAuth = await benchActor(db, api);
    const get = (p: string) => fetch(`${api}${p}`, { headers: auth.headers });

    // The worker computes data it finds without a run on start (recovery); let that finish first so
    // the timed recompute below is the only one running.
    await waitFor(async () => (await db.query('SELECT count(*)::int AS n FROM indicator_runs')).rows[0].n > 0, 30 * 60_000, 'the first recompute');

    // 1. The bare scan over the same rows, warm (median of 3), then full recomputes through the worker.
    const scans: number[] = [];
    for (let i = 0; i < 3; i++) {
      scans.push((await timed(() => db.query('SELECT patient_id, count(*) FROM therapy_sessions GROUP BY 1')))[1]);
    }
    const scanMs = scans.sort((a, b) => a - b)[1];
    figure('bare_scan_seconds', scanMs / 1000, 's');

    // Three full recomputes, one after another: a single one can share the machine with autovacuum
    // analysing the tables the previous recompute wrote, so the median is reported (and the slowest).
    const runs: { ms: number; wallMs: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const [, wallMs] = await timed(async () => {
        const response = await fetch(`${api}/api/v1/indicators/recompute`, {
          method: 'POST',
          headers: { ...auth.headers, 'content-type': 'application/json' },
          body: '{}',
        });
        const { jobId } = (await response.json()) as { jobId: string };
        await waitFor(
          async () => ((await (await get(`/api/v1/indicators/jobs/${encodeURIComponent(jobId)}`)).json()) as { state: string }).state === 'completed',
          30 * 60_000,
          'the full recompute',
        );
      });
      const run = (await db.query('SELECT duration_ms FROM indicator_runs')).rows[0];
      runs.push({ ms: run.duration_ms, wallMs });
    }
    const median = runs.map((r) => r.ms).sort((a, b) => a - b)[1];
    figure('full_recompute_seconds', median / 1000, 's');
    figure('full_recompute_max_seconds', Math.max(...runs.map((r) => r.ms)) / 1000, 's');
    figure('full_recompute_wall_seconds', runs.map((r) => r.wallMs).sort((a, b) => a - b)[1] / 1000, 's');
    figure('recompute_to_scan_ratio', median / scanMs, 'x');

    // 2. Comparison endpoint latency: unfiltered (the first request fills the cache), then by practice
    //    (200 different practices, so every request aggregates afresh).
    const [, coldMs] = await timed(() => get('/api/v1/indicators/comparison').then((r) => r.json()));
    figure('comparison_unfiltered_cold_ms', coldMs, 'ms');
    const unfiltered: number[] = [];
    for (let i = 0; i < 200; i++) unfiltered.push((await timed(() => get('/api/v1/indicators/comparison').then((r) => r.json())))[1]);
    unfiltered.sort((a, b) => a - b);
    figure('comparison_unfiltered_p50_ms', quantile(unfiltered, 0.5), 'ms');
    figure('comparison_unfiltered_p99_ms', quantile(unfiltered, 0.99), 'ms');
    const agbs = (await db.query('SELECT agb FROM practices ORDER BY agb LIMIT 200')).rows.map((r) => r.agb as string);
    const filtered: number[] = [];
    for (const agb of agbs) {
      filtered.push((await timed(() => get(`/api/v1/indicators/comparison?practice=${agb}`).then((r) => r.json())))[1]);
    }
    filtered.sort((a, b) => a - b);
    figure('comparison_practice_p50_ms', quantile(filtered, 0.5), 'ms');
    figure('comparison_practice_p99_ms', quantile(filtered, 0.99), 'ms');

    // 2b. A practice's daily pages (issue 14), read live: the patient list of the practice with the most patients
    //     (sorted by the next measurement due, first page of 50) and the record of the patient with the most
    //     sessions, 20 requests each.
    const [largest] = (await db.query(
      `SELECT pr.agb, count(*)::int AS n FROM patients p JOIN practices pr ON pr.id = p.practice_id GROUP BY pr.agb ORDER BY n DESC LIMIT 1`,
    )).rows as { agb: string; n: number }[];
    const [busiest] = (await db.query(
      `SELECT patient_id AS id, count(*)::int AS n FROM therapy_sessions GROUP BY patient_id ORDER BY n DESC LIMIT 1`,
    )).rows as { id: string; n: number }[];
    const pageTimes: number[] = [];
    const recordTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      pageTimes.push((await timed(() => get(`/api/v1/patient-records?practice=${largest.agb}&sort=nextDue`).then((r) => r.json())))[1]);
      recordTimes.push((await timed(() => get(`/api/v1/patient-records/${busiest.id}`).then((r) => r.json())))[1]);
    }
    pageTimes.sort((a, b) => a - b);
    recordTimes.sort((a, b) => a - b);
    note(`patient list of ${largest.n} patients; record with ${busiest.n} sessions`);
    figure('patient_list_p50_ms', quantile(pageTimes, 0.5), 'ms');
    figure('patient_list_max_ms', pageTimes[pageTimes.length - 1], 'ms');
    figure('patient_record_p50_ms', quantile(recordTimes, 0.5), 'ms');
    figure('patient_record_max_ms', recordTimes[recordTimes.length - 1], 'ms');

    // 3. Write-to-readable: one session write, then poll until the comparison reflects a new recompute.
    const targets = (
      await db.query(
        `SELECT p.id FROM patients p WHERE p.end_date IS NULL AND p.intake_date < '2026-09-01' ORDER BY p.ref LIMIT 20`,
      )
    ).rows.map((r) => r.id as string);
    const latencies: number[] = [];
    for (const patientId of targets) {
      const before = ((await (await get('/api/v1/indicators/comparison')).json()) as { computedAt: string }).computedAt;
      const [, ms] = await timed(async () => {
        const write = await fetch(`${api}/api/v1/patients/${patientId}/sessions`, {
          method: 'POST',
          headers: { ...auth.practiceHeaders, 'content-type': 'application/json' },
          body: JSON.stringify({ date: NATIONAL_DEFAULTS.analysisDate, kind: 'REMOTE' }),
        });
        if (write.status !== 201) throw new Error(`session write answered ${write.status}: ${await write.text()}`);
        await waitFor(async () => {
          const doc = (await (await get('/api/v1/indicators/comparison')).json()) as { computedAt: string; stale: boolean };
          return doc.computedAt !== before && !doc.stale;
        }, 60_000, 'the comparison to reflect the write');
      });
      latencies.push(ms);
    }
    latencies.sort((a, b) => a - b);
    figure('write_to_readable_median_ms', (latencies[9] + latencies[10]) / 2, 'ms');
    figure('write_to_readable_max_ms', latencies[latencies.length - 1], 'ms');

    // 4. Frozen snapshot (issue 13): take one of the whole experiment (copies of every record and fact, the
    //    input digest, the comparisons per insurer and region), verify its digest, and compare it with now.
    const [snapshot, snapshotMs] = await timed(async () => {
      const response = await fetch(`${api}/api/v1/snapshots`, {
        method: 'POST',
        headers: { ...auth.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'bench' }),
      });
      if (response.status !== 201) throw new Error(`snapshot answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { snapshot: { id: string } };
    });
    figure('snapshot_seconds', snapshotMs / 1000, 's');
    const [, verifyMs] = await timed(() => get(`/api/v1/snapshots/${snapshot.snapshot.id}/verification`).then((r) => r.json()));
    figure('snapshot_verify_seconds', verifyMs / 1000, 's');
    const [, changesMs] = await timed(() => get(`/api/v1/snapshots/${snapshot.snapshot.id}/changes`).then((r) => r.json()));
    figure('snapshot_changes_vs_now_seconds', changesMs / 1000, 's');
    const size = (await db.query(`SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c WHERE c.relname LIKE 'snapshot%' AND c.relkind = 'r'`)).rows[0];
    figure('snapshot_storage_mb', Number(size.bytes) / 1024 / 1024, 'MB');

    // 5. Peak resident memory of the worker process (VmHWM).
    const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    figure('worker_peak_rss_mb', hwm / 1024, 'MB');
    await db.end();
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    removeDir(workDir);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[bench] ${oneLine(error)}\n`);
    process.exit(1);
  },
);
