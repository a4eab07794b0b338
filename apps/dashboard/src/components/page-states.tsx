import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnknownValue } from '../filters/unknown-values';

/*
 * The states every page shows alike (issue 16): loading (a visible busy line, the old figures dimmed and
 * aria-busy until the new ones arrive), a load error (a styled message with a retry button; the page keeps its
 * controls), an unknown filter value in the URL (one message naming the values) and an empty selection (one
 * message instead of empty charts and tables of dashes). Styles: the "Page states" block in styles.css.
 */

/** The figures inside, dimmed and marked aria-busy while `busy` (new figures on their way), with a visible status line. */
export function BusyRegion({ busy, children, testId }: { busy: boolean; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className={busy ? 'busy-region is-busy' : 'busy-region'} aria-busy={busy} data-testid={testId}>
      {busy && (
        <p className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('states.busy')}
        </p>
      )}
      {children}
    </div>
  );
}

/** A load that failed: what went wrong, that the selection is kept, and a retry button. */
export function ErrorState({ error, onRetry, testId = 'load-error' }: { error: Error; onRetry?: () => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state-message state-error" role="alert" data-testid={testId}>
      <p className="state-title">{t('states.errorTitle')}</p>
      <p>{t('states.errorDetail', { message: error.message })}</p>
      <p className="state-hint">{t('states.errorHint')}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} data-testid="retry">
          {t('states.retry')}
        </button>
      )}
    </div>
  );
}

/** The selection holds no patient: said once, with what to do. */
export function EmptySelection({ onClear }: { onClear?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state-message state-empty" role="status" data-testid="empty-selection">
      <p className="state-title">{t('states.emptyTitle')}</p>
      <p className="state-hint">{t('states.emptyHint')}</p>
      {onClear && (
        <button type="button" className="secondary" onClick={onClear}>
          {t('states.clearFilters')}
        </button>
      )}
    </div>
  );
}

/** One message for every value of the URL that names nothing the reader may see. */
export function UnknownFilterMessage({ values, onClear }: { values: UnknownValue[]; onClear?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state-message state-error" role="alert" data-testid="unknown-filter">
      <p className="state-title">{t('states.unknownTitle')}</p>
      <ul>
        {values.map((u) => (
          <li key={`${u.filter}=${u.value}`}>{t('states.unknownValue', { filter: t(`filters.${u.filter}`), value: u.value })}</li>
        ))}
      </ul>
      <p className="state-hint">{t('states.unknownHint')}</p>
      {onClear && (
        <button type="button" className="secondary" onClick={onClear}>
          {t('states.clearFilters')}
        </button>
      )}
    </div>
  );
}
