import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { getJson } from '../api/client';
import type { Comparison, SnapshotDetail } from '../api/types';
import type { Translate } from '../charts/chart-types';
import { KeyResults } from '../components/key-results';
import { SnapshotBanner, SNAPSHOT_PARAM } from '../components/snapshot-banner';
import { SnapshotDownloads } from '../components/snapshot-downloads';
import { useLoad } from '../components/use-load';
import { ComparisonSection, RiskSection } from './evaluator-sections';
import { LoadError, Loading } from './status';

/** Which of the snapshot's frozen comparisons is shown: the whole experiment, one insurer's or one region's. */
interface Scope {
  comparison: Comparison;
  words: string;
  /** The picker's value: '', 'insurer:<uzovi>' or 'region:<name>'. */
  value: string;
}

function scopeOf(detail: SnapshotDetail, search: URLSearchParams, t: Translate): Scope {
  const uzovi = search.get('insurer');
  const insurer = uzovi ? detail.byInsurer.find((i) => i.uzovi === uzovi) : undefined;
  if (insurer) return { comparison: insurer.comparison, words: t('snapshots.scope.insurer', { name: insurer.name, uzovi: insurer.uzovi }), value: `insurer:${insurer.uzovi}` };
  const name = search.get('region');
  const region = name ? detail.byRegion.find((r) => r.region === name) : undefined;
  if (region) return { comparison: region.comparison, words: t('snapshots.scope.region', { region: region.region }), value: `region:${region.region}` };
  return { comparison: detail.comparison, words: t('snapshots.scope.overall'), value: '' };
}

/**
 * The evaluator's view of a frozen snapshot (issue 13): its comparison as cards, table and charts under a banner
 * that says these figures are frozen. A snapshot holds the comparison of the whole experiment and of every insurer
 * and region, so those are what can be picked; the other filters, the analysis-date control, the recompute and the
 * live time series are not shown (a snapshot cannot answer them).
 */
export function SnapshotEvaluator({ id }: { id: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const detail = useLoad(() => getJson<SnapshotDetail>(`/api/v1/snapshots/${encodeURIComponent(id)}`), [id]);
  if (detail.error)
    return (
      <>
        <h1>{t('evaluator.title')}</h1>
        <LoadError error={detail.error} onRetry={detail.reload} />
        <p>
          <Link to="/momentopnamen">{t('snapshots.banner.list')}</Link>
        </p>
      </>
    );
  if (!detail.data) return <Loading />;
  const scope = scopeOf(detail.data, search, t as Translate);
  const { comparison } = scope;
  const choose = (value: string) => {
    const next = new URLSearchParams({ [SNAPSHOT_PARAM]: id });
    const [kind, ...rest] = value.split(':');
    if (kind === 'insurer' || kind === 'region') next.set(kind, rest.join(':'));
    setSearch(next);
  };
  return (
    <>
      <h1>{t('evaluator.title')}</h1>
      <SnapshotBanner snapshot={detail.data.snapshot} scope={scope.words} />
      <KeyResults comparison={comparison} />
      <ScopePicker detail={detail.data} value={scope.value} onChange={choose} />
      <section aria-labelledby="comparison-title">
        <h2 id="comparison-title">{t('evaluator.comparison')}</h2>
        <p>{t('evaluator.comparisonIntro')}</p>
        <p className="clustered-legend">{t('comparison.clusteredLegend')}</p>
        <p className="no-print">
          <Link to="/definities">{t('comparison.definitionsLink')}</Link>
        </p>
        <ComparisonSection comparison={comparison} tools={<SnapshotDownloads snapshot={detail.data.snapshot} />} />
      </section>
      <section aria-labelledby="risk-title">
        <h2 id="risk-title">{t('evaluator.riskSelection')}</h2>
        <p>{t('evaluator.riskIntro')}</p>
        {comparison.caseMix ? <RiskSection caseMix={comparison.caseMix} /> : <p>{t('snapshots.scope.noCaseMix')}</p>}
      </section>
      <p className="snapshot-not-frozen" data-testid="snapshot-not-frozen">
        {t('snapshots.scope.notFrozen')}
      </p>
    </>
  );
}

/** The whole experiment, an insurer or a region of the snapshot; with the note on the filters a snapshot cannot answer. */
function ScopePicker({ detail, value, onChange }: { detail: SnapshotDetail; value: string; onChange(value: string): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  return (
    <form className="filters snapshot-scope no-print" onSubmit={submit} aria-labelledby="scope-title" data-testid="snapshot-scope-form">
      <h2 id="scope-title">{t('filters.title')}</h2>
      <div className="scope-row">
        <label>
          {t('snapshots.scope.label')}
          <select name="scope" value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="snapshot-scope-select">
            <option value="">{t('snapshots.scope.overallOption')}</option>
            <optgroup label={t('snapshots.scope.insurers')}>
              {detail.byInsurer.map((i) => (
                <option key={i.uzovi} value={`insurer:${i.uzovi}`}>
                  {i.name} ({i.uzovi})
                </option>
              ))}
            </optgroup>
            <optgroup label={t('snapshots.scope.regions')}>
              {detail.byRegion.map((r) => (
                <option key={r.region} value={`region:${r.region}`}>
                  {r.region}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <button type="submit" data-testid="snapshot-scope-apply">
          {t('snapshots.scope.show')}
        </button>
      </div>
      <p className="hint" data-testid="snapshot-scope-note">
        {t('snapshots.scope.note')}
      </p>
    </form>
  );
}
