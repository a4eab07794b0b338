/**
 * The source-record model every import reader (CSV, FHIR) produces and the import planner consumes.
 * Values are in the API's units: dates ISO yyyy-mm-dd, measurement values as POST /patients/:id/measurements takes them.
 */

/** Where a record came from: row is the 1-based data row (header = 0); resource 'Observation/abc' or the fullUrl. */
export interface SourceLocator {
  file: string;
  row?: number;
  resource?: string;
}

/** `key` identifies the patient inside the upload: the practice's own ref when the source has one, else the source's id. */
export interface SourcePatient {
  key: string;
  ref?: string;
  bsn?: string;
  practice?: string;
  insurer?: string;
  birthYear?: number;
  sex?: string;
  goldStage?: number;
  profile?: number;
  referralDate?: string;
  intakeDate?: string;
  endDate?: string | null;
  endReason?: string | null;
  source: SourceLocator;
}

export interface SourceSession {
  patientKey: string;
  /** The practice's AGB when the source names it per record (CSV); else the patient's. */
  practice?: string;
  date: string;
  kind: string;
  source: SourceLocator;
}

export interface SourceMeasurement {
  patientKey: string;
  /** The practice's AGB when the source names it per record (CSV); else the patient's. */
  practice?: string;
  date: string;
  instrument: string;
  value: number;
  source: SourceLocator;
}

export interface SourceEvent {
  patientKey: string;
  /** The practice's AGB when the source names it per record (CSV); else the patient's. */
  practice?: string;
  date: string;
  kind: string;
  source: SourceLocator;
}

export interface SourceProblem {
  source: SourceLocator;
  field: string;
  code: string;
  params: Record<string, string | number | null>;
}

export interface SourceSkip {
  source: SourceLocator;
  /** A stable code. */
  reason: string;
}

export interface SourceBatch {
  patients: SourcePatient[];
  sessions: SourceSession[];
  measurements: SourceMeasurement[];
  events: SourceEvent[];
  problems: SourceProblem[];
  skipped: SourceSkip[];
  /** Rows or resources read. */
  read: number;
}

export interface SourceFile {
  name: string;
  content: Buffer;
}

export type ReadProgress = (p: { phase: 'read' | 'check' | 'write'; done: number; total?: number }) => void;

export function emptyBatch(): SourceBatch {
  return { patients: [], sessions: [], measurements: [], events: [], problems: [], skipped: [], read: 0 };
}
