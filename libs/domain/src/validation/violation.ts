import { isIsoDate } from '../dates/calendar-date';
import type { IsoDate, Violation } from '../model';
import type { ViolationCode } from './violation-codes';

/** Internal helpers shared by the validators of this folder; not part of the public index. */

export function violation(
  code: ViolationCode,
  path: string,
  message: string,
  params?: Violation['params'],
): Violation {
  return params === undefined ? { code, path, message } : { code, path, message, params };
}

/** Dutch users read dd-mm-jjjj; params keep the ISO form for machines. */
export function nlDate(d: IsoDate): string {
  return isIsoDate(d) ? `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}` : String(d);
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
  /** e.g. 'De behandeling', 'De meting': the subject of the Dutch sentence. */
  subject: string;
  /** Earliest allowed date and how to name it (e.g. 'de intakedatum'). */
  notBefore: { date: IsoDate; label: string; code: ViolationCode };
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
    return [
      violation(
        rules.codes.dateInvalid,
        'date',
        `De datum ${shown(date)} is geen geldige datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-02-10).`,
        { date: paramOf(date) },
      ),
    ];
  }
  const found: Violation[] = [];
  const { notBefore, endDate, today } = rules;
  if (isIsoDate(notBefore.date) && date < notBefore.date) {
    found.push(
      violation(
        notBefore.code,
        'date',
        `${rules.subject} (${nlDate(date)}) ligt vóór ${notBefore.label} (${nlDate(notBefore.date)}); ` +
          `controleer de datum.`,
        { date, limit: notBefore.date },
      ),
    );
  }
  if (isPresent(endDate) && isIsoDate(endDate) && date > endDate) {
    found.push(
      violation(
        rules.codes.afterEnd,
        'date',
        `${rules.subject} (${nlDate(date)}) ligt na de einddatum van de behandelperiode (${nlDate(endDate)}). ` +
          `Zorg na het einde hoort bij een nieuwe inschrijving.`,
        { date, endDate },
      ),
    );
  }
  if (isIsoDate(today) && date > today) {
    found.push(
      violation(
        rules.codes.inFuture,
        'date',
        `${rules.subject} (${nlDate(date)}) ligt in de toekomst (vandaag is ${nlDate(today)}); ` +
          `leg alleen vast wat al heeft plaatsgevonden.`,
        { date, today },
      ),
    );
  }
  return found;
}
