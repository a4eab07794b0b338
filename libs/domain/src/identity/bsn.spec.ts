import { isValidBsn, normalizeBsn } from './bsn';
import { isAgbCode, isUzoviCode } from './care-codes';

describe('isValidBsn', () => {
  it.each([
    // 9*1 + 8*1 + 7*1 + 6*2 + 5*2 + 4*2 + 3*3 + 2*3 - 1*3 = 66 = 6 x 11
    ['111222333', true],
    // 9*1 + 8*2 + 7*3 + 6*4 + 5*5 + 4*6 + 3*7 + 2*8 - 1*2 = 154 = 14 x 11
    ['123456782', true],
    // 9*0 + 8*1 + 7*2 + 6*3 + 5*4 + 4*5 + 3*6 + 2*7 - 1*2 = 110 = 10 x 11
    ['012345672', true],
    ['12345672', true], // 8 digits: a leading zero is added -> 012345672
    ['1234.56.782', true], // formatting as printed on letters
    ['123 456 782', true],
    ['123456781', false], // 154 + 2 - 1 = 155, remainder 1
    ['111222334', false], // 66 - 1 = 65, remainder 10
    ['123456789', false], // 156 - 9 = 147, remainder 4
    ['000000000', false], // sum 0 but never issued
    ['00000000', false], // all zeros after padding
    ['1234567', false], // 7 digits
    ['1234567890', false], // 10 digits
    ['12345678a', false],
    ['', false],
  ])('should return %p -> %p when applying the 11-proef', (input, expected) => {
    expect(isValidBsn(input)).toBe(expected);
  });
});

describe('normalizeBsn', () => {
  it.each([
    ['123456782', '123456782'],
    ['12345672', '012345672'],
    ['1234.56.782', '123456782'],
    [' 123-456-782 ', '123456782'],
    ['1234567', null],
    ['12345678901', null],
    ['abc', null],
  ])('should normalise %p to %p when cleaning input', (input, expected) => {
    expect(normalizeBsn(input)).toBe(expected);
  });
});

describe('care codes', () => {
  it.each([
    ['12345678', true],
    ['01234567', true], // leading zeros matter
    ['1234567', false],
    ['123456789', false],
    ['1234567a', false],
  ])('should return isAgbCode(%p) = %p when checking 8 digits', (s, expected) => {
    expect(isAgbCode(s)).toBe(expected);
  });

  it.each([
    ['3311', true],
    ['0101', true],
    ['331', false],
    ['33111', false],
    [3311, false],
  ])('should return isUzoviCode(%p) = %p when checking 4 digits', (s, expected) => {
    expect(isUzoviCode(s)).toBe(expected);
  });
});
