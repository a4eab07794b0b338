import {
  formatViolation,
  isValidBsn,
  normalizeBsn,
  validateEnrolment,
  validateEvent,
  validateMeasurement,
  validateSession,
  type ContractTerms,
  type Enrolment,
  type EndReason,
  type EventKind,
  type Instrument,
  type IsoDate,
  type SessionKind,
  type Sex,
  type Violation,
} from '@copd/domain';
import type { ExchangeEvent, ExchangeMeasurement, ExchangePatient, ExchangeSession } from '../exchange/exchange-document';
import type { ImportMapping, MappedPatientField } from './import-mapping';
import type {
  FieldChangeReport,
  PatientReport,
  PatientStatus,
  RecordEntity,
  RecordReport,
  ReportProblem,
  StatusCounts,
} from './import-report';
import type { SourceBatch, SourceLocator, SourcePatient } from './source-records';

/**
 * The dry run's plan (pure): source records + mapping + what is stored -> per patient and per record CREATE, UPDATE,
 * UNCHANGED, REFUSED or SKIPPED, and the exchange-document items the confirm writes. Readings (README "Definitions"):
 * natural keys as the records API; an import never deletes; a record dated before its patient's referral date is
 * SKIPPED (practice systems export history from before the experiment); any other rule violation refuses the
 * record, and a patient with a refused record or a missing enrolment field is REFUSED with all its records
 * (partial care would price wrongly); the other patients import.
 */

export interface StoredPatient extends Enrolment {
  pseudonym: string;
}

export interface StoredForPlan {
  contracts: readonly ContractTerms[];
  /** By patientKey(agb, ref). */
  patients: ReadonlyMap<string, StoredPatient>;
  /** recordKey(agb, ref, date, kind). */
  sessions: ReadonlySet<string>;
  /** recordKey(agb, ref, instrument, date) -> value in the unit users enter (CCQ 1.6). */
  measurements: ReadonlyMap<string, number>;
  events: ReadonlySet<string>;
}

export interface PlanInput {
  batch: SourceBatch;
  mapping: ImportMapping;
  stored: StoredForPlan;
  today: IsoDate;
  lang: string;
  /** A practice user's own AGBs; null for an evaluator (any practice). */
  ownPractices: readonly string[] | null;
  pseudonym: (agb: string, ref: string) => string;
}

export interface Plan {
  patients: PatientReport[];
  records: RecordReport[];
  summary: { patients: StatusCounts; records: StatusCounts & { skipped: number } };
  /** What the confirm writes: the accepted patients that change and the accepted records that change. */
  write: { patients: ExchangePatient[]; sessions: ExchangeSession[]; measurements: ExchangeMeasurement[]; events: ExchangeEvent[] };
  /** Pseudonyms of the patients the confirm writes to (enrolment or records). */
  pseudonyms: string[];
  /** Whether the write corrects stored data (then the confirm needs a reason). */
  hasUpdates: boolean;
  /** Rows naming a practice the user does not act for (IMPORT.OTHER_PRACTICE). */
  otherPractice: Violation[];
}

// Keys joined with a character no AGB, ref, date or code holds (the reader refuses NUL): cheaper than JSON per row.
export const patientKey = (agb: string, ref: string): string => `${agb}\u0000${ref}`;
export const recordKey = (...parts: (string | number)[]): string => parts.join('\u0000');

/** Source patients whose BSN failed the 11-proef (the BSN itself is dropped by the first plan). */
const invalidBsn = new WeakSet<SourcePatient>();

const ENROLMENT_FIELDS = ['practice', 'insurer', 'birthYear', 'sex', 'goldStage', 'profile', 'referralDate', 'intakeDate'] as const;
const COMPARED_FIELDS = [...ENROLMENT_FIELDS, 'endDate', 'endReason'] as const;

interface PlannedPatient {
  report: PatientReport;
  /** The contracts of its practice x insurer, found once. */
  contracts?: readonly ContractTerms[];
  enrolment: Partial<Enrolment>;
  complete: boolean;
  stored: StoredPatient | undefined;
  source: SourceLocator | null;
  recordsWritten: boolean;
}

