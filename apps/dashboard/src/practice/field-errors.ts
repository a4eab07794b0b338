import i18next from 'i18next';
import { formatViolation } from '@copd/domain';
import { ApiProblem, Violation } from '../api/client';

/** One error as the error summary lists it: the field it belongs to (null: the form), its code and its text. */
export interface FormErrorEntry {
  field: string | null;
  code: string;
  text: string;
}

/** The API's violations by form field ('goldStage', 'value'); those that match no field go to the form. */
export interface FormErrors {
  fields: Record<string, string[]>;
  form: string[];
  /** Every error in the API's order, for a summary that links each one to its field. */
  entries?: FormErrorEntry[];
}

export const NO_ERRORS: FormErrors = { fields: {}, form: [], entries: [] };

/**
 * A violation in the interface's language, worded by its code from the catalogue (libs/domain messages.ts); a code
 * the catalogue does not know keeps the API's message (which the API already wrote in the request's language).
 */
export function violationText(v: Violation, language: string = i18next.language ?? 'nl'): string {
  return formatViolation(v, language);
}

export function toFormErrors(error: unknown, fieldNames: string[], language: string = i18next.language ?? 'nl'): FormErrors {
  if (!(error instanceof ApiProblem)) {
    const text = String((error as Error)?.message ?? error);
    return { fields: {}, form: [text], entries: [{ field: null, code: 'CLIENT.ERROR', text }] };
  }
  const fields: Record<string, string[]> = {};
  const form: string[] = [];
  const entries: FormErrorEntry[] = [];
  const violations: Violation[] = error.errors.length > 0 ? error.errors : [{ code: error.code, path: '', message: error.message }];
  for (const v of violations) {
    // 'bundle.intake' -> 'bundle.intake'; '[0].date' (batch) -> 'date'; the first segment decides otherwise.
    const path = v.path.replace(/^\[\d+\]\.?/, '');
    const field = fieldNames.find((name) => path === name || path.startsWith(`${name}.`));
    const text = violationText(v, language);
    if (field) (fields[field] ??= []).push(text);
    else form.push(text);
    entries.push({ field: field ?? null, code: v.code, text });
  }
  if (error.errors.length > 0 && Object.keys(fields).length === 0 && form.length === 0) form.push(error.message);
  return { fields, form, entries };
}
