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

const LOCATOR = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string' }, row: { type: 'integer', description: '1-based data row (header = 0)' }, resource: { type: 'string' } },
};
const PROBLEM = {
  type: 'object',
  required: ['source', 'field', 'code', 'message'],
  properties: { source: LOCATOR, field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string', description: 'in the request language' } },
};
const CHANGE = {
  type: 'object',
  required: ['field', 'from', 'to'],
  properties: { field: { type: 'string' }, from: { nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }, to: { nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] } },
};
const COUNTS = {
  type: 'object',
  required: ['create', 'update', 'unchanged', 'refused'],
  properties: { create: { type: 'integer' }, update: { type: 'integer' }, unchanged: { type: 'integer' }, refused: { type: 'integer' }, skipped: { type: 'integer' } },
};

/** The report's OpenAPI schema (the dashboard's generated types read it). */
export const IMPORT_REPORT_SCHEMA = {
  type: 'object',
  required: ['digest', 'format', 'experiment', 'read', 'summary', 'patients', 'records'],
  properties: {
    digest: { type: 'string', description: 'sha256 (hex) the confirm must send back' },
    format: { type: 'string', enum: ['csv', 'fhir'] },
    kind: { type: 'string', enum: ['patients', 'sessions', 'measurements', 'events'] },
    experiment: { type: 'string' },
    read: { type: 'integer', description: 'rows or resources read' },
    summary: { type: 'object', required: ['patients', 'records'], properties: { patients: COUNTS, records: COUNTS } },
    patients: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'ref', 'pseudonym', 'status', 'changes', 'missingForEnrolment', 'problems'],
        properties: {
          key: { type: 'string' },
          ref: { type: 'string', nullable: true },
          pseudonym: { type: 'string', nullable: true },
          status: { type: 'string', enum: ['CREATE', 'UPDATE', 'UNCHANGED', 'REFUSED'] },
          changes: { type: 'array', items: CHANGE },
          missingForEnrolment: { type: 'array', items: { type: 'string' } },
          problems: { type: 'array', items: PROBLEM },
        },
      },
    },
    records: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'entity', 'patientKey', 'date', 'status'],
        properties: {
          source: LOCATOR,
          entity: { type: 'string', enum: ['SESSION', 'MEASUREMENT', 'EVENT'] },
          patientKey: { type: 'string' },
          date: { type: 'string', format: 'date' },
          status: { type: 'string', enum: ['CREATE', 'UPDATE', 'UNCHANGED', 'REFUSED', 'SKIPPED'] },
          changes: { type: 'array', items: CHANGE },
          problems: { type: 'array', items: PROBLEM },
        },
      },
    },
    written: { type: 'object', required: ['patients', 'records'], properties: { patients: { type: 'integer' }, records: { type: 'integer' } }, description: 'after a confirm' },
  },
} as const;