export function planImport(input: PlanInput): Plan {
  const { batch, mapping, stored, today, lang } = input;
  const problemOf = (source: SourceLocator, v: Pick<Violation, 'code' | 'path' | 'params'> & { message?: string }): ReportProblem => ({
    source,
    field: v.path,
    code: v.code,
    message: formatViolation({ code: v.code, path: v.path, params: v.params, message: v.message ?? v.code }, lang),
  });
  const defaultPractice = mapping.practice ?? (input.ownPractices?.length === 1 ? input.ownPractices[0] : undefined);
  const otherPractice: Violation[] = [];
  const checkPractice = (practice: string | undefined, source: SourceLocator) => {
    if (input.ownPractices && practice !== undefined && !input.ownPractices.includes(practice)) {
      otherPractice.push({
        code: 'IMPORT.OTHER_PRACTICE',
        path: 'practice',
        message: `${source.file} ${source.row ?? source.resource ?? ''}: praktijk ${practice} is niet de uwe.`,
        params: { file: source.file, row: source.row ?? source.resource ?? null, practice, own: input.ownPractices.join(', ') },
      });
    }
  };
  if (mapping.practice) checkPractice(mapping.practice, { file: 'mapping' });

  // ---- patients of the upload ----
  const planned = new Map<string, PlannedPatient>(); // by patientKey(agb, ref), or by 'key:' + key without a practice
  const byUploadKey = new Map<string, PlannedPatient>();
  const order: PlannedPatient[] = [];
  for (const source of batch.patients) {
    const mapped = mapping.patients?.[source.key] ?? {};
    checkPractice(source.practice, source.source);
    if (typeof mapped.practice === 'string') checkPractice(mapped.practice, { file: 'mapping', resource: source.key });
    const ref = pick(mapped.ref, source.ref, source.key) as string;
    const practice = pick(mapped.practice, source.practice, defaultPractice) as string | undefined;
    const storedPatient = practice ? stored.patients.get(patientKey(practice, ref)) : undefined;
    const enrolment = mergeEnrolment(source, mapped, { practice, ref, insurer: mapping.insurer }, storedPatient);
    const problems: ReportProblem[] = [];
    if (source.bsn !== undefined) {
      // The BSN is only checked (11-proef) and dropped here: it never reaches the report, a log or the database.
      // Its verdict stays with the source record, so a second plan of the same batch refuses it too.
      const bsn = normalizeBsn(source.bsn);
      if (bsn === null || !isValidBsn(bsn)) invalidBsn.add(source);
      delete source.bsn;
    }
    if (invalidBsn.has(source)) problems.push(problemOf(source.source, { code: 'ENROLMENT.BSN_INVALID', path: 'bsn', params: {} }));
    const missing = ENROLMENT_FIELDS.filter((f) => enrolment[f] === undefined || enrolment[f] === null);
    for (const field of missing) problems.push(problemOf(source.source, { code: 'IMPORT.MISSING_FOR_ENROLMENT', path: field, params: { field } }));
    const key = practice ? patientKey(practice, ref) : `key:${source.key}`;
    if (planned.has(key)) {
      const first = planned.get(key)!;
      problems.push(problemOf(source.source, { code: 'IMPORT.DUPLICATE_ROW', path: 'ref', params: { first: first.source?.row ?? first.source?.resource ?? null } }));
    } else if (missing.length === 0) {
      const contracts = stored.contracts.filter((c) => c.practice === enrolment.practice && c.insurer === enrolment.insurer);
      for (const v of validateEnrolment(enrolment as Enrolment, { contracts, today })) problems.push(problemOf(source.source, v));
    }
    const changes = storedPatient ? changesOf(storedPatient, enrolment) : [];
    const status: PatientStatus = problems.length > 0 ? 'REFUSED' : !storedPatient ? 'CREATE' : changes.length > 0 ? 'UPDATE' : 'UNCHANGED';
    const entry: PlannedPatient = {
      report: {
        key: source.key,
        ref,
        pseudonym: practice ? (storedPatient?.pseudonym ?? input.pseudonym(practice, ref)) : null,
        status,
        changes,
        missingForEnrolment: [...missing],
        problems,
      },
      enrolment,
      complete: missing.length === 0,
      stored: storedPatient,
      source: source.source,
      recordsWritten: false,
    };
    if (!planned.has(key)) planned.set(key, entry);
    if (!byUploadKey.has(source.key)) byUploadKey.set(source.key, entry);
    order.push(entry);
  }

  // ---- records ----
  // Reports, and beside them (same index) the patient each belongs to and the values the write needs.
  const records: RecordReport[] = [];
  const owners: (PlannedPatient | null)[] = [];
  const items: Record<string, unknown>[] = [];
  const seen = new Map<string, SourceLocator>();
  const resolve = (patientKeyInUpload: string, practiceOfRecord: string | undefined): PlannedPatient | null => {
    const inUpload = byUploadKey.get(patientKeyInUpload);
    if (inUpload && (practiceOfRecord === undefined || practiceOfRecord === inUpload.enrolment.practice)) return inUpload;
    const practice = practiceOfRecord ?? defaultPractice;
    if (!practice) return null;
    const key = patientKey(practice, patientKeyInUpload);
    const existing = planned.get(key);
    if (existing) return existing;
    const storedPatient = stored.patients.get(key);
    if (!storedPatient) return null;
    const entry: PlannedPatient = {
      report: { key: patientKeyInUpload, ref: storedPatient.ref, pseudonym: storedPatient.pseudonym, status: 'UNCHANGED', changes: [], missingForEnrolment: [], problems: [] },
      enrolment: storedPatient,
      complete: true,
      stored: storedPatient,
      source: null,
      recordsWritten: false,
    };
    planned.set(key, entry);
    order.push(entry);
    return entry;
  };
  const addRecord = (
    entity: RecordEntity,
    r: { patientKey: string; practice?: string; date: string; source: SourceLocator },
    naturalKey: (agb: string, ref: string) => string,
    check: (e: Enrolment, owner: PlannedPatient) => Violation[],
    compare: (agb: string, ref: string) => { status: 'CREATE' | 'UPDATE' | 'UNCHANGED'; changes?: FieldChangeReport[] },
    item: Record<string, unknown>,
  ) => {
    if (input.ownPractices) checkPractice(r.practice, r.source);
    const owner = resolve(r.patientKey, r.practice);
    const push = (report: RecordReport) => {
      records.push(report);
      owners.push(owner);
      items.push(item);
    };
    const report = (status: RecordReport['status'], problems?: ReportProblem[], changes?: FieldChangeReport[]): RecordReport => {
      const out: RecordReport = { source: r.source, entity, patientKey: r.patientKey, date: r.date, status };
      if (changes) out.changes = changes;
      if (problems) out.problems = problems;
      return out;
    };
    if (!owner) {
      const practice = r.practice ?? defaultPractice ?? null;
      push(report('REFUSED', [problemOf(r.source, { code: 'IMPORT.PATIENT_NOT_FOUND', path: 'ref', params: { ref: r.patientKey, practice } })]));
      return;
    }
    const e = owner.enrolment as Enrolment;
    if (e.referralDate && r.date < e.referralDate) {
      push(report('SKIPPED', [problemOf(r.source, { code: 'IMPORT.BEFORE_REFERRAL', path: 'date', params: { date: r.date, referralDate: e.referralDate } })]));
      return;
    }
    const problems: ReportProblem[] = [];
    const key = e.practice && e.ref ? naturalKey(e.practice, e.ref) : null;
    if (key !== null && seen.has(key)) {
      const first = seen.get(key)!;
      problems.push(problemOf(r.source, { code: 'IMPORT.DUPLICATE_ROW', path: 'date', params: { first: first.row ?? first.resource ?? null } }));
    } else if (key !== null) seen.set(key, r.source);
    if (owner.complete) for (const v of check(e, owner)) problems.push(problemOf(r.source, v));
    if (problems.length > 0) {
      push(report('REFUSED', problems));
      return;
    }
    const compared = owner.complete ? compare(e.practice, e.ref) : { status: 'CREATE' as const };
    push(report(compared.status, undefined, compared.changes));
  };
  const contractsOf = (e: Enrolment, owner: PlannedPatient) =>
    (owner.contracts ??= stored.contracts.filter((c) => c.practice === e.practice && c.insurer === e.insurer));
  for (const s of batch.sessions) {
    addRecord(
      'SESSION',
      s,
      (agb, ref) => recordKey('S', agb, ref, s.date, s.kind),
      (e, owner) => validateSession({ date: s.date, kind: s.kind as SessionKind }, { enrolment: e, contracts: contractsOf(e, owner), today }),
      (agb, ref) => ({ status: stored.sessions.has(recordKey(agb, ref, s.date, s.kind)) ? 'UNCHANGED' : 'CREATE' }),
      { date: s.date, kind: s.kind },
    );
  }
  for (const m of batch.measurements) {
    addRecord(
      'MEASUREMENT',
      m,
      (agb, ref) => recordKey('M', agb, ref, m.instrument, m.date),
      (e) => validateMeasurement({ date: m.date, instrument: m.instrument as Instrument, value: m.value }, { enrolment: e, today }),
      (agb, ref) => {
        const before = stored.measurements.get(recordKey(agb, ref, m.instrument, m.date));
        if (before === undefined) return { status: 'CREATE' };
        return before === m.value ? { status: 'UNCHANGED' } : { status: 'UPDATE', changes: [{ field: 'value', from: before, to: m.value }] };
      },
      { date: m.date, instrument: m.instrument, value: m.value },
    );
  }
  for (const ev of batch.events) {
    addRecord(
      'EVENT',
      ev,
      (agb, ref) => recordKey('E', agb, ref, ev.date, ev.kind),
      (e) => validateEvent({ date: ev.date, kind: ev.kind as EventKind }, { enrolment: e, today }),
      (agb, ref) => ({ status: stored.events.has(recordKey(agb, ref, ev.date, ev.kind)) ? 'UNCHANGED' : 'CREATE' }),
      { date: ev.date, kind: ev.kind },
    );
  }

  // A patient with a refused record is refused as a whole, and so are its other records.
  records.forEach((r, i) => {
    const owner = owners[i];
    if (r.status === 'REFUSED' && owner && owner.report.status !== 'REFUSED') {
      owner.report.status = 'REFUSED';
      owner.report.problems.push(
        problemOf(r.source, { code: 'IMPORT.RECORD_REFUSED', path: 'ref', params: { row: r.source.row ?? r.source.resource ?? null, file: r.source.file } }),
      );
    }
  });
  records.forEach((r, i) => {
    const owner = owners[i];
    if (owner?.report.status === 'REFUSED' && r.status !== 'REFUSED' && r.status !== 'SKIPPED') {
      r.status = 'REFUSED';
      delete r.changes;
      r.problems = [problemOf(r.source, { code: 'IMPORT.PATIENT_REFUSED', path: 'ref', params: { ref: owner.report.ref } })];
    }
  });

  // ---- what the confirm writes ----
  const write: Plan['write'] = { patients: [], sessions: [], measurements: [], events: [] };
  const pseudonyms = new Set<string>();
  let hasUpdates = false;
  for (const p of order) {
    if (p.report.status === 'CREATE' || p.report.status === 'UPDATE') {
      const e = p.enrolment as Enrolment;
      write.patients.push({ ...e, endDate: e.endDate ?? null, endReason: e.endReason ?? null });
      if (p.report.pseudonym) pseudonyms.add(p.report.pseudonym);
      hasUpdates ||= p.report.status === 'UPDATE';
    }
  }
  records.forEach((r, i) => {
    if (r.status !== 'CREATE' && r.status !== 'UPDATE') return;
    const owner = owners[i]!;
    const item = items[i];
    const e = owner.enrolment as Enrolment;
    if (r.entity === 'SESSION') write.sessions.push({ patient: e.ref, practice: e.practice, date: r.date, kind: item.kind as SessionKind });
    else if (r.entity === 'EVENT') write.events.push({ patient: e.ref, practice: e.practice, date: r.date, kind: item.kind as EventKind });
    else write.measurements.push({ patient: e.ref, practice: e.practice, date: r.date, instrument: item.instrument as Instrument, value: item.value as number });
    if (owner.report.pseudonym) pseudonyms.add(owner.report.pseudonym);
    hasUpdates ||= r.status === 'UPDATE';
  });

  const patients = order.map((p) => p.report);
  return { patients, records, summary: summarise(patients, records), write, pseudonyms: [...pseudonyms].sort(), hasUpdates, otherPractice };
}

