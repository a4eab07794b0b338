import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate } from '@copd/domain';

/**
 * Years a date of this API may have. Care, contracts and the audit log are in this century; 1900 leaves room
 * for any date of birth or referral typed in full, 2199 for planned ends. Outside it a date is a typo
 * (`0000-01-01`, `20255-01-01`), and PostgreSQL refuses year 0 outright.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

/** YYYY-MM-DD, an existing calendar date (2025-02-29 is refused) with a year from MIN_YEAR to MAX_YEAR. */
export function isApiDate(value: unknown): value is string {
  if (typeof value !== 'string' || !isIsoDate(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/** A date as above, or a timestamp on such a date with an explicit zone (2025-09-01T08:00:00Z, ...+02:00). */
export function isApiDateOrTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (isApiDate(value)) return true;
  const match = TIMESTAMP.exec(value);
  return match !== null && isApiDate(match[1]);
}

/** A real calendar date written as YYYY-MM-DD, years MIN_YEAR..MAX_YEAR (2025-02-29 and 0000-01-01 are refused). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value: unknown) => isApiDate(value),
        defaultMessage: (args) => `${args?.property} moet een bestaande datum zijn in de vorm JJJJ-MM-DD (jaar ${MIN_YEAR}-${MAX_YEAR})`,
      },
    },
    options,
  );
}

/** A date (YYYY-MM-DD) or an ISO 8601 timestamp with zone, on an existing date in MIN_YEAR..MAX_YEAR. */
export function IsIsoDateOrTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateOrTimestamp',
      validator: {
        validate: (value: unknown) => isApiDateOrTimestamp(value),
        defaultMessage: (args) =>
          `${args?.property} moet een bestaande datum (JJJJ-MM-DD) of tijdstip met tijdzone zijn (bijv. 2025-09-01T08:00:00Z), jaar ${MIN_YEAR}-${MAX_YEAR}`,
      },
    },
    options,
  );
}
