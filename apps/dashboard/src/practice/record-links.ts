import type { RecordFormInitial, RecordKind } from './record-form';

/*
 * The address of a pre-filled record form: /patienten/<id>?registreer=meting&instrument=SIX_MWT&datum=2026-12-01
 * #registreren. A worklist row links there; the record page reads it back with recordInitialFromSearch and passes it
 * to RecordForm as `initial`. Dutch words in the URL like the app's other addresses.
 */
const TYPE_WORDS: Record<RecordKind, string> = { session: 'behandeling', measurement: 'meting', event: 'gebeurtenis' };
const INSTRUMENT_CODES = ['SIX_MWT', 'CCQ', 'CAT', 'MMRC', 'STEPS'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The anchor of the record form on the record page. */
export const RECORD_FORM_ANCHOR = 'registreren';

/** A worklist row's link: CCQ_OR_CAT is filled in as CCQ (the user may switch to CAT). */
export function measurementFormHref(patientId: string, instrument: string, date: string): string {
  const search = new URLSearchParams({ registreer: TYPE_WORDS.measurement, instrument: instrument === 'CCQ_OR_CAT' ? 'CCQ' : instrument, datum: date });
  return `/patienten/${encodeURIComponent(patientId)}?${search.toString()}#${RECORD_FORM_ANCHOR}`;
}

/** The pre-fill in a record page's address, or undefined when it asks for none; unknown words are ignored. */
export function recordInitialFromSearch(search: URLSearchParams): RecordFormInitial | undefined {
  const word = search.get('registreer');
  const type = (Object.keys(TYPE_WORDS) as RecordKind[]).find((k) => TYPE_WORDS[k] === word);
  if (!type) return undefined;
  const instrument = search.get('instrument') ?? undefined;
  const date = search.get('datum') ?? undefined;
  return {
    type,
    ...(type === 'measurement' && instrument && INSTRUMENT_CODES.includes(instrument) ? { instrument } : {}),
    ...(date && ISO_DATE.test(date) ? { date } : {}),
  };
}