/** The first value given (undefined means "not given"; null is a value: "no end date"). */
function pick<T>(...values: (T | undefined)[]): T | undefined {
  return values.find((v) => v !== undefined);
}

function mergeEnrolment(
  source: SourcePatient,
  mapped: Partial<Record<MappedPatientField, string | number | null>>,
  known: { practice?: string; ref: string; insurer?: string },
  stored: StoredPatient | undefined,
): Partial<Enrolment> {
  const field = <K extends keyof Enrolment>(name: K & MappedPatientField, fallback?: unknown): Enrolment[K] | undefined =>
    pick(mapped[name] as Enrolment[K] | undefined, (source as unknown as Record<string, Enrolment[K] | undefined>)[name], fallback as Enrolment[K], stored?.[name]);
  return {
    ref: known.ref,
    practice: known.practice,
    insurer: field('insurer', source.insurer ?? known.insurer),
    birthYear: field('birthYear'),
    sex: field('sex') as Sex | undefined,
    goldStage: field('goldStage'),
    profile: field('profile'),
    referralDate: field('referralDate'),
    intakeDate: field('intakeDate'),
    endDate: field('endDate') ?? null,
    endReason: (field('endReason') as EndReason | null | undefined) ?? null,
  };
}

function changesOf(stored: StoredPatient, next: Partial<Enrolment>): FieldChangeReport[] {
  return COMPARED_FIELDS.filter((f) => (stored[f] ?? null) !== (next[f] ?? null)).map((f) => ({
    field: f,
    from: (stored[f] ?? null) as string | number | null,
    to: (next[f] ?? null) as string | number | null,
  }));
}

