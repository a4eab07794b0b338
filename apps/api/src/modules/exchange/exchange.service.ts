import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  armAtIntake,
  fromStoredMeasurementValue,
  toStoredMeasurementValue,
  type Enrolment,
  type IsoDate,
  type RecordedSession,
} from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditEntry, AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { AppError, ruleViolation } from '../../core/errors/app-error';
import { OutboxService } from '../../core/outbox/outbox.service';
import { Pseudonymizer } from '../../core/pseudonymizer';
import { ContractsService } from '../contracts/contracts.service';
import { ExperimentsService } from '../experiments/experiments.service';
import { armChangesDetail, PatientArmsService } from '../patients/patient-arms.service';
import {
  COLLECTIONS,
  type EntityCounts,
  type ExchangeDocument,
  type ImportResult,
  type ProgressListener,
} from './exchange-document';
import {
  checkExchangeDocument,
  emptyStoredState,
  pairKey,
  pairsWithChangedPeriods,
  patientKey,
  patientsWithChangedWindow,
  type StoredState,
} from './exchange-validation';
import { shapeViolations } from './exchange-schema';
import { ChangesByPatient, ExchangeRepository } from './exchange.repository';

/** A rejected document lists at most this many errors (the message says how many there were). */
export const MAX_REPORTED_ERRORS = 1000;

const NO_PROGRESS: ProgressListener = () => undefined;

/**
 * `initialLoad`: an operator's load into a (nearly) empty experiment as the schema owner (CLI `--initial-load`):
 * the session table's unique and foreign keys are rebuilt once after the sessions instead of maintained row by row
 * (SessionBulkLoadRepository.insertStaged). It locks therapy_sessions for the whole import; the application role
 * is refused it.
 */
export interface ImportWriteOptions {
  initialLoad?: boolean;
}

/**
 * Import and export of the exchange document (DOMAIN.md 8). An import is validated as a whole against the
 * schema, the domain rules and what is already stored, then written in one transaction with set-based upserts
 * on the natural keys: all or nothing, and a re-import of the same document changes no row. Records stored
 * earlier that the document does not mention stay as they are.
 */
@Injectable()
export class ExchangeService {
  constructor(
    private readonly repository: ExchangeRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly outbox: OutboxService,
    private readonly arms: PatientArmsService,
    private readonly contractLocks: ContractsService,
    private readonly experiments: ExperimentsService,
  ) {}

  async importDocument(actor: Actor, body: unknown, onProgress: ProgressListener = NO_PROGRESS, options: ImportWriteOptions = {}): Promise<ImportResult> {
    return this.repository.transaction((manager) => this.importLocked(manager, actor, body, onProgress, [], false, options));
  }

  /**
   * The CSV/FHIR import (modules/interchange, issue 15): `plan` runs inside the import's transaction, after the
   * experiment's lock, and may take the pair locks itself (lockPairs), so the stored state it compares with cannot
   * change before the write. It answers the document to write (validated as any import, under the same locks) with
   * the audit rows to add in the same transaction, or none when there is nothing to write.
   *
   * `recordsChecked`: the plan has checked every session, measurement and event of the document against the
   * enrolment it writes or stores and the contracts stored, on a stored state read under the pair locks of
   * everything the document writes, and holds no record twice (the planner's natural keys are these). The import
   * then leaves out only those per-record rules; the document's shape (every record too), its patients against
   * the stored contracts and the stored records of a changed enrolment window, and the locks are checked and taken
   * as for any import.
   */
  async importPlanned<T>(
    actor: Actor,
    experimentCode: string,
    plan: (manager: EntityManager) => Promise<{ result: T; document?: ExchangeDocument; audit?: AuditEntry[]; recordsChecked?: boolean }>,
    onProgress: ProgressListener = NO_PROGRESS,
    options: ImportWriteOptions = {},
  ): Promise<T> {
    return this.repository.transaction(async (manager) => {
      await this.repository.lockExperiment(manager, experimentCode);
      const planned = await plan(manager);
      if (planned.document) {
        await this.importLocked(manager, actor, planned.document, onProgress, planned.audit ?? [], planned.recordsChecked === true, options);
      }
      return planned.result;
    });
  }

