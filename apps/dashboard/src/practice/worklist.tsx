import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { cell, TableData, Translate } from '../charts/chart-types';
import { toCsv } from '../charts/csv';
import { downloadCsv } from '../components/chart-panel';
import { formatDate } from '../format';
import { measurementFormHref } from './record-links';

/*
 * The worklist for today (issue 14 item 4; contract route 3: GET /insights/worklist?practice=). Judged on today in
 * Europe/Amsterdam (asOf), per patient and instrument; the indicators elsewhere on the page stay on the analysis date,
 * and the page says which is which.
 */
export type WorklistStatus = 'DUE' | 'CLOSING' | 'MISSED' | 'UPCOMING';

export interface TodayWorklistItem {
  patientId: string;
  pseudonym: string;
  ref: string | null;
  practice: string;
  arm: 'BUNDLE' | 'FFS';
  intakeDate: string;
  milestone: 'BASELINE' | 'FOLLOWUP_3M' | 'FOLLOWUP_12M';
  instrument: 'SIX_MWT' | 'CCQ_OR_CAT';
  status: WorklistStatus;
  windowStart: string;
  windowEnd: string;
  target: string;
  suggestedDate: string;
}

export interface TodayWorklist {
  experiment: string;
  asOf: string;
  analysisDate: string;
  items: TodayWorklistItem[];
}

/** Most urgent first: a window about to close, then open ones, then what opens soon; missed last (folded). */
export const STATUS_ORDER: WorklistStatus[] = ['CLOSING', 'DUE', 'UPCOMING', 'MISSED'];

export function groupByStatus(items: TodayWorklistItem[]): Record<WorklistStatus, TodayWorklistItem[]> {
  const groups: Record<WorklistStatus, TodayWorklistItem[]> = { CLOSING: [], DUE: [], UPCOMING: [], MISSED: [] };
  for (const item of items) groups[item.status]?.push(item);
  // Within a group the window that closes first comes first, then the patient's ref.
  for (const status of STATUS_ORDER)
    groups[status].sort((a, b) => a.windowEnd.localeCompare(b.windowEnd) || (a.ref ?? a.pseudonym).localeCompare(b.ref ?? b.pseudonym, 'nl', { numeric: true }));
  return groups;
}

const patientText = (i: TodayWorklistItem) => (i.ref ? `${i.ref} (${i.pseudonym})` : i.pseudonym);

/** The same rows as a table for the CSV download. */
export function worklistCsvTable(items: TodayWorklistItem[], t: Translate, language: string): TableData {
  return {
    head: [t('practice.patient'), t('practice.status'), t('practice.milestone'), t('worklist.instrument'), t('worklist.windowStart'), t('worklist.windowEnd'), t('practice.target')],
    rows: items.map((i) => [
      cell(patientText(i), i.pseudonym),
      cell(t(`worklist.statuses.${i.status}`), i.status),
      cell(t(`practice.milestones.${i.milestone}`), i.milestone),
      cell(t(`worklist.instruments.${i.instrument}`), i.instrument),
      cell(formatDate(i.windowStart, language), i.windowStart),
      cell(formatDate(i.windowEnd, language), i.windowEnd),
      cell(formatDate(i.target, language), i.target),
    ]),
  };
}

function WorklistTable({ status, items }: { status: WorklistStatus; items: TodayWorklistItem[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const caption = t(`worklist.groups.${status}`, { count: items.length });
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table data-testid={`worklist-${status}`} className="worklist-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('practice.patient')}</th>
            <th scope="col">{t('worklist.measurement')}</th>
            <th scope="col">{t('practice.window')}</th>
            <th scope="col">{t('worklist.action')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.patientId}-${i.milestone}-${i.instrument}`} data-testid="worklist-row">
              <th scope="row">{patientText(i)}</th>
              <td data-label={t('worklist.measurement')}>
                {t(`practice.milestones.${i.milestone}`)}: {t(`worklist.instruments.${i.instrument}`)}
              </td>
              <td data-label={t('practice.window')}>
                <span className="nowrap">{formatDate(i.windowStart, lang)}</span> – <span className="nowrap">{formatDate(i.windowEnd, lang)}</span>
              </td>
              <td>
                {status === 'MISSED' || status === 'UPCOMING' ? (
                  // Missed: a value now counts for nothing. Upcoming: a measurement cannot be dated in the future, so
                  // the row says from when and opens the record instead of a form that would be refused today.
                  <>
                    {status === 'UPCOMING' && <span className="nowrap">{t('worklist.opensOn', { date: formatDate(i.windowStart, lang) })} </span>}
                    <Link to={`/patienten/${encodeURIComponent(i.patientId)}`}>
                      {t('worklist.openRecord')}
                      <span className="visually-hidden"> {patientText(i)}</span>
                    </Link>
                  </>
                ) : (
                  <Link to={measurementFormHref(i.patientId, i.instrument, i.suggestedDate)} data-testid="worklist-record-link">
                    {t('worklist.record', { date: formatDate(i.suggestedDate, lang) })}
                    <span className="visually-hidden">
                      {' '}
                      {t('worklist.recordFor', { patient: patientText(i), instrument: t(`worklist.instruments.${i.instrument}`) })}
                    </span>
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The worklist grouped by status, each group a table; missed windows folded away under their count. */
export function WorklistSection({ worklist }: { worklist: TodayWorklist }) {
  const { t, i18n } = useTranslation();
  const groups = groupByStatus(worklist.items);
  const open = STATUS_ORDER.filter((s) => s !== 'MISSED');
  return (
    <>
      <p data-testid="worklist-judged-on">
        {t('worklist.judgedOn', { today: formatDate(worklist.asOf, i18n.language) })} {t('worklist.intro')}
      </p>
      <ul className="worklist-counts" aria-label={t('worklist.countsLabel')}>
        {STATUS_ORDER.map((s) => (
          <li key={s} className={`status-${s.toLowerCase()}`}>
            {t(`worklist.groups.${s}`, { count: groups[s].length })}
          </li>
        ))}
      </ul>
      {open.every((s) => groups[s].length === 0) && <p>{t('practice.worklistEmpty')}</p>}
      {open.map((s) => groups[s].length > 0 && <WorklistTable key={s} status={s} items={groups[s]} />)}
      {groups.MISSED.length > 0 && (
        <details className="worklist-missed">
          <summary>{t('worklist.groups.MISSED', { count: groups.MISSED.length })}</summary>
          <p>{t('worklist.missedIntro')}</p>
          <WorklistTable status="MISSED" items={groups.MISSED} />
        </details>
      )}
      <button
        type="button"
        className="link-button no-print"
        onClick={() => downloadCsv('werklijst', toCsv(worklistCsvTable(STATUS_ORDER.flatMap((s) => groups[s]), t as Translate, i18n.language), i18n.language))}
      >
        {t('chart.csv')}
        <span className="visually-hidden">: {t('practice.worklist')}</span>
      </button>
    </>
  );
}
