import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, getJson, postJson } from '../api/client';
import type { RecomputeAnswer, RecomputeJob } from '../api/types';
import { formatDate, formatDateTime } from '../format';

export interface Freshness {
  experiment: string;
  analysisDate: string;
  computedAt: string | null;
  stale: boolean;
}

interface Props {
  freshness: Freshness;
  canRecompute: boolean;
  /** Reload the figures (after a recompute, or while they are stale, to pick up the worker's run). */
  onRefresh(): void;
  /** False when the figures could not be loaded: the computation time is then not known and not shown. */
  factsKnown?: boolean;
}

const POLL_MS = 700;
const STALE_POLL_MS = 3000;

/** "Computed at ..., as of analysis date ...", a stale warning and (for evaluators) a recompute button with job progress. */
export function FreshnessBar({ freshness, canRecompute, onRefresh, factsKnown = true }: Props) {
  const { t, i18n } = useTranslation();
  const [job, setJob] = useState<{ state: string; progress: number } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const refresh = useRef(onRefresh);
  refresh.current = onRefresh;

  // While the facts are stale the worker is (or will be) recomputing: look again now and then.
  useEffect(() => {
    if (!freshness.stale || job) return;
    const timer = setTimeout(() => refresh.current(), STALE_POLL_MS);
    return () => clearTimeout(timer);
  }, [freshness, job]);

  async function recompute() {
    setMessage(null);
    try {
      // The API names a job only when the queue took it; otherwise the relay enqueues the recorded request later.
      const { body } = await postJson<RecomputeAnswer>('/api/v1/indicators/recompute', {
        experiment: freshness.experiment,
      });
      setJob({ state: 'waiting', progress: 0 });
      // Without the queue there is no progress to follow: say so instead of polling a job that cannot move.
      if (!body.queued) setMessage(t('freshness.queueDown'));
      while (body.queued) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        const status = await getJson<RecomputeJob>(
          `/api/v1/indicators/jobs/${encodeURIComponent(body.jobId)}`,
        );
        if (status.queueReachable === false) {
          setMessage(t('freshness.queueDown'));
          break;
        }
        setJob({ state: status.state, progress: status.progress });
        if (status.state === 'completed') {
          setMessage(t('freshness.done'));
          break;
        }
        if (status.state === 'failed') {
          setMessage(t('freshness.failed', { reason: status.failedReason ?? '' }));
          break;
        }
      }
    } catch (error) {
      setMessage(
        t('freshness.failed', { reason: error instanceof ApiProblem ? error.message : String(error) }),
      );
    }
    setJob(null);
    refresh.current();
  }

  const states = t('freshness.states', { returnObjects: true }) as Record<string, string>;
  return (
    <div className="freshness" data-testid="freshness">
      {factsKnown && (
        <p>
          {freshness.computedAt
            ? t('freshness.computedAt', {
                computedAt: formatDateTime(freshness.computedAt, i18n.language),
                analysisDate: formatDate(freshness.analysisDate, i18n.language),
              })
            : t('freshness.never', { analysisDate: formatDate(freshness.analysisDate, i18n.language) })}
        </p>
      )}
      {freshness.stale && (
        <p className="warning" role="status" data-testid="stale-warning">
          {t('freshness.stale')}
        </p>
      )}
      {canRecompute && (
        <div className="recompute no-print">
          <button
            type="button"
            onClick={() => void recompute()}
            disabled={job !== null}
            data-testid="recompute"
          >
            {t('freshness.recompute')}
          </button>
          {job && (
            <>
              <progress max={100} value={job.progress} aria-label={t('freshness.recompute')} />
              <span role="status" data-testid="recompute-progress">
                {t('freshness.progress', { state: states[job.state] ?? job.state, progress: job.progress })}
              </span>
            </>
          )}
        </div>
      )}
      {message && (
        <p role="status" data-testid="recompute-message">
          {message}
        </p>
      )}
    </div>
  );
}
