/**
 * What the planner statistics of a full recompute cost and give (issue 17, target 3): the full rebuild ANALYZEs the
 * facts tables (the parents and their partitions) once it has swapped the new partitions in (FactsRepository.swapIn). Loads the bench's deterministic experiment into
 * a throw-away PostgreSQL, runs the full rebuild in its transaction several times as the application role, and prints
 * JSON lines: the rebuild's median, the ANALYZE statement's median and its share, the rows it analysed, and the
 * first comparison after a full rebuild with and without the statistics (and the second, with them), and the cost
 * series (a join of the two facts tables) with and without them.
 * Run: `SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/facts-statistics-bench.ts [--patients 2000 --practices 40 --runs 5]`
 * (the defaults).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { freePort, makeWorkDir, oneLine, removeDir, startPostgres, StartedService } from '@copd/dev-stack';
import { dataSourceOptions } from '../../apps/api/src/core/database/data-source-options';
import { provisionDatabase, withDatabase } from '../../apps/api/src/core/database/database-roles';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import { ComparisonRepository } from '../../apps/api/src/modules/indicators/comparison.repository';
import { FactsRepository } from '../../apps/api/src/modules/indicators/facts.repository';
import { CostRepository } from '../../apps/api/src/modules/insights/read-models/cost.repository';
import { loadNationalData, NATIONAL_DEFAULTS } from './national-data';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function figure(name: string, value: number, unit: string): void {
  process.stdout.write(JSON.stringify({ name, value: Number(value.toFixed(4)), unit }) + '\n');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The manager with every statement timed: what rebuild() runs, and how long each took (ms). */
function timedManager(manager: EntityManager, log: { sql: string; ms: number }[]): EntityManager {
  return new Proxy(manager, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return async (sql: string, parameters?: unknown[]) => {
        const started = performance.now();
        try {
          return await target.query(sql, parameters);
        } finally {
          log.push({ sql, ms: performance.now() - started });
        }
      };
    },
  });
}

async function main(): Promise<void> {
  const patients = argument('patients', 2000);
  const practices = argument('practices', 40);
  const runs = argument('runs', 5);
  const workDir = makeWorkDir('copd-facts-statistics-');
  const services: StartedService[] = [];
  try {
    const pg = await startPostgres({
      dataDir: path.join(workDir, 'pg'),
      port: await freePort(),
      durable: true,
      superuserPassword: randomBytes(16).toString('hex'),
      settings: { shared_buffers: '512MB', work_mem: '256MB', maintenance_work_mem: '512MB' },
    });
    services.push(pg);
    const roles = await provisionDatabase(pg.url, 'bench', { owner: randomBytes(16).toString('hex'), app: randomBytes(16).toString('hex') });
    await runMigrations(roles.ownerUrl);
    const loader = new Client({ connectionString: withDatabase(pg.url, 'bench') });
    await loader.connect();
    await loadNationalData(loader, { ...NATIONAL_DEFAULTS, patients, practices });
    await loader.end();

    const dataSource = await new DataSource(dataSourceOptions(roles.appUrl, 2)).initialize();
    const facts = new FactsRepository();
    const [{ id }] = await dataSource.query(`SELECT id FROM experiments`);
    const rebuilds: number[] = [];
    const analyzes: number[] = [];
    let rows = { patients: 0, quarters: 0 };
    for (let run = 0; run <= runs; run++) {
      const log: { sql: string; ms: number }[] = [];
      const started = performance.now();
      await dataSource.transaction((manager) => facts.rebuild(timedManager(manager, log), id, null, new Date()));
      const total = performance.now() - started;
      const analyze = log.filter((s) => /^ANALYZE patient_facts\b/.test(s.sql));
      if (analyze.length !== 1) throw new Error(`expected one ANALYZE of the facts tables, saw ${analyze.length}`);
      if (run === 0) continue; // the first run also warms the caches
      rebuilds.push(total);
      analyzes.push(analyze[0].ms);
    }
    // The first comparison after a full recompute (the summary SQL of GET /indicators/comparison, unfiltered), with
    // the statistics the rebuild gathered, and with the facts tables stripped of them (as a superuser, to what
    // CREATE TABLE AS leaves: no pg_statistic rows, reltuples -1; the parents none): alternately, runs times each.
    const comparison = new ComparisonRepository();
    const admin = new Client({ connectionString: withDatabase(pg.url, 'bench') });
    await admin.connect();
    const first: Record<'with' | 'without', number[]> = { with: [], without: [] };
    const second: number[] = [];
    const costs = new CostRepository();
    const cost: Record<'with' | 'without', number[]> = { with: [], without: [] };
    for (let run = 0; run < 2 * runs; run++) {
      const variant = run % 2 === 0 ? 'with' : 'without';
      await dataSource.transaction((manager) => facts.rebuild(manager, id, null, new Date()));
      if (variant === 'without') {
        await admin.query(
          `WITH parts AS (SELECT inhrelid AS oid FROM pg_inherits
                          WHERE inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
                          UNION SELECT unnest(ARRAY['patient_facts'::regclass, 'care_quarter_facts'::regclass])::oid)
           , wiped AS (DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM parts))
           UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid IN (SELECT oid FROM parts)`,
        );
      }
      const started = performance.now();
      await comparison.summarise(dataSource.manager, id, {});
      first[variant].push(performance.now() - started);
      // The cost series, which joins care_quarter_facts with patient_facts: join estimates need row counts.
      const costStarted = performance.now();
      await costs.costSeries(dataSource.manager, id, {}, {});
      cost[variant].push(performance.now() - costStarted);
      if (variant === 'with') {
        // The same again: what the first paid beyond it is the fresh pages (hint bits, cache), not the plan.
        const again = performance.now();
        await comparison.summarise(dataSource.manager, id, {});
        second.push(performance.now() - again);
      }
    }
    await admin.end();

    [rows] = await dataSource.query(
      `SELECT (SELECT count(*) FROM patient_facts)::int AS patients, (SELECT count(*) FROM care_quarter_facts)::int AS quarters`,
    );
    await dataSource.destroy();
    figure('facts_patients', rows.patients, 'rows');
    figure('facts_care_quarters', rows.quarters, 'rows');
    figure('full_rebuild_median_ms', median(rebuilds), 'ms');
    figure('partition_analyze_median_ms', median(analyzes), 'ms');
    figure('partition_analyze_max_ms', Math.max(...analyzes), 'ms');
    figure('partition_analyze_share', median(analyzes) / median(rebuilds), 'fraction');
    figure('first_comparison_with_statistics_median_ms', median(first.with), 'ms');
    figure('first_comparison_without_statistics_median_ms', median(first.without), 'ms');
    figure('second_comparison_with_statistics_median_ms', median(second), 'ms');
    figure('cost_series_with_statistics_median_ms', median(cost.with), 'ms');
    figure('cost_series_without_statistics_median_ms', median(cost.without), 'ms');
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    removeDir(workDir);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[facts-statistics-bench] ${oneLine(error)}\n`);
    process.exit(1);
  },
);
