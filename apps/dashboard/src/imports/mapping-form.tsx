import { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormField } from '../practice/form-field';
import type { ImportPatient } from './import-types';
import type { MappingValues } from './mapping';
import { fieldText, MappableField } from './report-rows';

const GOLD_STAGES = ['2', '3', '4'] as const;
const PROFILES = ['1', '2', '3', '4', '5', '6'] as const;
/** Per patient the form asks these (the insurer once for all, above); the rest a patient misses must come from the file. */
const PER_PATIENT: MappableField[] = ['goldStage', 'profile', 'referralDate', 'intakeDate'];

/**
 * The mapping form: the insurer (from the practice's contracts, as the enrol form) and, per patient the report says
 * misses something for enrolment, the GOLD stage, KNGF profile and dates it misses. Submitting runs the dry run again.
 */
export function MappingForm({
  patients,
  insurers,
  values,
  onChange,
  onRun,
  busy,
}: {
  patients: ImportPatient[];
  insurers: { uzovi: string; name: string }[];
  values: MappingValues;
  onChange(values: MappingValues): void;
  onRun(): void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const idOf = (key: string, field: string) => `map-${field}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const setPatient = (key: string, field: MappableField, value: string) =>
    onChange({ ...values, patients: { ...values.patients, [key]: { ...values.patients[key], [field]: value } } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onRun();
  };
  const choose = <option value="">{t('forms.choose')}</option>;
  const needsInsurer = patients.some((p) => p.missingForEnrolment.includes('insurer'));

  return (
    <form onSubmit={submit} noValidate aria-labelledby="import-mapping-title" data-testid="import-mapping" className="record-form">
      <h3 id="import-mapping-title">{t('imports.mappingTitle')}</h3>
      <p>{t('imports.mappingIntro')}</p>
      <div className="form-grid">
        <FormField label={t('imports.mappingInsurer')} hint={needsInsurer ? t('imports.mappingInsurerHint') : undefined} id="map-insurer">
          {(p) => (
            <select {...p} name="insurer" value={values.insurer} onChange={(e) => onChange({ ...values, insurer: e.target.value })}>
              {choose}
              {insurers.map((i) => (
                <option key={i.uzovi} value={i.uzovi}>
                  {i.name} ({i.uzovi})
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      {patients.map((patient) => {
        const asked = PER_PATIENT.filter((f) => patient.missingForEnrolment.includes(f));
        const rest = patient.missingForEnrolment.filter((f) => !PER_PATIENT.includes(f as MappableField) && f !== 'insurer' && f !== 'practice');
        const own = values.patients[patient.key] ?? {};
        return (
          <fieldset key={patient.key} className="import-mapping-patient" data-testid="import-mapping-patient" data-key={patient.key}>
            <legend>{t('imports.mappingPatient', { name: patient.ref ?? patient.key, missing: patient.missingForEnrolment.map((f) => fieldText(f, t)).join(', ') })}</legend>
            <div className="form-grid">
              {asked.includes('goldStage') && (
                <FormField label={t('forms.goldStage')} id={idOf(patient.key, 'goldStage')}>
                  {(p) => (
                    <select {...p} value={own.goldStage ?? ''} onChange={(e) => setPatient(patient.key, 'goldStage', e.target.value)}>
                      {choose}
                      {GOLD_STAGES.map((s) => (
                        <option key={s} value={s}>
                          {t(`forms.goldStages.${s}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
              )}
              {asked.includes('profile') && (
                <FormField label={t('forms.profile')} id={idOf(patient.key, 'profile')}>
                  {(p) => (
                    <select {...p} value={own.profile ?? ''} onChange={(e) => setPatient(patient.key, 'profile', e.target.value)}>
                      {choose}
                      {PROFILES.map((s) => (
                        <option key={s} value={s}>
                          {t(`forms.profiles.${s}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
              )}
              {asked.includes('referralDate') && (
                <FormField label={t('forms.referralDate')} id={idOf(patient.key, 'referralDate')}>
                  {(p) => <input {...p} type="date" value={own.referralDate ?? ''} onChange={(e) => setPatient(patient.key, 'referralDate', e.target.value)} />}
                </FormField>
              )}
              {asked.includes('intakeDate') && (
                <FormField label={t('forms.intakeDate')} id={idOf(patient.key, 'intakeDate')}>
                  {(p) => <input {...p} type="date" value={own.intakeDate ?? ''} onChange={(e) => setPatient(patient.key, 'intakeDate', e.target.value)} />}
                </FormField>
              )}
            </div>
            {rest.length > 0 && <p className="field-hint">{t('imports.mappingFromFile', { fields: rest.map((f) => fieldText(f, t)).join(', ') })}</p>}
          </fieldset>
        );
      })}
      <button type="submit" disabled={busy} data-testid="import-mapping-run">
        {t('imports.mappingRun')}
      </button>
    </form>
  );
}
