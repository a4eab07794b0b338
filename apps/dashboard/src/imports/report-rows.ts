import { formatViolation } from '@copd/domain';
import { CsvValue, rowsToCsv } from '../charts/csv';
import type { ImportChange, ImportPatient, ImportProblem, ImportRecord, ImportReport, ImportSource, PatientStatus, RecordStatus } from './import-types';

type T = (key: string, options?: Record<string, unknown>) => string;

/** A problem in the interface's language: re-worded by its code when the API sent its values, else the API's words. */
export function problemText(problem: ImportProblem, language: string): string {
  if (!problem.params) return problem.message;
  return formatViolation({ code: problem.code, path: problem.field, message: problem.message, params: problem.params }, language);
}

/** 'rij 3' for a CSV row (1-based data row), the resource for FHIR ('Observation/abc'). */
export function whereText(source: ImportSource, t: T): string {
  if (source.row !== undefined && source.row !== null) return t('imports.where.row', { row: source.row });
  return source.resource ?? '';
}

/** A field name of the report ('goldStage') as the interface names it; an unknown one as it came. */
export function fieldText(field: string, t: T): string {
  return field ? t(`imports.fields.${field}`, { defaultValue: field }) : '';
}

/** 'GOLD-stadium ontbreekt…' names its field already; otherwise the field goes first ('Datum: …'), as the error summary does. */
export function withField(field: string, message: string): string {
  if (!field || message.toLocaleLowerCase().startsWith(field.toLocaleLowerCase())) return message;
  return `${field}: ${message}`;
}

export function changeText(change: ImportChange, t: T): string {
  const value = (v: ImportChange['from']) => (v === null || v === undefined || v === '' ? t('imports.empty') : String(v));
  return t('imports.change', { field: fieldText(change.field, t), from: value(change.from), to: value(change.to) });
}

/** One line of the refusals: a refused or skipped record, or a problem of a refused patient. */
export interface Refusal {
  file: string;
  /** The CSV row, for the order (not a column: `where` says it). */
  row: number | null;
  where: string;
  patient: string;
  entity: string;
  status: 'REFUSED' | 'SKIPPED';
  field: string;
  reason: string;
}

/**
 * Every refusal of a report, in the order of the files and rows: each problem of a refused patient, then each problem
 * of a refused or skipped record (a record without problems still has its line, with no reason). A record refused only
 * because its patient is refused names the patient's reason in the patient's lines.
 */
export function refusals(report: ImportReport, t: T, language: string): Refusal[] {
  const out: Refusal[] = [];
  const patientName = (key: string) => {
    const p = report.patients.find((x) => x.key === key);
    return p?.ref ?? key;
  };
  for (const p of report.patients) {
    if (p.status !== 'REFUSED') continue;
    for (const problem of p.problems) {
      out.push({ file: problem.source.file, row: problem.source.row ?? null, where: whereText(problem.source, t), patient: p.ref ?? p.key, entity: t('imports.entities.PATIENT'), status: 'REFUSED', field: fieldText(problem.field, t), reason: problemText(problem, language) });
    }
    if (p.problems.length === 0 && p.missingForEnrolment.length > 0) {
      out.push({ file: '', row: null, where: '', patient: p.ref ?? p.key, entity: t('imports.entities.PATIENT'), status: 'REFUSED', field: p.missingForEnrolment.map((f) => fieldText(f, t)).join(', '), reason: t('imports.missingReason') });
    }
  }
  for (const r of report.records) {
    if (r.status !== 'REFUSED' && r.status !== 'SKIPPED') continue;
    const base = { file: r.source.file, row: r.source.row ?? null, where: whereText(r.source, t), patient: patientName(r.patientKey), entity: t(`imports.entities.${r.entity}`), status: r.status };
    const problems = r.problems ?? [];
    if (problems.length === 0) out.push({ ...base, field: '', reason: r.status === 'REFUSED' ? t('imports.patientRefused') : '' });
    for (const problem of problems) out.push({ ...base, field: fieldText(problem.field, t), reason: problemText(problem, language) });
  }
  // In the order of the files and their rows (a patient's refusal beside the row that caused it); stable otherwise.
  return out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.file.localeCompare(b.r.file) || (a.r.row ?? Infinity) - (b.r.row ?? Infinity) || a.i - b.i)
    .map(({ r }) => r);
}

/** The refusals as the CSV the page downloads (charts/csv.ts: ';' and a BOM in Dutch, RFC 4180 in English). */
export function refusalsCsv(rows: Refusal[], t: T, language: string): string {
  const head = ['file', 'where', 'patient', 'entity', 'status', 'field', 'reason'].map((c) => t(`imports.columns.${c}`));
  const body: CsvValue[][] = rows.map((r) => [r.file, r.where, r.patient, r.entity, t(`imports.statuses.${r.status}`), r.field, r.reason]);
  return rowsToCsv(head, body, language);
}

export type PatientFilter = 'ALL' | PatientStatus;
export type RecordFilter = 'ALL' | 'ISSUES' | RecordStatus;

export function filterPatients(patients: ImportPatient[], filter: PatientFilter): ImportPatient[] {
  return filter === 'ALL' ? patients : patients.filter((p) => p.status === filter);
}

/** 'ISSUES': what will not be written (refused and skipped). */
export function filterRecords(records: ImportRecord[], filter: RecordFilter): ImportRecord[] {
  if (filter === 'ALL') return records;
  if (filter === 'ISSUES') return records.filter((r) => r.status === 'REFUSED' || r.status === 'SKIPPED');
  return records.filter((r) => r.status === filter);
}

/** Whether a confirm would write anything: a patient or record to create or update. */
export function writesAnything(report: ImportReport): boolean {
  const { patients, records } = report.summary;
  return patients.create + patients.update + records.create + records.update > 0;
}

/** Whether the confirm changes stored data (corrections), which needs a reason (CORRECTION.REASON_REQUIRED). */
export function hasUpdates(report: ImportReport): boolean {
  return report.summary.patients.update + report.summary.records.update > 0;
}

/** The fields the mapping form can supply per patient (shared15.md item 2). */
export const MAPPABLE = ['insurer', 'goldStage', 'profile', 'referralDate', 'intakeDate'] as const;
export type MappableField = (typeof MAPPABLE)[number];

/** The patients the mapping form lists: those the report says miss something for enrolment. */
export function patientsToMap(report: ImportReport): ImportPatient[] {
  return report.patients.filter((p) => p.missingForEnrolment.length > 0);
}
