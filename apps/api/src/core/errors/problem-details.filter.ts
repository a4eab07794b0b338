import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppError, ErrorKind } from './app-error';
import { translateDatabaseError } from './database-errors';

const STATUS: Record<ErrorKind, number> = {
  INVALID_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  TOO_MANY_REQUESTS: HttpStatus.TOO_MANY_REQUESTS,
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
    const problem = this.toProblem(exception, request.originalUrl ?? request.url);
    const retryAfter = problem.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    if (problem.status >= 500) this.logger.error({ err: exception, instance: problem.instance }, 'request failed');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): ProblemDetails {
    const error = exception instanceof QueryFailedError ? translateDatabaseError(exception) ?? exception : exception;
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
      const code = status === 404 ? 'ROUTE.NOT_FOUND' : status === 413 ? 'REQUEST.TOO_LARGE' : `HTTP.${status}`;
      return {
        type: problemType(code),
        title: error.message,
        status,
        detail: httpDetail(status, error.message),
        instance,
        code,
      };
    }
    const status = (error as { status?: number; type?: string })?.status;
    if (status === 413) {
      return { type: problemType('REQUEST.TOO_LARGE'), title: 'Payload Too Large', status, instance,
        code: 'REQUEST.TOO_LARGE', detail: 'Het verzoek is te groot. Splits het document in kleinere delen.' };
    }
    if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
      return { type: problemType('REQUEST.MALFORMED_JSON'), title: 'Bad Request', status, instance,
        code: 'REQUEST.MALFORMED_JSON', detail: 'De inhoud is geen geldige JSON. Controleer het bestand of het formulier.' };
    }
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

function httpDetail(status: number, message: string): string {
  if (status === 404) return 'Dit adres bestaat niet in de API. Zie /api/docs voor de beschikbare routes.';
  return message;
}
