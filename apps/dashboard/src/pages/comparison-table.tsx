import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { adjustedNoteText } from '../charts/adjusted-note';
import type { Arm, Comparison } from '../api/types';
import { cell, TableData, Translate } from '../charts/chart-types';
import { toCsv } from '../charts/csv';
import { downloadCsv } from '../components/chart-panel';
import { DASH, formatValue, formatWithInterval } from '../format';

const ARMS: Arm[] = ['BUNDLE', 'FFS'];

/** Every indicator of the comparison as one table: per arm value (CI), adjusted, n; difference (CI), MDD, MCID. */
export function comparisonTable(comparison: Comparison, t: Translate): TableData {
  const head = [
    t('table.indicator'),
    ...ARMS.flatMap((arm) => [`${t(`arms.${arm}`)}: ${t('table.value')} (${t('table.ci')})`, `${t(`arms.${arm}`)}: ${t('table.adjusted')}`, `${t(`arms.${arm}`)}: ${t('table.n')}`]),
    `${t('table.difference')} (${t('table.ci')})`,
    t('table.mdd'),
    t('table.mcid'),
  ];
  const rows = comparison.indicators.map((ind) => [
    cell(t(`indicators.${ind.code}`), ind.code),
    ...ARMS.flatMap((arm) => {
      const a = ind.arms[arm];
      const valueText = ind.code === 'WAIT_DAYS' && a.p90 !== undefined && a.p90 !== null ? `${formatValue(a.value, ind.unit)} (P90 ${a.p90})` : formatWithInterval(a.value, a.ciLow, a.ciHigh, ind.unit);
      return [
        cell(valueText, a.value),
        cell(a.adjusted === null ? adjustedNoteText(a.adjustedNote, t) : formatValue(a.adjusted, ind.unit), a.adjusted),
        cell(String(a.n), a.n),
      ];
    }),
    cell(formatWithInterval(ind.difference.value, ind.difference.ciLow, ind.difference.ciHigh, ind.unit, true), ind.difference.value),
    cell(formatValue(ind.difference.mdd, ind.unit, true), ind.difference.mdd),
    cell(ind.mcid === null ? DASH : formatValue(ind.mcid, ind.unit, true), ind.mcid),
  ]);
  return { head, rows };
}

export function ComparisonTable({ comparison }: { comparison: Comparison }) {
  const { t, i18n } = useTranslation();
  const table = useMemo(() => comparisonTable(comparison, t as Translate), [comparison, t]);
  return (
    <div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('evaluator.comparison')}>
        <table data-testid="comparison-table" className="comparison">
          <caption>{t('evaluator.comparison')}</caption>
          <thead>
            <tr>
              {table.head.map((h, i) => (
                <th key={i} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={String(row[0].value)} data-code={String(row[0].value)}>
                {row.map((c, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {c.text}
                    </th>
                  ) : (
                    <td key={i} data-col={i}>
                      {c.text}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="link-button no-print" onClick={() => downloadCsv('armvergelijking', toCsv(table, i18n.language))}>
        {t('chart.csv')}
        <span className="visually-hidden">: {t('evaluator.comparison')}</span>
      </button>
    </div>
  );
}
