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

/** A codebook file's header and rows in the codebook's column order; a row whose keys differ is a programming error. */
export function csvOf(file: string, rows: ExportRow[], header = true): string {
  const columns = codebookColumns(file);
  const lines: Field[][] = rows.map((row) => {
    const keys = Object.keys(row);
    if (keys.length !== columns.length || keys.some((k, i) => k !== columns[i])) {
      throw new Error(`analysis export: the query of ${file} gives columns ${keys.join(',')}, the codebook ${columns.join(',')}`);
    }
    return columns.map((c) => field(row[c]));
  });
  return (header ? csvLines([columns]) : '') + csvLines(lines);
}

function field(value: ExportRow[string]): Field {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Values in the unit the codebook states, where the database stores another (CCQ in tenths, the quarter by its start). */
const TRANSFORMS: Partial<Record<ExportFileQuery, (row: ExportRow) => ExportRow>> = {
  care_quarters: (row) => ({ ...row, calendar_quarter: calendarQuarterOf(String(row.calendar_quarter)) }),
  measurements: (row) => ({ ...row, value: fromStoredMeasurementValue(row.instrument as Instrument, Number(row.value)) }),
  patient_indicators: (row) => ({
    ...row,
    ccq_base: ccq(row.ccq_base),
    ccq_3m: ccq(row.ccq_3m),
    ccq_12m: ccq(row.ccq_12m),
  }),
};

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

  whole('experiment.csv', csvOf('experiment.csv', [content.experimentRow]));
  yield* drain();
  for (const query of files) {
    const name = `${query}.csv`;
    const file = entry(name);
    file.push(encoder.encode(csvLines([codebookColumns(name)])));
    const transform = TRANSFORMS[query];
    for await (const batch of reader.rows(query)) {
      file.push(encoder.encode(csvOf(name, transform ? batch.map(transform) : batch, false)));
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
