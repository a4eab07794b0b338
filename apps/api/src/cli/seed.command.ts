import { Command, InvalidArgumentError } from 'commander';
import { DemoDataModule } from '../modules/demo-data/demo-data.module';
import { DemoDataService } from '../modules/demo-data/demo-data.service';
import { DEFAULT_ANALYSIS_DATE, DEFAULT_EXPERIMENT_CODE } from '../modules/demo-data/demo-generator';
import { cliActor, progressBars, withCliContext } from './cli-context';
import { formatResult } from './import.command';

interface SeedOptions {
  practices: number;
  patients: number;
  seed: number;
  analysisDate: string;
  experiment: string;
  ifEmpty?: boolean;
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('Generate a deterministic demo experiment and import it (validated like any import)')
    .option('--practices <n>', 'Number of practices', positiveInt, 40)
    .option('--patients <n>', 'Number of patients', nonNegativeInt, 3000)
    .option('--seed <n>', 'Random seed: the same seed gives the same data', nonNegativeInt, 2025)
    .option('--analysis-date <date>', 'Analysis date; nothing is dated after it', DEFAULT_ANALYSIS_DATE)
    .option('--experiment <code>', 'Experiment code', DEFAULT_EXPERIMENT_CODE)
    .option('--if-empty', 'Only seed when the database holds no experiment yet')
    .action(async (options: SeedOptions) => {
      const progress = progressBars();
      const started = Date.now();
      try {
        const result = await withCliContext([DemoDataModule], (app) =>
          app.get(DemoDataService).seed(
            cliActor(),
            {
              practices: options.practices,
              patients: options.patients,
              seed: options.seed,
              analysisDate: options.analysisDate,
              experimentCode: options.experiment,
              ifEmpty: options.ifEmpty,
            },
            progress.listener,
          ),
        );
        progress.stop();
        if (result.skipped) {
          process.stdout.write(`Seed skipped: ${result.reason}\n`);
          return;
        }
        process.stdout.write(formatResult(result));
        process.stdout.write(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
      } finally {
        progress.stop();
      }
    });
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected a whole number >= 0.');
  return n;
}

function positiveInt(value: string): number {
  const n = nonNegativeInt(value);
  if (n < 1) throw new InvalidArgumentError('Expected a whole number >= 1.');
  return n;
}
