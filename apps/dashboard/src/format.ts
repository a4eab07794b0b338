/**
 * Dutch number, money and date formats, applied only at the edge (amounts travel as cents or euros).
 * Numbers stay in Dutch format in both languages (`€ 1.234,56`, `12,5%`): the users are Dutch and the
 * figures are compared with Dutch reports.
 */
import { DASH, formatValue } from '@copd/domain';

// How a figure reads is the domain's (libs/domain presentation/indicator-format.ts), shared with the report.
export { DASH, formatEuros, formatNumber, formatPercent, formatValue, scaleOf, type ValueScale } from '@copd/domain';

const euro = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
const dateFormats: Record<string, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const dateTimeFormats: Record<string, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
};

const euroWhole = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0, minimumFractionDigits: 0 });

/** An axis tick in whole euros: 1200 -> "€ 1.200" (no ",00"; the figures themselves keep their cents). */
export function formatEuroTick(euros: number): string {
  if (!Number.isFinite(euros)) return '';
  const rounded = Math.round(euros);
  return euroWhole.format(rounded === 0 ? 0 : rounded);
}

export function formatCents(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? DASH : euro.format(cents / 100);
}

export function formatDate(isoDate: string | null | undefined, language = 'nl'): string {
  if (!isoDate) return DASH;
  return (dateFormats[language] ?? dateFormats.nl).format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatDateTime(iso: string | null | undefined, language = 'nl'): string {
  if (!iso) return DASH;
  return (dateTimeFormats[language] ?? dateTimeFormats.nl).format(new Date(iso));
}

/** "12,5% (10,1%–15,0%)" or the value alone when there is no interval. */
export function formatWithInterval(value: number | null, low: number | null, high: number | null, unit: string, difference = false): string {
  const main = formatValue(value, unit, difference);
  if (low === null || high === null || low === undefined || high === undefined) return main;
  return `${main} (${formatValue(low, unit, difference)} – ${formatValue(high, unit, difference)})`;
}
