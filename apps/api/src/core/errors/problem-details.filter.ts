import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Violation } from '@copd/domain';
import { QueryFailedError } from 'typeorm';
import { requestCommitted } from '../database/request-commits';
import { AppError, ErrorKind } from './app-error';
import { databaseUnavailable, isDatabaseUnavailable, translateDatabaseError } from './database-errors';
import { detailIn, errorsIn } from './problem-texts';
import { requestLanguage } from './request-language';

const STATUS: Record<ErrorKind, number> = {
  INVALID_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  TOO_MANY_REQUESTS: HttpStatus.TOO_MANY_REQUESTS,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  RULE_VIOLATION: HttpStatus.UNPROCESSABLE_ENTITY,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: { code: string; path: string; message: string; params?: Record<string, unknown> }[];
  [extension: string]: unknown;
}

export function problemType(code: string): string {
  return `urn:copd-tracker:problem:${code.toLowerCase()}`;
}

/**
 * The one place that maps errors to RFC 9457 problem+json. Unknown errors become a 500 whose body says
 * nothing about the internals (no stack, no SQL); the details go to the log only.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    const language = requestLanguage(request.headers?.['accept-language']);
    const problem = inLanguage(afterCommit(this.toProblem(exception, request.originalUrl ?? request.url), request), language);
    // The text depends on Accept-Language: a shared cache must not serve one language's answer for the other.
    response.setHeader('Content-Language', language);
    response.setHeader('Vary', varyWith(response.getHeader?.('Vary'), 'Accept-Language'));
    const retryAfter = problem.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    if (problem.status >= 500) this.logger.error({ err: exception, instance: problem.instance, code: problem.code }, 'request failed');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): ProblemDetails {
    const error = isDatabaseUnavailable(exception)
      ? databaseUnavailable()
      : exception instanceof QueryFailedError
        ? translateDatabaseError(exception) ?? exception
        : exception;
    if (error instanceof AppError) {
      return {
        type: problemType(error.code),
        title: titleOf(error.kind),
        status: STATUS[error.kind],
        detail: error.message,
        instance,
        code: error.code,
        ...(error.violations.length > 0 ? { errors: error.violations } : {}),
        ...error.extensions,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const code = httpCode(status, error.message);
      return {
        type: problemType(code),
        title: error.message,
        status,
        detail: httpDetail(code, error.message),
        instance,
        code,
      };
    }
    const parserProblem = bodyParserProblem(error, instance);
    if (parserProblem) return parserProblem;
    return {
      type: problemType('INTERNAL'),
      title: 'Internal Server Error',
      status: 500,
      detail: 'Er ging iets mis aan onze kant; er is niets opgeslagen. Probeer het later opnieuw of meld het ons.',
      instance,
      code: 'INTERNAL',
    };
  }
}

/** Adds a request header to Vary, keeping what is there (CORS sets 'Origin'). */
function varyWith(current: number | string | string[] | undefined, header: string): string {
  const names = (Array.isArray(current) ? current.join(',') : String(current ?? '')).split(',').map((n) => n.trim()).filter(Boolean);
  return names.some((n) => n.toLowerCase() === header.toLowerCase()) ? names.join(', ') : [...names, header].join(', ');
}

/**
 * The problem in the request's language (Accept-Language, Dutch by default): each field error by its code from the
 * message catalogue, the detail from its English text. Codes, paths and params stay as they are.
 */
function inLanguage(problem: ProblemDetails, language: 'nl' | 'en'): ProblemDetails {
  if (language === 'nl') return problem;
  const errors = problem.errors ? errorsIn(problem.errors as Violation[], language) : undefined;
  return {
    ...problem,
    detail: detailIn(problem.detail, language, (errors?.length ?? 0) > 0),
    ...(errors ? { errors } : {}),
  };
}

/**
 * A server-side failure after the request's transaction committed (e.g. the re-read that builds the answer):
 * the change is stored, so the answer must not say "niets opgeslagen", nor invite a retry (a 503's Retry-After):
 * sent again, a create would be refused as a duplicate or stored twice. A 4xx is about the request and stays.
 */
