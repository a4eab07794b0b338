import type { IsoDate } from '@copd/domain';

/** Calendar arithmetic for the generator on epoch days (UTC, so no time-zone drift): fast over millions of dates. */
export const DAY_MS = 86_400_000;

export function toDay(iso: IsoDate): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function toIso(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday (day 0, 1970-01-01, was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The day itself when a weekday, else the nearest weekday inside [from, to] (or the day itself if none). */
export function weekdayWithin(day: number, from: number, to: number): number {
  for (const candidate of [day, day + 1, day + 2, day - 1, day - 2]) {
    if (candidate >= from && candidate <= to && weekday(candidate) >= 1 && weekday(candidate) <= 5) return candidate;
  }
  return day;
}

export function monthStartOnOrBefore(day: number): number {
  return toDay(`${toIso(day).slice(0, 7)}-01`);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
