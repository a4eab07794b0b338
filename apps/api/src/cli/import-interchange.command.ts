import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportReport } from '../modules/interchange/import-report';
import { InterchangeModule } from '../modules/interchange/interchange.module';
import { InterchangeService, type ImportUpload } from '../modules/interchange/interchange.service';
import type { ReadProgress } from '../modules/interchange/source-records';
import { cliActor, connectAsSchemaOwner, INITIAL_LOAD_HELP, withCliContext } from './cli-context';

interface InterchangeOptions {
  kind?: string;
  practice?: string;
  insurer?: string;
  mapping?: string;
  experiment?: string;
  dryRun?: boolean;
  json?: boolean;
  reason?: string;
  lang: string;
  initialLoad?: boolean;
}

/**
 * import-csv and import-fhir: the dry run, then (without --dry-run) the write of the same upload in the same
 * process, through the same service as the routes (the confirm's digest check included). Progress on stderr,
 * the report on stdout (a table, or --json). The process asks nothing.
 */
export function registerImportInterchange(program: Command): void {
  const common = (command: Command) =>
    command
      .option('--mapping <file>', 'JSON mapping: what the source does not hold (practice, insurer, per patient fields)')
      .option('--practice <agb>', 'AGB of the practice for every row that names none (overrides the mapping file\'s "practice")')
      .option('--insurer <uzovi>', 'UZOVI of the insurer for every patient that names none')
      .option('--experiment <code>', 'experiment code; may be omitted when exactly one exists')
      .option('--dry-run', 'report only; write nothing')
      .option('--reason <text>', 'why stored data is corrected (required when the import updates anything)')
      .option('--json', 'print the report as JSON instead of a table')
      .option('--lang <nl|en>', 'language of the report messages', 'nl')
      .option('--initial-load', INITIAL_LOAD_HELP);
  common(
    program
      .command('import-csv')
      .description('Import CSV files of one kind (patients, sessions, measurements, events): a dry run, then the write')
      .requiredOption('--kind <kind>', 'patients | sessions | measurements | events')
      .argument('<files...>', 'CSV files'),
  ).action((files: string[], options: InterchangeOptions) => runImport('csv', files, options));
  common(
    program
      .command('import-fhir')
      .description('Import FHIR R4 Bundles or NDJSON files: a dry run, then the write')
      .argument('<files...>', 'FHIR JSON Bundles or NDJSON files'),
  ).action((files: string[], options: InterchangeOptions) => runImport('fhir', files, options));
}

async function runImport(format: 'csv' | 'fhir', paths: string[], options: InterchangeOptions): Promise<void> {
  const files = await Promise.all(paths.map(async (path) => ({ name: basename(path), content: await readFile(path) })));
  const upload: ImportUpload = {
    format,
    kind: options.kind,
    experiment: options.experiment,
    mapping: await mappingText(options),
    reason: options.reason,
    files,
  };
  if (options.initialLoad) connectAsSchemaOwner();
  const progress = progressLines();
  const report = await withCliContext([InterchangeModule], async (app) => {
    const service = app.get(InterchangeService);
    const dry = await service.dryRun(cliActor(), upload, options.lang, progress);
    if (options.dryRun) return dry;
    return service.confirm(cliActor(), { ...upload, digest: dry.digest }, options.lang, progress, { initialLoad: options.initialLoad });
  });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
}

/** The mapping file's text, with --practice / --insurer laid over it. */
async function mappingText(options: InterchangeOptions): Promise<string | undefined> {
  const text = options.mapping ? await readFile(options.mapping, 'utf8') : undefined;
  if (!options.practice && !options.insurer) return text;
  let mapping: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      mapping = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return text; // the service reports the broken mapping with its code
    }
  }
  return JSON.stringify({ ...mapping, ...(options.practice ? { practice: options.practice } : {}), ...(options.insurer ? { insurer: options.insurer } : {}) });
}

/** One stderr line per phase step: rows read, rows checked, rows written. */
function progressLines(stream: NodeJS.WritableStream = process.stderr): ReadProgress {
  const names = { read: 'rows read', check: 'rows checked', write: 'rows written' };
  let last = '';
  return ({ phase, done, total }) => {
    const line = `${names[phase]}: ${done}${total === undefined ? '' : ` of ${total}`}`;
    if (line !== last) stream.write(`${line}\n`);
    last = line;
  };
}

export function formatReport(report: ImportReport): string {
  const { patients, records } = report.summary;
  const lines = [
    `${report.written ? 'Imported' : 'Dry run'}: ${report.format}${report.kind ? ` ${report.kind}` : ''} into ${report.experiment}, ${report.read} rows or resources read (digest ${report.digest}).`,
    'entity     create  update  unchanged  refused  skipped',
    `patients ${[patients.create, patients.update, patients.unchanged, patients.refused].map((n, i) => String(n).padStart([8, 7, 10, 8][i])).join('')}${'-'.padStart(9)}`,
    `records  ${[records.create, records.update, records.unchanged, records.refused, records.skipped].map((n, i) => String(n).padStart([8, 7, 10, 8, 9][i])).join('')}`,
  ];
  if (report.written) lines.push(`written: ${report.written.patients} patients, ${report.written.records} records`);
  const problems = [
    ...report.patients.flatMap((p) => p.problems.map((q) => ({ where: q.source, status: p.status, field: q.field, code: q.code, message: q.message }))),
    ...report.records.flatMap((r) => (r.problems ?? []).map((q) => ({ where: q.source, status: r.status, field: q.field, code: q.code, message: q.message }))),
  ];
  if (problems.length > 0) {
    lines.push('', 'file:row/resource  status  field  code  message');
    for (const p of problems) lines.push(`${p.where.file}:${p.where.row ?? p.where.resource ?? ''}  ${p.status}  ${p.field}  ${p.code}  ${p.message}`);
  }
  const missing = report.patients.filter((p) => p.missingForEnrolment.length > 0);
  if (missing.length > 0) {
    lines.push('', 'missing for enrolment:');
    for (const p of missing) lines.push(`  ${p.key}: ${p.missingForEnrolment.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
