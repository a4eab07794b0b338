import { FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, postJson, Violation } from '../api/client';
import { useAuth } from '../auth/auth-context';
import { DraftNotice } from './draft-notice';
import { draftKey, useDraft } from './drafts';
import { ErrorSummary } from './error-summary';
import { FormErrors, NO_ERRORS, toFormErrors } from './field-errors';
import { FormField } from './form-field';
import { decimalForApi } from './parse-number';
import { PatientPicker, PickablePatient, patientLabel } from './patient-picker';

export type RecordKind = 'session' | 'measurement' | 'event';
const PATHS: Record<RecordKind, string> = { session: 'sessions', measurement: 'measurements', event: 'events' };
const KINDS: RecordKind[] = ['session', 'measurement', 'event'];
const SESSION_KINDS = ['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE'];
export const INSTRUMENTS = ['SIX_MWT', 'CCQ', 'CAT', 'MMRC', 'STEPS'];
const EVENT_KINDS = ['EXACERBATION_MODERATE', 'EXACERBATION_SEVERE', 'HOSPITAL_ADMISSION', 'DEATH'];

/** What a worklist row (or the record page) fills in beforehand. */
export interface RecordFormInitial {
  type?: RecordKind;
  instrument?: string;
  date?: string;
}

const FIELDS = ['patient', 'date', 'kind', 'instrument', 'value'] as const;
type Values = { patientId: string; patientText: string; type: string; date: string; sessionKind: string; instrument: string; value: string; eventKind: string };

function startValues(fixed: PickablePatient | undefined, initial: RecordFormInitial | undefined): Values {
  return {
    patientId: fixed?.id ?? '',
    patientText: fixed ? patientLabel(fixed) : '',
    type: initial?.type && KINDS.includes(initial.type) ? initial.type : 'session',
    date: initial?.date ?? '',
    sessionKind: 'INDIVIDUAL',
    instrument: initial?.instrument && INSTRUMENTS.includes(initial.instrument) ? initial.instrument : 'SIX_MWT',
    value: '',
    eventKind: 'EXACERBATION_MODERATE',
  };
}

/**
 * Records a session, measurement or event: for a patient chosen by searching (the practice page) or for one fixed
 * patient (the record page), optionally pre-filled (a worklist row: measurement, instrument, a date in the window).
 * What is typed survives the end of the session (drafts.ts); the API's messages appear at their fields and in the
 * error summary, which takes the focus.
 */
