import './pg-types';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@copd/migrations';

/**
 * One definition of the connection for the API, the worker, the CLI and the tests. The schema comes
 * from migrations/ only (synchronize stays off everywhere), so TypeORM installs no extensions either: the
 * application's role (copd_app) may not, and the migrations create the one the schema needs.
 * applicationName is what pg_stat_activity shows for the pool's connections (copd-api, copd-worker): an operator
 * sees which process holds a connection or runs a slow statement.
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
    extra: { max: poolSize, ...(applicationName ? { application_name: applicationName } : {}) },
    logging: ['error', 'warn', 'migration'],
  };
}
