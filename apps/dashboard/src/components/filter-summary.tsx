import { useTranslation } from 'react-i18next';
import type { Comparison } from '../api/types';
import type { Translate } from '../charts/chart-types';
import type { FilterOptions } from './filter-bar';
import { filtersInWords } from './filter-words';

/**
 * The selection the figures below are of, in words. Beside the freshness bar (computation time and analysis
 * date) it heads the results on screen and the printed page (the filter form itself does not print).
 */
export function FilterSummary({ comparison, options }: { comparison: Comparison; options: FilterOptions }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="filter-summary" data-testid="filter-summary">
      <div>
        <dt>{t('filterSummary.selection')}</dt>
        <dd data-testid="summary-filters">{filtersInWords(comparison.filters, options, t as Translate, i18n.language)}</dd>
      </div>
    </dl>
  );
}
