import { useTranslation } from 'react-i18next';

/** Says that kept input was put back (after the session ended, or on coming back to the page), with a way to drop it. */
export function DraftNotice({ onDiscard }: { onDiscard(): void }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="draft-note" data-testid="draft-restored">
      <p>{t('session.restored')}</p>
      <button type="button" className="secondary" onClick={onDiscard}>
        {t('session.discard')}
      </button>
    </div>
  );
}
