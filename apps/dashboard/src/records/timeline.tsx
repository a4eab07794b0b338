import type { TFunction } from 'i18next';
import { memo, ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import { formatDecimal } from '../practice/parse-number';
import type { EntryAction } from './entry-correction';
import type { TimelineEntry } from './record-types';

/** The mark the browser test reads: navigation start to the timeline on screen (issue 14: under 300 ms at 200 sessions). */
export const TIMELINE_RENDERED = 'record-timeline-rendered';

/**
 * Sessions, measurements and events in one table, newest first: a practice opens a record to see or correct what it
 * recorded last, so that is on top and the intake at the bottom; one click reverses it. A plain table (no chart),
 * so 200 sessions render in a few milliseconds.
 */
export const Timeline = memo(function Timeline({ entries, canCorrect, onAction }: { entries: TimelineEntry[]; canCorrect: boolean; onAction(action: EntryAction): void }) {
  const { t, i18n } = useTranslation();
  const [newestFirst, setNewestFirst] = useState(true);
  // The API sends date ascending; the same day keeps the API's order.
  const rows = newestFirst ? [...entries].reverse() : entries;

  useEffect(() => {
    performance.mark(TIMELINE_RENDERED);
  }, []);

  if (entries.length === 0) return <p data-testid="timeline-empty">{t('record.timelineEmpty')}</p>;
  const order = newestFirst ? t('record.newestFirst') : t('record.oldestFirst');
  return (
    <>
      <p className="hint">
        {t('record.timelineOrder')}{' '}
        <button type="button" className="link-button" onClick={() => setNewestFirst((n) => !n)} data-testid="timeline-order">
          {newestFirst ? t('record.showOldestFirst') : t('record.showNewestFirst')}
        </button>
      </p>
      <div className="table-scroll">
        <table className="timeline" data-testid="timeline" data-ready="true">
          <caption>{t('record.timelineCaption', { count: entries.length, order })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('record.fields.date')}</th>
              <th scope="col">{t('record.what')}</th>
              <th scope="col">{t('record.details')}</th>
              {canCorrect && <th scope="col">{t('record.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => {
              const date = formatDate(entry.date, i18n.language);
              const what = t(`record.kinds.${entry.kind}`);
              return (
                <tr key={`${entry.kind}-${entry.id}`} data-entry-id={entry.id} data-kind={entry.kind} className={`entry-${entry.kind.toLowerCase()}`}>
                  <td className="date">{date}</td>
                  <th scope="row">{what}</th>
                  <td>{entryDetails(entry, t, i18n.language)}</td>
                  {canCorrect && (
                    <td className="entry-actions">
                      <button type="button" className="secondary small" aria-label={t('corrections.editLabel', { what: what.toLowerCase(), date })} onClick={() => onAction({ mode: 'edit', entry })} data-testid="entry-edit">
                        {t('corrections.edit')}
                      </button>
                      <button type="button" className="secondary small" aria-label={t('corrections.deleteLabel', { what: what.toLowerCase(), date })} onClick={() => onAction({ mode: 'delete', entry })} data-testid="entry-delete">
                        {t('corrections.delete')}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
});

/** What the entry says beside its date; a plain function, not a component, so 200 rows add no hooks. */
function entryDetails(entry: TimelineEntry, t: TFunction, language: string): ReactNode {
  if (entry.kind === 'SESSION') {
    return t(`forms.sessionKinds.${entry.sessionKind}`, { defaultValue: entry.sessionKind });
  }
  if (entry.kind === 'EVENT') return t(`forms.eventKinds.${entry.eventKind}`, { defaultValue: entry.eventKind });
  return (
    <>
      {t(`patients.instruments.${entry.instrument}`, { defaultValue: entry.instrument })} {formatDecimal(entry.value, language)}
      <span className={`sub window-${entry.window}`} data-testid="measurement-window">
        {t(`record.windowLabels.${entry.window}`)}
      </span>
    </>
  );
}
