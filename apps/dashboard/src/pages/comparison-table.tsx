import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adjustedNoteText } from '../charts/adjusted-note';
import type { Arm, Comparison, Indicator } from '../api/types';
import type { Translate } from '../charts/chart-types';
import { downloadComparisonCsv } from '../charts/comparison-csv';
import { armValueText, clusteredOf, formatDesignEffect, formatInterval, rowId } from '../components/comparison-cells';
import { DefinitionLink } from '../components/definition-link';
import { DASH, formatNumber, formatValue, formatWithInterval } from '../format';

const ARMS: Arm[] = ['BUNDLE', 'FFS'];

/*
 * The fields carry the data-col numbers of the table's former one-field-per-column layout (1 BUNDLE value, 2 its
 * adjusted value, 3 its n, 4-6 the same for FFS, 7 difference, 8 MDD, 9 MCID), so a test reads a field wherever it is shown.
 */
const COL = { BUNDLE: { value: 1, adjusted: 2, n: 3 }, FFS: { value: 4, adjusted: 5, n: 6 }, difference: 7, mdd: 8, mcid: 9 } as const;

/**
 * The comparison at 1280 px without sideways scrolling: one row per indicator with compact arm cells (value with
 * CI, n small), the difference with its CI, the MDD and the MCID; the adjusted values and the practice-clustered
 * intervals of DOMAIN.md 7a open per row (and all of them in print).
 */
