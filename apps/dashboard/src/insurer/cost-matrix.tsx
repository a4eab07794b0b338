import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Translate } from '../charts/chart-types';
import { formatNumber } from '../format';
import {
  amountOf,
  CostCell,
  formatAmount,
  InsurerCosts,
  InsurerSelection,
  matrixOf,
  Measure,
  practiceLabel,
  searchOf,
} from './insurer-data';

/**
 * The practice x quarter table (issue 16): a row per practice (name and AGB) and arm, a column per calendar quarter
 * of the period and the period's total; each cell paid over counterfactual, in total or per care quarter. A quarter
 * still running on the analysis date is marked in its heading and its cells. The practice's name opens its patients
 * over the period, a cell its patients of that quarter. The first column stays in view when the table scrolls.
 */
export function CostMatrix({
  costs,
  selection,
  measure,
}: {
  costs: InsurerCosts;
  selection: InsurerSelection;
  measure: Measure;
}) {
  const { t } = useTranslation();
  const tr = t as Translate;
  const captionId = useId();
  const { quarters, running, rows } = matrixOf(costs);
  if (rows.length === 0) return <p data-testid="matrix-empty">{t('insurerPages.matrix.none')}</p>;
  const practiceUrl = (agb: string, from: string | null, to: string | null) =>
    `/verzekeraar/praktijk/${agb}${searchOf({ insurer: selection.insurer, from, to })}`;
  return (
    <>
      <p className="matrix-key" aria-hidden="true">
        <span className="matrix-paid">{t('insurerPages.matrix.keyPaid')}</span>{' '}
        <span className="matrix-cf">{t('insurerPages.matrix.keyCf')}</span>{' '}
        <span className="matrix-patients">{t('insurerPages.matrix.keyPatients')}</span>
      </p>
      <div
        className="table-scroll insurer-matrix-scroll"
        tabIndex={0}
        role="region"
        aria-labelledby={captionId}
      >
        <table className="insurer-matrix" data-testid="cost-matrix">
          <caption id={captionId}>
            {t('insurerPages.matrix.title')} (
            {measure === 'total' ? t('insurerPages.matrix.total') : t('insurerPages.matrix.perCareQuarter')})
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('insurerPages.matrix.practice')}</th>
              {quarters.map((q) => (
                <th
                  key={q}
                  scope="col"
                  className={running.has(q) ? 'quarter-running' : undefined}
                  data-quarter={q}
                >
                  {q}
                  {running.has(q) && <span className="running-mark">{t('insurerPages.matrix.running')}</span>}
                </th>
              ))}
              <th scope="col">{t('insurerPages.matrix.totalColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const label = practiceLabel(row.practice, tr);
              return (
                <tr key={`${row.practice.agb}-${row.arm}`} data-agb={row.practice.agb}>
                  <th scope="row">
                    <Link to={practiceUrl(row.practice.agb, selection.from, selection.to)}>{label}</Link>
                    <span className="matrix-arm">{t(`arms.${row.arm}`)}</span>
                  </th>
                  {quarters.map((q) => {
                    const c = row.cells.get(q);
                    return (
                      <td key={q} className={running.has(q) ? 'quarter-running' : undefined} data-quarter={q}>
                        {c ? (
                          <Link
                            to={practiceUrl(row.practice.agb, q, q)}
                            aria-label={t('insurerPages.matrix.cellLink', { practice: label, quarter: q })}
                            className="matrix-cell-link"
                          >
                            <Amounts cell={c} measure={measure} />
                          </Link>
                        ) : (
                          <span className="matrix-none">–</span>
                        )}
                      </td>
                    );
                  })}
                  <td className="matrix-total">
                    {row.total ? <Amounts cell={row.total} measure={measure} /> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Paid over counterfactual (or "< 5" when withheld), with the number of patients. */
function Amounts({ cell, measure }: { cell: CostCell; measure: Measure }) {
  const { t } = useTranslation();
  const paid = amountOf(cell, 'paidCents', measure);
  const cf = amountOf(cell, 'counterfactualCents', measure);
  if (paid === null || cf === null) {
    return (
      <span className="matrix-amounts withheld">
        <span>{t('insurer.withheld')}</span>
        <span className="matrix-patients">
          {t('insurerPages.matrix.patients', { count: formatNumber(cell.patients) })}
        </span>
      </span>
    );
  }
  return (
    <span className="matrix-amounts">
      <span className="matrix-paid">
        <span className="visually-hidden">{t('insurerPages.matrix.paidShort')} </span>
        {formatAmount(paid, measure)}
      </span>
      <span className="matrix-cf">
        <span className="visually-hidden">{t('insurerPages.matrix.cfShort')} </span>
        {formatAmount(cf, measure)}
      </span>
      <span className="matrix-patients">
        {t('insurerPages.matrix.patients', { count: formatNumber(cell.patients) })}
      </span>
    </span>
  );
}
