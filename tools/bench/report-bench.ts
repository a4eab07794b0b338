/**
 * Monitoring report benchmark (issue 13, item 2): render time of a snapshot's report as HTML and as PDF at the
 * demo's size. Starts a throw-away PostgreSQL and Redis, seeds the demo experiment through the ordinary import
 * (generateExperiment of apps/api/src/modules/demo-data/demo-generator.ts: 40 practices, 3,000 patients, seed
 * 2025), computes its facts in process, freezes a snapshot, then renders through the real ReportService as the
 * route and the CLI do. Prints one JSON line per figure ({"name", "value", "unit"}), like tools/bench/bench.ts.
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/report-bench.ts [--patients N --practices M --out DIR]
 * --out DIR keeps the rendered files (report.html, report.pdf, report-en.html) and model.json for a look.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withCliContext } from '../../apps/api/src/cli/cli-context';
import { systemActor } from '../../apps/api/src/core/actor/actor';
import { provisionDatabase } from '../../apps/api/src/core/database/database-roles';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import { QueueModule } from '../../apps/api/src/core/queue/queue.module';
import { DemoDataModule } from '../../apps/api/src/modules/demo-data/demo-data.module';
import { DemoDataService } from '../../apps/api/src/modules/demo-data/demo-data.service';
import { IndicatorsModule } from '../../apps/api/src/modules/indicators/indicators.module';
import { RecomputeService } from '../../apps/api/src/modules/indicators/recompute.service';
import { ReportModule } from '../../apps/api/src/modules/report/report.module';
import { ReportService } from '../../apps/api/src/modules/report/report.service';
import { SnapshotsModule } from '../../apps/api/src/modules/snapshots/snapshots.module';
import { SnapshotsService } from '../../apps/api/src/modules/snapshots/snapshots.service';
import { DataSource } from 'typeorm';
import { freePort, makeWorkDir, oneLine, removeDir, startPostgres, startRedis, StartedService } from '@copd/dev-stack';

function figure(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toFixed(4)), unit })}\n`);
}

function note(message: string): void {
  process.stderr.write(`[report-bench] ${message}\n`);
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const patients = Number(argument('patients') ?? 3000);
  const practices = Number(argument('practices') ?? 40);
  const out = argument('out');
  const workDir = makeWorkDir('copd-report-bench-');
  let pg: StartedService | undefined;
  let redis: StartedService | undefined;
  try {
    pg = await startPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: await freePort(),
      durable: false,
      superuserPassword: randomBytes(16).toString('hex'),
    });
    // The indicator and snapshot modules hold the recompute queue, so a Redis is needed (the report uses none).
    redis = await startRedis({ dataDir: path.join(workDir, 'redis'), port: await freePort(), persistent: false });
    const roles = await provisionDatabase(pg.url, 'bench', { owner: randomBytes(16).toString('hex'), app: randomBytes(16).toString('hex') });
    await runMigrations(roles.ownerUrl);
    process.env.DATABASE_URL = roles.appUrl;
    process.env.REDIS_URL = redis.url;
    process.env.PSEUDONYM_KEY ??= 'bench-only-pseudonym-key-0123456789abcdef';
    process.env.LOG_LEVEL = 'warn';
    const actor = systemActor('bench:report', 'cli');
    await withCliContext([QueueModule, DemoDataModule, IndicatorsModule, SnapshotsModule, ReportModule], async (app) => {
      note(`seeding ${patients} patients in ${practices} practices...`);
      const [, seedMs] = await timed(() => app.get(DemoDataService).seed(actor, { practices, patients, seed: 2025 }));
      note(`seeded in ${(seedMs / 1000).toFixed(1)} s`);
      const dataSource = app.get(DataSource);
      const [{ id: experimentId }] = await dataSource.query(`SELECT id FROM experiments`);
      const [{ last }] = await dataSource.query(`SELECT coalesce(max(id), 0)::bigint AS last FROM indicator_outbox`);
      const [, factsMs] = await timed(() => app.get(RecomputeService).recompute(experimentId, Number(last)));
      note(`facts computed in ${(factsMs / 1000).toFixed(1)} s`);
      const snapshot = await app.get(SnapshotsService).create(actor, { label: 'Monitoringsrapportage (bench)' });
      const id = snapshot.snapshot.id;
      figure('report_patients', snapshot.snapshot.records.patients, 'patients');

      // Where the first render's time goes: the frozen comparison, the digest recomputed from the copies, the
      // completeness over the copied facts (fresh tables, no statistics yet).
      const snapshots = app.get(SnapshotsService);
      figure('report_first_get_ms', (await timed(() => snapshots.get(actor, id)))[1], 'ms');
      figure('report_first_verify_ms', (await timed(() => snapshots.verify(actor, id)))[1], 'ms');
      figure('report_first_model_ms', (await timed(() => app.get(ReportService).model(actor, id, 'nl')))[1], 'ms');
      const reports = app.get(ReportService);
      const render = async (lang: 'nl' | 'en', format: 'html' | 'pdf', runs: number) => {
        const times: number[] = [];
        let body: Buffer = Buffer.alloc(0);
        for (let i = 0; i < runs; i++) {
          const [report, ms] = await timed(() => reports.render(actor, id, { lang, format }));
          times.push(ms);
          body = report.body;
        }
        return { body, times };
      };
      // The first render reads chart.js and the definitions once per process: reported apart.
      const html = await render('nl', 'html', 6);
      figure('report_html_first_ms', html.times[0], 'ms');
      figure('report_html_median_ms', median(html.times.slice(1)), 'ms');
      figure('report_html_kb', html.body.length / 1024, 'KB');
      const pdf = await render('nl', 'pdf', 3);
      figure('report_pdf_median_ms', median(pdf.times), 'ms');
      figure('report_pdf_kb', pdf.body.length / 1024, 'KB');
      figure('report_pdf_pages', (pdf.body.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 'pages');
      const en = await render('en', 'html', 1);
      if (out) {
        mkdirSync(out, { recursive: true });
        writeFileSync(path.join(out, 'report.html'), html.body);
        writeFileSync(path.join(out, 'report.pdf'), pdf.body);
        writeFileSync(path.join(out, 'report-en.html'), en.body);
        // What the report was rendered from, to re-render it while working on the layout.
        writeFileSync(path.join(out, 'model.json'), JSON.stringify(await reports.model(actor, id, 'nl'), null, 1));
        note(`files written to ${out}`);
      }
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
    process.stderr.write(`[report-bench] ${oneLine(error)}\n`);
    process.exit(1);
  },
);
