import type { CsvLanguage } from './csv-columns';

/**
 * How a CSV of either language writes values. Dutch: ';' between fields, decimal comma, dates dd-mm-jjjj (as Excel
 * with Dutch regional settings opens and saves it). English: ',' (RFC 4180), decimal point, ISO dates. Both start
 * with a UTF-8 byte order mark, without which Excel misreads accents. The reader takes either, whatever the header.
 */
export const DELIMITER: Record<CsvLanguage, string> = { nl: ';', en: ',' };

/** The formula escape of every CSV we write (libs/domain csv-formula); the reader takes the apostrophe off again. */
export { escapeCsvFormula as escapeFormula, unescapeCsvFormula as unescapeFormula } from '@copd/domain';

export function formatDate(iso: string | null | undefined, lang: CsvLanguage): string {
  if (!iso) return '';
  return lang === 'nl' ? `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : iso;
}

export function formatNumber(value: number | null | undefined, lang: CsvLanguage): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return lang === 'nl' ? text.replace('.', ',') : text;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: string };

/** dd-mm-jjjj or ISO yyyy-mm-dd, an existing calendar date; '/' or a two-digit year is ambiguous (US order, century). */
export function parseDate(text: string): Parsed<string> {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(t))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if (/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(t)) {
    return { ok: false, code: 'IMPORT.CSV_DATE_AMBIGUOUS' };
  } else {
    return { ok: false, code: 'IMPORT.CSV_DATE_INVALID' };
  }
  // An existing calendar date, checked by arithmetic (a Date per cell costs a third of the reading time).
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const daysInMonth = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth) return { ok: false, code: 'IMPORT.CSV_DATE_INVALID' };
  return { ok: true, value: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** A number with a decimal comma or point (no thousands separators: "1.600" would be ambiguous). */
export function parseNumber(text: string, integer: boolean): Parsed<number> {
  const t = text.trim();
  const pattern = integer ? /^-?\d+$/ : /^-?\d+(?:[.,]\d+)?$/;
  if (!pattern.test(t)) return { ok: false, code: integer ? 'IMPORT.CSV_NOT_AN_INTEGER' : 'IMPORT.CSV_NOT_A_NUMBER' };
  return { ok: true, value: Number(t.replace(',', '.')) };
}
