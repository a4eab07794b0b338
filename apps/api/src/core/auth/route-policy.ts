import { SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { USER_ROLES, UserRole } from '../actor/actor';

/**
 * Who may call a route, declared next to the route itself and enforced in one place: the global guard
 * (modules/auth/auth.guard.ts). Default-deny: a route without a policy is refused for everyone, and the
 * authorisation matrix test (apps/api/test/authorisation-matrix.int-spec.ts) fails on it.
 *
 * The policy says which roles may call the route at all. Which rows they see is the actor's data scope,
 * applied in the repositories, so an object of another tenant answers 404 like a missing one.
 */
export type RoutePolicy = { public: true } | { public: false; roles: readonly UserRole[] };

export const ROUTE_POLICY = 'copd:route-policy';

/** Every signed-in role (each still sees only its own scope). */
export const ANY_ROLE: readonly UserRole[] = USER_ROLES;

/** The route is open to these roles (on a controller class: to each of its routes without its own policy). */
export function Allow(...roles: UserRole[]): ClassDecorator & MethodDecorator {
  if (roles.length === 0) throw new Error('@Allow() needs at least one role; leave it off to refuse everyone');
  return SetMetadata(ROUTE_POLICY, { public: false, roles } satisfies RoutePolicy);
}

/** No sign-in needed (sign-in itself, the OIDC redirect routes, health). */
export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata(ROUTE_POLICY, { public: true } satisfies RoutePolicy);
}

/** The policy of a handler: its own, else its controller's, else undefined (refused). */
export function routePolicyOf(reflector: Reflector, handler: object, controller: object): RoutePolicy | undefined {
  const targets = [handler, controller] as Parameters<Reflector['getAllAndOverride']>[1];
  return reflector.getAllAndOverride<RoutePolicy | undefined>(ROUTE_POLICY, targets);
}
