import type { ReportLanguage } from './report-words';

/*
 * Number, money and date formats of the report: the dashboard's (apps/dashboard/src/format.ts), which the API
 * cannot import across the app boundary. Numbers stay Dutch in both languages (`€ 1.234,56`, `12,5%`): the
 * users are Dutch and compare the figures with Dutch reports. Dates follow the language; times are shown in
 * Europe/Amsterdam. Intl puts a no-break space between € and the amount.
 */
const LOCALE = 'nl-NL';
const euro = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR' });
const numberFormats = new Map<number, Intl.NumberFormat>();
const dateFormats: Record<ReportLanguage, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const dateTimeFormats: Record<ReportLanguage, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'medium', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'medium', timeZone: 'Europe/Amsterdam' }),
};

export const DASH = '–';

export function formatEuros(euros: number | null | undefined): string {
  if (euros === null || euros === undefined || !Number.isFinite(euros)) return DASH;
  // Avoid "-€ 0,00".
  const rounded = Number(euros.toFixed(2));
  return euro.format(rounded === 0 ? 0 : rounded);
}

/** A number with exactly `decimals` decimals, Dutch grouping and decimal comma. */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  let format = numberFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
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

export function formatDate(isoDate: string | null | undefined, language: ReportLanguage): string {
  if (!isoDate) return DASH;
  return dateFormats[language].format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatDateTime(iso: string | null | undefined, language: ReportLanguage): string {
  if (!iso) return DASH;
  return dateTimeFormats[language].format(new Date(iso));
}

/** How an indicator's values read (the dashboard's scaleOf): euros, percentages, metres, rates. */
export interface ValueScale {
  /** Factor from the API's unit to the displayed one (fractions x 100 for percent). */
  factor: number;
  decimals: number;
  suffix: string;
  /** Differences of percentages are percentage points. */
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

/** "€ 381,80 – € 429,45", or a dash when there is no interval. */
export function formatInterval(
  low: number | null | undefined,
  high: number | null | undefined,
  unit: string,
  difference = false,
): string {
  if (low === null || low === undefined || high === null || high === undefined) return DASH;
  return `${formatValue(low, unit, difference)} – ${formatValue(high, unit, difference)}`;
}
