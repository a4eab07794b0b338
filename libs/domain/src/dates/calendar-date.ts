import { LocalDate } from '@js-joda/core';
import type { IsoDate } from '../model';

/**
 * Calendar-date arithmetic on ISO 'YYYY-MM-DD' strings. Dates of care carry no time zone (STYLE.md 3),
 * so every function takes and returns IsoDate strings; js-joda's LocalDate does the calendar work inside.
 * Arithmetic throws a RangeError on a malformed date; comparisons assume valid dates. Callers validate first.
 */

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict 'YYYY-MM-DD' that is also a real calendar date (2025-02-29 is not; 2024-02-29 is). */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE_PATTERN.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  // Every month has 28 days; only the days after that need the calendar (an import checks millions of dates).
  return day <= 28 || day <= LocalDate.of(Number(m[1]), month, 1).lengthOfMonth();
}

function toLocalDate(d: IsoDate): LocalDate {
  if (!isIsoDate(d)) throw new RangeError(`Not an ISO calendar date (YYYY-MM-DD): ${String(d)}`);
  return LocalDate.parse(d);
}

function fromLocalDate(d: LocalDate): IsoDate {
  return d.toString();
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromLocalDate(toLocalDate(d).plusDays(n));
}

/**
 * Adds calendar months to the given date itself, clamping to the month's last day (DOMAIN.md 5):
 * 2025-01-31 + 1 = 2025-02-28, + 3 = 2025-04-30, + 6 = 2025-07-31. Never chain calls to step quarters:
 * 2025-01-31 + 1 + 1 would drift to 2025-03-28.
 */
export function addMonthsClamped(d: IsoDate, n: number): IsoDate {
  return fromLocalDate(toLocalDate(d).plusMonths(n));
}

/** b - a in days: daysBetween('2025-01-27', '2025-02-10') = 14. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toLocalDate(b).toEpochDay() - toLocalDate(a).toEpochDay();
}

/**
 * -1, 0 or 1, for Array.prototype.sort. Valid ISO dates (four-digit years) order like their strings, so the
 * comparisons skip parsing: pricing and indicators compare dates millions of times over a population.
 */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) < 0;
}

export function isAfter(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) > 0;
}

export function isOnOrBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) <= 0;
}

export function isOnOrAfter(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) >= 0;
}

/** Closed range [from, to]: a contract's validTo is inclusive. */
export function isWithinInclusive(d: IsoDate, from: IsoDate, to: IsoDate): boolean {
  return isOnOrAfter(d, from) && isOnOrBefore(d, to);
}

export function minDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((min, d) => (isBefore(d, min) ? d : min), first);
}

export function maxDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((max, d) => (isAfter(d, max) ? d : max), first);
}

/** The calendar quarter a date falls in, e.g. '2025-Q2'; time series place a care quarter by its start. */
export function calendarQuarterOf(d: IsoDate): string {
  const date = toLocalDate(d);
  return `${date.year()}-Q${Math.floor((date.monthValue() - 1) / 3) + 1}`;
}

/** The last day of the calendar quarter a date falls in: 2025-08-10 -> 2025-09-30, 2025-12-01 -> 2025-12-31. */
export function calendarQuarterLastDay(d: IsoDate): IsoDate {
  const date = toLocalDate(d);
  const quarter = Math.floor((date.monthValue() - 1) / 3) + 1;
  // The day before the next quarter's first day; after Q4 that is 1 January of the next year.
  const next = quarter === 4 ? `${date.year() + 1}-01-01` : `${date.year()}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/**
 * Whether the calendar quarter of `d` (a time series' bucket, placed by a care quarter's start) is complete as
 * of the analysis date: its last day is on or before it. A quarter still running on the analysis date holds
 * only part of its care, so a time series marks it instead of drawing it as a fall in cost (issue 12 item 6).
 * Source: our reading of DOMAIN.md 5 (time series) with the "ended by the analysis date" rule of section 6.
 */
export function isCalendarQuarterComplete(d: IsoDate, analysisDate: IsoDate): boolean {
  return isOnOrBefore(calendarQuarterLastDay(d), analysisDate);
}

/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs about a millisecond of CPU (time-zone and
 * locale data), and today's date is asked for on every request.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The calendar date of an instant in a time zone. "The future" is after today in Europe/Amsterdam
 * (DOMAIN.md 4), so 2025-06-30T23:30Z is already 2025-07-01 there. The instant is an argument to keep this pure.
 */
export function todayInZone(now: Date, timeZone = 'Europe/Amsterdam'): IsoDate {
  const parts = dayFormat(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => {
    const found = parts.find((p) => p.type === type);
    if (!found) throw new RangeError(`Cannot read ${type} of ${now.toISOString()} in ${timeZone}`);
    return found.value;
  };
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