  /** The pair locks the import takes (the API's contract and record writes take the same): for a planned import. */
  lockPairs(experimentId: string, pairs: [string, string][], patients: [string, string][], manager: EntityManager): Promise<void> {
    return this.contractLocks.lockPairsByCode(experimentId, pairs, patients, manager);
  }

  private async importLocked(
    manager: EntityManager,
    actor: Actor,
    body: unknown,
    onProgress: ProgressListener,
    extraAudit: AuditEntry[],
    recordsChecked: boolean,
    options: ImportWriteOptions,
  ): Promise<ImportResult> {
    const sha256 = createHash('sha256').update(JSON.stringify(body) ?? '').digest('hex');
    const code = experimentCodeOf(body);
    // Validate inside the transaction, after the lock, so the stored state cannot change under the check.
    if (code) await this.repository.lockExperiment(manager, code);
    const total = isRecord(body) ? COLLECTIONS.reduce((n, c) => n + (Array.isArray(body[c]) ? (body[c] as unknown[]).length : 0), 0) : 0;
    onProgress({ phase: 'validate', done: 0, total });
    const { state, experimentId } = await this.loadStoredState(manager, body, code);
    const today = this.clock.today();
    const check = recordsChecked ? checkPlannedDocument(body as ExchangeDocument, state, today) : checkExchangeDocument(body, state, today);
    if (check.violations.length > 0) throw rejection(check.violations);
    onProgress({ phase: 'validate', done: total, total });

    const doc = withDefaults(body as ExchangeDocument);
    return this.write(
      manager,
      actor,
      doc,
      sha256,
      { contractsByPair: check.contractsByPair, existed: experimentId !== null, extraAudit },
      onProgress,
      options,
    );
  }

  async exportDocument(actor: Actor, experimentCode?: string, onProgress: ProgressListener = NO_PROGRESS): Promise<ExchangeDocument> {
    const found = await this.experiments.resolve(experimentCode);
    const { id } = found;
    const experiment = { code: found.code, name: found.name, start: found.startDate, end: found.endDate, analysisDate: found.analysisDate };
    const steps = 7;
    const step = (done: number) => onProgress({ phase: 'export', done, total: steps });
    const snapshot = await this.repository.snapshot(async (manager) => {
      step(0);
      const insurers = await this.repository.exportInsurers(manager, id);
      const practices = await this.repository.exportPractices(manager, id);
      const contracts = await this.repository.exportContracts(manager, id);
      step(3);
      const patients = await this.repository.exportPatients(manager, id);
      step(4);
      const sessions = await this.repository.exportSessions(manager, id);
      step(5);
      const measurements = (await this.repository.exportMeasurements(manager, id)).map((m) => ({
        ...m,
        value: fromStoredMeasurementValue(m.instrument, m.value),
      }));
      step(6);
      const events = await this.repository.exportEvents(manager, id);
      const pseudonyms = await this.repository.exportedPseudonyms(manager, id);
      step(7);
      return { doc: { experiment, insurers, practices, contracts, patients, sessions, measurements, events }, pseudonyms };
    });
    const { doc, pseudonyms } = snapshot;
    // Every exported patient is attributable: one row holding all their pseudonyms (NEN 7513).
    await this.audit.record(actor, {
      action: 'experiment-data.export',
      resourceType: 'experiment',
      resourceId: id,
      patientPseudonyms: pseudonyms,
      detail: { code: experiment.code, ...Object.fromEntries(COLLECTIONS.map((c) => [c, doc[c].length])) },
    });
    return doc;
  }

  /** Whether any experiment exists (the demo seeds only an empty database). */
  async hasExperiments(): Promise<boolean> {
    return (await this.repository.experimentCount()) > 0;
  }

