import type { Violation } from '@copd/domain';

/**
 * Errors thrown by services, processors and the CLI. They say what went wrong in domain terms;
 * one filter (problem-details.filter.ts) turns them into RFC 9457 problem+json. Services never throw
 * HTTP exceptions, because the same code runs in queue jobs and the CLI.
 */
export type ErrorKind =
  | 'INVALID_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RULE_VIOLATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly violations: Violation[] = [],
    /** Extra members of the problem document (e.g. retryAt); never internals. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function notFound(resource: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${resource.toUpperCase()}.NOT_FOUND`, `${resource} ${id} bestaat niet.`);
}

/** A business-rule rejection carrying every reason at once. */
export function ruleViolation(code: string, message: string, violations: Violation[]): AppError {
  return new AppError('RULE_VIOLATION', code, message, violations);
}

export function invalidRequest(violations: Violation[], message = 'Het verzoek is niet geldig.'): AppError {
  return new AppError('INVALID_REQUEST', 'REQUEST.INVALID', message, violations);
}

export function conflict(code: string, message: string, violations: Violation[] = []): AppError {
  return new AppError('CONFLICT', code, message, violations);
}

/** No valid session cookie or API token (or it expired, or was signed out / revoked). */
export function unauthenticated(): AppError {
  return new AppError('UNAUTHENTICATED', 'AUTH.REQUIRED', 'Meld u aan om dit te gebruiken.');
}

/** Signed in, but the role may not use this route. Objects of another tenant answer NOT_FOUND instead. */
export function forbidden(): AppError {
  return new AppError('FORBIDDEN', 'AUTH.FORBIDDEN', 'Uw rol heeft geen toegang tot deze functie.');
}

/** The body is larger than this route accepts (JSON_BODY_LIMIT, or BODY_LIMIT for the exchange import). */
export function payloadTooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', 'REQUEST.TOO_LARGE', 'Het verzoek is te groot. Splits het document in kleinere delen.');
}

/** A write whose body is not JSON in UTF-8. */
export function unsupportedMediaType(code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' | 'REQUEST.UNSUPPORTED_CHARSET'): AppError {
  const message =
    code === 'REQUEST.UNSUPPORTED_CHARSET'
      ? 'Alleen UTF-8 wordt ondersteund. Stuur de gegevens als "Content-Type: application/json; charset=utf-8".'
      : 'Stuur de gegevens als JSON, met "Content-Type: application/json".';
  return new AppError('UNSUPPORTED_MEDIA_TYPE', code, message);
}
