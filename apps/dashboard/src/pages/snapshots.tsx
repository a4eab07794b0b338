import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiProblem, getJson, postJson } from '../api/client';
import type { Comparison, Snapshot, SnapshotDetail, SnapshotVerification } from '../api/types';
import { FreshnessBar } from '../components/freshness-bar';
import { changesHref, snapshotHref } from '../components/snapshot-banner';
import { SnapshotDownloads } from '../components/snapshot-downloads';
import { useLoad } from '../components/use-load';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { FormAlert, FormField } from '../practice/form-field';
import { LoadError, Loading } from './status';

const LABEL_MAX = 200;
/** How much of the digest the list shows; the whole digest is in its title and in the report. */
const DIGEST_SHOWN = 12;

/**
 * The evaluator's snapshots (issue 13): take one with a label (refused while a recompute is due: the page then
 * says why and shows the recompute's progress), and per snapshot open it, compare it with now or another one,
 * verify its digest and download its report and analysis export. Newest first, as the API lists them.
 */
export function SnapshotsPage() {
  const { t } = useTranslation();
  const list = useLoad(() => getJson<Snapshot[]>('/api/v1/snapshots'), []);
  // The live figures' freshness: whether a snapshot can be taken now, and the recompute's progress when not.
  const live = useLoad(() => getJson<Comparison>('/api/v1/indicators/comparison'), []);
  return (
    <>
      <h1>{t('snapshots.title')}</h1>
      <p>{t('snapshots.intro')}</p>
      <section aria-labelledby="take-title" className="snapshot-take">
        <h2 id="take-title">{t('snapshots.take.title')}</h2>
        {live.data && <FreshnessBar freshness={live.data} canRecompute onRefresh={live.reload} />}
        {live.error && <LoadError error={live.error} onRetry={live.reload} />}
        <TakeForm onTaken={() => list.reload()} onStale={() => live.reload()} />
      </section>
      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('snapshots.list.title')}</h2>
        {list.error && <LoadError error={list.error} onRetry={list.reload} />}
        {!list.data && !list.error && <Loading />}
        {list.data && list.data.length === 0 && <p data-testid="snapshots-empty">{t('snapshots.list.empty')}</p>}
        {list.data && list.data.length > 0 && (
          <>
            <p>{t('snapshots.list.intro')}</p>
            <ol className="snapshot-list" data-testid="snapshot-list">
              {list.data.map((snapshot, i) => (
                <SnapshotCard key={snapshot.id} snapshot={snapshot} previous={list.data![i + 1] ?? null} others={list.data!.filter((s) => s.id !== snapshot.id)} />
              ))}
            </ol>
          </>
        )}
      </section>
    </>
  );
}