  private async loadStoredState(manager: EntityManager, body: unknown, code: string | undefined): Promise<{ state: StoredState; experimentId: string | null }> {
    if (!isRecord(body)) return { state: emptyStoredState(), experimentId: null };
    const strings = (collection: string, field: string): string[] => {
      const items = Array.isArray(body[collection]) ? (body[collection] as unknown[]) : [];
      return [...new Set(items.map((i) => (isRecord(i) ? i[field] : undefined)).filter((v): v is string => typeof v === 'string'))];
    };
    const agbs = [...new Set([...strings('contracts', 'practice'), ...strings('patients', 'practice')])];
    const uzovis = [...new Set([...strings('contracts', 'insurer'), ...strings('patients', 'insurer')])];
    const codes = await this.repository.storedCodes(manager, agbs, uzovis);
    const found = code ? await this.experiments.findByCode(code, manager) : null;
    if (found === null) {
      return { state: { ...emptyStoredState(), practices: codes.practices, insurers: codes.insurers }, experimentId: null };
    }
    // Contract changes, enrolments and sessions of every practice x insurer the document writes to wait until this
    // import commits (the API takes the same pair lock): the import validates its records against the contracts and
    // derives arms from them, and those must not change under it, nor records be added under the old contracts.
    const sent = (collection: string) => (Array.isArray(body[collection]) ? (body[collection] as unknown[]).filter(isRecord) : []);
    const written = new Set(
      [...sent('contracts'), ...sent('patients')]
        .filter((x) => typeof x.practice === 'string' && typeof x.insurer === 'string')
        .map((x) => pairKey(x.practice, x.insurer)),
    );
    const patientsOfRecords = new Set(
      (['sessions', 'measurements', 'events'] as const)
        .flatMap((c) => sent(c))
        .filter((x) => typeof x.practice === 'string' && typeof x.patient === 'string')
        .map((x) => patientKey(x.practice, x.patient)),
    );
    const keys = (set: Set<string>) => [...set].map((k) => JSON.parse(k) as [string, string]);
    await this.contractLocks.lockPairsByCode(found.id, keys(written), keys(patientsOfRecords), manager);
    const contracts = await this.repository.storedContracts(manager, found.id);
    const storedPatients = await this.repository.storedPatients(manager, found.id);
    const patients = new Map<string, Enrolment & { pseudonym: string }>(storedPatients.map((p) => [patientKey(p.practice, p.ref), p]));

    const sessionsByPair = new Map<string, RecordedSession[]>();
    const pairs = pairsWithChangedPeriods(body, { contracts }).map((k) => JSON.parse(k) as [string, string]);
    for (const { agb, uzovi, ...session } of await this.repository.sessionsByPair(manager, found.id, pairs)) {
      const key = pairKey(agb, uzovi);
      const list = sessionsByPair.get(key);
      if (list) list.push(session);
      else sessionsByPair.set(key, [session]);
    }

    const recordDatesByPatient = new Map<string, { sessions: IsoDate[]; observations: IsoDate[] }>();
    const changedKeys = new Set(patientsWithChangedWindow(body, { patients }));
    const idToKey = new Map(storedPatients.filter((p) => changedKeys.has(patientKey(p.practice, p.ref))).map((p) => [p.id, patientKey(p.practice, p.ref)]));
    for (const key of changedKeys) recordDatesByPatient.set(key, { sessions: [], observations: [] });
    for (const row of await this.repository.recordDates(manager, [...idToKey.keys()])) {
      const dates = recordDatesByPatient.get(idToKey.get(row.patientId)!)!;
      (row.kind === 'S' ? dates.sessions : dates.observations).push(row.date);
    }
    return {
      state: { practices: codes.practices, insurers: codes.insurers, contracts, patients, sessionsByPair, recordDatesByPatient },
      experimentId: found.id,
    };
  }

