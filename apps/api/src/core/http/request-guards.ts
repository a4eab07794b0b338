import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, unsupportedMediaType } from '../errors/app-error';
import { checkJsonValue, JsonDepthScanner, nulCharacter } from './json-body';

/**
 * Express middlewares that run before routing and body parsing (issue 10): they refuse what no route
 * should ever read. Each passes an AppError to next(), so the answer is the usual problem+json.
 */

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The only routes whose body is multipart/form-data (the import uploads); every other write is JSON. */
export const MULTIPART_PATHS = /^\/api\/v1\/imports\/(dry-run|confirm)\/?$/;

/** A request that carries a body: a positive Content-Length, or a chunked body. */
export function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * A NUL character (%00) anywhere in the path or query string: PostgreSQL cannot store it in text, and no
 * code, name or date contains one. Checked on the raw URL, so it covers every query parameter and path
 * parameter at once.
 */
export const refuseNulInUrl: RequestHandler = (req, _res, next) => {
  next(/%00/i.test(req.originalUrl ?? req.url) ? nulCharacter('') : undefined);
};

/**
 * Writes are JSON in UTF-8 or nothing: a POST, PUT, PATCH or DELETE with a body needs
 * `Content-Type: application/json` (charset absent or utf-8), else 415. A body-less POST (sign-out,
 * recompute) needs no content type. This also keeps HTML forms (text/plain, urlencoded, multipart), which
 * a browser sends cross-site without asking, away from every route.
 */
export const jsonOnlyWrites: RequestHandler = (req, _res, next) => {
  if (!WRITE_METHODS.has(req.method) || !hasBody(req)) return next();
  // The CSV/FHIR upload routes take multipart/form-data only, checked after authentication (interchange/multipart-upload.ts).
  if (req.method === 'POST' && MULTIPART_PATHS.test((req.originalUrl ?? req.url).split('?')[0])) return next();
  const [type, ...parameters] = (req.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return next(unsupportedMediaType('REQUEST.UNSUPPORTED_MEDIA_TYPE'));
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return next(unsupportedMediaType('REQUEST.UNSUPPORTED_CHARSET'));
  next();
};

/**
 * Cross-site request forgery guard for writes that a browser could send with the session cookie: a write
 * whose Origin is neither this host nor one of CORS_ORIGINS, or (without Origin) whose Sec-Fetch-Site says
 * cross-site, is refused with 403. Requests with an API token (`Authorization: Bearer`) are exempt: a
 * browser never adds that header by itself. Clients that send neither header (scripts, the CLI) pass.
 */
export function sameOriginWrites(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!WRITE_METHODS.has(req.method) || /^bearer\s/i.test(req.headers.authorization ?? '')) return next();
    const origin = req.headers.origin;
    if (origin !== undefined) {
      return next(allowed.has(origin.toLowerCase()) || sameHost(origin, req.headers.host) ? undefined : crossSite());
    }
    next(req.headers['sec-fetch-site'] === 'cross-site' ? crossSite() : undefined);
  };
}

function sameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage
  }
}

function crossSite(): AppError {
  return new AppError(
    'FORBIDDEN',
    'REQUEST.CROSS_SITE',
    'Dit verzoek komt van een andere website en is geweigerd. Gebruik het dashboard, of een API-token voor koppelingen.',
  );
}

/** body-parser's `verify` hook: the nesting is checked on the raw bytes before JSON.parse runs. */
export function verifyJsonDepth(_req: unknown, _res: unknown, buffer: Buffer): void {
  new JsonDepthScanner().scan(buffer);
}

/** After the JSON parser: no __proto__/constructor keys and no NUL characters in the parsed body. */
export const checkParsedBody: RequestHandler = (req, _res, next) => {
  try {
    if (req.body !== undefined) checkJsonValue(req.body);
    next();
  } catch (error) {
    next(error);
  }
};
