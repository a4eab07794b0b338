/**
 * The patient list's state as it stands in the page address (/patienten?practice=...&q=...&sort=...), so
 * back/forward and a copied link show the same list, and the API query it asks (GET /api/v1/patient-records).
 * The page's address uses Dutch words for what a person reads (pagina), the API's names for the rest.
 */
export const SORTS = ['ref', 'pseudonym', 'intakeDate', 'careQuarters', 'lastSession', 'nextDue'] as const;
export type Sort = (typeof SORTS)[number];
export type Order = 'asc' | 'desc';
export const PAGE_SIZE = 50;

export interface ListQuery {
  practice: string;
  q: string;
  status: '' | 'active' | 'ended';
  arm: '' | 'BUNDLE' | 'FFS';
  insurer: string;
  goldStage: '' | '2' | '3' | '4';
  attention: boolean;
  sort: Sort;
  order: Order;
  /** 1-based page number. */
  page: number;
}

export const EMPTY_QUERY: ListQuery = { practice: '', q: '', status: '', arm: '', insurer: '', goldStage: '', attention: false, sort: 'ref', order: 'asc', page: 1 };

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

/** Reads the list's state from the address; anything unknown falls back to the default. */
export function readListQuery(search: URLSearchParams): ListQuery {
  const page = Number(search.get('pagina'));
  return {
    practice: search.get('practice') ?? '',
    q: search.get('q') ?? '',
    status: oneOf(search.get('status'), ['', 'active', 'ended'] as const, ''),
    arm: oneOf(search.get('arm'), ['', 'BUNDLE', 'FFS'] as const, ''),
    insurer: search.get('insurer') ?? '',
    goldStage: oneOf(search.get('goldStage'), ['', '2', '3', '4'] as const, ''),
    attention: search.get('attention') === 'true',
    sort: oneOf(search.get('sort'), SORTS, 'ref'),
    order: oneOf(search.get('order'), ['asc', 'desc'] as const, 'asc'),
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The address of a state: only what differs from the default, in a fixed order. */
export function writeListQuery(query: ListQuery): URLSearchParams {
  const out = new URLSearchParams();
  if (query.practice) out.set('practice', query.practice);
  if (query.q.trim()) out.set('q', query.q.trim());
  if (query.status) out.set('status', query.status);
  if (query.arm) out.set('arm', query.arm);
  if (query.insurer) out.set('insurer', query.insurer);
  if (query.goldStage) out.set('goldStage', query.goldStage);
  if (query.attention) out.set('attention', 'true');
  if (query.sort !== 'ref') out.set('sort', query.sort);
  if (query.order !== 'asc') out.set('order', query.order);
  if (query.page > 1) out.set('pagina', String(query.page));
  return out;
}

/** The API's query string for a state (practice is the AGB the page settled on). */
export function apiListQuery(query: ListQuery, practice: string): string {
  const out = new URLSearchParams({ practice });
  if (query.q.trim()) out.set('q', query.q.trim());
  if (query.status) out.set('status', query.status);
  if (query.arm) out.set('arm', query.arm);
  if (query.insurer) out.set('insurer', query.insurer);
  if (query.goldStage) out.set('goldStage', query.goldStage);
  if (query.attention) out.set('attention', 'true');
  out.set('sort', query.sort);
  out.set('order', query.order);
  out.set('offset', String((query.page - 1) * PAGE_SIZE));
  out.set('limit', String(PAGE_SIZE));
  return out.toString();
}

/** Clicking a column header: the same column turns its order around, another column starts ascending. */
export function sortBy(query: ListQuery, sort: Sort): ListQuery {
  const order: Order = query.sort === sort && query.order === 'asc' ? 'desc' : 'asc';
  return { ...query, sort, order, page: 1 };
}
