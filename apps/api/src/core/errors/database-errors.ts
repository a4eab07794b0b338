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
    default:
      return undefined;
  }
}
