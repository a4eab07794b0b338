/**
 * The population filters of the views (DOMAIN.md section 6), kept in the URL so a view can be shared.
 * The parameter names are the API's, so the same query string goes to every endpoint.
 */
export interface Filters {
  intakeFrom?: string;
  intakeTo?: string;
  practice: string[];
  insurer: string[];
  region: string[];
  goldStage: number[];
  profile: number[];
}

export const EMPTY_FILTERS: Filters = { practice: [], insurer: [], region: [], goldStage: [], profile: [] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function list(params: URLSearchParams, name: string): string[] {
  return params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function numbers(params: URLSearchParams, name: string, min: number, max: number): number[] {
  return [...new Set(list(params, name).map(Number).filter((n) => Number.isInteger(n) && n >= min && n <= max))].sort((a, b) => a - b);
}

/** Reads the filters from a query string, dropping anything malformed rather than failing the view. */
export function parseFilters(search: string | URLSearchParams): Filters {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const date = (name: string) => {
    const value = params.get(name) ?? '';
    return DATE.test(value) ? value : undefined;
  };
  return {
    intakeFrom: date('intakeFrom'),
    intakeTo: date('intakeTo'),
    practice: list(params, 'practice').filter((v) => /^\d{8}$/.test(v)),
    insurer: list(params, 'insurer').filter((v) => /^\d{4}$/.test(v)),
    region: list(params, 'region'),
    goldStage: numbers(params, 'goldStage', 2, 4),
    profile: numbers(params, 'profile', 1, 6),
  };
}

/** The query string of the filters (without '?'), in a fixed order so equal filters give equal URLs. */
export function filtersToQuery(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.intakeFrom) params.set('intakeFrom', filters.intakeFrom);
  if (filters.intakeTo) params.set('intakeTo', filters.intakeTo);
  for (const key of ['practice', 'insurer', 'region', 'goldStage', 'profile'] as const) {
    const values = filters[key];
    if (values.length > 0) params.set(key, values.join(','));
  }
  return params.toString();
}

/** `path` with the filters' query string appended. */
export function withFilters(path: string, filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams(filtersToQuery(filters));
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
