import { Command, InvalidArgumentError } from 'commander';
import { writeFile } from 'node:fs/promises';
import { QueueModule } from '../core/queue/queue.module';
import { ReportModule } from '../modules/report/report.module';
import { ReportService } from '../modules/report/report.service';
import { REPORT_FORMATS, REPORT_LANGUAGES, type ReportFormat, type ReportLanguage } from '../modules/report/report-words';
import { cliActor, withCliContext } from './cli-context';

interface ReportOptions {
  snapshot: string;
  lang: ReportLanguage;
  format: ReportFormat;
  out?: string;
}

/** `report --snapshot <id>`: the snapshot's monitoring report (the route's), audited as the operator. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write the monitoring report of a frozen snapshot as HTML or PDF')
    .requiredOption('--snapshot <id>', 'Id of the snapshot', uuid)
    .option('--lang <lang>', 'Language: nl or en', oneOf(REPORT_LANGUAGES), 'nl')
    .option('--format <format>', 'Format: html or pdf', oneOf(REPORT_FORMATS), 'html')
    .option('--out <file>', 'File to write (default: the name the route gives, in the current directory)')
    .action(async (options: ReportOptions) => {
      // The snapshots' service reaches the indicators module, which holds the recompute queue (as `indicators`).
      const written = await withCliContext([QueueModule, ReportModule], async (app) => {
        const report = await app
          .get(ReportService)
          .render(cliActor(), options.snapshot, { lang: options.lang, format: options.format });
        const path = options.out ?? report.fileName;
        await writeFile(path, report.body);
        return { path, bytes: report.body.length };
      });
      process.stdout.write(`Monitoring report written to ${written.path} (${written.bytes} bytes).\n`);
    });
}

function uuid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new InvalidArgumentError('Expected the id of a snapshot (a UUID).');
  }
  return value.toLowerCase();
}

function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`Expected one of ${values.join(', ')}.`);
    return value as T;
  };
}
