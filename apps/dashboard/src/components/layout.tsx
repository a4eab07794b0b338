import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useAuth, VIEW_ROLES } from '../auth/auth-context';
import { PATIENT_ROLES } from '../records/roles';

/** Header (title, views of the role, language switch, sign-out), skip link and the main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { user, signOut } = useAuth();
  const other = i18n.language === 'en' ? 'nl' : 'en';
  // Snapshots are the evaluator's (the API allows them to EVALUATOR only).
  const views = user
    ? ([
        ['evaluator', '/evaluatie', VIEW_ROLES.evaluator],
        ['snapshots', '/momentopnamen', VIEW_ROLES.evaluator],
        ['practice', '/praktijk', VIEW_ROLES.practice],
        ['patients', '/patienten', PATIENT_ROLES],
        // Issue 15: a practice imports for itself, the evaluator for any practice.
        ['imports', '/importeren', PATIENT_ROLES],
        ['insurer', '/verzekeraar', VIEW_ROLES.insurer],
        ['overview', '/experiment', VIEW_ROLES.overview],
        // Issue 16: the administration for ADMIN, the own account (password change) for everyone.
        ['admin', '/beheer', VIEW_ROLES.admin],
        ['account', '/account', [user.role]],
      ] as const).filter(([, , roles]) => roles.includes(user.role))
    : [];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="site-header">
        <p className="site-title">{t('app.title')}</p>
        {views.length > 0 && (
          <nav aria-label={t('app.nav.main')}>
            <ul>
              {views.map(([view, path]) => (
                <li key={view}>
                  <NavLink to={path}>{view === 'imports' ? t('imports.nav') : view === 'admin' || view === 'account' ? t(`${view}.nav`) : t(`app.nav.${view}`)}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="header-tools no-print">
          {user && (
            <span data-testid="signed-in-as">{t('app.signedInAs', { name: user.displayName, role: t(`roles.${user.role}`) })}</span>
          )}
          <button type="button" className="secondary" lang={other} onClick={() => void i18n.changeLanguage(other)} aria-label={t('app.languageLabel')} data-testid="language">
            {t('app.language')}
          </button>
          {user && (
            <button type="button" className="secondary" onClick={() => void signOut()} data-testid="sign-out">
              {t('app.signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
