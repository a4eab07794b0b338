import { QueryFailedError } from 'typeorm';
import { AppError, conflict } from './app-error';

/**
 * The database constraints back up the domain rules. When one fires anyway (a race between two
 * requests), say so in the same terms instead of leaking SQL.
 */
export function translateDatabaseError(error: QueryFailedError): AppError | undefined {
  const driverError = error.driverError as { code?: string; constraint?: string; detail?: string };
  switch (driverError.code) {
    case '23505':
      return conflict('RECORD.DUPLICATE', 'Dit record bestaat al (zelfde sleutel).');
    case '23P01':
      return conflict('CONTRACT.OVERLAP', 'Dit contract overlapt met een bestaand contract van dezelfde praktijk en verzekeraar.');
    case '23503':
      return conflict('RECORD.IN_USE', 'Dit record wordt nog gebruikt door andere gegevens en kan niet worden verwijderd.');
    case '23514':
      return new AppError('RULE_VIOLATION', 'RECORD.CHECK_FAILED', 'Een of meer waarden vallen buiten de toegestane grenzen.');
    // The request checks should have refused these; when a value slips through anyway it is still the
    // client's value that PostgreSQL cannot hold, not our failure.
    case '23502':
      return new AppError('INVALID_REQUEST', 'REQUEST.VALUE_MISSING', 'Een verplicht veld ontbreekt of is leeg (null). Vul het in en probeer het opnieuw.');
    case '22003':
    case '22008':
    case '22007':
      return new AppError('INVALID_REQUEST', 'REQUEST.VALUE_OUT_OF_RANGE', 'Een getal of datum in het verzoek valt buiten het bereik dat de API kan opslaan.');
    case '22021':
    case '22P05':
      return new AppError('INVALID_REQUEST', 'REQUEST.NUL_CHARACTER', 'Tekst mag geen NUL-teken (U+0000) of ongeldige tekens bevatten. Verwijder het teken en stuur het verzoek opnieuw.');
    default:
      return undefined;
  }
}

/** Network errors of the driver and pool that mean "no database right now", not "your request is wrong". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** PostgreSQL: admin/crash shutdown, cannot connect now (starting, recovering), too many connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether an error means the database is down or unreachable (issue 10 L2): refused or dropped
 * connections, a pool that cannot connect in time, the server shutting down or not accepting connections,
 * and every FATAL error (the server ends the connection with it). The answer is 503 with Retry-After.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error instanceof QueryFailedError ? error.driverError : error) as { code?: string; severity?: string; message?: string };
  if (!cause) return false;
  const code = String(cause.code ?? '');
  return (
    UNREACHABLE_CODES.has(code) ||
    UNAVAILABLE_SQLSTATES.has(code) ||
    code.startsWith('08') ||
    cause.severity === 'FATAL' ||
    UNAVAILABLE_MESSAGES.test(cause.message ?? '')
  );
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(): AppError {
  return new AppError(
    'UNAVAILABLE',
    'SERVICE.DATABASE_UNAVAILABLE',
    `De database is tijdelijk niet bereikbaar; er is niets opgeslagen. Probeer het over ${DATABASE_RETRY_AFTER_SECONDS} seconden opnieuw.`,
    [],
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );
}
