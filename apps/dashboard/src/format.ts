/**
 * Dutch number, money and date formats, applied only at the edge (amounts travel as cents or euros).
 * Numbers stay in Dutch format in both languages (`€ 1.234,56`, `12,5%`): the users are Dutch and the
 * figures are compared with Dutch reports.
 */
const LOCALE = 'nl-NL';
const euro = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR' });
const dateFormats: Record<string, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const dateTimeFormats: Record<string, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
};
const numberFormats = new Map<number, Intl.NumberFormat>();

export const DASH = '–';

export function formatEuros(euros: number | null | undefined): string {
  return euros === null || euros === undefined ? DASH : euro.format(euros);
}

export function formatCents(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? DASH : euro.format(cents / 100);
}

/** A number with exactly `decimals` decimals, Dutch grouping and decimal comma. */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  let format = numberFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(decimals, format);
  }
  // Avoid "-0,0".
  const rounded = Number(value.toFixed(decimals));
  return format.format(rounded === 0 ? 0 : rounded);
}

/** A fraction 0..1 as a Dutch percentage: 0.125 -> "12,5%". */
export function formatPercent(fraction: number | null | undefined, decimals = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${formatNumber(fraction * 100, decimals)}%`;
}

export function formatDate(isoDate: string | null | undefined, language = 'nl'): string {
  if (!isoDate) return DASH;
  return (dateFormats[language] ?? dateFormats.nl).format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatDateTime(iso: string | null | undefined, language = 'nl'): string {
  if (!iso) return DASH;
  return (dateTimeFormats[language] ?? dateTimeFormats.nl).format(new Date(iso));
}

/** How an indicator's values read: unit-aware (euros, percentages, metres...). */
export interface ValueScale {
  /** Factor from the API's unit to the displayed one (fractions x 100 for percent). */
  factor: number;
  decimals: number;
  /** Suffix of a displayed value; for differences of percentages, percentage points. */
  suffix: string;
  diffSuffix: string;
  euro: boolean;
}

export function scaleOf(unit: string): ValueScale {
  if (unit === 'EUR') return { factor: 1, decimals: 2, suffix: '', diffSuffix: '', euro: true };
  if (unit.startsWith('fraction')) return { factor: 100, decimals: 1, suffix: '%', diffSuffix: ' pp', euro: false };
  if (unit === 'm') return { factor: 1, decimals: 1, suffix: ' m', diffSuffix: ' m', euro: false };
  if (unit === 'per patient-year') return { factor: 1, decimals: 3, suffix: '', diffSuffix: '', euro: false };
  if (unit === 'patients') return { factor: 1, decimals: 0, suffix: '', diffSuffix: '', euro: false };
  if (unit === 'CCQ points') return { factor: 1, decimals: 2, suffix: '', diffSuffix: '', euro: false };
  return { factor: 1, decimals: unit === 'days' ? 1 : 2, suffix: '', diffSuffix: '', euro: false };
}

/** A value of an indicator in its unit, e.g. EUR 390 -> "€ 390,00", fraction 0.125 -> "12,5%". */
export function formatValue(value: number | null | undefined, unit: string, difference = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const scale = scaleOf(unit);
  if (scale.euro) return formatEuros(value);
  return `${formatNumber(value * scale.factor, scale.decimals)}${difference ? scale.diffSuffix : scale.suffix}`;
}

/** "12,5% (10,1%–15,0%)" or the value alone when there is no interval. */
export function formatWithInterval(value: number | null, low: number | null, high: number | null, unit: string, difference = false): string {
  const main = formatValue(value, unit, difference);
  if (low === null || high === null || low === undefined || high === undefined) return main;
  return `${main} (${formatValue(low, unit, difference)} – ${formatValue(high, unit, difference)})`;
}
