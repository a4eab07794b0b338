import { useTranslation } from 'react-i18next';
import { FormField } from '../practice/form-field';

export const REASON_MIN = 3;
export const REASON_MAX = 500;

/** The form's own check of the reason (the API checks it again: CORRECTION.REASON_REQUIRED). */
export function reasonProblem(reason: string, required: boolean): boolean {
  const length = reason.trim().length;
  if (length === 0) return required;
  return length < REASON_MIN || length > REASON_MAX;
}

/** The reason of a correction: required (3-500 characters), or an optional note for a normal ending. */
export function ReasonField({ id, value, onChange, errors, optional = false }: { id: string; value: string; onChange(value: string): void; errors?: string[]; optional?: boolean }) {
  const { t } = useTranslation();
  return (
    <FormField id={id} label={optional ? t('corrections.reasonOptional') : t('corrections.reason')} hint={optional ? t('corrections.reasonOptionalHint') : t('corrections.reasonHint')} errors={errors}>
      {(p) => <textarea {...p} name="reason" rows={3} maxLength={REASON_MAX} required={!optional} value={value} onChange={(e) => onChange(e.target.value)} data-testid="correction-reason" />}
    </FormField>
  );
}