function summarise(patients: PatientReport[], records: RecordReport[]): Plan['summary'] {
  const count = (items: { status: string }[]) => {
    const n = { create: 0, update: 0, unchanged: 0, refused: 0, skipped: 0 };
    for (const { status } of items) n[status.toLowerCase() as keyof typeof n]++;
    return n;
  };
  const { skipped: _none, ...ofPatients } = count(patients);
  return { patients: ofPatients, records: count(records) };
}

/**
 * Whether two reads of the stored state give the same plan: a plan depends on the stored state only through these
 * contracts, patients and record keys (and values), so a plan made on one holds for the other. Contracts compared
 * in any order; any difference (also one that would not change the plan) answers false.
 */
export function sameStoredState(a: StoredForPlan, b: StoredForPlan): boolean {
  if (a === b) return true;
  if (a.contracts.length !== b.contracts.length || a.patients.size !== b.patients.size) return false;
  if (a.sessions.size !== b.sessions.size || a.measurements.size !== b.measurements.size || a.events.size !== b.events.size) return false;
  const contracts = (list: readonly ContractTerms[]) => list.map((c) => JSON.stringify(c)).sort();
  const [ca, cb] = [contracts(a.contracts), contracts(b.contracts)];
  if (ca.some((c, i) => c !== cb[i])) return false;
  for (const [key, p] of a.patients) {
    const q = b.patients.get(key) as unknown as Record<string, unknown> | undefined;
    if (!q) return false;
    const fields = Object.keys(p);
    if (fields.length !== Object.keys(q).length || fields.some((f) => (p as unknown as Record<string, unknown>)[f] !== q[f])) return false;
  }
  for (const key of a.sessions) if (!b.sessions.has(key)) return false;
  for (const key of a.events) if (!b.events.has(key)) return false;
  for (const [key, value] of a.measurements) if (b.measurements.get(key) !== value) return false;
  return true;
}
