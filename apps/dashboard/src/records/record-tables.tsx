import { useTranslation } from 'react-i18next';
import { formatCents, formatDate, formatDateTime } from '../format';
import { fieldLabel, historyValue } from './labels';
import type { CareQuarterRow, HistoryItem, RecordWindow } from './record-types';

/** Per care quarter: start, end, sessions, paid and counterfactual (cents, from the same pricing as /patients/:id/pricing). */
export function CareQuarterTable({ quarters, analysisDate }: { quarters: CareQuarterRow[]; analysisDate: string }) {
  const { t, i18n } = useTranslation();
  if (quarters.length === 0) return <p>{t('record.careQuartersNone')}</p>;
  const amount = (cents: number | null) => (cents === null ? t('record.notPriced') : formatCents(cents));
  return (
    <div className="table-scroll">
      <table data-testid="care-quarters">
        <caption>{t('record.careQuartersCaption', { analysisDate: formatDate(analysisDate, i18n.language) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('record.quarter')}</th>
            <th scope="col">{t('record.start')}</th>
            <th scope="col">{t('record.end')}</th>
            <th scope="col" className="num">
              {t('record.sessions')}
            </th>
            <th scope="col" className="num">
              {t('record.paid')}
            </th>
            <th scope="col" className="num">
              {t('record.counterfactual')}
            </th>
            <th scope="col">{t('record.quarterStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {quarters.map((q) => (
            <tr key={q.index} data-quarter={q.index}>
              <th scope="row">{q.index}</th>
              <td>{formatDate(q.start, i18n.language)}</td>
              <td>{formatDate(q.end, i18n.language)}</td>
              <td className="num">{q.sessions}</td>
              <td className="num" data-testid="quarter-paid">
                {amount(q.paidCents)}
              </td>
              <td className="num" data-testid="quarter-counterfactual">
                {amount(q.counterfactualCents)}
              </td>
              <td>{q.complete ? t('record.complete') : t('record.incomplete')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WindowTable({ windows }: { windows: RecordWindow[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-scroll">
      <table data-testid="windows">
        <caption>{t('record.windowsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('record.milestone')}</th>
            <th scope="col">{t('record.window')}</th>
            <th scope="col">{t('record.target')}</th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => (
            <tr key={w.milestone}>
              <th scope="row">{t(`record.milestones.${w.milestone}`)}</th>
              <td>
                {formatDate(w.windowStart, i18n.language)} – {formatDate(w.windowEnd, i18n.language)}
              </td>
              <td>{formatDate(w.target, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Who changed what, when, from what to what, and why (GET /patients/:id/history, newest first). */
export function HistoryTable({ items }: { items: HistoryItem[] }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p data-testid="history-empty">{t('record.historyEmpty')}</p>;
  return (
    <div className="table-scroll">
      <table data-testid="history" className="history">
        <caption>{t('record.historyCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('record.at')}</th>
            <th scope="col">{t('record.actor')}</th>
            <th scope="col">{t('record.what')}</th>
            <th scope="col">{t('record.change')}</th>
            <th scope="col">{t('record.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => {
            const entity = t(`record.entities.${item.entity}`);
            const action = t(`record.historyActions.${item.action}`);
            return (
              <tr key={`${item.at}-${item.entityId}-${i}`} data-action={item.action} data-entity={item.entity} data-testid="history-row">
                <td>
                  <time dateTime={item.at}>{formatDateTime(item.at, i18n.language)}</time>
                </td>
                <td>{item.actor}</td>
                <th scope="row">{item.date ? t('record.historyWhat', { entity, action, date: formatDate(item.date, i18n.language) }) : t('record.historyWhatNoDate', { entity, action })}</th>
                <td>
                  {item.changes.length > 0 && (
                    <ul className="changes">
                      {item.changes.map((c) => (
                        <li key={c.field}>
                          {fieldLabel(c.field, t)}: {historyValue(c.field, c.from, t, i18n.language)} → {historyValue(c.field, c.to, t, i18n.language)}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                {/* A record's creation needs no reason; a correction or deletion without one predates issue 14. */}
                <td data-testid="history-reason">{item.reason ?? (item.action === 'CREATE' ? '' : <span className="sub">{t('record.noReason')}</span>)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
