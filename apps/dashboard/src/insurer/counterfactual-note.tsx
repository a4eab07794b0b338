import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** What "contrafactisch" means (DOMAIN.md 5), in a sentence or three, with a link to the full definition. */
export function CounterfactualNote() {
  const { t } = useTranslation();
  return (
    <aside
      className="insurer-explain"
      aria-labelledby="counterfactual-title"
      data-testid="counterfactual-note"
    >
      <h2 id="counterfactual-title">{t('insurerPages.counterfactual.title')}</h2>
      <p>{t('insurerPages.counterfactual.text')}</p>
      <p>
        <Link to="/definities#prices">{t('insurerPages.counterfactual.link')}</Link>
      </p>
    </aside>
  );
}
