import { Zip, ZipDeflate } from 'fflate';
import Papa from 'papaparse';
import {
  calendarQuarterOf,
  CODEBOOK_CSV_COLUMNS,
  codebookColumns,
  codebookMarkdown,
  codebookRows,
  fromStoredMeasurementValue,
  type Instrument,
} from '@copd/domain';
import type { ExportFileQuery, ExportReader, ExportRow } from './analysis-export.repository';

/** A CSV field as written: RFC 4180, missing values empty, booleans 1/0, numbers with a decimal point. */
type Field = string | number | null;

const CRLF = '\r\n';
const encoder = new TextEncoder();

/** One line per row, CRLF after each; quoted only when a field holds a comma, a quote or a line break (RFC 4180). */
export function csvLines(rows: Field[][]): string {
  return rows.length === 0 ? '' : Papa.unparse(rows, { header: false, newline: CRLF, quotes: false }) + CRLF;
}

/**
 * A codebook file's header and rows in the codebook's column order. The rows of one query share their keys, so the
 * first row is checked against the codebook: a query whose columns differ is a programming error, never a silent
 * empty column.
 */
export function csvOf(file: string, rows: ExportRow[], header = true): string {
  const columns = codebookColumns(file);
  if (rows.length > 0) {
    const keys = Object.keys(rows[0]);
    if (keys.length !== columns.length || keys.some((k, i) => k !== columns[i])) {
      throw new Error(`analysis export: the query of ${file} gives columns ${keys.join(',')}, the codebook ${columns.join(',')}`);
    }
  }
  const lines: Field[][] = rows.map((row) => columns.map((c) => field(row[c])));
  return (header ? csvLines([columns]) : '') + csvLines(lines);
}

function field(value: ExportRow[string]): Field {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * Values in the unit the codebook states, where the database stores another (CCQ in tenths, the quarter by its
 * start). One set per export: the calendar quarter of a start date is remembered, as a million care quarters share
 * a few thousand start dates and the date library's parse is the costly part.
 */
function transforms(): Partial<Record<ExportFileQuery, (row: ExportRow) => ExportRow>> {
  const quarterOf = new Map<string, string>();
  const calendarQuarter = (start: string) => {
    let found = quarterOf.get(start);
    if (found === undefined) quarterOf.set(start, (found = calendarQuarterOf(start)));
    return found;
  };
  return {
    care_quarters: (row) => ({ ...row, calendar_quarter: calendarQuarter(String(row.calendar_quarter)) }),
    measurements: (row) => ({ ...row, value: fromStoredMeasurementValue(row.instrument as Instrument, Number(row.value)) }),
    patient_indicators: (row) => ({ ...row, ccq_base: ccq(row.ccq_base), ccq_3m: ccq(row.ccq_3m), ccq_12m: ccq(row.ccq_12m) }),
  };
}

function ccq(tenths: ExportRow[string]): number | null {
  return tenths === null ? null : fromStoredMeasurementValue('CCQ', Number(tenths));
}

/** codebook.csv: the codebook as data, one row per file and column. */
export function codebookCsv(): string {
  const rows = codebookRows();
  return csvLines([[...CODEBOOK_CSV_COLUMNS], ...rows.map((r) => CODEBOOK_CSV_COLUMNS.map((c) => r[c]))]);
}

/** codebook.md, with a final newline as a text file has. */
export function codebookMd(): string {
  return codebookMarkdown() + '\n';
}

export interface ZipContent {
  experimentRow: ExportRow;
  modified: Date;
}

/**
 * The zip as a stream of chunks: each CSV is deflated while its rows arrive through the reader's cursor, so
 * memory stays flat at any size. fflate's ZipDeflate compresses synchronously, so every push hands its output
 * to the Zip callback before the next batch is read.
 */
export async function* zipChunks(reader: ExportReader, files: readonly ExportFileQuery[], content: ZipContent): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else out.push(data);
  });
  const drain = function* (): Generator<Uint8Array> {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  };
  const entry = (name: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = content.modified;
    zip.add(file);
    return file;
  };
  const whole = (name: string, text: string) => entry(name).push(encoder.encode(text), true);

  const transform = transforms();
  whole('experiment.csv', csvOf('experiment.csv', [content.experimentRow]));
  yield* drain();
  for (const query of files) {
    const name = `${query}.csv`;
    const file = entry(name);
    file.push(encoder.encode(csvLines([codebookColumns(name)])));
    const convert = transform[query];
    for await (const batch of reader.rows(query)) {
      file.push(encoder.encode(csvOf(name, convert ? batch.map(convert) : batch, false)));
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  whole('codebook.csv', codebookCsv());
  whole('codebook.md', codebookMd());
  zip.end();
  yield* drain();
}
