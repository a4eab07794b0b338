import { FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { postJson } from '../api/client';
import type { CreatePatient, Patient } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { DraftNotice } from './draft-notice';
import { draftKey, useDraft } from './drafts';
import { ErrorSummary } from './error-summary';
import { FormErrors, NO_ERRORS, toFormErrors } from './field-errors';
import { FormField } from './form-field';
import { decimalForApi } from './parse-number';

const FIELDS = ['ref', 'insurer', 'bsn', 'birthYear', 'sex', 'goldStage', 'profile', 'referralDate', 'intakeDate'] as const;
type Field = (typeof FIELDS)[number];

// No silent defaults (issue 14): sex, insurer, GOLD stage and profile start unchosen and are required choices.
const EMPTY: Record<Field, string> = { ref: '', insurer: '', bsn: '', birthYear: '', sex: '', goldStage: '', profile: '', referralDate: '', intakeDate: '' };
const SEXES = ['F', 'M', 'X'] as const;
// GOLD 1 is not eligible (DOMAIN.md: GOLD stage >= 2), so it is not offered; KNGF profiles 1-6.
const GOLD_STAGES = ['2', '3', '4'] as const;
const PROFILES = ['1', '2', '3', '4', '5', '6'] as const;

/** Enrols a patient of this practice; the API's messages appear at their fields and in the focused error summary. */
export function EnrolForm({ practice, insurers, onEnrolled }: { practice: string; insurers: { uzovi: string; name: string }[]; onEnrolled(patient: Patient): void }) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const { values, setValues, restored, clear } = useDraft<Record<Field, string>>(user ? draftKey(user.id, 'enrol', practice) : null, EMPTY);
  // The refused answer itself, worded in the interface language at render (a language switch re-words it).
  const [failure, setFailure] = useState<{ error: unknown; attempt: number } | null>(null);
  const errors: FormErrors = useMemo(() => (failure ? toFormErrors(failure.error, [...FIELDS], i18n.language) : NO_ERRORS), [failure, i18n.language]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (field: string) => `enrol-${field}`;

  useEffect(() => {
    if (restored) formRef.current?.scrollIntoView({ block: 'start' });
  }, [restored]);

  const set = (field: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  const orUndefined = (v: string) => (v.trim() === '' ? undefined : v.trim());

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setDone(null);
    // Empty fields are left out, so the API names each missing one (SHAPE.REQUIRED) instead of reading '' or 0.
    const body = {
      practice,
      insurer: orUndefined(values.insurer),
      ref: orUndefined(values.ref),
      ...(values.bsn.trim() ? { bsn: values.bsn.trim() } : {}),
      birthYear: decimalForApi(values.birthYear, i18n.language),
      sex: orUndefined(values.sex),
      goldStage: values.goldStage ? Number(values.goldStage) : undefined,
      profile: values.profile ? Number(values.profile) : undefined,
      referralDate: orUndefined(values.referralDate),
      intakeDate: orUndefined(values.intakeDate),
    } as unknown as CreatePatient;
    try {
      const { body: patient } = await postJson<Patient>('/api/v1/patients', body);
      setFailure(null);
      setDone(t('forms.enrolled', { ref: patient.ref, pseudonym: patient.pseudonym }));
      clear({ ...EMPTY, insurer: values.insurer });
      onEnrolled(patient);
    } catch (error) {
      setFailure((f) => ({ error, attempt: (f?.attempt ?? 0) + 1 }));
    } finally {
      setBusy(false);
    }
  }

  const labels = Object.fromEntries(FIELDS.map((f) => [f, t(`forms.${f}`)]));
  const field = (name: Field) => errors.fields[name];
  const choose = <option value="">{t('forms.choose')}</option>;
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="enrol-title" data-testid="enrol-form" className="record-form">
      <h3 id="enrol-title">{t('forms.enrolTitle')}</h3>
      {restored && <DraftNotice onDiscard={() => clear(EMPTY)} />}
      <ErrorSummary errors={errors} labels={labels} idOf={idOf} attempt={failure?.attempt} testId="enrol-error-summary" />
      <div className="form-grid">
        <FormField label={t('forms.ref')} errors={field('ref')} id={idOf('ref')}>
          {(p) => <input {...p} name="ref" value={values.ref} onChange={set('ref')} autoComplete="off" aria-required="true" />}
        </FormField>
        <FormField label={t('forms.insurer')} errors={field('insurer')} id={idOf('insurer')}>
          {(p) => (
            <select {...p} name="insurer" value={values.insurer} onChange={set('insurer')} aria-required="true">
              {choose}
              {insurers.map((i) => (
                <option key={i.uzovi} value={i.uzovi}>
                  {i.name} ({i.uzovi})
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('forms.bsn')} errors={field('bsn')} id={idOf('bsn')}>
          {(p) => <input {...p} name="bsn" value={values.bsn} onChange={set('bsn')} inputMode="numeric" autoComplete="off" />}
        </FormField>
        <FormField label={t('forms.birthYear')} errors={field('birthYear')} id={idOf('birthYear')}>
          {(p) => <input {...p} name="birthYear" inputMode="numeric" autoComplete="off" value={values.birthYear} onChange={set('birthYear')} aria-required="true" />}
        </FormField>
        <FormField label={t('forms.sex')} errors={field('sex')} id={idOf('sex')}>
          {(p) => (
            <select {...p} name="sex" value={values.sex} onChange={set('sex')} aria-required="true">
              {choose}
              {SEXES.map((s) => (
                <option key={s} value={s}>
                  {t(`forms.sexes.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('forms.goldStage')} errors={field('goldStage')} id={idOf('goldStage')}>
          {(p) => (
            <select {...p} name="goldStage" value={values.goldStage} onChange={set('goldStage')} aria-required="true">
              {choose}
              {GOLD_STAGES.map((s) => (
                <option key={s} value={s}>
                  {t(`forms.goldStages.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('forms.profile')} errors={field('profile')} id={idOf('profile')}>
          {(p) => (
            <select {...p} name="profile" value={values.profile} onChange={set('profile')} aria-required="true">
              {choose}
              {PROFILES.map((s) => (
                <option key={s} value={s}>
                  {t(`forms.profiles.${s}`)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('forms.referralDate')} errors={field('referralDate')} id={idOf('referralDate')}>
          {(p) => <input {...p} name="referralDate" type="date" value={values.referralDate} onChange={set('referralDate')} aria-required="true" />}
        </FormField>
        <FormField label={t('forms.intakeDate')} errors={field('intakeDate')} id={idOf('intakeDate')}>
          {(p) => <input {...p} name="intakeDate" type="date" value={values.intakeDate} onChange={set('intakeDate')} aria-required="true" />}
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
