/*
 * How a figure reads, for every place that shows one (the dashboard, the monitoring report): Dutch number formats
 * in both languages (`€ 1.234,56`, `12,5%`), because the users are Dutch and compare the figures with Dutch
 * reports, and per indicator unit its scale, decimals and suffix. Intl puts a no-break space between € and the
 * amount. Amounts travel as cents or euros and are formatted only here, at the edge.
 */
const LOCALE = 'nl-NL';
const euro = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR' });
const numberFormats = new Map<number, Intl.NumberFormat>();

/** What stands where there is no figure. */
export const DASH = '–';

/** Euros with cents: 390 -> "€ 390,00"; never "€ -0,00". */
export function formatEuros(euros: number | null | undefined): string {
  if (euros === null || euros === undefined || !Number.isFinite(euros)) return DASH;
  const rounded = Number(euros.toFixed(2));
  return euro.format(rounded === 0 ? 0 : rounded);
}

/** A number with exactly `decimals` decimals, Dutch grouping and decimal comma; never "-0,0". */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  let format = numberFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(decimals, format);
  }
  const rounded = Number(value.toFixed(decimals));
  return format.format(rounded === 0 ? 0 : rounded);
}

/** A fraction 0..1 as a Dutch percentage: 0.125 -> "12,5%". */
export function formatPercent(fraction: number | null | undefined, decimals = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${formatNumber(fraction * 100, decimals)}%`;
}

/** How an indicator's values read: unit-aware (euros, percentages, metres, rates). */
export interface ValueScale {
  /** Factor from the API's unit to the displayed one (fractions x 100 for percent). */
  factor: number;
  decimals: number;
  /** Suffix of a displayed value. */
  suffix: string;
  /** Suffix of a difference: differences of percentages are percentage points. */
  diffSuffix: string;
  euro: boolean;
}

export function scaleOf(unit: string): ValueScale {
  if (unit === 'EUR') return { factor: 1, decimals: 2, suffix: '', diffSuffix: '', euro: true };
  if (unit.startsWith('fraction'))
    return { factor: 100, decimals: 1, suffix: '%', diffSuffix: ' pp', euro: false };
  if (unit === 'm') return { factor: 1, decimals: 1, suffix: ' m', diffSuffix: ' m', euro: false };
  if (unit === 'per patient-year') return { factor: 1, decimals: 3, suffix: '', diffSuffix: '', euro: false };
  if (unit === 'patients') return { factor: 1, decimals: 0, suffix: '', diffSuffix: '', euro: false };
  if (unit === 'CCQ points') return { factor: 1, decimals: 2, suffix: '', diffSuffix: '', euro: false };
  return { factor: 1, decimals: unit === 'days' ? 1 : 2, suffix: '', diffSuffix: '', euro: false };
}

/** A value of an indicator in its unit, e.g. EUR 390 -> "€ 390,00", fraction 0.125 -> "12,5%", a difference 0.05 -> "5,0 pp". */
export function formatValue(value: number | null | undefined, unit: string, difference = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const scale = scaleOf(unit);
  if (scale.euro) return formatEuros(value);
  return `${formatNumber(value * scale.factor, scale.decimals)}${difference ? scale.diffSuffix : scale.suffix}`;
}
