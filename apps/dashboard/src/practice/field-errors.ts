import { ApiProblem, Violation } from '../api/client';

/** The API's violations by form field ('goldStage', 'value'); those that match no field go to the form. */
export interface FormErrors {
  fields: Record<string, string[]>;
  form: string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, form: [] };

export function toFormErrors(error: unknown, fieldNames: string[]): FormErrors {
  if (!(error instanceof ApiProblem)) return { fields: {}, form: [String((error as Error)?.message ?? error)] };
  const fields: Record<string, string[]> = {};
  const form: string[] = [];
  const violations: Violation[] = error.errors.length > 0 ? error.errors : [{ code: error.code, path: '', message: error.message }];
  for (const v of violations) {
    // 'bundle.intake' -> 'bundle.intake'; '[0].date' (batch) -> 'date'; the first segment decides otherwise.
    const path = v.path.replace(/^\[\d+\]\.?/, '');
    const field = fieldNames.find((name) => path === name || path.startsWith(`${name}.`));
    if (field) (fields[field] ??= []).push(v.message);
    else form.push(v.message);
  }
  if (error.errors.length > 0 && Object.keys(fields).length === 0 && form.length === 0) form.push(error.message);
  return { fields, form };
}
