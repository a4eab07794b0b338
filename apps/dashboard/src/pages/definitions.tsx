import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { definitionsHtml } from 'virtual:definitions';

/**
 * docs/definitions.md inside the dashboard (rendered at build time, see vite.config.mts), so every indicator
 * name can link to its entry: /definities#CODE. Readable without signing in: it holds no data.
 */
export function DefinitionsPage() {
  const { t } = useTranslation();
  const { hash } = useLocation();
  const navigate = useNavigate();
  const body = useRef<HTMLElement>(null);

  // The page is a lazily loaded chunk, so the browser's own jump to the fragment happened before the text was there.
  useEffect(() => {
    const id = decodeURIComponent(hash.replace(/^#/, ''));
    const target = id ? document.getElementById(id) : null;
    body.current?.querySelector('.definition-target')?.classList.remove('definition-target');
    if (!target) return;
    target.classList.add('definition-target');
    target.scrollIntoView({ block: 'start' });
  }, [hash]);

  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/'));
  return (
    <div className="definitions">
      <nav className="definitions-nav no-print" aria-label={t('definitions.navLabel')}>
        <button type="button" className="link-button" onClick={back} data-testid="definitions-back">
          {t('definitions.back')}
        </button>
        <Link to="/">{t('definitions.home')}</Link>
      </nav>
      <p className="hint">{t('definitions.intro')}</p>
      {/* The definitions are written in English (docs/definitions.md). */}
      <article ref={body} className="definitions-body" lang="en" data-testid="definitions" dangerouslySetInnerHTML={{ __html: definitionsHtml }} />
    </div>
  );
}
