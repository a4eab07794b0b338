import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { COLLECTIONS } from '../modules/exchange/exchange-document';
import { formatDocument } from '../modules/exchange/exchange-format';
import { ExchangeModule } from '../modules/exchange/exchange.module';
import { ExchangeService } from '../modules/exchange/exchange.service';
import { cliActor, progressBars, withCliContext } from './cli-context';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export an experiment as an exchange document (DOMAIN.md 8)')
    .argument('<file>', 'JSON file to write')
    .option('--experiment <code>', 'Experiment code (may be omitted when exactly one exists)')
    .action(async (file: string, options: { experiment?: string }) => {
      const progress = progressBars();
      try {
        const document = await withCliContext([ExchangeModule], (app) =>
          app.get(ExchangeService).exportDocument(cliActor(), options.experiment, progress.listener),
        );
        await writeFile(file, formatDocument(document), 'utf8');
        progress.stop();
        const counts = COLLECTIONS.map((c) => `${document[c].length} ${c}`).join(', ');
        process.stdout.write(`Experiment ${document.experiment.code} exported to ${file}: ${counts}.\n`);
      } finally {
        progress.stop();
      }
    });
}
