import { useTranslation } from 'react-i18next';
import type { Snapshot } from '../api/types';
import { DownloadButton } from './download-button';

const LANGUAGES = ['nl', 'en'] as const;

export function reportPath(snapshotId: string, lang: 'nl' | 'en', format: 'html' | 'pdf'): string {
  return `/api/v1/snapshots/${encodeURIComponent(snapshotId)}/report?lang=${lang}&format=${format}`;
}

export function snapshotExportPath(snapshotId: string): string {
  return `/api/v1/analysis-export?snapshot=${encodeURIComponent(snapshotId)}`;
}

/** The live analysis export of an experiment (the data now). */
export function liveExportPath(experiment: string): string {
  return `/api/v1/analysis-export?experiment=${encodeURIComponent(experiment)}`;
}

/**
 * A snapshot's files: the monitoring report as HTML (opens in a new tab, under the API's own
 * Content-Security-Policy) or PDF (downloads), in Dutch or English, and the analysis export (zip).
 */
export function SnapshotDownloads({ snapshot }: { snapshot: Snapshot }) {
  const { t } = useTranslation();
  const short = snapshot.id.slice(0, 8);
  return (
    <div className="snapshot-downloads" data-testid={`downloads-${snapshot.id}`}>
      <p className="download-group">
        <span className="downloads-label">{t('snapshots.downloads.report')}:</span>
        {LANGUAGES.map((lang) => (
          <a key={lang} href={reportPath(snapshot.id, lang, 'html')} target="_blank" rel="noopener" data-testid={`report-html-${lang}`}>
            {t('snapshots.downloads.html', { lang: t(`snapshots.downloads.languages.${lang}`) })}
            <span className="visually-hidden"> {t('snapshots.downloads.newTab')}</span>
          </a>
        ))}
        {LANGUAGES.map((lang) => (
          <DownloadButton
            key={lang}
            path={reportPath(snapshot.id, lang, 'pdf')}
            fallbackName={`monitoringsrapportage_${short}.pdf`}
            label={t('snapshots.downloads.pdf', { lang: t(`snapshots.downloads.languages.${lang}`) })}
            testId={`report-pdf-${lang}`}
          />
        ))}
      </p>
      <p className="download-group">
        <span className="downloads-label">{t('snapshots.downloads.data')}:</span>
        <DownloadButton path={snapshotExportPath(snapshot.id)} fallbackName={`analyse_snapshot_${short}.zip`} label={t('snapshots.downloads.export')} testId="snapshot-export" />
      </p>
    </div>
  );
}
