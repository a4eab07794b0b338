/**
 * Analysis export benchmark (issue 13, item 3): time and size of the analysis-ready zip, now and of a snapshot.
 * Starts a throw-away PostgreSQL, loads the deterministic national experiment of national-data.ts at the size
 * asked for, computes its facts once (the recompute's unit of work, in process), then streams the export through
 * the real AnalysisExportService to a file, as the route and the CLI do. Prints one JSON line per figure.
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/analysis-export-bench.ts [--patients N --practices M]
 * Defaults 100,000 patients in 1,500 practices; the demo's size is --patients 3000 --practices 40.
 */
import 'reflect-metadata';
import { unzipSync } from 'fflate';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withCliContext } from '../../apps/api/src/cli/cli-context';
import { systemActor } from '../../apps/api/src/core/actor/actor';
import { provisionDatabase, withDatabase } from '../../apps/api/src/core/database/database-roles';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import { QueueModule } from '../../apps/api/src/core/queue/queue.module';
import { AnalysisExportModule } from '../../apps/api/src/modules/analysis-export/analysis-export.module';
import { AnalysisExportService } from '../../apps/api/src/modules/analysis-export/analysis-export.service';
import { IndicatorsModule } from '../../apps/api/src/modules/indicators/indicators.module';
import { RecomputeService } from '../../apps/api/src/modules/indicators/recompute.service';
import { SnapshotsModule } from '../../apps/api/src/modules/snapshots/snapshots.module';
import { SnapshotsService } from '../../apps/api/src/modules/snapshots/snapshots.service';
import { freePort, makeWorkDir, oneLine, removeDir, startPostgres, startRedis, StartedService } from '@copd/dev-stack';
import { loadNationalData, NATIONAL_DEFAULTS } from './national-data';

function figure(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit })}\n`);
}

function note(message: string): void {
  process.stderr.write(`[analysis-export-bench] ${message}\n`);
}

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** Peak resident memory of this process so far (VmHWM), in MB. */
function peakRssMb(): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
}

async function main(): Promise<void> {
  const patients = argument('patients', NATIONAL_DEFAULTS.patients);
  const practices = argument('practices', NATIONAL_DEFAULTS.practices);
  const workDir = makeWorkDir('copd-export-bench-');
  let pg: StartedService | undefined;
  let redis: StartedService | undefined;
  try {
    pg = await startPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: await freePort(),
      durable: false,
      superuserPassword: randomBytes(16).toString('hex'),
      settings: { shared_buffers: '1GB', work_mem: '128MB', maintenance_work_mem: '512MB' },
    });
    // The indicator and snapshot modules hold the recompute queue, so a Redis is needed (the export itself uses none).
    redis = await startRedis({ dataDir: path.join(workDir, 'redis'), port: await freePort(), persistent: false });
    const roles = await provisionDatabase(pg.url, 'bench', { owner: randomBytes(16).toString('hex'), app: randomBytes(16).toString('hex') });
    await runMigrations(roles.ownerUrl);
    const db = new Client({ connectionString: withDatabase(pg.url, 'bench') });
    await db.connect();
    note(`loading ${patients} patients in ${practices} practices...`);
    const [counts, loadMs] = await timed(() => loadNationalData(db, { ...NATIONAL_DEFAULTS, patients, practices }));
    note(`loaded in ${(loadMs / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    for (const [table, n] of Object.entries(counts)) figure(`rows_${table}`, n, 'rows');
    const [{ id: experimentId }] = (await db.query(`SELECT id FROM experiments WHERE code = 'BENCH'`)).rows;
    await db.end();

    // The application's own configuration, as the CLI reads it.
    process.env.DATABASE_URL = roles.appUrl;
    process.env.REDIS_URL = redis.url;
    process.env.PSEUDONYM_KEY ??= 'bench-only-pseudonym-key-0123456789abcdef';
    process.env.LOG_LEVEL = 'warn';
    const actor = systemActor('bench:analysis-export', 'cli');
    await withCliContext([QueueModule, IndicatorsModule, AnalysisExportModule, SnapshotsModule], async (app) => {
      const [, factsMs] = await timed(() => app.get(RecomputeService).recompute(experimentId, 0));
      note(`facts computed in ${(factsMs / 1000).toFixed(1)} s`);

      const exportTo = async (name: string, request: { experiment?: string; snapshot?: string }) => {
        const file = path.join(workDir, `${name}.zip`);
        const [zip, ms] = await timed(async () => {
          const found = await app.get(AnalysisExportService).export(actor, request);
          await pipeline(found.stream, createWriteStream(file));
          return found;
        });
        figure(`${name}_seconds`, ms / 1000, 's');
        figure(`${name}_zip_mb`, statSync(file).size / 1024 / 1024, 'MB');
        figure(`${name}_patients`, zip.patients, 'patients');
        return file;
      };
      const nowFile = await exportTo('export_now', { experiment: 'BENCH' });
      figure('export_peak_rss_mb', peakRssMb(), 'MB');
      // Uncompressed size per file, from the zip's directory (nothing is inflated).
      const sizes: Record<string, number> = {};
      unzipSync(new Uint8Array(readFileSync(nowFile)), { filter: (f) => ((sizes[f.name] = f.originalSize), false) });
      for (const [name, bytes] of Object.entries(sizes)) figure(`file_${name.replace('.', '_')}_mb`, bytes / 1024 / 1024, 'MB');
      figure('export_uncompressed_mb', Object.values(sizes).reduce((a, b) => a + b, 0) / 1024 / 1024, 'MB');

      const [snapshot, snapshotMs] = await timed(() => app.get(SnapshotsService).create(actor, { experiment: 'BENCH', label: 'bench' }));
      note(`snapshot taken in ${(snapshotMs / 1000).toFixed(1)} s`);
      await exportTo('export_snapshot', { snapshot: snapshot.snapshot.id });
      figure('peak_rss_mb', peakRssMb(), 'MB');
    });
  } finally {
    await redis?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    removeDir(workDir);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[analysis-export-bench] ${oneLine(error)}\n`);
    process.exit(1);
  },
);
