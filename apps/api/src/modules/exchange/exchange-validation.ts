import {
  duplicateKeyViolations,
  isIsoDate,
  validateContract,
  validateEnrolment,
  validateEvent,
  validateExperimentPeriod,
  validateMeasurement,
  validateSession,
  type ContractTerms,
  type EnrolledIntake,
  type Enrolment,
  type IsoDate,
  type RecordedSession,
  type Violation,
} from '@copd/domain';
import { COLLECTIONS, type Collection, type ExchangeContract, type ExchangePatient } from './exchange-document';
import { shapeViolations } from './exchange-schema';

/**
 * Checks an exchange document against its schema and the domain rules, with context from the document itself
 * and from what is already stored for the experiment (DOMAIN.md 4 and 8). Pure: the caller loads the stored
 * state. Every error comes back with its JSON path; an error of shape hides domain errors at or below the same
 * path, so one mistake is reported once.
 */

/** What the database already holds for the experiment (empty for a new one). */
export interface StoredState {
  practices: ReadonlySet<string>;
  insurers: ReadonlySet<string>;
  contracts: readonly ContractTerms[];
  /** By patientKey(agb, ref); a stored patient carries its pseudonym, to name it in errors. */
  patients: ReadonlyMap<string, Enrolment & { pseudonym?: string }>;
  /** Sessions stored per pairKey(agb, uzovi), loaded only for pairs whose contract periods change. */
  sessionsByPair: ReadonlyMap<string, RecordedSession[]>;
  /** Stored record dates per patientKey, loaded only for patients whose enrolment window changes. */
  recordDatesByPatient: ReadonlyMap<string, { sessions: IsoDate[]; observations: IsoDate[] }>;
}

export function emptyStoredState(): StoredState {
  return { practices: new Set(), insurers: new Set(), contracts: [], patients: new Map(), sessionsByPair: new Map(), recordDatesByPatient: new Map() };
}

export const patientKey = (agb: unknown, ref: unknown): string => JSON.stringify([agb, ref]);
export const pairKey = (agb: unknown, uzovi: unknown): string => JSON.stringify([agb, uzovi]);
export const contractKey = (c: { practice?: unknown; insurer?: unknown; validFrom?: unknown }): string =>
  JSON.stringify([c.practice, c.insurer, c.validFrom]);

/** Natural keys of DOMAIN.md 3 and 8; two items with the same key in one document are an error. */
const KEY_OF: Record<Collection, (item: Record<string, unknown>) => string> = {
  insurers: (i) => JSON.stringify([i.uzovi]),
  practices: (p) => JSON.stringify([p.agb]),
  contracts: (c) => contractKey(c),
  patients: (p) => patientKey(p.practice, p.ref),
  sessions: (s) => JSON.stringify([s.practice, s.patient, s.date, s.kind]),
  measurements: (m) => JSON.stringify([m.practice, m.patient, m.instrument, m.date]),
  events: (e) => JSON.stringify([e.practice, e.patient, e.date, e.kind]),
};

export interface ExchangeCheck {
  violations: Violation[];
  /** The contracts in force after the import, per pairKey: stored ones overlaid with the document's. */
  contractsByPair: Map<string, ContractTerms[]>;
}

type Loose<T> = { [K in keyof T]?: unknown };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function itemsOf(doc: Record<string, unknown>, collection: Collection): unknown[] {
  const items = doc[collection];
  return Array.isArray(items) ? items : [];
}

/** Contracts whose key and period can be reasoned about (shape errors are reported separately). */
function usableContract(c: unknown): c is ExchangeContract {
  return (
    isObject(c) && typeof c.practice === 'string' && typeof c.insurer === 'string' && isIsoDate(c.validFrom) && isIsoDate(c.validTo)
  );
}

function usablePatient(p: unknown): p is ExchangePatient {
  return (
    isObject(p) &&
    typeof p.practice === 'string' &&
    typeof p.ref === 'string' &&
    typeof p.insurer === 'string' &&
    isIsoDate(p.referralDate) &&
    isIsoDate(p.intakeDate) &&
    (p.endDate == null || isIsoDate(p.endDate))
  );
}

/** Pairs (practice x insurer) whose stored contract periods the document shortens or moves: their sessions are re-checked. */
export function pairsWithChangedPeriods(document: unknown, stored: Pick<StoredState, 'contracts'>): string[] {
  if (!isObject(document)) return [];
  const storedByKey = new Map(stored.contracts.map((c) => [contractKey(c), c]));
  const pairs = new Set<string>();
  for (const c of itemsOf(document, 'contracts')) {
    if (!usableContract(c)) continue;
    const before = storedByKey.get(contractKey(c));
    if (before && before.validTo !== c.validTo) pairs.add(pairKey(c.practice, c.insurer));
  }
  return [...pairs];
}

