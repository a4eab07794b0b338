/** The patient search of the record form, without React (a practice has ~100-150 patients, all loaded). */
export interface PickablePatient {
  id: string;
  ref: string;
  pseudonym: string;
}

/** At most this many matches are offered; typing more narrows them (a practice has ~100-150 patients). */
const MAX_MATCHES = 8;

/**
 * Matches as GET /patient-records?q= reads them: the practice's own ref as a case-insensitive substring, or the
 * pseudonym as a case-insensitive prefix; refs in natural order.
 */
export function matchPatients(patients: PickablePatient[], query: string, limit = MAX_MATCHES): PickablePatient[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  return patients
    .filter((p) => p.ref.toLowerCase().includes(q) || p.pseudonym.toLowerCase().startsWith(q))
    .sort((a, b) => a.ref.localeCompare(b.ref, 'nl', { numeric: true }))
    .slice(0, limit);
}

export const patientLabel = (p: PickablePatient) => `${p.ref} (${p.pseudonym})`;
