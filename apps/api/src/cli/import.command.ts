import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { invalidRequest } from '../core/errors/app-error';
import type { ImportResult } from '../modules/exchange/exchange-document';
import { ExchangeModule } from '../modules/exchange/exchange.module';
import { ExchangeService } from '../modules/exchange/exchange.service';
import { cliActor, connectAsSchemaOwner, INITIAL_LOAD_HELP, progressBars, withCliContext } from './cli-context';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import an exchange document (DOMAIN.md 8) into the database at DATABASE_URL: all or nothing')
    .argument('<file>', 'JSON file')
    .option('--initial-load', INITIAL_LOAD_HELP)
    .action(async (file: string, options: { initialLoad?: boolean }) => {
      if (options.initialLoad) connectAsSchemaOwner();
      const progress = progressBars();
      try {
        progress.listener({ phase: 'parse', done: 0, total: 1 });
        const document = await readDocument(file);
        progress.listener({ phase: 'parse', done: 1, total: 1 });
        const result = await withCliContext([ExchangeModule], (app) =>
          app.get(ExchangeService).importDocument(cliActor(), document, progress.listener, { initialLoad: options.initialLoad }),
        );
        progress.stop();
        process.stdout.write(formatResult(result));
      } finally {
        progress.stop();
      }
    });
}

export async function readDocument(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      [{ code: 'REQUEST.MALFORMED_JSON', path: '$', message: (error as Error).message }],
      `${file} is geen geldige JSON.`,
    );
  }
}

export function formatResult(result: ImportResult): string {
  const lines = [`Experiment ${result.experiment} imported (document sha256 ${result.sha256}).`, 'entity          created  updated  unchanged'];
  for (const [entity, c] of Object.entries(result.counts)) {
    lines.push(`${entity.padEnd(14)} ${String(c.created).padStart(8)} ${String(c.updated).padStart(8)} ${String(c.unchanged).padStart(10)}`);
  }
  return lines.join('\n') + '\n';
}
