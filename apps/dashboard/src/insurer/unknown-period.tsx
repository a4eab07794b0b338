import { useTranslation } from 'react-i18next';

export { unknownPeriodValues } from './insurer-data';

/** One message for the period values of the address that exist nowhere (the page's state style, components/page-states). */
export function UnknownPeriod({ values, onClear }: { values: string[]; onClear(): void }) {
  const { t } = useTranslation();
  return (
    <div className="state-message state-error" role="alert" data-testid="unknown-filter">
      <p className="state-title">{t('insurerPages.period.unknownTitle')}</p>
      <ul>
        {values.map((value) => (
          <li key={value}>{t('insurerPages.period.unknown', { value })}</li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={onClear}>
        {t('insurerPages.period.reset')}
      </button>
    </div>
  );
}
