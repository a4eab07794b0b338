import './pg-types';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@copd/migrations';

/**
 * One definition of the connection for the API, the worker, the CLI and the tests. The schema comes
 * from migrations/ only (synchronize stays off everywhere), so TypeORM installs no extensions either: the
 * application's role (copd_app) may not, and the migrations create the one the schema needs.
 * applicationName is what pg_stat_activity shows for the pool's connections (copd-api, copd-worker): an operator
 * sees which process holds a connection or runs a slow statement.
 *
 * A connection, once opened, stays open (min = max): pg's pool otherwise closes a connection idle for 10 s, and the
 * next burst of readers pays for new ones. Measured 12-04 (bench at 25,000 patients): after 35 s without requests,
 * the first second of 100 requests/s opened 10 connections per API process at 144-726 ms each (authentication and a
 * new backend, on a busy machine), and those answers alone put the p99 of the whole 10-second step at 437-683 ms
 * against a p50 of 13-35 ms. A kept connection also keeps its prepared statements (prepared-query.ts) and its
 * backend's warm catalog caches. The pool still opens them lazily, as readers need them.
 */
export function dataSourceOptions(url: string, poolSize = 10, applicationName?: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    installExtensions: false,
    entities: [],
    extra: { max: poolSize, min: poolSize, ...(applicationName ? { application_name: applicationName } : {}) },
    logging: ['error', 'warn', 'migration'],
  };
}
