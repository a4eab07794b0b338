import Papa from 'papaparse';
import { emptyBatch, type ReadProgress, type SourceBatch, type SourceFile, type SourceLocator, type SourceProblem } from '../source-records';
import { columnOf, CSV_COLUMNS, type CsvColumn, type CsvKind } from './csv-columns';
import { parseDate, parseNumber, unescapeFormula } from './csv-format';

/**
 * Reads CSV files of one kind into the source-record model. papaparse does the splitting (quotes, delimiters,
 * line ends); the delimiter is guessed between ';' and ','; a byte order mark is dropped; headers may be Dutch or
 * English (the catalogue in csv-columns.ts). Every cell that cannot be read becomes a problem naming file, row,
 * field and value: a file with any problem is refused as a whole by the service.
 */
export function readCsv(files: SourceFile[], kind: CsvKind, onProgress: ReadProgress = () => undefined): SourceBatch {
  const batch = emptyBatch();
  for (const file of files) readFile(file, kind, batch, onProgress);
  return batch;
}

function problem(source: SourceLocator, field: string, code: string, params: SourceProblem['params'] = {}): SourceProblem {
  return { source, field, code, params: { file: source.file, row: source.row ?? 0, field, ...params } };
}

function readFile(file: SourceFile, kind: CsvKind, batch: SourceBatch, onProgress: ReadProgress): void {
  const at = (row: number): SourceLocator => ({ file: file.name, row });
  let text: string;
  try {
    // fatal: invalid UTF-8 (a binary file, a spreadsheet saved as .xlsx) is refused, never read as garbage.
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.content);
  } catch {
    batch.problems.push(problem(at(0), '', 'IMPORT.CSV_NOT_CSV', { reason: 'utf-8' }));
    return;
  }
  if (text.includes('\u0000')) {
    batch.problems.push(problem(at(0), '', 'IMPORT.CSV_NOT_CSV', { reason: 'binary' }));
    return;
  }
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimitersToGuess: [';', ','], skipEmptyLines: 'greedy' });
  const [head, ...rows] = parsed.data;
  if (!head || head.length === 0 || head.every((h) => h.trim() === '')) {
    batch.problems.push(problem(at(0), '', 'IMPORT.CSV_EMPTY'));
    return;
  }
  const columns: (CsvColumn | undefined)[] = head.map((h) => columnOf(kind, h));
  const allowed = CSV_COLUMNS[kind].filter((c) => !c.importOnly || kind === 'patients').map((c) => c.nl).join(', ');
  let headerOk = true;
  head.forEach((h, i) => {
    const column = columns[i];
    if (!column) {
      headerOk = false;
      batch.problems.push(problem(at(0), h, 'IMPORT.CSV_UNKNOWN_COLUMN', { value: h, kind, allowed }));
    } else if (columns.findIndex((c) => c === column) !== i) {
      headerOk = false;
      batch.problems.push(problem(at(0), h, 'IMPORT.CSV_DUPLICATE_COLUMN', { value: h }));
    }
  });
  for (const column of CSV_COLUMNS[kind]) {
    if (column.required && !columns.includes(column)) {
      headerOk = false;
      batch.problems.push(problem(at(0), column.field, 'IMPORT.CSV_MISSING_COLUMN', { column: column.nl, columnEn: column.en }));
    }
  }
  if (!headerOk) return;

  // papaparse has split the whole text by now, so the rows to read are known.
  const total = batch.read + rows.length;
  rows.forEach((cells, index) => {
    const row = index + 1;
    batch.read++;
    if (row % 10_000 === 0) onProgress({ phase: 'read', done: batch.read, total });
    if (cells.length !== head.length) {
      batch.problems.push(problem(at(row), '', 'IMPORT.CSV_ROW_LENGTH', { count: cells.length, expected: head.length }));
      return;
    }
    const values: Record<string, string | number | null> = {};
    let ok = true;
    columns.forEach((column, i) => {
      const raw = unescapeFormula(cells[i].trim());
      const field = column!.field;
      if (raw === '') {
        if (column!.required) {
          ok = false;
          batch.problems.push(problem(at(row), field, 'IMPORT.CSV_VALUE_MISSING'));
        }
        values[field] = null;
        return;
      }
      const read = cellValue(column!, raw);
      if (read.ok) values[field] = read.value;
      else {
        ok = false;
        batch.problems.push(problem(at(row), field, read.code, { value: raw }));
      }
    });
    if (ok) addRecord(batch, kind, values, at(row));
  });
  onProgress({ phase: 'read', done: batch.read, total: batch.read });
}

function cellValue(column: CsvColumn, raw: string): { ok: true; value: string | number } | { ok: false; code: string } {
  switch (column.type) {
    case 'date':
      return parseDate(raw);
    case 'integer':
      return parseNumber(raw, true);
    case 'decimal':
      return parseNumber(raw, false);
    case 'code':
      return { ok: true, value: raw.toUpperCase() };
    default:
      return { ok: true, value: raw };
  }
}

function addRecord(batch: SourceBatch, kind: CsvKind, v: Record<string, string | number | null>, source: SourceLocator): void {
  const text = (f: string) => (v[f] === null || v[f] === undefined ? undefined : String(v[f]));
  const num = (f: string) => (typeof v[f] === 'number' ? (v[f] as number) : undefined);
  const practice = text('practice');
  const ref = text('ref')!;
  if (kind === 'patients') {
    batch.patients.push({
      key: ref,
      ref,
      practice,
      bsn: text('bsn'),
      insurer: text('insurer'),
      birthYear: num('birthYear'),
      sex: text('sex'),
      goldStage: num('goldStage'),
      profile: num('profile'),
      referralDate: text('referralDate'),
      intakeDate: text('intakeDate'),
      // An empty end date cell says "not ended" (it clears a stored one); a file without the column says nothing.
      endDate: 'endDate' in v ? (text('endDate') ?? null) : undefined,
      endReason: 'endReason' in v ? (text('endReason') ?? null) : undefined,
      source,
    });
  } else if (kind === 'measurements') {
    batch.measurements.push({ patientKey: ref, practice, date: text('date')!, instrument: text('instrument')!, value: num('value')!, source });
  } else {
    (kind === 'sessions' ? batch.sessions : batch.events).push({ patientKey: ref, practice, date: text('date')!, kind: text('kind')!, source });
  }
}
