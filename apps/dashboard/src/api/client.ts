/**
 * Thin typed client for the API. Errors arrive as RFC 9457 problem+json and are raised as ApiProblem
 * so pages can show the message (and field errors) the API wrote for people. Every request carries the
 * session cookie (same origin); a 401 tells the sign-in state to show the sign-in page.
 */
import i18next from 'i18next';

export interface Violation {
  code: string;
  path: string;
  message: string;
  /** The value entered and the limits; the dashboard words the message from them by code (formatViolation). */
  params?: Record<string, string | number | null>;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Violation[] = [],
  ) {
    super(message);
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Tells the sign-in state that a request made outside `request` (a multipart upload) answered 401. */
export function notifyUnauthorized(): void {
  unauthorizedListeners.forEach((l) => l());
}

/** Called when any request answers 401 (the session ended): the app returns to the sign-in page. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    // The API words its messages in the interface's language (Dutch unless English is chosen).
    headers: {
      accept: 'application/json',
      'accept-language': i18next.language === 'en' ? 'en' : 'nl',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem = (parsed ?? {}) as { code?: string; detail?: string; title?: string; errors?: Violation[] };
    if (response.status === 401 && !path.endsWith('/auth/login')) unauthorizedListeners.forEach((l) => l());
    throw new ApiProblem(response.status, problem.code ?? `HTTP.${response.status}`, problem.detail ?? problem.title ?? response.statusText, problem.errors ?? []);
  }
  return { status: response.status, body: parsed as T };
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request<T>('GET', path)).body;
}

export async function postJson<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  return request<T>('POST', path, body);
}

/** Reads every page of a paged list (the API caps a page at 1000 items). */
export async function getAll<T>(path: string, pageSize = 1000): Promise<T[]> {
  const items: T[] = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += pageSize) {
    const page = await getJson<Page<T>>(`${path}${separator}limit=${pageSize}&offset=${offset}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}