export function ComparisonTable({ comparison }: { comparison: Comparison }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const allOpen = open.size === comparison.indicators.length;
  const toggle = (code: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(code)) next.add(code);
      return next;
    });
  return (
    <div>
      <p className="table-tools no-print">
        <button type="button" className="link-button" onClick={() => setOpen(allOpen ? new Set() : new Set(comparison.indicators.map((i) => i.code)))} data-testid="details-all">
          {allOpen ? t('comparison.closeAll') : t('comparison.openAll')}
        </button>
      </p>
      <div className="table-scroll comparison-scroll" tabIndex={0} role="region" aria-label={t('evaluator.comparison')} data-testid="comparison-scroll">
        <table data-testid="comparison-table" className="comparison">
          <caption>{t('evaluator.comparison')}</caption>
          <colgroup>
            <col className="col-indicator" />
            <col className="col-arm" />
            <col className="col-arm" />
            <col className="col-difference" />
            <col className="col-mdd" />
            <col className="col-mcid" />
            <col className="col-details" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{t('table.indicator')}</th>
              {ARMS.map((arm) => (
                <th key={arm} scope="col">
                  {t(`arms.${arm}`)}
                  <span className="sub">
                    {t('table.value')} ({t('table.ci')}), n
                  </span>
                </th>
              ))}
              <th scope="col">
                {t('comparison.differenceHead')}
                <span className="sub">({t('table.ci')})</span>
              </th>
              <th scope="col">
                <abbr title={t('comparison.mddLong')}>{t('table.mdd')}</abbr>
              </th>
              <th scope="col">
                <abbr title={t('comparison.mcidLong')}>{t('table.mcid')}</abbr>
              </th>
              <th scope="col" className="no-print">
                <span className="visually-hidden">{t('comparison.detailsHead')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {comparison.indicators.map((ind) => (
              <Fragment key={ind.code}>
                <IndicatorRow indicator={ind} open={open.has(ind.code)} onToggle={() => toggle(ind.code)} />
                <DetailsRow indicator={ind} open={open.has(ind.code)} />
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="link-button no-print" onClick={() => downloadComparisonCsv(comparison, i18n.language)} data-testid="comparison-csv">
        {t('chart.csv')}
        <span className="visually-hidden">: {t('evaluator.comparison')}</span>
      </button>
    </div>
  );
}

function IndicatorRow({ indicator: ind, open, onToggle }: { indicator: Indicator; open: boolean; onToggle(): void }) {
  const { t } = useTranslation();
  const name = t(`indicators.${ind.code}`);
  const clustered = clusteredOf(ind);
  return (
    <tr id={rowId(ind.code)} data-code={ind.code} className="indicator-row">
      <th scope="row">
        <DefinitionLink code={ind.code}>{name}</DefinitionLink>
      </th>
      {ARMS.map((arm) => (
        <td key={arm} className="arm-cell">
          <span data-col={COL[arm].value}>{armValueText(ind, arm)}</span>
          <span className="n">
            n = <span data-col={COL[arm].n}>{ind.arms[arm].n}</span>
          </span>
        </td>
      ))}
      <td className="difference-cell">
        <span data-col={COL.difference}>{formatWithInterval(ind.difference.value, ind.difference.ciLow, ind.difference.ciHigh, ind.unit, true)}</span>
        {clustered && (
          <span className="clustered" data-testid={`clustered-difference-short-${ind.code}`}>
            {t('comparison.clusteredShort', { interval: formatInterval(clustered.difference.ciLow, clustered.difference.ciHigh, ind.unit, true) })}
          </span>
        )}
      </td>
      <td>
        <span data-col={COL.mdd}>{formatValue(ind.difference.mdd, ind.unit, true)}</span>
      </td>
      <td>
        <span data-col={COL.mcid}>{ind.mcid === null ? DASH : formatValue(ind.mcid, ind.unit, true)}</span>
      </td>
      <td className="no-print">
        <button
          type="button"
          className="details-toggle"
          aria-expanded={open}
          aria-controls={`details-${ind.code}`}
          onClick={onToggle}
          data-testid={`details-${ind.code}`}
        >
          <span aria-hidden="true">{open ? '−' : '+'}</span>
          <span className="visually-hidden">{t('comparison.details', { indicator: name })}</span>
        </button>
      </td>
    </tr>
  );
}

/** The row under an indicator: adjusted values and the practice-clustered intervals. In the DOM always, so print shows it. */
function DetailsRow({ indicator: ind, open }: { indicator: Indicator; open: boolean }) {
  const { t } = useTranslation();
  const clustered = clusteredOf(ind);
  return (
    <tr id={`details-${ind.code}`} className={open ? 'details-row open' : 'details-row'} data-details={ind.code}>
      <td colSpan={7}>
        <div className="details-grid">
          {ARMS.map((arm) => {
            const a = ind.arms[arm];
            const c = clustered?.arms[arm];
            return (
              <dl key={arm} className="details-arm">
                <dt>{t(`arms.${arm}`)}</dt>
                <dd>
                  {t('table.adjusted')}:{' '}
                  <span data-col={COL[arm].adjusted}>{a.adjusted === null ? adjustedNoteText(a.adjustedNote, t as Translate) : formatValue(a.adjusted, ind.unit)}</span>
                </dd>
                {c && (
                  <dd data-testid={`clustered-${arm}-${ind.code}`}>
                    {t('comparison.clusteredArm', {
                      interval: formatInterval(c.ciLow, c.ciHigh, ind.unit),
                      clusters: c.clusters,
                      designEffect: formatDesignEffect(c.designEffect),
                    })}
                  </dd>
                )}
              </dl>
            );
          })}
          <dl className="details-difference">
            <dt>{t('comparison.differenceHead')}</dt>
            {clustered ? (
              <>
                <dd data-testid={`clustered-difference-${ind.code}`}>
                  {t('comparison.clusteredDifference', {
                    interval: formatInterval(clustered.difference.ciLow, clustered.difference.ciHigh, ind.unit, true),
                    df: formatNumber(clustered.difference.df, 1),
                  })}
                </dd>
                <dd>
                  {t('comparison.clusteredMdd', { mdd: formatValue(clustered.difference.mdd, ind.unit, true) })}
                </dd>
              </>
            ) : (
              <dd>{t('comparison.noClustered')}</dd>
            )}
          </dl>
          {clustered && <p className="details-note">{t('comparison.clusteredExplained')}</p>}
        </div>
      </td>
    </tr>
  );
}
