import { FormEvent, ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../api/client';
import type { Patient } from '../api/types';
import { ErrorSummary } from '../practice/error-summary';
import { FormErrors, NO_ERRORS, toFormErrors } from '../practice/field-errors';
import { FormField } from '../practice/form-field';
import { ModalDialog } from './modal-dialog';
import { ReasonField, reasonProblem } from './reason-field';

export const END_REASONS = ['COMPLETED', 'DECEASED', 'MOVED', 'DROPPED_OUT', 'REFERRED_TO_REHABILITATION', 'OTHER'] as const;
// Choices, not free numbers (issue 14 item 5): GOLD 2-4 are eligible; the KNGF profiles are 1-6.
const GOLD_STAGES = ['2', '3', '4'];
const PROFILES = ['1', '2', '3', '4', '5', '6'];
const SEXES = ['F', 'M', 'X'];

const EDIT_FIELDS = ['referralDate', 'intakeDate', 'birthYear', 'sex', 'goldStage', 'profile', 'endDate', 'endReason'] as const;
type EditField = (typeof EDIT_FIELDS)[number];
const NUMERIC: EditField[] = ['birthYear', 'goldStage', 'profile'];

export type EnrolmentAction = { mode: 'edit' | 'end'; patient: Patient };

const textOf = (value: unknown) => (value === null || value === undefined ? '' : String(value));
/** The current value among the choices, so a stored value outside them (GOLD 1) still shows what it is. */
const withCurrent = (choices: string[], current: string) => (current && !choices.includes(current) ? [current, ...choices] : choices);

/**
 * Corrects the enrolment (PATCH /api/v1/patients/:id with the changed fields and a required reason), or ends it:
 * an end date and end reason on an enrolment without an end, where the end reason is what is kept and a note is optional.
 */
export function EnrolmentCorrection({ action, onClose, onDone }: { action: EnrolmentAction; onClose(): void; onDone(message: string): void }) {
  const { t } = useTranslation();
  const { mode, patient } = action;
  const start = Object.fromEntries(EDIT_FIELDS.map((f) => [f, textOf(patient[f])])) as Record<EditField, string>;
  const [values, setValues] = useState(start);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const idOf = (field: string) => `enrolment-${field}`;
  const set = (field: EditField) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  // The end date and reason are corrected here only once the enrolment has ended; ending it is its own dialog.
  const shown: EditField[] = mode === 'end' ? ['endDate', 'endReason'] : EDIT_FIELDS.filter((f) => patient.endDate || (f !== 'endDate' && f !== 'endReason'));

  function body(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of shown) {
      if (mode === 'edit' && values[field] === start[field]) continue;
      const raw = values[field].trim();
      out[field] = raw === '' ? null : NUMERIC.includes(field) && /^\d+$/.test(raw) ? Number(raw) : raw;
    }
    return out;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes = body();
    const local: FormErrors = { fields: {}, form: [] };
    if (mode === 'end') {
      if (!values.endDate) local.fields.endDate = [t('corrections.endDateRequired')];
      if (!values.endReason) local.fields.endReason = [t('corrections.endReasonRequired')];
    }
    if (reasonProblem(reason, mode === 'edit')) local.fields.reason = [t('corrections.reasonRequired')];
    if (mode === 'edit' && Object.keys(changes).length === 0) local.form.push(t('corrections.nothingChanged'));
    if (Object.keys(local.fields).length > 0 || local.form.length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    try {
      await request('PATCH', `/api/v1/patients/${encodeURIComponent(patient.id)}`, { ...changes, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      onDone(mode === 'end' ? t('corrections.ended') : t('corrections.saved'));
    } catch (error) {
      setErrors(toFormErrors(error, [...EDIT_FIELDS, 'reason']));
      setBusy(false);
    }
  }

  const labels: Record<string, string> = { ...Object.fromEntries(EDIT_FIELDS.map((f) => [f, t(`record.fields.${f}`)])), reason: mode === 'end' ? t('corrections.reasonOptional') : t('corrections.reason') };
  const select = (field: EditField, choices: string[], label: (c: string) => string, placeholder?: string) => (
    <FormField key={field} id={idOf(field)} label={labels[field]} errors={errors.fields[field]}>
      {(p) => (
        <select {...p} name={field} value={values[field]} onChange={set(field)}>
          {(placeholder !== undefined || values[field] === '') && <option value="">{placeholder ?? t('corrections.chooseOption')}</option>}
          {withCurrent(choices, start[field]).map((c) => (
            <option key={c} value={c}>
              {label(c)}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
  const input = (field: EditField, type: 'date' | 'text') => (
    <FormField key={field} id={idOf(field)} label={labels[field]} errors={errors.fields[field]}>
      {(p) => <input {...p} name={field} type={type} inputMode={type === 'text' ? 'numeric' : undefined} autoComplete="off" value={values[field]} onChange={set(field)} />}
    </FormField>
  );
  const control: Record<EditField, () => ReactNode> = {
    referralDate: () => input('referralDate', 'date'),
    intakeDate: () => input('intakeDate', 'date'),
    birthYear: () => input('birthYear', 'text'),
    sex: () => select('sex', SEXES, (s) => t(`forms.sexes.${s}`)),
    goldStage: () => select('goldStage', GOLD_STAGES, (s) => s),
    profile: () => select('profile', PROFILES, (s) => s),
    endDate: () => input('endDate', 'date'),
    endReason: () => select('endReason', [...END_REASONS], (r) => t(`record.endReasons.${r}`), mode === 'end' ? t('corrections.chooseEndReason') : undefined),
  };

  return (
    <ModalDialog title={t(`corrections.titles.${mode}PATIENT`, { ref: patient.ref })} onClose={onClose} fallbackFocus="record-enrolment-title" testId="enrolment-dialog">
      <form onSubmit={submit} noValidate className="correction-form" data-testid={`enrolment-${mode}`}>
        <ErrorSummary errors={errors} labels={labels} idOf={idOf} testId="enrolment-errors" />
        <div className="form-grid">{shown.map((field) => control[field]())}</div>
        <ReasonField id={idOf('reason')} value={reason} onChange={setReason} errors={errors.fields.reason} optional={mode === 'end'} />
        <div className="dialog-actions">
          <button type="submit" disabled={busy} data-testid="enrolment-submit">
            {busy ? t('corrections.busy') : mode === 'end' ? t('corrections.saveEnd') : t('corrections.save')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('corrections.cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