/** Stored patients whose referral, intake or end date the document changes: their stored records are re-checked. */
export function patientsWithChangedWindow(document: unknown, stored: Pick<StoredState, 'patients'>): string[] {
  if (!isObject(document)) return [];
  const keys: string[] = [];
  for (const p of itemsOf(document, 'patients')) {
    if (!usablePatient(p)) continue;
    const key = patientKey(p.practice, p.ref);
    const before = stored.patients.get(key);
    if (
      before &&
      (before.referralDate !== p.referralDate || before.intakeDate !== p.intakeDate || (before.endDate ?? null) !== (p.endDate ?? null))
    ) {
      keys.push(key);
    }
  }
  return keys;
}

export function checkExchangeDocument(document: unknown, stored: StoredState, today: IsoDate): ExchangeCheck {
  const shape = shapeViolations(document);
  const contractsByPair = new Map<string, ContractTerms[]>();
  if (!isObject(document)) return { violations: shape, contractsByPair };

  const found: Violation[] = [];
  const at = (base: string, violations: Violation[]): void => {
    for (const v of violations) found.push({ ...v, path: v.path ? `${base}.${v.path}` : base });
  };

  const experiment = document.experiment;
  if (isObject(experiment) && isIsoDate(experiment.start) && isIsoDate(experiment.end) && isIsoDate(experiment.analysisDate)) {
    at('$.experiment', validateExperimentPeriod({ start: experiment.start, end: experiment.end, analysisDate: experiment.analysisDate }));
  }

  const duplicates = new Map<Collection, Set<number>>();
  for (const collection of COLLECTIONS) {
    const items = itemsOf(document, collection);
    const keyOf = KEY_OF[collection];
    const violations = duplicateKeyViolations(items, (item) => (isObject(item) ? keyOf(item) : `#${JSON.stringify(item)}`), `$.${collection}`);
    duplicates.set(collection, new Set(violations.map((v) => Number(v.params?.index))));
    found.push(...violations);
  }
  const firstOccurrences = <T>(collection: Collection, usable: (item: unknown) => item is T): [T, number][] =>
    itemsOf(document, collection)
      .map((item, i) => [item, i] as [unknown, number])
      .filter((entry): entry is [T, number] => usable(entry[0]) && !duplicates.get(collection)!.has(entry[1]));

  const practices = new Set(stored.practices);
  for (const p of itemsOf(document, 'practices')) if (isObject(p) && typeof p.agb === 'string') practices.add(p.agb);
  const insurers = new Set(stored.insurers);
  for (const i of itemsOf(document, 'insurers')) if (isObject(i) && typeof i.uzovi === 'string') insurers.add(i.uzovi);
  const checkParties = (base: string, item: Record<string, unknown>): void => {
    if (typeof item.practice === 'string' && !practices.has(item.practice)) {
      found.push({
        code: 'IMPORT.UNKNOWN_PRACTICE',
        path: `${base}.practice`,
        message: `Praktijk ${item.practice} staat niet in het document en is nog niet vastgelegd; neem haar op onder "practices".`,
        params: { practice: item.practice },
      });
    }
    if (typeof item.insurer === 'string' && !insurers.has(item.insurer)) {
      found.push({
        code: 'IMPORT.UNKNOWN_INSURER',
        path: `${base}.insurer`,
        message: `Zorgverzekeraar ${item.insurer} staat niet in het document en is nog niet vastgelegd; neem hem op onder "insurers".`,
        params: { insurer: item.insurer },
      });
    }
  };

  // Contracts after the import: stored ones, replaced by the document's items with the same key.
  const finalContracts = new Map<string, ContractTerms>(stored.contracts.map((c) => [contractKey(c), c]));
  for (const [c] of firstOccurrences('contracts', usableContract)) finalContracts.set(contractKey(c), c);
  for (const c of finalContracts.values()) {
    const pair = pairKey(c.practice, c.insurer);
    contractsByPair.set(pair, [...(contractsByPair.get(pair) ?? []), c]);
  }
  // A corrected contract (same key, stored before) must leave the stored intakes and sessions it covered covered.
  // Patients and sessions the document sends itself are checked by their own rules at their own paths.
  const storedContracts = new Map(stored.contracts.map((c) => [contractKey(c), c]));
  const sentPatients = new Set(itemsOf(document, 'patients').map((p) => (isObject(p) ? patientKey(p.practice, p.ref) : '')));
  const sentSessions = new Set(itemsOf(document, 'sessions').map((s) => (isObject(s) ? KEY_OF.sessions(s) : '')));
  const intakesByPair = new Map<string, EnrolledIntake[]>();
  for (const [key, p] of stored.patients) {
    if (sentPatients.has(key)) continue;
    const pair = pairKey(p.practice, p.insurer);
    intakesByPair.set(pair, [...(intakesByPair.get(pair) ?? []), { pseudonym: p.pseudonym ?? p.ref, ref: p.ref, intakeDate: p.intakeDate }]);
  }
  itemsOf(document, 'contracts').forEach((c, i) => {
    if (!isObject(c)) return;
    const base = `$.contracts[${i}]`;
    checkParties(base, c);
    const pair = pairKey(c.practice, c.insurer);
    const others = (contractsByPair.get(pair) ?? []).filter((o) => contractKey(o) !== contractKey(c));
    // A repeated key is reported as a duplicate; its coverage is the first occurrence's.
    const previous = duplicates.get('contracts')!.has(i) ? undefined : storedContracts.get(contractKey(c));
    const recordedSessions = (stored.sessionsByPair.get(pair) ?? []).filter(
      (s) => !sentSessions.has(KEY_OF.sessions({ practice: c.practice, patient: s.ref, date: s.date, kind: s.kind })),
    );
    at(
      base,
      validateContract(c as unknown as ContractTerms, { others, previous, enrolledIntakes: intakesByPair.get(pair) ?? [], recordedSessions }),
    );
  });

  // Enrolments after the import: stored ones, replaced by the document's items with the same practice + ref.
  const enrolments = new Map<string, Enrolment>(stored.patients);
  for (const [p] of firstOccurrences('patients', usablePatient)) enrolments.set(patientKey(p.practice, p.ref), p);
  const contractsOf = (e: Loose<Enrolment>): ContractTerms[] => contractsByPair.get(pairKey(e.practice, e.insurer)) ?? [];
  itemsOf(document, 'patients').forEach((p, i) => {
    if (!isObject(p)) return;
    const base = `$.patients[${i}]`;
    checkParties(base, p);
    const recorded = stored.recordDatesByPatient.get(patientKey(p.practice, p.ref));
    at(
      base,
      validateEnrolment(p as unknown as Enrolment, {
        contracts: contractsOf(p),
        today,
        recordedSessionDates: recorded?.sessions,
        recordedObservationDates: recorded?.observations,
      }),
    );
  });

  const forEachRecord = (collection: 'sessions' | 'measurements' | 'events', check: (item: never, e: Enrolment) => Violation[]): void => {
    itemsOf(document, collection).forEach((item, i) => {
      if (!isObject(item) || typeof item.practice !== 'string' || typeof item.patient !== 'string') return;
      const base = `$.${collection}[${i}]`;
      const enrolment = enrolments.get(patientKey(item.practice, item.patient));
      if (!enrolment) {
        found.push({
          code: 'IMPORT.UNKNOWN_PATIENT',
          path: `${base}.patient`,
          message:
            `Patiënt ${item.patient} van praktijk ${item.practice} staat niet in het document en is nog niet vastgelegd ` +
            `in dit experiment; neem de patiënt op onder "patients".`,
          params: { patient: item.patient, practice: item.practice },
        });
        return;
      }
      at(base, check(item as never, enrolment));
    });
  };
  forEachRecord('sessions', (s, e) => validateSession(s, { enrolment: e, contracts: contractsOf(e), today }));
  forEachRecord('measurements', (m, e) => validateMeasurement(m, { enrolment: e, today }));
  forEachRecord('events', (ev, e) => validateEvent(ev, { enrolment: e, today }));

  return { violations: ordered([...shape, ...withoutShadowed(found, shape)]), contractsByPair };
}

/** Drops domain violations at or below a path that already has a shape error. */
function withoutShadowed(found: Violation[], shape: Violation[]): Violation[] {
  if (shape.length === 0) return found;
  const shapePaths = new Set(shape.map((v) => v.path));
  return found.filter((v) => {
    for (let path = v.path; path.length > 1; path = parentPath(path)) if (shapePaths.has(path)) return false;
    return true;
  });
}

function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '$' : path.slice(0, cut);
}

const RANK = new Map<string, number>([['experiment', 0], ...COLLECTIONS.map((c, i) => [c, i + 1] as [string, number])]);

/** Document order: by collection, then item index; stable within an item. */
function ordered(violations: Violation[]): Violation[] {
  const position = (path: string): [number, number] => {
    const m = /^\$\.(\w+)(?:\[(\d+)\])?/.exec(path);
    return m ? [RANK.get(m[1]) ?? 99, m[2] === undefined ? -1 : Number(m[2])] : [-1, -1];
  };
  return violations
    .map((v, seq) => ({ v, seq, pos: position(v.path) }))
    .sort((a, b) => a.pos[0] - b.pos[0] || a.pos[1] - b.pos[1] || a.seq - b.seq)
    .map((x) => x.v);
}
