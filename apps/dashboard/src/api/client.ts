/**
 * Thin typed client for the API. Errors arrive as RFC 9457 problem+json and are raised as ApiProblem
 * so pages can show the message (and field errors) the API wrote for people.
 */
export interface Violation {
  code: string;
  path: string;
  message: string;
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

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw new ApiProblem(response.status, body?.code ?? `HTTP.${response.status}`, body?.detail ?? response.statusText, body?.errors ?? []);
  }
  return body as T;
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
