import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p aria-busy="true" role="status">
      {t('app.loading')}
    </p>
  );
}

export function LoadError({ error }: { error: Error }) {
  const { t } = useTranslation();
  return <p role="alert">{t('app.loadError', { message: error.message })}</p>;
}
