import { Command } from 'commander';
import { migrationDatabaseUrl, runMigrations } from '../core/database/migrate';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (as MIGRATION_DATABASE_URL, else DATABASE_URL)')
    .option('--revert', 'Undo the last applied migration')
    .action(async (options: { revert?: boolean }) => {
      const url = migrationDatabaseUrl() ?? requireEnv('MIGRATION_DATABASE_URL');
      const applied = await runMigrations(url, { revert: options.revert });
      process.stdout.write(
        applied.length === 0 ? 'Database is up to date.\n' : `${options.revert ? 'Reverted' : 'Applied'}: ${applied.join(', ')}\n`,
      );
    });
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set. Start the stack with \`npm run demo\` or set ${name}.`);
  return value;
}
