/**
 * The import report (issue 15) as POST /api/v1/imports/dry-run answers it. Local types written against the shape agreed
 * in the design (shared15.md item 3) until the routes land in the generated schema (api/schema.d.ts).
 */

export type ImportFormat = 'csv' | 'fhir';
export const CSV_KINDS = ['patients', 'sessions', 'measurements', 'events'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export type PatientStatus = 'CREATE' | 'UPDATE' | 'UNCHANGED' | 'REFUSED';
export const PATIENT_STATUSES: PatientStatus[] = ['CREATE', 'UPDATE', 'UNCHANGED', 'REFUSED'];
export type RecordStatus = PatientStatus | 'SKIPPED';
export const RECORD_STATUSES: RecordStatus[] = ['CREATE', 'UPDATE', 'UNCHANGED', 'REFUSED', 'SKIPPED'];
export type RecordEntity = 'SESSION' | 'MEASUREMENT' | 'EVENT';

/** Where a record came from: the file and its 1-based data row (CSV) or its resource (FHIR). */
export interface ImportSource {
  file: string;
  row?: number | null;
  resource?: string | null;
}

export interface ImportChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

export interface ImportProblem {
  source: ImportSource;
  field: string;
  code: string;
  /** Worded by the API in the request's language. */
  message: string;
  /** The values the message is worded from (the dashboard re-words it by code on a language switch). */
  params?: Record<string, string | number | null>;
}

export interface ImportPatient {
  key: string;
  ref: string | null;
  pseudonym: string | null;
  status: PatientStatus;
  changes: ImportChange[];
  /** Field names of DOMAIN.md section 3 the patient still lacks for enrolment (goldStage, insurer, ...). */
  missingForEnrolment: string[];
  problems: ImportProblem[];
}

export interface ImportRecord {
  source: ImportSource;
  entity: RecordEntity;
  patientKey: string;
  date: string;
  status: RecordStatus;
  changes?: ImportChange[];
  problems?: ImportProblem[];
}

export interface StatusCounts {
  create: number;
  update: number;
  unchanged: number;
  refused: number;
}

export interface ImportReport {
  digest: string;
  format: ImportFormat;
  kind?: CsvKind | null;
  experiment?: string;
  read: number;
  summary: { patients: StatusCounts; records: StatusCounts & { skipped: number } };
  patients: ImportPatient[];
  records: ImportRecord[];
}

/** The mapping: what the source does not hold (shared15.md item 2). */
export interface PatientMapping {
  goldStage?: number;
  profile?: number;
  intakeDate?: string;
  referralDate?: string;
  insurer?: string;
  ref?: string;
}

export interface ImportMapping {
  practice?: string;
  insurer?: string;
  patients?: Record<string, PatientMapping>;
}

/** One streamed progress line: `{"progress":{"phase":"read","done":N,"total":M}}`. */
export interface ImportProgress {
  phase: 'read' | 'check' | 'write';
  done: number;
  total?: number;
}

/** What the confirm answers: the report of the plan it wrote, with the counts written. */
export type ConfirmResult = ImportReport & { written?: { patients: number; records: number } };
