import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../api/client';
import type { CreatePatient, Patient } from '../api/types';
import { FormErrors, NO_ERRORS, toFormErrors } from './field-errors';
import { FormAlert, FormField } from './form-field';

const FIELDS = ['ref', 'insurer', 'bsn', 'birthYear', 'sex', 'goldStage', 'profile', 'referralDate', 'intakeDate'] as const;
type Field = (typeof FIELDS)[number];

const EMPTY: Record<Field, string> = { ref: '', insurer: '', bsn: '', birthYear: '', sex: 'F', goldStage: '', profile: '', referralDate: '', intakeDate: '' };

const toInt = (v: string) => (v.trim() === '' ? undefined : Number(v));

/** Enrols a patient of this practice; the API's validation messages appear at their fields. */
export function EnrolForm({ practice, insurers, onEnrolled }: { practice: string; insurers: { uzovi: string; name: string }[]; onEnrolled(patient: Patient): void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<Field, string>>({ ...EMPTY, insurer: insurers[0]?.uzovi ?? '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const set = (field: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setDone(null);
    const body = {
      practice,
      insurer: values.insurer,
      ref: values.ref,
      ...(values.bsn.trim() ? { bsn: values.bsn.trim() } : {}),
      birthYear: toInt(values.birthYear),
      sex: values.sex,
      goldStage: toInt(values.goldStage),
      profile: toInt(values.profile),
      referralDate: values.referralDate,
      intakeDate: values.intakeDate,
    } as CreatePatient;
    try {
      const { body: patient } = await postJson<Patient>('/api/v1/patients', body);
      setErrors(NO_ERRORS);
      setDone(t('forms.enrolled', { ref: patient.ref, pseudonym: patient.pseudonym }));
      setValues({ ...EMPTY, insurer: values.insurer });
      onEnrolled(patient);
    } catch (error) {
      setErrors(toFormErrors(error, [...FIELDS]));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: Field) => errors.fields[name];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="enrol-title" data-testid="enrol-form" className="record-form">
      <h3 id="enrol-title">{t('forms.enrolTitle')}</h3>
      <FormAlert title={t('forms.errorSummary')} messages={errors.form} />
      <div className="form-grid">
        <FormField label={t('forms.ref')} errors={field('ref')}>
          {(p) => <input {...p} name="ref" value={values.ref} onChange={set('ref')} autoComplete="off" />}
        </FormField>
        <FormField label={t('forms.insurer')} errors={field('insurer')}>
          {(p) => (
            <select {...p} name="insurer" value={values.insurer} onChange={set('insurer')}>
              {insurers.map((i) => (
                <option key={i.uzovi} value={i.uzovi}>
                  {i.name} ({i.uzovi})
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('forms.bsn')} errors={field('bsn')}>
          {(p) => <input {...p} name="bsn" value={values.bsn} onChange={set('bsn')} inputMode="numeric" autoComplete="off" />}
        </FormField>
        <FormField label={t('forms.birthYear')} errors={field('birthYear')}>
          {(p) => <input {...p} name="birthYear" type="number" value={values.birthYear} onChange={set('birthYear')} />}
        </FormField>
        <FormField label={t('forms.sex')} errors={field('sex')}>
          {(p) => (
            <select {...p} name="sex" value={values.sex} onChange={set('sex')}>
              {(['F', 'M', 'X'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`forms.sexes.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('forms.goldStage')} errors={field('goldStage')}>
          {(p) => <input {...p} name="goldStage" type="number" value={values.goldStage} onChange={set('goldStage')} />}
        </FormField>
        <FormField label={t('forms.profile')} errors={field('profile')}>
          {(p) => <input {...p} name="profile" type="number" value={values.profile} onChange={set('profile')} />}
        </FormField>
        <FormField label={t('forms.referralDate')} errors={field('referralDate')}>
          {(p) => <input {...p} name="referralDate" type="date" value={values.referralDate} onChange={set('referralDate')} />}
        </FormField>
        <FormField label={t('forms.intakeDate')} errors={field('intakeDate')}>
          {(p) => <input {...p} name="intakeDate" type="date" value={values.intakeDate} onChange={set('intakeDate')} />}
        </FormField>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? t('forms.busy') : t('forms.submitEnrol')}
      </button>
      {done && (
        <p role="status" data-testid="enrol-done">
          {done}
        </p>
      )}
    </form>
  );
}
