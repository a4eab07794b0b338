import './pg-types';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@copd/migrations';

/**
 * One definition of the connection for the API, the worker, the CLI and the tests. The schema comes
 * from migrations/ only (synchronize stays off everywhere).
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    entities: [],
    extra: { max: poolSize },
    logging: ['error', 'warn', 'migration'],
  };
}
