import { toCsv } from './csv';

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