  private async write(
    manager: EntityManager,
    actor: Actor,
    doc: ExchangeDocument,
    sha256: string,
    context: { contractsByPair: ReturnType<typeof checkExchangeDocument>['contractsByPair']; existed: boolean; extraAudit: AuditEntry[] },
    onProgress: ProgressListener,
    options: ImportWriteOptions,
  ): Promise<ImportResult> {
    const code = doc.experiment.code;
    const experiment = await this.repository.upsertExperiment(manager, doc.experiment);
    const insurers = await this.repository.upsertInsurers(manager, doc.insurers);
    const practices = await this.repository.upsertPractices(manager, doc.practices);
    const practiceIds = await this.repository.practiceIds(manager, [...new Set([...doc.contracts, ...doc.patients].map((x) => x.practice))]);
    const insurerIds = await this.repository.insurerIds(manager, [...new Set([...doc.contracts, ...doc.patients].map((x) => x.insurer))]);
    const { counts: contracts, changedPairs } = await this.repository.upsertContracts(
      manager,
      experiment.id,
      doc.contracts.map((c) => ({ ...c, practiceId: practiceIds.get(c.practice)!, insurerId: insurerIds.get(c.insurer)! })),
    );
    // A contract sent again with another arm or period is a correction, not a renewal (DOMAIN.md 3): the stored
    // patients whose intake it covers take the arm again from the contracts as they are now. Before the patients'
    // upsert, so a patient the document sends unchanged stays unchanged; the ones it sends take armAtIntake below.
    const agbOf = new Map([...practiceIds].map(([agb, id]) => [id, agb]));
    const uzoviOf = new Map([...insurerIds].map(([uzovi, id]) => [id, uzovi]));
    const armChanges = await this.arms.rederive(
      manager,
      actor,
      experiment.id,
      changedPairs.map((p) => ({
        ...p,
        contracts: context.contractsByPair.get(pairKey(agbOf.get(p.practiceId), uzoviOf.get(p.insurerId))) ?? [],
      })),
      { document: sha256, change: 'experiment-data.import' },
    );

    const progress = (phase: string, total: number) => {
      let done = 0;
      onProgress({ phase, done, total });
      return (n: number) => onProgress({ phase, done: (done += n), total });
    };
    const changedPatients = await this.repository.upsertPatients(
      manager,
      experiment.id,
      doc.patients.map((p) => ({
        practiceId: practiceIds.get(p.practice)!,
        insurerId: insurerIds.get(p.insurer)!,
        ref: p.ref,
        pseudonym: this.pseudonymizer.patientPseudonym(code, p.practice, p.ref),
        // Validation guarantees a contract in force at intake; the arm stays the intake's for the whole enrolment.
        arm: armAtIntake(context.contractsByPair.get(pairKey(p.practice, p.insurer)) ?? [], p.intakeDate)!,
        patient: p,
      })),
      progress('write patients', doc.patients.length),
    );

    const stored = await this.repository.patientIds(manager, experiment.id);
    const idOf = new Map(stored.map((p) => [patientKey(p.agb, p.ref), p.id]));
    const patientId = (r: { practice: string; patient: string }) => idOf.get(patientKey(r.practice, r.patient))!;
    const sessions = await this.repository.insertSessions(
      manager,
      doc.sessions.map((s) => ({ patientId: patientId(s), date: s.date, kind: s.kind })),
      progress('write sessions', doc.sessions.length),
      { rebuildKeys: options.initialLoad === true },
    );
    const measurements = await this.repository.upsertMeasurements(
      manager,
      doc.measurements.map((m) => ({
        patientId: patientId(m),
        date: m.date,
        instrument: m.instrument,
        value: toStoredMeasurementValue(m.instrument, m.value),
      })),
      progress('write measurements', doc.measurements.length),
    );
    const events = await this.repository.insertEvents(
      manager,
      doc.events.map((e) => ({ patientId: patientId(e), date: e.date, kind: e.kind })),
      progress('write events', doc.events.length),
    );

    const counts: ImportResult['counts'] = {
      experiment: experiment.counts,
      insurers,
      practices,
      contracts,
      patients: fromChanged(changedPatients, doc.patients.length),
      sessions: fromChanges(sessions, doc.sessions.length),
      measurements: fromChanges(measurements, doc.measurements.length),
      events: fromChanges(events, doc.events.length),
    };
    const pseudonymOf = new Map(stored.map((p) => [p.id, p.pseudonym]));
    await this.audit.recordMany(
      actor,
      [
        {
          action: 'experiment-data.import',
          resourceType: 'experiment',
          resourceId: experiment.id,
          detail: { code, sha256, counts, experimentExisted: context.existed, armChanges: armChangesDetail(armChanges) },
        },
        ...patientAuditEntries(changedPatients, { sessions, measurements, events }, pseudonymOf, sha256),
        ...context.extraAudit.map((entry) => ({ ...entry, resourceId: entry.resourceId ?? experiment.id })),
      ],
      manager,
    );
    // Indicators are recomputed from source rows by the worker; an import that changed nothing asks for nothing.
    const changed = Object.values(counts).some((c) => c.created + c.updated > 0);
    if (changed) await this.outbox.announce(manager, experiment.id, null, 'import');
    return { experiment: code, sha256, counts };
  }
}

