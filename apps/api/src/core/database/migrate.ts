import { DataSource } from 'typeorm';
import { APP_ROLE, OWNER_ROLE } from './database-roles';
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
    // copd_app may create tables only in its own schema, which comes first in its search_path: run as copd_app,
    // TypeORM would start a second, empty schema_migrations there and every migration would try to run again.
    const [{ user }] = await dataSource.query(`SELECT current_user AS user`);
    if (user === APP_ROLE) {
      throw new Error(`Migrations run as ${OWNER_ROLE}, not as the application role ${APP_ROLE}: set MIGRATION_DATABASE_URL (npm run stack prints it).`);
    }
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
