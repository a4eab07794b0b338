import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Actor, NOTHING } from './actor';

/**
 * The actor of an HTTP request, put on request.actor by the global authentication guard
 * (modules/auth/auth.guard.ts). A handler reached without one (only public routes are) gets an anonymous
 * actor whose scope matches nothing, so a mistake fails closed.
 */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
  return request.actor ?? { id: 'anonymous', role: 'ANONYMOUS', source: request.ip ?? 'unknown', scope: NOTHING };
});
