import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import { formatDate } from '../format';
import { ErrorSummary } from '../practice/error-summary';
import { FormErrors, NO_ERRORS, toFormErrors } from '../practice/field-errors';
import { FormField } from '../practice/form-field';
import { decimalForApi, formatDecimal } from '../practice/parse-number';
import { INSTRUMENTS } from '../practice/record-form';
import { ModalDialog } from './modal-dialog';
import { ReasonField, reasonProblem } from './reason-field';
import type { TimelineEntry } from './record-types';

const SESSION_KINDS = ['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE'];
const EVENT_KINDS = ['EXACERBATION_MODERATE', 'EXACERBATION_SEVERE', 'HOSPITAL_ADMISSION', 'DEATH'];
const PATHS: Record<TimelineEntry['kind'], string> = { SESSION: 'sessions', MEASUREMENT: 'measurements', EVENT: 'events' };
const FIELDS = ['date', 'kind', 'instrument', 'value', 'reason'];

export type EntryAction = { mode: 'edit' | 'delete'; entry: TimelineEntry };

function startValues(entry: TimelineEntry, language: string) {
  return {
    date: entry.date,
    kind: entry.kind === 'SESSION' ? entry.sessionKind : entry.kind === 'EVENT' ? entry.eventKind : '',
    instrument: entry.kind === 'MEASUREMENT' ? entry.instrument : '',
    value: entry.kind === 'MEASUREMENT' ? formatDecimal(entry.value, language) : '',
  };
}

/**
 * Corrects or deletes one session, measurement or event (PATCH / DELETE /api/v1/<kind>/:id), always with a reason.
 * A correction sends only the fields that changed; the API applies the same rules as when recording.
 */
export function EntryCorrection({ action, onClose, onDone }: { action: EntryAction; onClose(): void; onDone(message: string): void }) {
  const { t, i18n } = useTranslation();
  const { mode, entry } = action;
  const start = startValues(entry, i18n.language);
  const [values, setValues] = useState(start);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const idOf = (field: string) => `correction-${field}`;
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  function changes(): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    if (values.date !== start.date) body.date = values.date;
    if (entry.kind !== 'MEASUREMENT' && values.kind !== start.kind) body.kind = values.kind;
    if (entry.kind === 'MEASUREMENT') {
      if (values.instrument !== start.instrument) body.instrument = values.instrument;
      if (values.value.trim() !== start.value.trim()) body.value = decimalForApi(values.value, i18n.language) ?? null;
    }
    return body;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = mode === 'edit' ? changes() : {};
    const local: FormErrors = { fields: {}, form: [] };
    if (reasonProblem(reason, true)) local.fields.reason = [t('corrections.reasonRequired')];
    if (mode === 'edit' && Object.keys(body).length === 0) local.form.push(t('corrections.nothingChanged'));
    if (Object.keys(local.fields).length > 0 || local.form.length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    try {
      await request(mode === 'edit' ? 'PATCH' : 'DELETE', `/api/v1/${PATHS[entry.kind]}/${encodeURIComponent(entry.id)}`, { ...body, reason: reason.trim() });
      onDone(mode === 'edit' ? t('corrections.saved') : t('corrections.deleted'));
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS));
      setBusy(false);
    }
  }

  const date = formatDate(entry.date, i18n.language);
  const labels: Record<string, string> = {
    date: t('record.fields.date'),
    kind: entry.kind === 'SESSION' ? t('forms.sessionKind') : t('forms.eventKind'),
    instrument: t('record.fields.instrument'),
    value: t('record.fields.value'),
    reason: t('corrections.reason'),
  };
  return (
    <ModalDialog title={t(`corrections.titles.${mode}${entry.kind}`, { date })} onClose={onClose} fallbackFocus="record-timeline-title" testId="correction-dialog">
      <form onSubmit={submit} noValidate className="correction-form" data-testid={`correction-${mode}`}>
        <ErrorSummary errors={errors} labels={labels} idOf={idOf} testId="correction-errors" />
        {mode === 'delete' && <p className="warning">{t('corrections.deleteWarning')}</p>}
        {mode === 'edit' && (
          <div className="form-grid">
            <FormField id={idOf('date')} label={labels.date} errors={errors.fields.date}>
              {(p) => <input {...p} type="date" name="date" value={values.date} onChange={set('date')} />}
            </FormField>
            {entry.kind !== 'MEASUREMENT' && (
              <FormField id={idOf('kind')} label={labels.kind} errors={errors.fields.kind}>
                {(p) => (
                  <select {...p} name="kind" value={values.kind} onChange={set('kind')}>
                    {(entry.kind === 'SESSION' ? SESSION_KINDS : EVENT_KINDS).map((k) => (
                      <option key={k} value={k}>
                        {t(entry.kind === 'SESSION' ? `forms.sessionKinds.${k}` : `forms.eventKinds.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
            )}
            {entry.kind === 'MEASUREMENT' && (
              <>
                <FormField id={idOf('instrument')} label={labels.instrument} errors={errors.fields.instrument}>
                  {(p) => (
                    <select {...p} name="instrument" value={values.instrument} onChange={set('instrument')}>
                      {INSTRUMENTS.map((k) => (
                        <option key={k} value={k}>
                          {t(`forms.instruments.${k}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
                <FormField id={idOf('value')} label={labels.value} errors={errors.fields.value}>
                  {(p) => <input {...p} name="value" inputMode="decimal" autoComplete="off" value={values.value} onChange={set('value')} data-testid="correction-value" />}
                </FormField>
              </>
            )}
          </div>
        )}
        <ReasonField id={idOf('reason')} value={reason} onChange={setReason} errors={errors.fields.reason} />
        <div className="dialog-actions">
          <button type="submit" disabled={busy} className={mode === 'delete' ? 'danger' : undefined} data-testid="correction-submit">
            {busy ? t('corrections.busy') : mode === 'edit' ? t('corrections.save') : t('corrections.confirmDelete')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('corrections.cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
