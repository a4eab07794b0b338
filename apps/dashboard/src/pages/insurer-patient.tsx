import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { getJson } from '../api/client';
import type { Translate } from '../charts/chart-types';
import { DataTable } from '../components/data-table';
import { useLoad } from '../components/use-load';
import { addDays } from '@copd/domain';
import { formatCents, formatDate, formatEuros, formatNumber } from '../format';
import { CounterfactualNote } from '../insurer/counterfactual-note';
import { CostItems, linesTable, practiceLabel, searchOf, selectionOf } from '../insurer/insurer-data';
import { LoadError, Loading } from './status';

/**
 * One insured's priced care quarters as the insurer sees them (issue 16): pseudonym, practice (name and AGB), arm,
 * intake and end date, and per care quarter what was paid and what the other payment model would have cost, with the
 * tariff lines (intake, quarter tariff, treatments per tariff) that make up both. No clinical field, no session dates.
 */
export function InsurerPatientPage() {
  const { t, i18n } = useTranslation();
  const tr = t as Translate;
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const selection = selectionOf(search);
  const items = useLoad(
    () => getJson<CostItems>(`/api/v1/patients/${encodeURIComponent(id)}/cost-items`),
    [id],
  );
  if (items.error) return <LoadError error={items.error} onRetry={items.reload} />;
  if (!items.data) return <Loading />;
  const { patient, quarters, totals, asOf } = items.data;
  const label = practiceLabel(patient.practice, tr);
  const language = i18n.language;
  return (
    <>
      <p className="no-print">
        <Link to={`/verzekeraar/praktijk/${patient.practice.agb}${searchOf({ insurer: selection.insurer })}`}>
          ← {t('insurerPages.patientPage.back', { label })}
        </Link>
      </p>
      <h1>{t('insurerPages.patientPage.title', { pseudonym: patient.pseudonym })}</h1>
      <p className="hint">{t('insurerPages.patientPage.noClinical')}</p>
      <section aria-labelledby="patient-facts-title">
        <h2 id="patient-facts-title">{t('insurerPages.patientPage.facts')}</h2>
        <dl className="insurer-facts" data-testid="insurer-patient-facts">
          <dt>{t('insurerPages.patientPage.practice')}</dt>
          <dd>{label}</dd>
          <dt>{t('insurerPages.patientPage.arm')}</dt>
          <dd>{t(`armsLong.${patient.arm}`)}</dd>
          <dt>{t('insurerPages.patientPage.intake')}</dt>
          <dd>{formatDate(patient.intakeDate, language)}</dd>
          <dt>{t('insurerPages.patientPage.end')}</dt>
          <dd>
            {patient.endDate ? formatDate(patient.endDate, language) : t('insurerPages.patientPage.ongoing')}
          </dd>
          <dt>{t('insurerPages.patientPage.asOf')}</dt>
          <dd>{formatDate(asOf, language)}</dd>
        </dl>
      </section>
      <section aria-labelledby="patient-totals-title">
        <h2 id="patient-totals-title">{t('insurerPages.patientPage.totals')}</h2>
        <dl className="insurer-facts" data-testid="insurer-patient-totals">
          <dt>{t('table.paid')}</dt>
          <dd>{formatCents(totals.paidCents)}</dd>
          <dt>{t('table.counterfactual')}</dt>
          <dd>{formatCents(totals.counterfactualCents)}</dd>
          <dt>{t('table.paidMinusCf')}</dt>
          <dd>{formatCents(totals.differenceCents)}</dd>
          <dt>{t('table.careQuarters')}</dt>
          <dd>{formatNumber(totals.careQuarterCount)}</dd>
          <dt>
            {t('table.paid')} {t('insurerPages.matrix.perCareQuarter')}
          </dt>
          <dd>
            {totals.paidPerCareQuarterCents === null ? '' : formatEuros(totals.paidPerCareQuarterCents / 100)}
          </dd>
          <dt>
            {t('table.counterfactual')} {t('insurerPages.matrix.perCareQuarter')}
          </dt>
          <dd>
            {totals.counterfactualPerCareQuarterCents === null
              ? ''
              : formatEuros(totals.counterfactualPerCareQuarterCents / 100)}
          </dd>
        </dl>
      </section>
      <section aria-labelledby="patient-quarters-title">
        <h2 id="patient-quarters-title">{t('insurerPages.patientPage.quarters')}</h2>
        {quarters.map((q) => {
          const title = t('insurerPages.patientPage.quarterTitle', {
            index: q.index,
            start: formatDate(q.start, language),
            end: formatDate(addDays(q.endExclusive, -1), language),
          });
          return (
            <section
              key={q.index}
              className="insurer-care-quarter"
              aria-labelledby={`care-quarter-${q.index}`}
              data-testid={`care-quarter-${q.index}`}
            >
              <h3 id={`care-quarter-${q.index}`}>{title}</h3>
              <p className="hint">
                {t('insurerPages.patientPage.calendarQuarter', { quarter: q.calendarQuarter })};{' '}
                <span className={q.ended ? undefined : 'running-mark'}>
                  {q.ended ? t('insurerPages.patientPage.ended') : t('insurerPages.patientPage.running')}
                </span>
              </p>
              {q.isCareQuarter ? (
                <DataTable
                  table={linesTable(q, tr)}
                  caption={t('insurerPages.patientPage.linesCaption', { index: q.index })}
                  testId={`care-quarter-lines-${q.index}`}
                />
              ) : (
                <p>{t('insurerPages.patientPage.noCare')}</p>
              )}
            </section>
          );
        })}
      </section>
      <CounterfactualNote />
    </>
  );
}
