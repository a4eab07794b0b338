import type { Role } from '../auth/auth-context';

/** Who opens the patient list and records: a practice (its own patients) and the evaluator (per practice, read-only). */
export const PATIENT_ROLES: Role[] = ['PRACTICE', 'EVALUATOR'];

/** Who corrects a record: only the practice that entered it (the API refuses everyone else). */
export const CORRECTING_ROLES: Role[] = ['PRACTICE'];