function afterCommit(problem: ProblemDetails, request: Request): ProblemDetails {
  if (problem.status < 500 || !requestCommitted(request)) return problem;
  return {
    type: problemType('INTERNAL.AFTER_COMMIT'),
    title: 'Internal Server Error',
    status: 500,
    detail:
      'Uw wijziging is opgeslagen, maar het antwoord kon niet worden gemaakt. Vernieuw de pagina om het resultaat te zien en stuur de wijziging niet opnieuw.',
    instance: problem.instance,
    code: 'INTERNAL.AFTER_COMMIT',
  };
}

function titleOf(kind: ErrorKind): string {
  switch (kind) {
    case 'INVALID_REQUEST':
      return 'Invalid request';
    case 'UNAUTHENTICATED':
      return 'Unauthorized';
    case 'FORBIDDEN':
      return 'Forbidden';
    case 'TOO_MANY_REQUESTS':
      return 'Too many requests';
    case 'PAYLOAD_TOO_LARGE':
      return 'Payload too large';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'Unsupported media type';
    case 'RULE_VIOLATION':
      return 'Business rule violated';
    case 'NOT_FOUND':
      return 'Not found';
    case 'CONFLICT':
      return 'Conflict';
    case 'UNAVAILABLE':
      return 'Service unavailable';
  }
}

/**
 * Errors of the body parser (http-errors with a `type`) are the client's: too large, not JSON, a charset or
 * encoding we do not read, an aborted upload. Anything else without a known shape stays a 500.
 */
function bodyParserProblem(error: unknown, instance: string): ProblemDetails | undefined {
  const { status, type } = (error ?? {}) as { status?: number; type?: string };
  if (typeof status !== 'number' || status < 400 || status >= 500 || typeof type !== 'string') return undefined;
  const problem = (code: string, httpStatus: number, title: string, detail: string): ProblemDetails => ({
    type: problemType(code), title, status: httpStatus, detail, instance, code,
  });
  switch (type) {
    case 'entity.too.large':
      return problem('REQUEST.TOO_LARGE', 413, 'Payload Too Large', 'Het verzoek is te groot. Splits het document in kleinere delen.');
    case 'entity.parse.failed':
      return problem('REQUEST.MALFORMED_JSON', 400, 'Bad Request', 'De inhoud is geen geldige JSON. Controleer het bestand of het formulier.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return problem('REQUEST.UNSUPPORTED_CHARSET', 415, 'Unsupported Media Type',
        'Alleen UTF-8 wordt ondersteund. Stuur de gegevens als "Content-Type: application/json; charset=utf-8".');
    default:
      return problem('REQUEST.UNREADABLE', 400, 'Bad Request', 'Het verzoek kon niet worden gelezen (afgebroken of onvolledig). Stuur het opnieuw.');
  }
}

/**
 * Nest's own HTTP exceptions carry English text and no code. The 400 among them comes from a path that does not
 * decode (Express's URIError, which Nest wraps before any of our code runs); path ids answer their own coded error
 * (core/http/crud-routes.ts IdParam).
 */
function httpCode(status: number, message: string): string {
  if (status === 404) return 'ROUTE.NOT_FOUND';
  if (status === 413) return 'REQUEST.TOO_LARGE';
  if (status === 400 && /failed to decode param/i.test(message)) return 'REQUEST.INVALID_PATH';
  if (status === 400) return 'REQUEST.UNREADABLE';
  return `HTTP.${status}`;
}

function httpDetail(code: string, message: string): string {
  switch (code) {
    case 'ROUTE.NOT_FOUND':
      return 'Dit adres bestaat niet in de API. Zie /api/docs voor de beschikbare routes.';
    case 'REQUEST.INVALID_PATH':
      return 'Het adres bevat een ongeldige %-codering. Controleer de link.';
    case 'REQUEST.UNREADABLE':
      return 'Het verzoek kon niet worden gelezen. Controleer het adres en de inhoud en stuur het opnieuw.';
    default:
      return message;
  }
}