/** One audit row per patient whose enrolment or any of its records the import created or changed (NEN 7513). */
function patientAuditEntries(
  changedPatients: { id: string; pseudonym: string; inserted: boolean }[],
  records: Record<'sessions' | 'measurements' | 'events', ChangesByPatient>,
  pseudonymOf: Map<string, string>,
  sha256: string,
): AuditEntry[] {
  const enrolment = new Map(changedPatients.map((p) => [p.id, p.inserted ? 'created' : 'updated']));
  const ids = new Set([...enrolment.keys(), ...records.sessions.keys(), ...records.measurements.keys(), ...records.events.keys()]);
  return [...ids].sort().map((id) => ({
    action: 'patient.import',
    resourceType: 'patient',
    resourceId: id,
    patientPseudonym: pseudonymOf.get(id) ?? null,
    detail: {
      enrolment: enrolment.get(id) ?? 'unchanged',
      sessionsCreated: records.sessions.get(id)?.created ?? 0,
      measurementsCreated: records.measurements.get(id)?.created ?? 0,
      measurementsUpdated: records.measurements.get(id)?.updated ?? 0,
      eventsCreated: records.events.get(id)?.created ?? 0,
      document: sha256,
    },
  }));
}

function fromChanged(rows: { inserted: boolean }[], total: number): EntityCounts {
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created, unchanged: total - rows.length };
}

function fromChanges(changes: ChangesByPatient, total: number): EntityCounts {
  let created = 0;
  let updated = 0;
  for (const c of changes.values()) {
    created += c.created;
    updated += c.updated;
  }
  return { created, updated, unchanged: total - created - updated };
}

/**
 * The check of a planned document whose records the plan has checked (importPlanned's recordsChecked): the whole
 * document as any import without its sessions, measurements and events, and those by their shape. A planned
 * document writes no contracts, so no contract rule looks at its sessions.
 */
function checkPlannedDocument(doc: ExchangeDocument, state: StoredState, today: IsoDate): ReturnType<typeof checkExchangeDocument> {
  const { sessions, measurements, events } = doc;
  const check = checkExchangeDocument({ ...doc, sessions: [], measurements: [], events: [] }, state, today);
  const recordShape = shapeViolations({ experiment: doc.experiment, sessions, measurements, events });
  return { violations: [...check.violations, ...recordShape], contractsByPair: check.contractsByPair };
}

function rejection(violations: { code: string; path: string; message: string }[]): AppError {
  const n = violations.length;
  const shown = n > MAX_REPORTED_ERRORS ? ` De eerste ${MAX_REPORTED_ERRORS} staan in "errors".` : '';
  return ruleViolation(
    'IMPORT.REJECTED',
    `Het document is afgewezen: ${n} ${n === 1 ? 'fout' : 'fouten'} gevonden.${shown} Er is niets opgeslagen.`,
    violations.slice(0, MAX_REPORTED_ERRORS),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function experimentCodeOf(body: unknown): string | undefined {
  const code = isRecord(body) && isRecord(body.experiment) ? body.experiment.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function withDefaults(doc: ExchangeDocument): ExchangeDocument {
  return { ...doc, ...Object.fromEntries(COLLECTIONS.map((c) => [c, doc[c] ?? []])) } as ExchangeDocument;
}
