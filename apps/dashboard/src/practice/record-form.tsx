import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../api/client';
import type { Patient } from '../api/types';
import { FormErrors, NO_ERRORS, toFormErrors } from './field-errors';
import { FormAlert, FormField } from './form-field';

type Kind = 'session' | 'measurement' | 'event';
const PATHS: Record<Kind, string> = { session: 'sessions', measurement: 'measurements', event: 'events' };
const SESSION_KINDS = ['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE'];
const INSTRUMENTS = ['SIX_MWT', 'CCQ', 'CAT', 'MMRC', 'STEPS'];
const EVENT_KINDS = ['EXACERBATION_MODERATE', 'EXACERBATION_SEVERE', 'HOSPITAL_ADMISSION', 'DEATH'];

/** Records a session, measurement or event for one of the practice's patients. */
export function RecordForm({ patients, onRecorded }: { patients: Patient[]; onRecorded(): void }) {
  const { t } = useTranslation();
  const [patientId, setPatientId] = useState('');
  const [kind, setKind] = useState<Kind>('session');
  const [date, setDate] = useState('');
  const [sessionKind, setSessionKind] = useState('INDIVIDUAL');
  const [instrument, setInstrument] = useState('SIX_MWT');
  const [value, setValue] = useState('');
  const [eventKind, setEventKind] = useState('EXACERBATION_MODERATE');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (!patientId) {
      setErrors({ fields: { patient: [t('forms.required')] }, form: [] });
      return;
    }
    const body =
      kind === 'session'
        ? { date, kind: sessionKind }
        : kind === 'measurement'
          ? { date, instrument, value: value.trim() === '' ? undefined : Number(value.replace(',', '.')) }
          : { date, kind: eventKind };
    setBusy(true);
    try {
      const { status } = await postJson(`/api/v1/patients/${encodeURIComponent(patientId)}/${PATHS[kind]}`, body);
      setErrors(NO_ERRORS);
      setDone(status === 201 ? t('forms.recorded') : t('forms.unchanged'));
      onRecorded();
    } catch (error) {
      setErrors(toFormErrors(error, ['date', 'kind', 'instrument', 'value']));
    } finally {
      setBusy(false);
    }
  }

  const sorted = [...patients].sort((a, b) => a.ref.localeCompare(b.ref, 'nl', { numeric: true }));
  return (
    <form onSubmit={submit} noValidate aria-labelledby="record-title" data-testid="record-form" className="record-form">
      <h3 id="record-title">{t('forms.recordTitle')}</h3>
      <FormAlert title={t('forms.errorSummary')} messages={errors.form} />
      <div className="form-grid">
        <FormField label={t('forms.patient')} errors={errors.fields.patient}>
          {(p) => (
            <select {...p} name="patient" value={patientId} onChange={(e) => setPatientId(e.target.value)}>
              <option value="">{t('forms.choosePatient')}</option>
              {sorted.map((patient) => (
                <option key={patient.id} value={patient.id}>
                  {patient.ref} ({patient.pseudonym})
                </option>
              ))}
            </select>
          )}
        </FormField>
        <fieldset className="kind-choice">
          <legend>{t('forms.kindOfRecord')}</legend>
          {(['session', 'measurement', 'event'] as const).map((k) => (
            <label key={k} className="inline">
              <input type="radio" name="recordKind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`forms.${k}`)}
            </label>
          ))}
        </fieldset>
        <FormField label={t('forms.date')} errors={errors.fields.date}>
          {(p) => <input {...p} name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
        </FormField>
        {kind === 'session' && (
          <FormField label={t('forms.sessionKind')} errors={errors.fields.kind}>
            {(p) => (
              <select {...p} name="sessionKind" value={sessionKind} onChange={(e) => setSessionKind(e.target.value)}>
                {SESSION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`forms.sessionKinds.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
        {kind === 'measurement' && (
          <>
            <FormField label={t('forms.instrument')} errors={errors.fields.instrument}>
              {(p) => (
                <select {...p} name="instrument" value={instrument} onChange={(e) => setInstrument(e.target.value)}>
                  {INSTRUMENTS.map((k) => (
                    <option key={k} value={k}>
                      {t(`forms.instruments.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('forms.value')} errors={errors.fields.value}>
              {(p) => <input {...p} name="value" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />}
            </FormField>
          </>
        )}
        {kind === 'event' && (
          <FormField label={t('forms.eventKind')} errors={errors.fields.kind}>
            {(p) => (
              <select {...p} name="eventKind" value={eventKind} onChange={(e) => setEventKind(e.target.value)}>
                {EVENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`forms.eventKinds.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
      </div>
      <button type="submit" disabled={busy}>
        {busy ? t('forms.busy') : t('forms.submitRecord')}
      </button>
      {done && (
        <p role="status" data-testid="record-done">
          {done}
        </p>
      )}
    </form>
  );
}
