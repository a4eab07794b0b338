import { formatCents, formatEuros, formatNumber, formatPercent, formatValue, formatWithInterval } from './format';

// Intl puts a no-break space between the euro sign and the amount; compare with plain spaces.
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('Dutch formats', () => {
  it.each([
    [1234.56, '€ 1.234,56'],
    [390, '€ 390,00'],
    [-870, '€ -870,00'],
  ])('should format %p euros as %p when given euros', (euros, expected) => {
    expect(plain(formatEuros(euros))).toBe(expected);
  });

  it('should format cents as euros when given integer cents', () => {
    // 117000 cents = EUR 1.170,00 (DOMAIN.md 9).
    expect(plain(formatCents(117000))).toBe('€ 1.170,00');
  });

  it.each([
    [0.125, '12,5%'],
    [1, '100,0%'],
    [null, '–'],
  ])('should format the fraction %p as %p when asked for a percentage', (fraction, expected) => {
    expect(formatPercent(fraction)).toBe(expected);
  });

  it('should never show minus zero when a small negative rounds to zero', () => {
    expect(formatNumber(-0.0001, 1)).toBe('0,0');
  });

  it('should format by unit when given an indicator value', () => {
    expect(formatValue(0.5, 'fraction of patients')).toBe('50,0%');
    expect(formatValue(0.05, 'fraction of patients', true)).toBe('5,0 pp');
    expect(formatValue(31.25, 'm')).toBe('31,3 m');
    expect(plain(formatWithInterval(2, 1, 3, 'EUR'))).toBe('€ 2,00 (€ 1,00 – € 3,00)');
  });
});