export function RecordForm({
  patients = [],
  practice = '',
  fixedPatient,
  initial,
  onRecorded,
  idPrefix = 'record',
}: {
  patients?: PickablePatient[];
  /** The practice's AGB, for the draft's key. */
  practice?: string;
  fixedPatient?: PickablePatient;
  initial?: RecordFormInitial;
  onRecorded(): void;
  idPrefix?: string;
}) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const start = startValues(fixedPatient, initial);
  // One draft per patient and pre-fill: a draft typed after following one worklist row does not fill another's form.
  const form = `record:${fixedPatient?.id ?? 'any'}:${initial?.type ?? ''}-${initial?.instrument ?? ''}-${initial?.date ?? ''}`;
  const { values, setValues, restored, clear } = useDraft<Values>(user ? draftKey(user.id, form, practice) : null, start);
  // The refused answer (or what the form found missing before sending), worded in the interface language at render.
  const [failure, setFailure] = useState<{ error: unknown; attempt: number } | null>(null);
  const errors: FormErrors = useMemo(() => (failure ? toFormErrors(failure.error, [...FIELDS], i18n.language) : NO_ERRORS), [failure, i18n.language]);
  const refuse = (error: unknown) => setFailure((f) => ({ error, attempt: (f?.attempt ?? 0) + 1 }));
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const kind = values.type as RecordKind;
  const idOf = (field: string) => `${idPrefix}-${field}`;
  const set = (field: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  // Back from signing in again with a draft: bring the form into view so the user sees the kept input.
  useEffect(() => {
    if (restored) formRef.current?.scrollIntoView({ block: 'start' });
  }, [restored]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    const patientId = fixedPatient?.id ?? values.patientId;
    if (!patientId) {
      // Without a patient there is no address to send to; the other empty fields are named at the same time, with
      // the catalogue's codes the API would use (SHAPE.REQUIRED), so they read as the API's own messages.
      const missing = (path: string): Violation => ({ code: 'SHAPE.REQUIRED', path, message: t('forms.required'), params: { value: null } });
      const violations: Violation[] = [
        values.patientText.trim() ? { code: 'FORM.PATIENT_NOT_CHOSEN', path: 'patient', message: t('forms.patientNotChosen') } : missing('patient'),
        ...(values.date ? [] : [missing('date')]),
        ...(kind === 'measurement' && !values.value.trim() ? [missing('value')] : []),
      ];
      refuse(new ApiProblem(422, 'FORM.INCOMPLETE', t('forms.errorSummaryTitle'), violations));
      return;
    }
    const date = values.date || undefined;
    const body =
      kind === 'session'
        ? { date, kind: values.sessionKind }
        : kind === 'measurement'
          ? { date, instrument: values.instrument, value: decimalForApi(values.value, i18n.language) }
          : { date, kind: values.eventKind };
    setBusy(true);
    try {
      const { status } = await postJson(`/api/v1/patients/${encodeURIComponent(patientId)}/${PATHS[kind]}`, body);
      setFailure(null);
      setDone(status === 201 ? t('forms.recorded') : t('forms.unchanged'));
      // The patient and the kind stay for the next entry; the draft goes.
      clear({ ...startValues(fixedPatient, initial), patientId: values.patientId, patientText: values.patientText, type: values.type });
      onRecorded();
    } catch (error) {
      refuse(error);
    } finally {
      setBusy(false);
    }
  }

  const labels: Record<string, string> = {
    patient: t('forms.patient'),
    date: t('forms.date'),
    kind: kind === 'event' ? t('forms.eventKind') : t('forms.sessionKind'),
    instrument: t('forms.instrument'),
    value: t('forms.value'),
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby={`${idPrefix}-title`} data-testid="record-form" className="record-form">
      <h3 id={`${idPrefix}-title`}>{fixedPatient ? t('forms.recordTitleFor', { patient: patientLabel(fixedPatient) }) : t('forms.recordTitle')}</h3>
      {restored && <DraftNotice onDiscard={() => clear(startValues(fixedPatient, initial))} />}
      <ErrorSummary errors={errors} labels={labels} idOf={idOf} attempt={failure?.attempt} testId={`${idPrefix}-error-summary`} />
      <div className="form-grid">
        {!fixedPatient && (
          <FormField label={t('forms.patient')} errors={errors.fields.patient} id={idOf('patient')} hint={t('forms.patientHint')}>
            {(p) => (
              <PatientPicker
                patients={patients}
                text={values.patientText}
                selectedId={values.patientId}
                onText={(text) => setValues((v) => ({ ...v, patientText: text, patientId: '' }))}
                onPick={(patient) => setValues((v) => ({ ...v, patientText: patientLabel(patient), patientId: patient.id }))}
                inputProps={p}
              />
            )}
          </FormField>
        )}
        <fieldset className="kind-choice">
          <legend>{t('forms.kindOfRecord')}</legend>
          {KINDS.map((k) => (
            <label key={k} className="inline">
              <input type="radio" name={`${idPrefix}-recordKind`} value={k} checked={kind === k} onChange={() => setValues((v) => ({ ...v, type: k }))} />
              {t(`forms.${k}`)}
            </label>
          ))}
        </fieldset>
        <FormField label={t('forms.date')} errors={errors.fields.date} id={idOf('date')}>
          {(p) => <input {...p} name="date" type="date" value={values.date} onChange={set('date')} />}
        </FormField>
        {kind === 'session' && (
          <FormField label={t('forms.sessionKind')} errors={errors.fields.kind} id={idOf('kind')}>
            {(p) => (
              <select {...p} name="sessionKind" value={values.sessionKind} onChange={set('sessionKind')}>
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
            <FormField label={t('forms.instrument')} errors={errors.fields.instrument} id={idOf('instrument')}>
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
            <FormField label={t('forms.value')} errors={errors.fields.value} id={idOf('value')} hint={t('forms.decimalHint')}>
              {(p) => <input {...p} name="value" inputMode="decimal" autoComplete="off" value={values.value} onChange={set('value')} />}
            </FormField>
          </>
        )}
        {kind === 'event' && (
          <FormField label={t('forms.eventKind')} errors={errors.fields.kind} id={idOf('kind')}>
            {(p) => (
              <select {...p} name="eventKind" value={values.eventKind} onChange={set('eventKind')}>
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
