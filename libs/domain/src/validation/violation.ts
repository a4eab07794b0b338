import { isIsoDate } from '../dates/calendar-date';
import type { IsoDate, Violation } from '../model';
import { renderMessage } from './messages';
import type { ViolationCode } from './violation-codes';

/** Internal helpers shared by the validators of this folder; not part of the public index. */

/** A violation with its Dutch message from the catalogue (messages.ts), the one place its text lives. */
export function violation(code: ViolationCode, path: string, params?: Violation['params']): Violation {
  const message = renderMessage(code, params ?? {}, path, 'nl');
  return params === undefined ? { code, path, message } : { code, path, message, params };
}

/** Shows a value the user sent inside a message without letting an object or huge string through. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function isPresent<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

export function includes<T extends string | number>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

/** Param value for a user-sent value of unknown type. */
export function paramOf(value: unknown): string | number | null {
  return typeof value === 'number' || typeof value === 'string' ? value : value == null ? null : shown(value);
}

interface RecordDateRules {
  /** Earliest allowed date (e.g. the intake date) and the code of a date before it. */
  notBefore: { date: IsoDate; code: ViolationCode };
  endDate: IsoDate | null | undefined;
  today: IsoDate;
  codes: { dateInvalid: ViolationCode; afterEnd: ViolationCode; inFuture: ViolationCode };
}

/**
 * The date window every care record shares (DOMAIN.md 4): not before a start date of the enrolment, not after
 * its end date, not after today. A bound that is itself malformed is skipped: its own record reports it.
 */
export function recordDateViolations(date: unknown, rules: RecordDateRules): Violation[] {
  if (!isIsoDate(date)) {
    return [violation(rules.codes.dateInvalid, 'date', { date: paramOf(date), value: paramOf(date) })];
  }
  const found: Violation[] = [];
  const { notBefore, endDate, today } = rules;
  if (isIsoDate(notBefore.date) && date < notBefore.date) {
    found.push(violation(notBefore.code, 'date', { date, limit: notBefore.date, value: date }));
  }
  if (isPresent(endDate) && isIsoDate(endDate) && date > endDate) {
    found.push(violation(rules.codes.afterEnd, 'date', { date, endDate, value: date }));
  }
  if (isIsoDate(today) && date > today) {
    found.push(violation(rules.codes.inFuture, 'date', { date, today, value: date }));
  }
  return found;
}
