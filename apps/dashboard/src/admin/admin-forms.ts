import { ApiProblem, request } from '../api/client';
import { FormErrors, NO_ERRORS, toFormErrors } from '../practice/field-errors';

/**
 * The API's errors of an administration form by field: an item of a list ('practices[0]') belongs to the list's
 * field, so the message stands at the input where the codes are typed. Worded in the interface's language at render,
 * so a language switch re-words them.
 */
export function adminFormErrors(error: unknown, fields: string[], language: string): FormErrors {
  if (error === null || error === undefined) return NO_ERRORS;
  if (!(error instanceof ApiProblem)) return toFormErrors(error, fields, language);
  const errors = error.errors.map((v) => ({ ...v, path: v.path.replace(/\[\d+\]/, '') }));
  return toFormErrors(new ApiProblem(error.status, error.code, error.message, errors), fields, language);
}

/** AGB codes typed as '12345678, 87654321' or one per line. */
export function codeList(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** A date and time as the interface's language writes it, in Amsterdam time (the users' clock). */
export function formatTimestamp(iso: string | null | undefined, language: string): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

export async function sendJson<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return (await request<T>(method, path, body)).body;
}

/** The last day an expiry lets through: the API stores `expiresOn` as the start of the next day in Amsterdam. */
export function lastValidDay(expiresAt: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short' }).format(
    new Date(Date.parse(expiresAt) - 1),
  );
}
