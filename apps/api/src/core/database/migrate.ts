import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * The URL migrations run with: MIGRATION_DATABASE_URL (the schema's owner, copd_owner) when set, else
 * DATABASE_URL (a single-role setup). The application role copd_app may not change the schema.
 */
export function migrationDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.MIGRATION_DATABASE_URL || env.DATABASE_URL || undefined;
}

/** Applies (or with revert, undoes the last) migration in one transaction each; returns their names. */
export async function runMigrations(url: string, options: { revert?: boolean } = {}): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 2), logging: ['error'] });
  await dataSource.initialize();
  try {
    if (options.revert) {
      const before = await dataSource.query(`SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`);
      await dataSource.undoLastMigration({ transaction: 'each' });
      return before.map((r: { name: string }) => r.name);
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
