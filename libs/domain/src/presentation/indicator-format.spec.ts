import { formatEuros, formatNumber, formatPercent, formatValue, scaleOf } from './indicator-format';

// Intl puts a no-break space between the euro sign and the amount; compare with plain spaces.
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('indicator formats', () => {
  it.each([
    [1234.56, '€ 1.234,56'],
    [390, '€ 390,00'],
    [-870, '€ -870,00'],
    // -0.004 rounds to 0.00: no minus sign.
    [-0.004, '€ 0,00'],
    [Number.NaN, '–'],
  ])('should format %p euros as %p', (euros, expected) => {
    expect(plain(formatEuros(euros))).toBe(expected);
  });

  it('should round to the unit decimals and never show minus zero', () => {
    expect(formatNumber(-0.0001, 1)).toBe('0,0');
    expect(formatNumber(1234.5678, 2)).toBe('1.234,57');
    expect(formatPercent(0.125)).toBe('12,5%');
  });

  it('should scale and suffix by unit, with percentage points for a difference of shares', () => {
    // 0.269 x 100 = 26.9 pp; 31.25 m to 1 decimal = 31.3 m (half away from zero in toFixed's binary reading: 31.25 is exact).
    expect(formatValue(0.269, 'fraction of patients', true)).toBe('26,9 pp');
    expect(formatValue(0.5, 'fraction of patients')).toBe('50,0%');
    expect(formatValue(31.25, 'm')).toBe('31,3 m');
    expect(formatValue(1.2587, 'per patient-year')).toBe('1,259');
    expect(scaleOf('days')).toEqual({ factor: 1, decimals: 1, suffix: '', diffSuffix: '', euro: false });
  });
});
