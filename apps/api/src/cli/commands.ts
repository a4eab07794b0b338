import { Command } from 'commander';
import { registerMigrate } from './migrate.command';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerMigrate(program);
}
