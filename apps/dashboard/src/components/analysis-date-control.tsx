import { FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAll, getJson, request } from '../api/client';
import type { Experiment, IndicatorStatus } from '../api/types';
import { formatDate } from '../format';
import { FormAlert, FormField } from '../practice/form-field';
import { NO_ERRORS, toFormErrors, type FormErrors } from '../practice/field-errors';
import { useLoad } from './use-load';

export interface AnalysisDateControlProps {
  experimentId: string;
  /** The analysis date the page's figures are of (ISO date). */
  analysisDate: string;
  /** Called once the change is stored: the page reloads, and its freshness bar follows the recompute until done. */
  onChanged: () => void;
}

const REASON_MIN = 5;
const REASON_MAX = 500;
const POLL_MS = 700;

/** A recompute after a change: which date it is for and how far the worker is (null: no job seen yet). */
interface Recompute {
  code: string;
  date: string;
  progress: number | null;
  done: boolean;
  queueDown: boolean;
}

/**
 * The evaluator's control of the experiment's analysis date (issue 12 item 4): a new date and a reason (5-500
 * characters, audited with the dates before and after) go to PUT /api/v1/experiments/:id/analysis-date, which
 * stores them and announces the recompute in one transaction. Then the page reloads (onChanged: its freshness
 * bar says the figures are stale) and the control follows the recompute on /indicators/status, with a progress
 * bar, until the last run is of the new date and no change waits; then it reloads the page once more.
 */
export function AnalysisDateControl({ experimentId, analysisDate, onChanged }: AnalysisDateControlProps) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(analysisDate);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | null>(null);
  const [recompute, setRecompute] = useState<Recompute | null>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;

  // Follow the recompute until the worker has computed the new date's figures.
  useEffect(() => {
    if (!recompute || recompute.done) return;
    let stop = false;
    const timer = setTimeout(async () => {
      try {
        const status = await getJson<IndicatorStatus>(`/api/v1/indicators/status?experiment=${encodeURIComponent(recompute.code)}`);
        if (stop) return;
        const done = status.lastComputed?.analysisDate === recompute.date && status.outboxBacklog.rows === 0;
        setRecompute({ ...recompute, progress: status.jobs[0]?.progress ?? recompute.progress, done, queueDown: !status.queueReachable });
        if (done) changed.current();
      } catch {
        // A failed look is retried at the next tick; the freshness bar still says the figures are stale.
        if (!stop) setRecompute({ ...recompute });
      }
    }, POLL_MS);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [recompute]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    if (date === analysisDate) {
      setErrors({ fields: { analysisDate: [t('analysisDate.unchanged')] }, form: [] });
      return;
    }
    if (reason.trim().length < REASON_MIN) {
      setErrors({ fields: { reason: [t('analysisDate.reasonTooShort')] }, form: [] });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const { body } = await request<Experiment>('PUT', `/api/v1/experiments/${encodeURIComponent(experimentId)}/analysis-date`, {
        analysisDate: date,
        reason,
      });
      setSaved(body.analysisDate);
      setOpen(false);
      setReason('');
      setRecompute({ code: body.code, date: body.analysisDate, progress: null, done: false, queueDown: false });
      onChanged();
    } catch (error) {
      setErrors(toFormErrors(error, ['analysisDate', 'reason']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="analysis-date-control" data-testid="analysis-date-control">
      <p>
        <span data-testid="analysis-date-current">{t('analysisDate.current', { date: formatDate(analysisDate, i18n.language) })}</span>{' '}
        {!open && (
          <button
            type="button"
            className="link-button no-print"
            data-testid="analysis-date-change"
            onClick={() => {
              setDate(analysisDate);
              setErrors(NO_ERRORS);
              setSaved(null);
              setOpen(true);
            }}
          >
            {t('analysisDate.change')}
          </button>
        )}
      </p>
      {open && (
        <form className="analysis-date-form no-print" onSubmit={(e) => void submit(e)} noValidate>
          <FormField label={t('analysisDate.newDate')} errors={errors.fields.analysisDate}>
            {(props) => (
              <input {...props} type="date" required value={date} onChange={(e) => setDate(e.target.value)} data-testid="analysis-date-input" />
            )}
          </FormField>
          <FormField label={t('analysisDate.reason')} errors={errors.fields.reason}>
            {(props) => (
              <>
                <textarea
                  {...props}
                  required
                  minLength={REASON_MIN}
                  maxLength={REASON_MAX}
                  rows={2}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  data-testid="analysis-date-reason"
                />
                <small>{t('analysisDate.reasonHint')}</small>
              </>
            )}
          </FormField>
          <FormAlert title={t('analysisDate.failed')} messages={errors.form} />
          <div className="form-actions">
            <button type="submit" disabled={busy} data-testid="analysis-date-save">
              {busy ? t('analysisDate.saving') : t('analysisDate.save')}
            </button>{' '}
            <button type="button" className="link-button" onClick={() => setOpen(false)} disabled={busy}>
              {t('analysisDate.cancel')}
            </button>
          </div>
        </form>
      )}
      {saved && (
        <p role="status" data-testid="analysis-date-saved">
          {t('analysisDate.saved', { date: formatDate(saved, i18n.language) })}
        </p>
      )}
      {recompute && !recompute.done && (
        <p className="no-print" data-testid="analysis-date-progress">
          {/* Without a job yet the bar is indeterminate (no value). */}
          <progress max={100} value={recompute.progress ?? undefined} aria-label={t('analysisDate.progressLabel')} />{' '}
          <span role="status">
            {recompute.queueDown
              ? t('freshness.queueDown')
              : t('analysisDate.progress', { date: formatDate(recompute.date, i18n.language), progress: recompute.progress ?? 0 })}
          </span>
        </p>
      )}
      {recompute?.done && (
        <p role="status" data-testid="analysis-date-done">
          {t('analysisDate.done', { date: formatDate(recompute.date, i18n.language) })}
        </p>
      )}
    </div>
  );
}

/**
 * The id of the experiment with this code (the comparison names its experiment by code), or null while it loads
 * or when the reader cannot see it. For the page that places AnalysisDateControl.
 */
export function useExperimentId(code: string | undefined): string | null {
  const experiments = useLoad(async () => (code ? await getAll<Experiment>('/api/v1/experiments') : []), [code]);
  return experiments.data?.find((e) => e.code === code)?.id ?? null;
}
