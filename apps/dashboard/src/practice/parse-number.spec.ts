import { decimalForApi, formatDecimal, parseDecimal } from './parse-number';

describe('numbers typed in a form', () => {
  it.each([
    // text, language, value
    ['12,5', 'nl', 12.5],
    ['12.5', 'nl', 12.5], // the keypad's dot is a decimal mark in Dutch too
    ['12,5', 'en', 12.5], // a Dutch user in the English interface
    ['12.5', 'en', 12.5],
    ['  412 ', 'nl', 412],
    ['0,25', 'nl', 0.25],
    [',5', 'nl', 0.5],
    ['-1,5', 'nl', -1.5],
    ['+3', 'en', 3],
    ['1.234', 'nl', 1.234], // a single mark is always the decimal mark
    ['1.234,5', 'nl', 1234.5], // both marks: nl groups with '.', 1*1000 + 234 + 0.5
    ['1.234.567', 'nl', 1234567], // two group marks
    ['1,234.5', 'en', 1234.5], // en groups with ','
    ['1 234,5', 'nl', 1234.5], // spaces are dropped
    ['1\u00a0234,5', 'nl', 1234.5], // so is the no-break space Intl puts in
  ])('should read %p in %s as %p when it is a number', (text, lang, value) => {
    expect(parseDecimal(text, lang)).toEqual({ kind: 'number', value });
  });

  it.each([
    ['12,5,3', 'nl'],
    ['1,234.5', 'nl'], // English grouping in the Dutch interface is ambiguous: refused, not guessed
    ['1.234,5', 'en'],
    ['12.34.5', 'nl'], // groups must be three digits
    ['5,', 'nl'],
    ['abc', 'en'],
    ['1e3', 'en'],
    ['12 m', 'nl'],
  ])('should call %p in %s invalid when it is no number', (text, lang) => {
    expect(parseDecimal(text, lang)).toEqual({ kind: 'invalid', text });
  });

  it('should call the field empty when only spaces were typed', () => {
    expect(parseDecimal('   ', 'nl')).toEqual({ kind: 'empty' });
    expect(parseDecimal(undefined, 'en')).toEqual({ kind: 'empty' });
  });

  it('should send the number, the typed text or nothing when a form posts the field', () => {
    expect(decimalForApi('2,3', 'nl')).toBe(2.3);
    expect(decimalForApi(' 2,3,4 ', 'nl')).toBe('2,3,4'); // the API names the field and shows this text
    expect(decimalForApi('', 'nl')).toBeUndefined(); // never a silent 0
  });

  it('should write a number back in the language of the form when a correction opens', () => {
    expect(formatDecimal(12.5, 'nl')).toBe('12,5');
    expect(formatDecimal(12.5, 'en')).toBe('12.5');
    expect(formatDecimal(412, 'nl')).toBe('412');
    expect(formatDecimal(null, 'nl')).toBe('');
  });
});
