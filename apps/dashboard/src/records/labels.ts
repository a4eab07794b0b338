import type { TFunction } from 'i18next';
import { formatDate } from '../format';
import type { NextDue, Problem } from './record-types';

/** "6MWT, nulmeting: 1 december 2026 – 15 december 2026" (instrument, milestone and window dates). */
export function nextDueText(due: NextDue, t: TFunction, language: string): string {
  return t('patients.nextDue', {
    instrument: t(`patients.instruments.${due.instrument}`, { defaultValue: due.instrument }),
    milestone: t(`record.milestones.${due.milestone}`),
    start: formatDate(due.windowStart, language),
    end: formatDate(due.windowEnd, language),
  });
}

export function problemLabel(problem: Problem, t: TFunction): string {
  return t(`record.problemLabels.${problem}`, { defaultValue: problem });
}

/** A value of the history's "from -> to": dates read as dates, codes as the words the forms use. */
export function historyValue(field: string, value: unknown, t: TFunction, language: string): string {
  if (value === null || value === undefined || value === '') return t('record.emptyValue');
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return formatDate(text, language);
  if (field === 'endReason') return t(`record.endReasons.${text}`, { defaultValue: text });
  if (field === 'sex') return t(`forms.sexes.${text}`, { defaultValue: text });
  if (field === 'instrument') return t(`patients.instruments.${text}`, { defaultValue: text });
  if (field === 'kind') return t(`forms.sessionKinds.${text}`, { defaultValue: t(`forms.eventKinds.${text}`, { defaultValue: text }) });
  if (typeof value === 'number') return value.toLocaleString('nl-NL');
  return text;
}

/** The label of a corrected field (record.fields), or the API's name when the page has none. */
export function fieldLabel(field: string, t: TFunction): string {
  return t(`record.fields.${field}`, { defaultValue: field });
}
