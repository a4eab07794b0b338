import './pg-types';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@copd/migrations';

/**
 * One definition of the connection for the API, the worker, the CLI and the tests. The schema comes
 * from migrations/ only (synchronize stays off everywhere), so TypeORM installs no extensions either: the
 * application's role (copd_app) may not, and the migrations create the one the schema needs.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    installExtensions: false,
    entities: [],
    extra: { max: poolSize },
    logging: ['error', 'warn', 'migration'],
  };
}
