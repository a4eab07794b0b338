import type { CookieOptions, Request } from 'express';
import type { AppConfig } from '../../core/config/app-config';

/** The dashboard's session cookie (name and attributes are part of the contract with the dashboard). */
export const SESSION_COOKIE = 'copd_session';

export function sessionCookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: config.COOKIE_SECURE };
}

/** One cookie's value from the Cookie header (no cookie-parser needed, and no other cookie is ever read). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The secret of `Authorization: Bearer <secret>`; undefined when there is no such header. */
export function readBearer(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}
