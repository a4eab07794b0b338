import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Actor, UNRESTRICTED } from './actor';

/**
 * The actor of an HTTP request. Until sign-in exists every request is an anonymous actor with the
 * unrestricted scope; the audit log still records it with its source address.
 */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
  return request.actor ?? { id: 'anonymous', role: 'ANONYMOUS', source: request.ip ?? 'unknown', scope: UNRESTRICTED };
});
