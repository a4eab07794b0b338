import { useTranslation } from 'react-i18next';
import type { Arm, Comparison, Indicator } from '../api/types';
import { formatValue, formatWithInterval } from '../format';
import { clusteredOf, formatInterval, rowId } from './comparison-cells';
import { significantQualityAccess } from './key-results-data';
import { DefinitionLink } from './definition-link';

const ARMS: Arm[] = ['BUNDLE', 'FFS'];
const COST_CODES = ['PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER'] as const;
const COMPLETENESS_CODES = ['BASELINE_COMPLETE', 'FOLLOWUP_3M_COMPLETE', 'FOLLOWUP_12M_COMPLETE'] as const;
/** How many significant results the card lists before it points to the table. */
const MAX_LISTED = 4;

function byCode(comparison: Comparison, code: string): Indicator | undefined {
  return comparison.indicators.find((i) => i.code === code);
}

/** The evaluator's first screen: cost per care quarter, the quality and access results that differ, data completeness. */
export function KeyResults({ comparison }: { comparison: Comparison }) {
  const { t } = useTranslation();
  return (
    <section className="key-results" aria-labelledby="key-results-title" data-testid="key-results">
      <h2 id="key-results-title" className="visually-hidden">
        {t('keyResults.title')}
      </h2>
      <CostCard comparison={comparison} />
      <QualityCard comparison={comparison} />
      <CompletenessCard comparison={comparison} />
    </section>
  );
}

function CardTitle({ id, href, children }: { id: string; href: string; children: string }) {
  return (
    <h3 id={id} className="card-title">
      <a href={href}>{children}</a>
    </h3>
  );
}

function CostCard({ comparison }: { comparison: Comparison }) {
  const { t } = useTranslation();
  const rows = COST_CODES.map((code) => byCode(comparison, code)).filter((i): i is Indicator => i !== undefined);
  return (
    <article className="card card-cost" aria-labelledby="card-cost-title" data-testid="card-cost">
      <CardTitle id="card-cost-title" href={`#${rowId('PAID_PER_CARE_QUARTER')}`}>
        {t('keyResults.cost')}
      </CardTitle>
      <table className="card-table">
        <thead>
          <tr>
            <td />
            {ARMS.map((arm) => (
              <th key={arm} scope="col">
                {t(`arms.${arm}`)}
              </th>
            ))}
            <th scope="col">{t('keyResults.difference')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((ind) => {
            const clustered = clusteredOf(ind);
            const d = ind.difference;
            return (
              <tr key={ind.code}>
                <th scope="row">
                  <DefinitionLink code={ind.code}>{t(`keyResults.costRow.${ind.code}`)}</DefinitionLink>
                </th>
                {ARMS.map((arm) => (
                  <td key={arm} data-testid={`card-cost-${arm}-${ind.code}`}>
                    {formatValue(ind.arms[arm].value, ind.unit)}
                  </td>
                ))}
                <td className="card-difference">
                  <a href={`#${rowId(ind.code)}`} className="card-figure" data-testid={`card-cost-difference-${ind.code}`}>
                    {formatWithInterval(d.value, d.ciLow, d.ciHigh, ind.unit, true)}
                  </a>
                  {clustered && (
                    <span className="clustered" data-testid={`card-cost-clustered-${ind.code}`}>
                      {t('comparison.clusteredShort', { interval: formatInterval(clustered.difference.ciLow, clustered.difference.ciHigh, ind.unit, true) })}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="card-note">{t('keyResults.costNote')}</p>
    </article>
  );
}

function QualityCard({ comparison }: { comparison: Comparison }) {
  const { t } = useTranslation();
  const found = significantQualityAccess(comparison);
  const listed = found.slice(0, MAX_LISTED);
  return (
    <article className="card card-quality" aria-labelledby="card-quality-title" data-testid="card-quality">
      <CardTitle id="card-quality-title" href={`#${rowId(found[0]?.code ?? 'BASELINE_COMPLETE')}`}>
        {t('keyResults.quality')}
      </CardTitle>
      {found.length === 0 ? (
        <p data-testid="card-quality-none">{t('keyResults.qualityNone')}</p>
      ) : (
        <>
          <p className="card-note">{t('keyResults.qualityIntro', { count: found.length })}</p>
          <ul className="card-list">
            {listed.map((ind) => (
              <li key={ind.code} data-code={ind.code}>
                <DefinitionLink code={ind.code} />{' '}
                <a href={`#${rowId(ind.code)}`} className="card-figure">
                  {formatWithInterval(ind.difference.value, ind.difference.ciLow, ind.difference.ciHigh, ind.unit, true)}
                </a>
              </li>
            ))}
          </ul>
          {found.length > listed.length && (
            <p className="card-note">
              <a href={`#${rowId(found[listed.length].code)}`}>{t('keyResults.qualityMore', { count: found.length - listed.length })}</a>
            </p>
          )}
        </>
      )}
    </article>
  );
}

function CompletenessCard({ comparison }: { comparison: Comparison }) {
  const { t } = useTranslation();
  const rows = COMPLETENESS_CODES.map((code) => byCode(comparison, code)).filter((i): i is Indicator => i !== undefined);
  return (
    <article className="card card-completeness" aria-labelledby="card-completeness-title" data-testid="card-completeness">
      <CardTitle id="card-completeness-title" href={`#${rowId('BASELINE_COMPLETE')}`}>
        {t('keyResults.completeness')}
      </CardTitle>
      <table className="card-table">
        <thead>
          <tr>
            <td />
            {ARMS.map((arm) => (
              <th key={arm} scope="col">
                {t(`arms.${arm}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((ind) => (
            <tr key={ind.code}>
              <th scope="row">
                <DefinitionLink code={ind.code}>{t(`keyResults.completenessRow.${ind.code}`)}</DefinitionLink>
              </th>
              {ARMS.map((arm) => (
                <td key={arm} data-testid={`card-completeness-${arm}-${ind.code}`}>
                  <a href={`#${rowId(ind.code)}`}>{formatValue(ind.arms[arm].value, ind.unit)}</a>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
