import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../errors/app-error';
import { Actor } from './actor';
import { audienceOf, mayUseField, refusalReason, revealedFields } from './field-visibility';

export const FILTER_NOT_ALLOWED = 'FILTER.NOT_ALLOWED';

/**
 * The shared check of the field-visibility policy (field-visibility.ts) on every route: a query parameter
 * that narrows patients by a field the actor's role may not see is refused with 400 FILTER.NOT_ALLOWED,
 * naming every such parameter, audited as access.denied, before the handler reads anything. Runs after
 * the global guard (the actor is known) and before validation.
 */
@Injectable()
export class FieldVisibilityInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = request.actor;
    const fields = revealedFields(queryDtoOf(context));
    if (!actor || Object.keys(fields).length === 0) return next.handle();
    const audience = audienceOf(context.getHandler());
    const refused = Object.keys(request.query ?? {}).filter((param) => fields[param] && !mayUseField(actor.role, fields[param], audience));
    if (refused.length === 0) return next.handle();
    const reason = refusalReason(actor.role, audience);
    await this.audit.record(actor, {
      action: 'access.denied',
      resourceType: 'route',
      resourceId: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`,
      outcome: 'DENIED',
      detail: { code: FILTER_NOT_ALLOWED, parameters: refused },
    });
    throw new AppError(
      'INVALID_REQUEST',
      FILTER_NOT_ALLOWED,
      `U kunt niet filteren op ${refused.join(', ')}: ${reason}. Laat ${refused.length === 1 ? 'deze parameter' : 'deze parameters'} weg.`,
      refused.map((param) => ({
        code: FILTER_NOT_ALLOWED,
        path: param,
        message: `${param}: ${reason}.`,
        params: { field: fields[param] },
      })),
    );
  }
}

/** The class of the handler's @Query() argument, from the metadata Nest routes by (undefined without one). */
function queryDtoOf(context: ExecutionContext): unknown {
  const controller = context.getClass();
  const handler = context.getHandler().name;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const query = Object.entries(args).find(([key, arg]) => key.startsWith(`${RouteParamtypes.QUERY}:`) && arg.data === undefined);
  if (!query) return undefined;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler) ?? []) as unknown[];
  return types[query[1].index];
}
