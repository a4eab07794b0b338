import { useTranslation } from 'react-i18next';
import { ErrorState } from '../components/page-states';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p aria-busy="true" role="status" className="busy-line">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

/** A failed load: the styled message of components/page-states.tsx, with a retry button when `onRetry` is given. */
export function LoadError({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return <ErrorState error={error} onRetry={onRetry} />;
}
