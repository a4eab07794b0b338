import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** Seconds; 0.2 is the latency target of issue 17 (p99 under 200 ms), so the share above it is read directly. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route label of a request that matched no route (an unknown address, or refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The HTTP latency histogram, per route template (Express's matched route path, `/api/v1/patients/:id`, never the
 * requested URL with its ids: the label values stay a closed set), method and status class. Installed as the
 * first middleware of the application (create-app.ts), so it times every request, also those the guard, the
 * body parsers or the problem filter answer. A request whose client went away before the answer is `aborted`.
 */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'route' | 'method' | 'status_class'>;

  constructor(metrics: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'copd_http_request_duration_seconds',
      help: 'Time from the request reaching the API to the last byte of its answer, per route template, method and status class.',
      labelNames: ['route', 'method', 'status_class'],
      buckets: HTTP_BUCKETS,
      registers: [metrics.registry],
    });
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe(
        {
          route: routeTemplate(req),
          method: METHODS.has(req.method) ? req.method : 'OTHER',
          status_class: res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted',
        },
        seconds,
      );
    });
    next();
  };
}

/**
 * The matched route's path as declared (with its :parameters), or UNMATCHED_ROUTE. Nest mounts the middleware of
 * forRoutes('*') as a route of every method (`/{*path}`, Express's app.all), which every request passes: a request
 * that reached no controller still has that one as its route. A controller route has one method, so a route of
 * several methods is no match (no controller here uses @All).
 */
export function routeTemplate(req: Request): string {
  const route = req.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
  const path = route?.path;
  const methods = Object.keys(route?.methods ?? {});
  return typeof path === 'string' && path.length > 0 && methods.length === 1 && methods[0] !== '_all' ? path : UNMATCHED_ROUTE;
}
