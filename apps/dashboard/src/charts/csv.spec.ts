import { fixed, rowsToCsv, toCsv } from './csv';

describe('toCsv formula escape (CSV injection)', () => {
  const one = (value: string) => ({ head: ['Praktijk'], rows: [[{ text: value, value }]] });

  // Each text that a spreadsheet could run as a formula gets a leading apostrophe; full-width signs
  // (U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠) too, because some spreadsheets fold them to = + - @.
  it.each([
    ['=1+1', "'=1+1"],
    ['+31 6', "'+31 6"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\uFF1DHYPERLINK("x")', '"\'\uFF1DHYPERLINK(""x"")"'],
    ['\uFF0B1', "'\uFF0B1"],
    ['\uFF0D1', "'\uFF0D1"],
    ['\uFF20SUM(A1)', "'\uFF20SUM(A1)"],
  ])('should write %j as text when it starts like a formula', (value, written) => {
    expect(toCsv(one(value), 'en')).toBe(`\uFEFFPraktijk\r\n${written}\r\n`);
  });

  it.each(['Fysio =Centrum', 'A\uFF1D1', 'Zorg +'])('should leave %j alone when the sign is not at the start', (value) => {
    expect(toCsv(one(value), 'en')).toBe(`\uFEFFPraktijk\r\n${value}\r\n`);
  });
});

describe('rowsToCsv with fixed decimals', () => {
  it('should write numbers with exactly their decimals, Dutch with a comma, when given as fixed', () => {
    // 390 -> 390,00; 0.123456 to 4 -> 0,1235; -12.5 to 2 -> -12,50 (a number: no apostrophe); -0.004 to 2 -> 0,00, not -0,00.
    const row = [fixed(390, 2), fixed(0.123456, 4), fixed(-12.5, 2), fixed(-0.004, 2), fixed(null, 2), 7];
    expect(rowsToCsv(['a', 'b', 'c', 'd', 'e', 'f'], [row], 'nl')).toBe('\uFEFFa;b;c;d;e;f\r\n390,00;0,1235;-12,50;0,00;;7\r\n');
    expect(rowsToCsv(['a', 'b', 'c', 'd', 'e', 'f'], [row], 'en')).toBe('\uFEFFa,b,c,d,e,f\r\n390.00,0.1235,-12.50,0.00,,7\r\n');
  });
});
