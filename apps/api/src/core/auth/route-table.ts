import { DynamicModule, INestApplicationContext, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { RoutePolicy, routePolicyOf } from './route-policy';

export interface RouteEntry {
  method: string;
  /** Express-style path, e.g. /api/v1/patients/:id */
  path: string;
  controller: string;
  handler: string;
  policy: RoutePolicy | undefined;
}

type Controller = abstract new (...args: never[]) => unknown;

/**
 * Every HTTP route of the running application with its declared policy, read from the same metadata Nest
 * routes by.
 */
export function routeTable(app: INestApplicationContext): RouteEntry[] {
  const controllers: Controller[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) if (wrapper.metatype) controllers.push(wrapper.metatype as Controller);
  }
  return routesOf(controllers, app.get(Reflector));
}

/**
 * The same table from a root module's metadata alone, without starting anything, so a test can generate one
 * case per route at collection time (the authorisation matrix). A test checks it equals routeTable(app).
 */
export function staticRouteTable(root: Type): RouteEntry[] {
  const controllers: Controller[] = [];
  const seen = new Set<unknown>();
  const visit = (entry: unknown): void => {
    const resolved = typeof entry === 'object' && entry !== null && 'forwardRef' in entry ? (entry as { forwardRef: () => unknown }).forwardRef() : entry;
    if (!resolved || seen.has(resolved)) return;
    seen.add(resolved);
    const dynamic = typeof resolved === 'object' ? (resolved as DynamicModule) : undefined;
    const moduleClass = dynamic ? dynamic.module : (resolved as Type);
    const own = (key: string) => (Reflect.getMetadata(key, moduleClass) as unknown[] | undefined) ?? [];
    controllers.push(...(own(MODULE_METADATA.CONTROLLERS) as Controller[]), ...((dynamic?.controllers ?? []) as Controller[]));
    for (const imported of [...own(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])]) visit(imported);
  };
  visit(root);
  return routesOf(controllers, new Reflector());
}

function routesOf(controllers: Controller[], reflector: Reflector): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const controller of new Set(controllers)) {
    const prefixes = asArray(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const policy = routePolicyOf(reflector, handler, controller);
      for (const prefix of prefixes) {
        for (const sub of asArray(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({ method: RequestMethod[method], path: joinPath(prefix, sub), controller: controller.name, handler: name, policy });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function asArray(value: unknown): string[] {
  if (value === undefined || value === null) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function joinPath(prefix: string, sub: string): string {
  const parts = [prefix, sub].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