function TakeForm({ onTaken, onStale }: { onTaken(): void; onStale(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string[]>([]);
  const [failure, setFailure] = useState<{ stale: boolean; messages: string[] } | null>(null);
  const [taken, setTaken] = useState<Snapshot | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTaken(null);
    setFailure(null);
    const trimmed = label.trim();
    if (trimmed.length === 0 || trimmed.length > LABEL_MAX) {
      setFieldError([t('snapshots.take.labelRequired')]);
      return;
    }
    setFieldError([]);
    setBusy(true);
    try {
      const { body } = await postJson<SnapshotDetail>('/api/v1/snapshots', { label: trimmed });
      setTaken(body.snapshot);
      setLabel('');
      onTaken();
    } catch (error) {
      if (error instanceof ApiProblem && error.code === 'SNAPSHOT.STALE') {
        // In the reader's language, with what to do; the freshness bar above follows the recompute.
        setFailure({ stale: true, messages: [t('snapshots.take.stale'), t('snapshots.take.staleWhat')] });
        onStale();
      } else if (error instanceof ApiProblem && error.errors.length > 0) {
        setFieldError(error.errors.map((e) => e.message));
      } else {
        setFailure({ stale: false, messages: [error instanceof Error ? error.message : String(error)] });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="snapshot-form" onSubmit={(e) => void submit(e)} noValidate data-testid="snapshot-form">
      <FormField label={t('snapshots.take.label')} errors={fieldError}>
        {(props) => (
          <>
            <input {...props} type="text" name="label" required maxLength={LABEL_MAX} value={label} onChange={(e) => setLabel(e.target.value)} data-testid="snapshot-label" />
            <small>{t('snapshots.take.hint')}</small>
          </>
        )}
      </FormField>
      <div className="form-actions">
        <button type="submit" disabled={busy} data-testid="snapshot-take">
          {busy ? t('snapshots.take.busy') : t('snapshots.take.submit')}
        </button>
      </div>
      {failure && (
        <div data-testid={failure.stale ? 'snapshot-stale' : 'snapshot-failed'}>
          <FormAlert title={t('snapshots.take.failed')} messages={failure.messages} />
        </div>
      )}
      {taken && (
        <p role="status" data-testid="snapshot-taken">
          {t('snapshots.take.done', { label: taken.label })}{' '}
          <button type="button" className="link-button" onClick={() => void navigate(snapshotHref(taken.id))}>
            {t('snapshots.open')}
          </button>
        </p>
      )}
    </form>
  );
}

function SnapshotCard({ snapshot, previous, others }: { snapshot: Snapshot; previous: Snapshot | null; others: Snapshot[] }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [other, setOther] = useState(previous?.id ?? others[0]?.id ?? '');
  const r = snapshot.records;
  const titleId = `snapshot-title-${snapshot.id}`;
  return (
    <li className="snapshot-card" data-snapshot-id={snapshot.id} data-testid="snapshot-card">
      <article aria-labelledby={titleId}>
        <h3 id={titleId}>
          <Link to={snapshotHref(snapshot.id)} data-testid="snapshot-open">
            {snapshot.label}
          </Link>
        </h3>
        <dl className="snapshot-facts">
          <div>
            <dt>{t('snapshots.list.analysisDate')}</dt>
            <dd data-testid="snapshot-analysis-date">{formatDate(snapshot.analysisDate, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t('snapshots.list.takenAt')}</dt>
            <dd>{t('snapshots.list.takenAtBy', { takenAt: formatDateTime(snapshot.takenAt, i18n.language), takenBy: snapshot.takenBy })}</dd>
          </div>
          <div>
            <dt>{t('snapshots.list.codeVersion')}</dt>
            <dd>{snapshot.codeVersion}</dd>
          </div>
          <div>
            <dt>{t('snapshots.list.digest')}</dt>
            <dd>
              <code title={snapshot.inputDigest} data-testid="snapshot-digest">
                {snapshot.inputDigest.slice(0, DIGEST_SHOWN)}…
              </code>
            </dd>
          </div>
          <div>
            <dt>{t('snapshots.list.records')}</dt>
            <dd data-testid="snapshot-records">
              {t('snapshots.list.recordsText', {
                patients: formatNumber(r.patients),
                sessions: formatNumber(r.therapy_sessions),
                measurements: formatNumber(r.measurements),
                events: formatNumber(r.events),
                practices: formatNumber(r.practices),
              })}
            </dd>
          </div>
        </dl>
        <nav className="snapshot-actions" aria-label={t('snapshots.list.actions', { label: snapshot.label })}>
          <Link to={snapshotHref(snapshot.id)}>{t('snapshots.open')}</Link>
          <Link to={changesHref(snapshot.id, 'nu')} data-testid="snapshot-compare-now">
            {t('snapshots.compareNow')}
          </Link>
          {previous && (
            <Link to={changesHref(previous.id, snapshot.id)} data-testid="snapshot-compare-previous">
              {t('snapshots.comparePrevious')}
            </Link>
          )}
        </nav>
        {others.length > 0 && (
          <form
            className="snapshot-compare-other"
            onSubmit={(e) => {
              e.preventDefault();
              const chosen = others.find((o) => o.id === other);
              if (!chosen) return;
              // Always from the earlier to the later: "late" counts what was added after the earlier one.
              const [from, to] = chosen.takenAt < snapshot.takenAt ? [chosen, snapshot] : [snapshot, chosen];
              void navigate(changesHref(from.id, to.id));
            }}
          >
            <label>
              {t('snapshots.compareWith')}{' '}
              <select value={other} onChange={(e) => setOther(e.target.value)} data-testid="snapshot-compare-select">
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label} ({formatDate(o.analysisDate, i18n.language)}, {formatDateTime(o.takenAt, i18n.language)})
                  </option>
                ))}
              </select>
            </label>{' '}
            <button type="submit" className="secondary" data-testid="snapshot-compare-other">
              {t('snapshots.compare')}
            </button>
          </form>
        )}
        <Verification snapshotId={snapshot.id} />
        <SnapshotDownloads snapshot={snapshot} />
      </article>
    </li>
  );
}

/** The digest recomputed from the snapshot's own copies, on demand (it reads every copied record). */
function Verification({ snapshotId }: { snapshotId: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; result?: SnapshotVerification; error?: string }>({ busy: false });
  async function verify() {
    setState({ busy: true });
    try {
      setState({ busy: false, result: await getJson<SnapshotVerification>(`/api/v1/snapshots/${encodeURIComponent(snapshotId)}/verification`) });
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return (
    <p className="snapshot-verify">
      <button type="button" className="secondary" onClick={() => void verify()} disabled={state.busy} data-testid="snapshot-verify">
        {state.busy ? t('snapshots.verifying') : t('snapshots.verify')}
      </button>{' '}
      {state.result && (
        <span role="status" className={state.result.matches ? 'verified' : 'mismatch'} data-testid="snapshot-verification">
          {state.result.matches
            ? t('snapshots.verified')
            : t('snapshots.mismatch', { digest: state.result.inputDigest.slice(0, DIGEST_SHOWN), recomputed: state.result.recomputedDigest.slice(0, DIGEST_SHOWN) })}
        </span>
      )}
      {state.error && (
        <span role="alert" data-testid="snapshot-verification">
          {t('snapshots.verifyFailed', { message: state.error })}
        </span>
      )}
    </p>
  );
}
