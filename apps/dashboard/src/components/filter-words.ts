import type { Comparison } from '../api/types';
import type { Translate } from '../charts/chart-types';
import { formatDate } from '../format';
import type { FilterOptions } from './filter-bar';

export type AppliedFilters = Comparison['filters'];

/** "a, b en c" / "a, b and c". */
function joinWords(items: string[], t: Translate): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t('filterSummary.and')} ${items[items.length - 1]}`;
}

/** The filters the API applied, in words, e.g. "GOLD-stadium 3 en 4; KNGF-profiel 4"; "alle patiënten" without filter. */
export function filtersInWords(filters: AppliedFilters, options: FilterOptions, t: Translate, language: string): string {
  const parts: string[] = [];
  if (filters.intakeFrom && filters.intakeTo)
    parts.push(t('filterSummary.intakeBetween', { from: formatDate(filters.intakeFrom, language), to: formatDate(filters.intakeTo, language) }));
  else if (filters.intakeFrom) parts.push(t('filterSummary.intakeFrom', { from: formatDate(filters.intakeFrom, language) }));
  else if (filters.intakeTo) parts.push(t('filterSummary.intakeTo', { to: formatDate(filters.intakeTo, language) }));
  const named = (codes: string[] | undefined, list: { code: string; name: string }[], label: string) => {
    if (!codes?.length) return;
    const names = codes.map((code) => {
      const found = list.find((item) => item.code === code);
      return found ? `${found.name} (${code})` : code;
    });
    parts.push(`${label} ${joinWords(names, t)}`);
  };
  named(filters.practice, options.practices.map((p) => ({ code: p.agb, name: p.name })), t('filters.practice'));
  named(filters.insurer, options.insurers.map((i) => ({ code: i.uzovi, name: i.name })), t('filters.insurer'));
  if (filters.region?.length) parts.push(`${t('filters.region')} ${joinWords(filters.region, t)}`);
  if (filters.goldStage?.length) parts.push(`${t('filters.goldStage')} ${joinWords(filters.goldStage.map(String), t)}`);
  if (filters.profile?.length) parts.push(`${t('filters.profile')} ${joinWords(filters.profile.map(String), t)}`);
  return parts.length === 0 ? t('filterSummary.none') : parts.join('; ');
}
