import { isAgbCode, isUzoviCode, type Violation } from '@copd/domain';
import { AppError } from '../../core/errors/app-error';

/**
 * What the source does not hold, supplied by the user (a form in the page, --mapping file.json in the CLI):
 * the practice's AGB and the insurer's UZOVI for every patient that lacks one, and per patient (by its key in
 * the upload) any enrolment field. Reading: a field named for a patient overrides the source; the global
 * practice and insurer only fill a patient whose source names none; stored values fill what is still missing.
 */
export const MAPPED_PATIENT_FIELDS = [
  'ref',
  'practice',
  'insurer',
  'birthYear',
  'sex',
  'goldStage',
  'profile',
  'referralDate',
  'intakeDate',
  'endDate',
  'endReason',
] as const;
export type MappedPatientField = (typeof MAPPED_PATIENT_FIELDS)[number];

export interface ImportMapping {
  practice?: string;
  insurer?: string;
  patients?: Record<string, Partial<Record<MappedPatientField, string | number | null>>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The mapping from its JSON text (absent or blank: none); 400 IMPORT.MAPPING_INVALID naming every wrong entry. */
export function parseMapping(text: string | undefined): ImportMapping {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid([{ code: 'IMPORT.MAPPING_NOT_JSON', path: 'mapping', message: 'De koppeling (mapping) is geen geldige JSON.', params: {} }]);
  }
  const found: Violation[] = [];
  const wrong = (path: string, v: unknown) =>
    found.push({ code: 'IMPORT.MAPPING_INVALID', path, message: `De koppeling heeft een ongeldige waarde bij ${path}.`, params: { value: String(v).slice(0, 40), at: path } });
  if (!isObject(value)) {
    wrong('mapping', value);
    throw invalid(found);
  }
  for (const key of Object.keys(value)) if (!['practice', 'insurer', 'patients'].includes(key)) wrong(key, key);
  if (value.practice !== undefined && !isAgbCode(value.practice)) wrong('practice', value.practice);
  if (value.insurer !== undefined && !isUzoviCode(value.insurer)) wrong('insurer', value.insurer);
  if (value.patients !== undefined) {
    if (!isObject(value.patients)) wrong('patients', value.patients);
    else {
      for (const [key, fields] of Object.entries(value.patients)) {
        if (!isObject(fields)) {
          wrong(`patients.${key}`, fields);
          continue;
        }
        for (const [field, v] of Object.entries(fields)) {
          const ok =
            (MAPPED_PATIENT_FIELDS as readonly string[]).includes(field) &&
            (v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
          if (!ok) wrong(`patients.${key}.${field}`, v);
        }
      }
    }
  }
  if (found.length > 0) throw invalid(found);
  return value as ImportMapping;
}

function invalid(violations: Violation[]): AppError {
  return new AppError('INVALID_REQUEST', 'IMPORT.MAPPING_INVALID', 'De koppeling (mapping) is niet geldig; zie "errors". Er is niets opgeslagen.', violations);
}
