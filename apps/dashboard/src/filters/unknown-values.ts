import { ApiProblem } from '../api/client';
import type { Filters } from './url-filters';

/** A filter value the view cannot answer: malformed in the URL, unknown to the lists, or refused by the API. */
export interface UnknownValue {
  filter: 'practice' | 'insurer' | 'region' | 'goldStage' | 'profile' | 'intakeFrom' | 'intakeTo';
  value: string;
}

const LIST_FILTERS = ['practice', 'insurer', 'region', 'goldStage', 'profile'] as const;

/** What a filter in the URL asked for, before parseFilters dropped what is malformed. */
function asked(search: URLSearchParams, name: string): string[] {
  return search.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * Every value of the URL the page cannot show figures for, once each, in the URL's order: values parseFilters
 * dropped as malformed (practice=abc, goldStage=7), practices, insurers and regions not in the lists the reader
 * may see (once the lists are loaded: `options` undefined until then), and codes the API refused as unknown
 * (FILTER.INVALID with FILTER.UNKNOWN_PRACTICE / FILTER.UNKNOWN_INSURER).
 */
export function unknownFilterValues(
  search: URLSearchParams,
  filters: Filters,
  options: { practices: { agb: string }[]; insurers: { uzovi: string }[]; regions: string[] } | undefined,
  errors: (Error | null | undefined)[] = [],
): UnknownValue[] {
  const found: UnknownValue[] = [];
  const add = (filter: UnknownValue['filter'], value: string) => {
    if (!found.some((u) => u.filter === filter && u.value === value)) found.push({ filter, value });
  };
  for (const name of LIST_FILTERS) {
    const kept = new Set((filters[name] as (string | number)[]).map(String));
    for (const value of asked(search, name)) if (!kept.has(value)) add(name, value);
  }
  for (const name of ['intakeFrom', 'intakeTo'] as const) {
    const value = search.get(name);
    if (value && filters[name] !== value) add(name, value);
  }
  if (options) {
    for (const agb of filters.practice) if (!options.practices.some((p) => p.agb === agb)) add('practice', agb);
    for (const uzovi of filters.insurer) if (!options.insurers.some((i) => i.uzovi === uzovi)) add('insurer', uzovi);
    for (const region of filters.region) if (!options.regions.includes(region)) add('region', region);
  }
  for (const error of errors) {
    if (!(error instanceof ApiProblem) || error.code !== 'FILTER.INVALID') continue;
    for (const v of error.errors) {
      const value = String(v.params?.value ?? v.message.match(/\d{4,8}/)?.[0] ?? '');
      if (v.code === 'FILTER.UNKNOWN_PRACTICE' && value) add('practice', value);
      if (v.code === 'FILTER.UNKNOWN_INSURER' && value) add('insurer', value);
    }
  }
  return found;
}

/** True for the API's answer to a selection with an unknown code: the page says so once, not per section. */
export function isUnknownFilterError(error: Error | null | undefined): boolean {
  return error instanceof ApiProblem && error.code === 'FILTER.INVALID';
}
