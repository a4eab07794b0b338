import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, from, Observable, switchMap, throwError } from 'rxjs';
import { Actor } from '../actor/actor';
import { AppError } from '../errors/app-error';
import { AuditService } from './audit.service';

/**
 * Every request of a signed-in actor that ends in NOT_FOUND (a missing object, or one of another
 * organisation, which answers the same), or names an unknown practice or insurer code in a filter (another
 * organisation's code answers the same), is audited with the requested ids and codes, outcome NOT_FOUND.
 * Refusals are audited where they are decided (the guard's AUTH.FORBIDDEN, FILTER.NOT_ALLOWED).
 */
@Injectable()
export class AccessAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const actor = request.actor;
        if (!actor || !(error instanceof AppError) || !isNotFound(error)) return throwError(() => error);
        const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
        const requested: Record<string, string> = { ...codesIn(request.query), ...codesIn(request.body), ...(request.params as Record<string, string>) };
        return from(this.audit.recordNotFound(actor, route, requested, error.code)).pipe(switchMap(() => throwError(() => error)));
      }),
    );
  }
}

/** The organisation and experiment codes a request names in its query or body (a practice's AGB, an insurer's UZOVI). */
function codesIn(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const codes: Record<string, string> = {};
  for (const key of ['experiment', 'practice', 'insurer']) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === 'string' || Array.isArray(value)) codes[key] = String(value).slice(0, 200);
  }
  return codes;
}

function isNotFound(error: AppError): boolean {
  return error.kind === 'NOT_FOUND' || error.violations.some((v) => v.code.startsWith('FILTER.UNKNOWN_'));
}
