import { DASH, formatValue } from '@copd/domain';
import type { ReportLanguage } from './report-words';

// Numbers and indicator values read as on the dashboard: one rule, libs/domain presentation/indicator-format.ts.
export {
  DASH,
  formatEuros,
  formatNumber,
  formatPercent,
  formatValue,
  scaleOf,
  type ValueScale,
} from '@copd/domain';

/* Dates follow the report's language; times are shown in Europe/Amsterdam, with seconds. */
const dateFormats: Record<ReportLanguage, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const dateTimeFormats: Record<ReportLanguage, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Amsterdam',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Amsterdam',
  }),
};

export function formatDate(isoDate: string | null | undefined, language: ReportLanguage): string {
  if (!isoDate) return DASH;
  return dateFormats[language].format(new Date(`${isoDate}T00:00:00Z`));
}

export function formatDateTime(iso: string | null | undefined, language: ReportLanguage): string {
  if (!iso) return DASH;
  return dateTimeFormats[language].format(new Date(iso));
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
