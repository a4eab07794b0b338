/**
 * What a spreadsheet reads as the start of a formula: = + - @, tab and carriage return (OWASP CSV injection), and
 * their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which Excel in East Asian locales and some import paths
 * fold to the ASCII sign. One rule for every CSV the product writes: the dashboard's tables, the audit-log export
 * and the import/export CSV.
 */
export const CSV_FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text a spreadsheet would run as a formula gets a leading apostrophe, so it stays text. */
export function escapeCsvFormula(text: string): string {
  return CSV_FORMULA_START.test(text) ? `'${text}` : text;
}

/** The reverse, for a CSV we read back: the apostrophe comes off only where escapeCsvFormula put it. */
export function unescapeCsvFormula(text: string): string {
  return text.startsWith("'") && CSV_FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
