import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

/** The administration's sections, each its own address under /beheer. */
export const ADMIN_SECTIONS = [
  ['users', '/beheer/gebruikers'],
  ['tokens', '/beheer/tokens'],
  ['practices', '/beheer/praktijken'],
  ['insurers', '/beheer/verzekeraars'],
  ['audit', '/beheer/auditlog'],
] as const;

/** A page of the administration: its title, the sections' navigation and the page. */
export function AdminFrame({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="admin-page">
      <nav aria-label={t('admin.sections')} className="admin-sections">
        <ul>
          {ADMIN_SECTIONS.map(([key, path]) => (
            <li key={key}>
              <NavLink to={path}>{t(`admin.${key}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{title}</h1>
      {intro && <p className="hint">{intro}</p>}
      {children}
    </div>
  );
}

/** Previous/next through a paged list, with the rows shown. */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange(offset: number): void }) {
  const { t } = useTranslation();
  if (total <= limit && offset === 0) return null;
  return (
    <div className="admin-pager">
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('admin.previous')}
      </button>
      <span>{t('admin.pageOf', { from: total === 0 ? 0 : offset + 1, to: Math.min(offset + limit, total), total })}</span>
      <button type="button" className="secondary" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t('admin.next')}
      </button>
    </div>
  );
}
