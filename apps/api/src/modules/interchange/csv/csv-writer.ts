import Papa from 'papaparse';
import { CSV_COLUMNS, type CsvKind, type CsvLanguage } from './csv-columns';
import { DELIMITER, escapeFormula, formatDate, formatNumber } from './csv-format';

export type CsvRecord = Record<string, string | number | null | undefined>;

/**
 * A CSV of one kind in a language (csv-format.ts): the catalogue's headers in that language, the columns a file
 * may carry on export (never the BSN), dates and decimals as the language writes them, formula-like texts
 * escaped. What it writes, readCsv reads back to the same values.
 */
export function writeCsv(kind: CsvKind, lang: CsvLanguage, records: Iterable<CsvRecord>): string {
  const columns = CSV_COLUMNS[kind].filter((c) => !c.importOnly);
  const cell = (type: string, value: string | number | null | undefined): string => {
    if (value === null || value === undefined || value === '') return '';
    if (type === 'date') return formatDate(String(value), lang);
    if (typeof value === 'number') return formatNumber(value, lang);
    return escapeFormula(value);
  };
  const data: string[][] = [];
  for (const r of records) data.push(columns.map((c) => cell(c.type, r[c.field])));
  const body = Papa.unparse({ fields: columns.map((c) => c[lang]), data }, { delimiter: DELIMITER[lang], newline: '\r\n', quotes: false });
  return `\uFEFF${body}\r\n`;
}

/** The template of a kind: every column (the BSN too, for import) with one example row. */
export function csvTemplate(kind: CsvKind, lang: CsvLanguage): string {
  const columns = CSV_COLUMNS[kind];
  const example = columns.map((c) => {
    if (c.example === '') return '';
    if (c.type === 'date') return formatDate(String(c.example), lang);
    return typeof c.example === 'number' ? formatNumber(c.example, lang) : c.example;
  });
  const body = Papa.unparse({ fields: columns.map((c) => c[lang]), data: [example] }, { delimiter: DELIMITER[lang], newline: '\r\n', quotes: false });
  return `\uFEFF${body}\r\n`;
}
