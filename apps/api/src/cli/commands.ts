import { Command } from 'commander';
import { registerAnalysisExport } from './analysis-export.command';
import { registerExport } from './export.command';
import { registerImport } from './import.command';
import { registerImportInterchange } from './import-interchange.command';
import { registerIndicators } from './indicators.command';
import { registerMigrate } from './migrate.command';
import { registerReport } from './report.command';
import { registerSeed } from './seed.command';
import { registerUsers } from './users.command';
import { registerWorker } from './worker.command';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerMigrate(program);
  registerImport(program);
  registerImportInterchange(program);
  registerExport(program);
  registerAnalysisExport(program);
  registerReport(program);
  registerSeed(program);
  registerIndicators(program);
  registerWorker(program);
  registerUsers(program);
}
