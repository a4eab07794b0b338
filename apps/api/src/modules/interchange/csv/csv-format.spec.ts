import { escapeFormula, formatDate, formatNumber, parseDate, parseNumber, unescapeFormula } from './csv-format';

describe('CSV values', () => {
  it.each([
    ['10-02-2025', '2025-02-10'],
    ['1-2-2025', '2025-02-01'],
    ['2025-02-10', '2025-02-10'],
    ['29-02-2024', '2024-02-29'], // 2024 is a leap year
  ])('should read %s as %s when it is dd-mm-jjjj or ISO', (text, iso) => {
    expect(parseDate(text)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['29-02-2025', 'IMPORT.CSV_DATE_INVALID'], // 2025 is not a leap year
    ['31-04-2025', 'IMPORT.CSV_DATE_INVALID'], // April has 30 days
    ['2025-13-01', 'IMPORT.CSV_DATE_INVALID'],
    ['29-02-1900', 'IMPORT.CSV_DATE_INVALID'], // 1900 is not a leap year (divisible by 100, not by 400)
    ['03/04/2025', 'IMPORT.CSV_DATE_AMBIGUOUS'], // 3 April or 4 March
    ['10-02-25', 'IMPORT.CSV_DATE_AMBIGUOUS'], // which century
    ['10 februari 2025', 'IMPORT.CSV_DATE_INVALID'],
  ])('should refuse %s with %s when the date does not exist or is ambiguous', (text, code) => {
    expect(parseDate(text)).toEqual({ ok: false, code });
  });

  it('should read a decimal comma and point alike and refuse thousands separators when reading numbers', () => {
    expect(parseNumber('1,6', false)).toEqual({ ok: true, value: 1.6 });
    expect(parseNumber('1.6', false)).toEqual({ ok: true, value: 1.6 });
    expect(parseNumber('1.600,5', false)).toEqual({ ok: false, code: 'IMPORT.CSV_NOT_A_NUMBER' });
    expect(parseNumber('12', true)).toEqual({ ok: true, value: 12 });
    expect(parseNumber('12,0', true)).toEqual({ ok: false, code: 'IMPORT.CSV_NOT_AN_INTEGER' });
  });

  it('should write dates and decimals the way each language reads them when exporting', () => {
    expect([formatDate('2025-02-10', 'nl'), formatDate('2025-02-10', 'en')]).toEqual(['10-02-2025', '2025-02-10']);
    expect([formatNumber(1.6, 'nl'), formatNumber(1.6, 'en'), formatNumber(null, 'nl')]).toEqual(['1,6', '1.6', '']);
  });

  it('should escape formula starts, full-width ones too, and read them back unchanged when a text starts like a formula', () => {
    for (const text of ['=HYPERLINK("x")', '+31', '-1', '@SUM', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20x']) {
      expect(escapeFormula(text)).toBe(`'${text}`);
      expect(unescapeFormula(escapeFormula(text))).toBe(text);
    }
    expect(escapeFormula('P-0001')).toBe('P-0001');
    expect(unescapeFormula("'quoted")).toBe("'quoted"); // an apostrophe before a non-formula text is the user's own
  });
});
