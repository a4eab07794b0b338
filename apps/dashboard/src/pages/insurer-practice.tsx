import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { getJson } from '../api/client';
import type { Translate } from '../charts/chart-types';
import { downloadCsv, toCsv } from '../charts/csv';
import { BusyRegion } from '../components/page-states';
import { DataTable } from '../components/data-table';
import { useLoad } from '../components/use-load';
import { formatCents, formatDate, formatNumber } from '../format';
import { CounterfactualNote } from '../insurer/counterfactual-note';
import {
  apiQuery,
  InsurerCosts,
  InsurerPatients,
  patientsTable,
  practiceLabel,
  practiceQuartersTable,
  searchOf,
  selectionOf,
} from '../insurer/insurer-data';
import { PeriodFilter } from '../insurer/period-filter';
import { UnknownPeriod, unknownPeriodValues } from '../insurer/unknown-period';
import { LoadError, Loading } from './status';

/**
 * One practice as the insurer sees it (issue 16): its paid and counterfactual per quarter of the period, and its
 * insured with care in the period, by pseudonym only (no clinical field), each opening the patient's priced care
 * quarters. `/verzekeraar/praktijk/<AGB>?van=2025-Q3&tot=2025-Q3` is the practice's patients of one quarter.
 */
export function InsurerPracticePage() {
  const { t, i18n } = useTranslation();
  const tr = t as Translate;
  const { agb = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const selection = selectionOf(search);
  const costs = useLoad(
    () => getJson<InsurerCosts>(`/api/v1/insights/insurer-costs${apiQuery(selection, { practice: agb })}`),
    [agb, selection.from, selection.to, selection.insurer],
  );
  const patients = useLoad(
    () =>
      getJson<InsurerPatients>(`/api/v1/insights/insurer-patients${apiQuery(selection, { practice: agb })}`),
    [agb, selection.from, selection.to, selection.insurer],
  );
  const unknown = unknownPeriodValues(search, costs.data?.quarters);
  const setPeriod = (period: { from: string | null; to: string | null }) =>
    setSearch(new URLSearchParams(searchOf({ insurer: selection.insurer, ...period }).slice(1)));
  const practice = patients.data?.practice;
  const label = practice ? practiceLabel(practice, tr) : agb;
  const quarterTable = useMemo(
    () => (costs.data ? practiceQuartersTable(costs.data, agb, tr) : undefined),
    [costs.data, agb, i18n.language],
  );
  const patientTable = useMemo(
    () => (patients.data ? patientsTable(patients.data.patients, tr, i18n.language) : undefined),
    [patients.data, i18n.language],
  );
  const practiceQuarters = (costs.data?.byPracticeQuarter ?? []).filter((c) => c.practice.agb === agb);
  const back = `/verzekeraar${searchOf({ insurer: selection.insurer, from: selection.from, to: selection.to })}`;

  return (
    <>
      <p className="no-print">
        <Link to={back}>← {t('insurerPages.practicePage.back')}</Link>
      </p>
      <h1>{t('insurerPages.practicePage.title', { label })}</h1>
      <PeriodFilter quarters={costs.data?.quarters ?? []} selection={selection} onChange={setPeriod} />
      {unknown.length > 0 ? (
        <UnknownPeriod values={unknown} onClear={() => setPeriod({ from: null, to: null })} />
      ) : (
        <>
          {patients.error && (
            <LoadError
              error={patients.error}
              onRetry={() => {
                patients.reload();
                costs.reload();
              }}
            />
          )}
          {!patients.error && costs.error && <LoadError error={costs.error} onRetry={costs.reload} />}
          {(!patients.data || !costs.data) && !patients.error && !costs.error && <Loading />}
          {patients.data && costs.data && quarterTable && patientTable && (
            <BusyRegion busy={patients.loading || costs.loading} testId="insurer-practice">
              <p className="insurer-period-words" data-testid="period-words">
                {selection.from || selection.to
                  ? t('insurerPages.period.words', {
                      from: selection.from ?? costs.data.quarters[0],
                      to: selection.to ?? costs.data.quarters[costs.data.quarters.length - 1],
                    })
                  : t('insurerPages.period.whole', {
                      date: formatDate(costs.data.analysisDate, i18n.language),
                    })}
              </p>
              <section aria-labelledby="practice-quarters-title">
                <h2 id="practice-quarters-title">{t('insurerPages.practicePage.quarters')}</h2>
                <DataTable
                  table={quarterTable}
                  caption={t('insurerPages.practicePage.quartersCaption', { label })}
                  testId="practice-quarters"
                />
                {practiceQuarters.some((c) => !c.complete) && (
                  <p className="hint">
                    {t('insurerPages.matrix.runningNote', {
                      date: formatDate(costs.data.analysisDate, i18n.language),
                    })}
                  </p>
                )}
                {practiceQuarters.length > 1 && (
                  <ul
                    className="insurer-quarter-links no-print"
                    aria-label={t('insurerPages.practicePage.patients')}
                  >
                    {[...new Set(practiceQuarters.map((c) => c.quarter))].map((q) => (
                      <li key={q}>
                        <Link
                          to={`/verzekeraar/praktijk/${agb}${searchOf({ insurer: selection.insurer, from: q, to: q })}`}
                        >
                          {t('insurerPages.practicePage.showPatients', { quarter: q })}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="practice-patients-title">
                <h2 id="practice-patients-title">{t('insurerPages.practicePage.patients')}</h2>
                <p className="hint">{t('insurerPages.practicePage.patientsIntro')}</p>
                {patients.data.patients.length === 0 ? (
                  <p data-testid="no-patients">{t('insurerPages.practicePage.noPatients')}</p>
                ) : (
                  <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="patients-caption">
                    <table data-testid="insurer-patients">
                      <caption id="patients-caption">
                        {t('insurerPages.practicePage.patientsCaption', { label })}
                      </caption>
                      <thead>
                        <tr>
                          {patientTable.head.map((h) => (
                            <th key={h} scope="col">
                              {h}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {patients.data.patients.map((p) => (
                          <tr
                            key={p.id}
                            className="clickable-row"
                            onClick={() =>
                              navigate(
                                `/verzekeraar/patient/${p.id}${searchOf({ insurer: selection.insurer })}`,
                              )
                            }
                          >
                            <th scope="row">
                              <Link
                                to={`/verzekeraar/patient/${p.id}${searchOf({ insurer: selection.insurer })}`}
                                aria-label={t('insurerPages.practicePage.open', { pseudonym: p.pseudonym })}
                                onClick={(e) => e.stopPropagation()}
                              >
                                {p.pseudonym}
                              </Link>
                            </th>
                            <td>{t(`arms.${p.arm}`)}</td>
                            <td className="nowrap">{formatDate(p.intakeDate, i18n.language)}</td>
                            <td className="nowrap">
                              {p.endDate ? formatDate(p.endDate, i18n.language) : ''}
                            </td>
                            <td>{formatNumber(p.careQuarters)}</td>
                            <td className="nowrap">{formatCents(p.paidCents)}</td>
                            <td className="nowrap">{formatCents(p.counterfactualCents)}</td>
                            <td className="nowrap">{formatCents(p.paidCents - p.counterfactualCents)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                <button
                  type="button"
                  className="link-button no-print"
                  disabled={patients.data.patients.length === 0}
                  onClick={() =>
                    downloadCsv(
                      t('insurerPages.practicePage.csvName', { agb }),
                      toCsv(patientTable, i18n.language),
                    )
                  }
                >
                  {t('chart.csv')}
                  <span className="visually-hidden">
                    : {t('insurerPages.practicePage.patientsCaption', { label })}
                  </span>
                </button>
              </section>
            </BusyRegion>
          )}
        </>
      )}
      <CounterfactualNote />
    </>
  );
}
