import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Where an indicator's definition is: its anchor in docs/definitions.md, served as the /definities page. */
export function definitionHref(code: string): string {
  return `/definities#${encodeURIComponent(code)}`;
}

/** An indicator's name as a link to its definition (docs/definitions.md, the /definities page). */
export function DefinitionLink({ code, children }: { code: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Link to={definitionHref(code)} className="definition-link" data-definition={code}>
      {children ?? t(`indicators.${code}`)}
    </Link>
  );
}
