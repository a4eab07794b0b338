import { applyDecorators, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { UserRole } from '../actor/actor';
import { Allow } from '../auth/route-policy';
import { AppError } from '../errors/app-error';
import { ApiPage } from './api-docs';

/**
 * The shape every resource controller shares (list, read, create, change, delete), one decorator per route:
 * the HTTP method and path, who may call it (@Allow, so the authorisation matrix sees it) and its OpenAPI
 * response. A route whose answer is not this shape (role-dependent views, 201-or-200 idempotent writes)
 * keeps its decorators written out next to it.
 *
 *   @ListRoute({ roles: ANY_ROLE, item: PracticeDto })
 *   list(@CurrentActor() actor: Actor, @Query() query: PracticeQuery) { ... }
 *   @GetRoute({ roles: ANY_ROLE, type: PracticeDto })
 *   get(@CurrentActor() actor: Actor, @IdParam() id: string) { ... }
 */
export interface RouteOptions {
  /** Who may call the route (see core/auth/route-policy.ts). */
  roles: readonly UserRole[];
  /** The path below the controller's; ':id' for a single object, none for the collection. */
  path?: string;
}

export interface ResponseRouteOptions extends RouteOptions {
  /** The response body's type; left out, the route documents no response body (as before this shape). */
  type?: Type<unknown>;
  description?: string;
}

/** A paged list { items, total, limit, offset } of `item` (GET on the collection). */
export function ListRoute(options: RouteOptions & { item: Type<unknown> }): MethodDecorator {
  return applyDecorators(Get(options.path), Allow(...options.roles), ApiPage(options.item));
}

/** One object by id (GET :id), answered 200. */
export function GetRoute(options: ResponseRouteOptions): MethodDecorator {
  return applyDecorators(Get(options.path ?? ':id'), Allow(...options.roles), ...documented(ApiOkResponse, options));
}

/** A new object (POST on the collection), answered 201. */
export function CreateRoute(options: ResponseRouteOptions): MethodDecorator {
  return applyDecorators(Post(options.path), Allow(...options.roles), ...documented(ApiCreatedResponse, options));
}

/** A change of one object (PATCH :id), answered 200 with the object as stored. */
export function UpdateRoute(options: ResponseRouteOptions): MethodDecorator {
  return applyDecorators(Patch(options.path ?? ':id'), Allow(...options.roles), ...documented(ApiOkResponse, options));
}

/** Removal of one object (DELETE :id), answered 204 without a body. */
export function DeleteRoute(options: RouteOptions & { description?: string }): MethodDecorator {
  const docs = options.description === undefined ? [] : [ApiNoContentResponse({ description: options.description })];
  return applyDecorators(Delete(options.path ?? ':id'), Allow(...options.roles), HttpCode(204), ...docs);
}

/** Every path id of the API is a UUID; a malformed one answers 400 REQUEST.INVALID_ID in Dutch, naming the parameter. */
function uuidPipe(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new AppError(
        'INVALID_REQUEST',
        'REQUEST.INVALID_ID',
        'Het id in het adres is geen geldig id (een UUID zoals 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f). Controleer de link.',
        [{ code: 'REQUEST.INVALID_ID', path: name, message: 'Geen UUID.' }],
      ),
  });
}

/** A route parameter that must be a UUID. */
export function IdParam(name = 'id'): ParameterDecorator {
  return Param(name, uuidPipe(name));
}

function documented(
  decorator: typeof ApiOkResponse,
  { type, description }: ResponseRouteOptions,
): MethodDecorator[] {
  if (type === undefined && description === undefined) return [];
  return [decorator({ ...(type === undefined ? {} : { type }), ...(description === undefined ? {} : { description }) })];
}
