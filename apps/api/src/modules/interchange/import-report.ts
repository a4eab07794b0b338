import type { SourceLocator } from './source-records';

/** The answer of a dry run (and of a confirm): per patient and per record what the import will do, and why not. */
export type PatientStatus = 'CREATE' | 'UPDATE' | 'UNCHANGED' | 'REFUSED';
export type RecordStatus = PatientStatus | 'SKIPPED';
export type RecordEntity = 'SESSION' | 'MEASUREMENT' | 'EVENT';

export interface ReportProblem {
  source: SourceLocator;
  field: string;
  code: string;
  message: string;
}

export interface FieldChangeReport {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

export interface PatientReport {
  key: string;
  ref: string | null;
  pseudonym: string | null;
  status: PatientStatus;
  changes: FieldChangeReport[];
  missingForEnrolment: string[];
  problems: ReportProblem[];
}

export interface RecordReport {
  source: SourceLocator;
  entity: RecordEntity;
  patientKey: string;
  date: string;
  status: RecordStatus;
  changes?: FieldChangeReport[];
  problems?: ReportProblem[];
}

export interface StatusCounts {
  create: number;
  update: number;
  unchanged: number;
  refused: number;
}

export interface ImportReport {
  digest: string;
  format: 'csv' | 'fhir';
  kind?: string;
  experiment: string;
  read: number;
  summary: { patients: StatusCounts; records: StatusCounts & { skipped: number } };
  patients: PatientReport[];
  records: RecordReport[];
  /** Present after a confirm: what was written. */
  written?: { patients: number; records: number };
}
