import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error';

/** What a request may see of the metrics: nothing exists (no token configured), refused, or the metrics. */
export type MetricsAccess = 'DISABLED' | 'REFUSED' | 'GRANTED';

/**
 * The one rule of both metrics endpoints (the API's GET /metrics, the worker's metrics server): without
 * METRICS_TOKEN configured they do not exist; with it, only `Authorization: Bearer <METRICS_TOKEN>` is served. No
 * session cookie or API token of any role grants them. The comparison is constant-time (both sides hashed first,
 * so neither the content nor the length of the token leaks through the timing).
 */
export function metricsAccess(configuredToken: string | undefined, authorization: string | undefined): MetricsAccess {
  if (!configuredToken) return 'DISABLED';
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (!match) return 'REFUSED';
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(match[1]), digest(configuredToken)) ? 'GRANTED' : 'REFUSED';
}

export const METRICS_CHALLENGE = 'Bearer realm="metrics"';

/** 401 for a metrics request without the right bearer token. */
export function metricsTokenRequired(): AppError {
  return new AppError(
    'UNAUTHENTICATED',
    'METRICS.TOKEN_REQUIRED',
    'De meetgegevens zijn alleen te lezen met het metrics-token: stuur de kop "Authorization: Bearer <token>" met de waarde van METRICS_TOKEN.',
  );
}

/** 404 while no METRICS_TOKEN is configured: the same answer as an address the API does not have. */
export function metricsNotConfigured(): AppError {
  return new AppError('NOT_FOUND', 'ROUTE.NOT_FOUND', 'Dit adres bestaat niet in de API. Zie /api/docs voor de beschikbare routes.');
}
