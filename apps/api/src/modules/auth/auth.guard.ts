import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Actor, UserRole } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { routePolicyOf } from '../../core/auth/route-policy';
import { forbidden, unauthenticated } from '../../core/errors/app-error';
import { AuthService } from './auth.service';

/**
 * The one place where every HTTP route is authorised (registered as APP_GUARD by AuthModule):
 * authenticate (API token or session cookie), put the actor on request.actor for @CurrentActor(), and check
 * the route's @Allow policy. Default-deny: a route without a policy is refused for everyone.
 * 401 AUTH.REQUIRED without a valid credential; 403 AUTH.FORBIDDEN (audited) for a role the route does not
 * allow. Tenant isolation is the actor's data scope, applied by the repositories (404 outside it).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = routePolicyOf(this.reflector, context.getHandler(), context.getClass());
    if (policy?.public) return true;
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    // The exchange import authenticates before reading its body (core/http/streamed-json-body.ts); reuse that actor.
    const actor = request.actor ?? (await this.auth.authenticate(request));
    if (!actor) throw unauthenticated();
    request.actor = actor;
    if (!policy || !policy.roles.includes(actor.role as UserRole)) {
      await this.audit.record(actor, {
        action: 'access.denied',
        resourceType: 'route',
        resourceId: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`,
        outcome: 'DENIED',
      });
      throw forbidden();
    }
    return true;
  }
}
