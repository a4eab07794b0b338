import { escapeCsvFormula, unescapeCsvFormula } from './csv-formula';

describe('CSV formula escape', () => {
  it('should prefix an apostrophe when a text starts like a formula, in ASCII or full-width form', () => {
    expect(['=1+1', '+31', '-2', '@SUM(A1)', '\tx', '\rx', '＝1', '＋1', '－1', '＠x'].map(escapeCsvFormula)).toEqual([
      "'=1+1", "'+31", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "'＝1", "'＋1", "'－1", "'＠x",
    ]);
  });

  it('should leave a text alone when it does not start like a formula', () => {
    expect(['P-0001', "O'Brien", 'a=b', ''].map(escapeCsvFormula)).toEqual(['P-0001', "O'Brien", 'a=b', '']);
  });

  it('should give back the original text when an escaped text is read again', () => {
    for (const text of ['=1+1', '＠x', "O'Brien", "'plain", 'P-0001']) expect(unescapeCsvFormula(escapeCsvFormula(text))).toBe(text);
  });
});
