import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Snapshot } from '../api/types';
import { formatDate, formatDateTime } from '../format';

/** The query parameter that opens the evaluator's page on a frozen snapshot: /evaluatie?momentopname=<id>. */
export const SNAPSHOT_PARAM = 'momentopname';

/** The evaluator's page on a frozen snapshot. */
export function snapshotHref(id: string): string {
  return `/evaluatie?${SNAPSHOT_PARAM}=${encodeURIComponent(id)}`;
}

/** What changed from the snapshot to `to`: 'nu' (now) or another snapshot's id. */
export function changesHref(snapshotId: string, to: string): string {
  return `/momentopnamen/${encodeURIComponent(snapshotId)}/vergelijking?met=${encodeURIComponent(to)}`;
}

/**
 * The banner over a frozen snapshot's figures: that they are frozen, its label, analysis date, when and by whom it
 * was taken, which part of it is shown, and its id (all of it printed, as the page's header on paper), with the
 * way back to the live figures.
 */
export function SnapshotBanner({ snapshot, scope }: { snapshot: Snapshot; scope: string }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="snapshot-banner" aria-label={t('snapshots.banner.title', { label: snapshot.label })} data-testid="snapshot-banner">
      <p className="snapshot-banner-title" data-testid="snapshot-banner-title">
        {t('snapshots.banner.title', { label: snapshot.label })}
      </p>
      <p>{t('snapshots.banner.frozen')}</p>
      <p data-testid="snapshot-banner-facts">
        {t('snapshots.banner.facts', {
          analysisDate: formatDate(snapshot.analysisDate, i18n.language),
          takenAt: formatDateTime(snapshot.takenAt, i18n.language),
          takenBy: snapshot.takenBy,
          computedAt: formatDateTime(snapshot.factsComputedAt, i18n.language),
        })}
      </p>
      <p>
        <strong>{t('snapshots.scope.label')}:</strong> <span data-testid="snapshot-scope">{scope}</span>
      </p>
      <p className="snapshot-id">
        {t('snapshots.banner.id')}: <code data-testid="snapshot-banner-id">{snapshot.id}</code>
      </p>
      <p className="snapshot-banner-links no-print">
        <Link to="/evaluatie" data-testid="snapshot-back-live">
          {t('snapshots.banner.back')}
        </Link>
        <Link to="/momentopnamen">{t('snapshots.banner.list')}</Link>
        <Link to={changesHref(snapshot.id, 'nu')}>{t('snapshots.banner.compareNow')}</Link>
      </p>
    </section>
  );
}
