import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { formatViolation, fromStoredMeasurementValue, type Instrument, type Violation } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { correctionReason } from '../../core/audit/correction-reason';
import { Clock } from '../../core/clock';
import { AppError, conflict } from '../../core/errors/app-error';
import { Pseudonymizer } from '../../core/pseudonymizer';
import type { ExchangeDocument } from '../exchange/exchange-document';
import { ExchangeService, type ImportWriteOptions } from '../exchange/exchange.service';
import { ExperimentsService } from '../experiments/experiments.service';
import { isCsvKind, type CsvKind, type CsvLanguage } from './csv/csv-columns';
import { readCsv } from './csv/csv-reader';
import { csvTemplate, writeCsv, type CsvRecord } from './csv/csv-writer';
import { parseMapping } from './import-mapping';
import { planImport, sameStoredState, type Plan, type StoredForPlan } from './import-planner';
import type { ImportReport } from './import-report';
import { InterchangeRepository } from './interchange.repository';
import { emptyBatch, type ReadProgress, type SourceBatch, type SourceFile } from './source-records';

export type ImportFormat = 'csv' | 'fhir';

/** One upload as the routes and the CLI receive it. */
export interface ImportUpload {
  format: string | undefined;
  kind?: string;
  experiment?: string;
  /** The mapping as JSON text (the form field or the CLI's file). */
  mapping?: string;
  digest?: string;
  reason?: string;
  files: SourceFile[];
}

/** A reader of a format into the source-record model (the FHIR one is engineer G's fhir-reader.ts). */
export type SourceReader = (files: SourceFile[], onProgress?: ReadProgress) => SourceBatch;

const NO_PROGRESS: ReadProgress = () => undefined;

/**
 * CSV and FHIR import in two steps (issue 15): a dry run answers with a report of what would happen per patient
 * and record; the confirm sends the same upload with the dry run's digest and writes all accepted patients and
 * records or nothing, through the exchange document's write path (its validation under its locks, its set-based
 * upserts, arms, pseudonyms, outbox), with one audit row naming every pseudonym written and the reason.
 */
@Injectable()
export class InterchangeService {
  private fhirReader: SourceReader | null = null;

  constructor(
    private readonly repository: InterchangeRepository,
    private readonly exchange: ExchangeService,
    private readonly experiments: ExperimentsService,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The FHIR reader, registered by the FHIR side of the module. */
  useFhirReader(reader: SourceReader): void {
    this.fhirReader = reader;
  }

  async dryRun(actor: Actor, upload: ImportUpload, lang: string, onProgress: ReadProgress = NO_PROGRESS): Promise<ImportReport> {
    const read = await this.read(actor, upload, onProgress);
    const stored = await this.repository.snapshot((manager) => this.repository.storedState(manager, read.experiment.id, read.ownPractices));
    return this.plan(read, stored, lang, onProgress).report;
  }

  async confirm(actor: Actor, upload: ImportUpload, lang: string, onProgress: ReadProgress = NO_PROGRESS, options: ImportWriteOptions = {}): Promise<ImportReport> {
    if (typeof upload.digest !== 'string' || upload.digest.trim() === '') {
      throw new AppError('INVALID_REQUEST', 'IMPORT.DIGEST_REQUIRED', 'Bevestig met de controlecode (digest) van de proefimport; doe eerst een proefimport.', [
        { code: 'IMPORT.DIGEST_REQUIRED', path: 'digest', message: 'De controlecode (digest) van de proefimport ontbreekt.', params: {} },
      ]);
    }
    const read = await this.read(actor, upload, onProgress);
    if (read.digest !== upload.digest.trim()) {
      throw conflict('IMPORT.FILE_CHANGED', 'De bestanden of de koppeling zijn veranderd sinds de proefimport. Doe de proefimport opnieuw; er is niets opgeslagen.', [
        { code: 'IMPORT.FILE_CHANGED', path: 'digest', message: 'De controlecode past niet bij deze bestanden.', params: { expected: upload.digest.slice(0, 64), actual: read.digest } },
      ]);
    }
    const { experiment, format } = read;
    const done = new Map<string, number>();
    let total = 0;
    return this.exchange.importPlanned(
      actor,
      experiment.code,
      async (manager) => {
        // Planned in the write transaction under the import's locks: a first plan names the practice x insurer
        // pairs and the patients it writes to, their locks are taken (as the exchange import and the records API
        // take them), and the stored state is read again. The plan is a function of that state: when it reads the
        // same, the first plan is the plan of what is stored now, made under the locks of everything it writes, and
        // it has checked every record it writes (the write then re-checks the rest, recordsChecked). When anything
        // changed in between, the plan is made again on what is stored now and the write checks it all again.
        const today = this.clock.today();
        const before = await this.repository.storedState(manager, experiment.id, read.ownPractices);
        let planned = this.plan(read, before, lang, onProgress);
        await this.exchange.lockPairs(experiment.id, ...lockKeys(planned.plan), manager);
        const now = await this.repository.storedState(manager, experiment.id, read.ownPractices);
        const recordsChecked = sameStoredState(before, now) && this.clock.today() === today;
        if (!recordsChecked) planned = this.plan(read, now, lang, onProgress);
        const { plan, report } = planned;
        // Corrections of stored data need their reason (issue 14), as any correction through the forms does.
        const given = typeof upload.reason === 'string' && upload.reason.trim() !== '';
        const reason = plan.hasUpdates || given ? correctionReason(upload.reason) : null;
        const records = plan.write.sessions.length + plan.write.measurements.length + plan.write.events.length;
        const written = { ...report, written: { patients: plan.write.patients.length, records } };
        if (plan.write.patients.length + records === 0) return { result: written };
        total = plan.write.patients.length + records;
        onProgress({ phase: 'write', done: 0, total });
        const document: ExchangeDocument = {
          experiment: { code: experiment.code, name: experiment.name, start: experiment.startDate, end: experiment.endDate, analysisDate: experiment.analysisDate },
          insurers: [],
          practices: [],
          contracts: [],
          ...plan.write,
        };
        const audit = {
          action: `import.${format}`,
          resourceType: 'experiment',
          resourceId: experiment.id,
          patientPseudonyms: plan.pseudonyms,
          reason,
          detail: {
            digest: report.digest,
            format,
            kind: report.kind ?? null,
            files: upload.files.map((f) => f.name),
            patients: report.summary.patients,
            records: report.summary.records,
          },
        };
        return { result: written, document, audit: [audit], recordsChecked };
      },
      (e) => {
        if (!e.phase.startsWith('write')) return;
        done.set(e.phase, e.done);
        onProgress({ phase: 'write', done: [...done.values()].reduce((a, b) => a + b, 0), total });
      },
      options,
    );
  }

  template(kind: string, lang: string): string {
    return csvTemplate(csvKindOf(kind), csvLanguage(lang));
  }

  /** The CSV export of one kind, audited with every pseudonym it holds (as the exchange export). */
  async exportCsv(actor: Actor, kindText: string, query: { practice?: string; experiment?: string; lang?: string }): Promise<string> {
    const kind = csvKindOf(kindText);
    const lang = csvLanguage(query.lang ?? 'nl');
    const experiment = await this.experiments.resolve(query.experiment);
    const practices = practicesOf(actor, query.practice);
    const { rows, pseudonyms } = await this.repository.snapshot(async (manager) => {
      const patients = await this.repository.patients(manager, experiment.id, practices);
      if (kind === 'patients') return { rows: patients as unknown as CsvRecord[], pseudonyms: patients.map((p) => p.pseudonym) };
      const pseudonymOf = new Map(patients.map((p) => [JSON.stringify([p.practice, p.ref]), p.pseudonym]));
      const records = await this.repository.exportRecords(manager, experiment.id, kind, practices);
      const seen = new Set(records.map((r) => pseudonymOf.get(JSON.stringify([r.practice, r.ref]))!));
      return {
        rows: records.map((r) => ({ ...r, ...(r.instrument ? { value: fromStoredMeasurementValue(r.instrument as Instrument, r.value!) } : {}) })),
        pseudonyms: [...seen].sort(),
      };
    });
    await this.audit.record(actor, {
      action: 'export.csv',
      resourceType: 'experiment',
      resourceId: experiment.id,
      patientPseudonyms: pseudonyms,
      detail: { code: experiment.code, kind, practice: query.practice ?? null, rows: rows.length, lang },
    });
    return writeCsv(kind, lang, rows);
  }

  /** Reads the upload: format, kind, mapping, experiment, digest and the source records (a file that cannot be read: 422). */
  private async read(actor: Actor, upload: ImportUpload, onProgress: ReadProgress) {
    const format = formatOf(upload.format);
    const kind = format === 'csv' ? csvKindOf(upload.kind) : undefined;
    if (upload.files.length === 0) {
      throw new AppError('INVALID_REQUEST', 'IMPORT.NO_FILES', 'Kies een of meer bestanden om te importeren.', [
        { code: 'IMPORT.NO_FILES', path: 'files', message: 'Er is geen bestand meegestuurd.', params: {} },
      ]);
    }
    const mapping = parseMapping(upload.mapping);
    const experiment = await this.experiments.resolve(upload.experiment);
    const digest = digestOf(format, kind, experiment.code, upload.mapping, upload.files);
    const batch = format === 'csv' ? readCsv(upload.files, kind!, onProgress) : this.readFhir(upload.files, onProgress);
    if (batch.problems.length > 0) throw fileRefused(batch);
    const ownPractices = actor.role === 'PRACTICE' ? (actor.organisation ?? '').split(',').filter(Boolean) : null;
    return { format, kind, mapping, experiment, digest, batch, ownPractices };
  }

  /** The plan and its report against a stored state; rows of another practice than a practice user's own: 403. */
  private plan(read: Awaited<ReturnType<InterchangeService['read']>>, stored: StoredForPlan, lang: string, onProgress: ReadProgress) {
    const { batch, experiment } = read;
    onProgress({ phase: 'check', done: 0, total: batch.read });
    const plan: Plan = planImport({
      batch,
      mapping: read.mapping,
      stored,
      today: this.clock.today(),
      lang,
      ownPractices: read.ownPractices,
      pseudonym: (agb, ref) => this.pseudonymizer.patientPseudonym(experiment.code, agb, ref),
    });
    if (plan.otherPractice.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        'IMPORT.OTHER_PRACTICE',
        `${plan.otherPractice.length} ${plan.otherPractice.length === 1 ? 'regel noemt' : 'regels noemen'} een andere praktijk dan de uwe; u kunt alleen voor uw eigen praktijk importeren. Er is niets opgeslagen; zie "errors".`,
        plan.otherPractice.slice(0, 1000),
      );
    }
    onProgress({ phase: 'check', done: batch.read, total: batch.read });
    const report: ImportReport = {
      digest: read.digest,
      format: read.format,
      ...(read.kind ? { kind: read.kind } : {}),
      experiment: experiment.code,
      read: batch.read,
      summary: plan.summary,
      patients: plan.patients,
      records: plan.records,
    };
    return { plan, report };
  }

  private readFhir(files: SourceFile[], onProgress: ReadProgress): SourceBatch {
    if (!this.fhirReader) {
      throw new AppError('UNAVAILABLE', 'IMPORT.FHIR_UNAVAILABLE', 'FHIR-import is nog niet beschikbaar in deze versie.');
    }
    return this.fhirReader(files, onProgress) ?? emptyBatch();
  }
}

/** sha256 over format, kind, experiment, the mapping text and every file (name, length, bytes): what the confirm must match. */
export function digestOf(format: string, kind: string | undefined, experiment: string, mapping: string | undefined, files: SourceFile[]): string {
  const hash = createHash('sha256').update(JSON.stringify([format, kind ?? null, experiment, mapping?.trim() ?? '']));
  for (const file of files) hash.update(`\n${file.name}\n${file.content.length}\n`).update(file.content);
  return hash.digest('hex');
}

function formatOf(value: string | undefined): ImportFormat {
  if (value === 'csv' || value === 'fhir') return value;
  throw new AppError('INVALID_REQUEST', 'IMPORT.FORMAT_INVALID', 'Kies het formaat van de bestanden: csv of fhir.', [
    { code: 'SHAPE.NOT_ONE_OF', path: 'format', message: `Formaat ${String(value)} bestaat niet; kies csv of fhir.`, params: { value: value ?? null, allowed: 'csv, fhir' } },
  ]);
}

function csvKindOf(value: string | undefined): CsvKind {
  if (isCsvKind(value)) return value;
  throw new AppError('INVALID_REQUEST', 'IMPORT.KIND_INVALID', 'Kies de soort gegevens van het CSV-bestand: patients, sessions, measurements of events.', [
    {
      code: 'SHAPE.NOT_ONE_OF',
      path: 'kind',
      message: `Soort ${String(value)} bestaat niet; kies patients, sessions, measurements of events.`,
      params: { value: value ?? null, allowed: 'patients, sessions, measurements, events' },
    },
  ]);
}

function csvLanguage(value: string): CsvLanguage {
  return value.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/** Which practices an export covers: an evaluator the one asked for or all; a practice its own (another: 404). */
function practicesOf(actor: Actor, practice: string | undefined): string[] | null {
  if (actor.role !== 'PRACTICE') return practice ? [practice] : null;
  const own = (actor.organisation ?? '').split(',').filter(Boolean);
  if (practice === undefined) return own;
  if (!own.includes(practice)) throw new AppError('NOT_FOUND', 'PRACTICE.NOT_FOUND', `Praktijk ${practice} bestaat niet.`);
  return [practice];
}

/** The lock keys of what a plan writes: practice x insurer of its patients, practice + number of its records' patients. */
function lockKeys(plan: Plan): [[string, string][], [string, string][]] {
  const pairs = new Map(plan.write.patients.map((p) => [`${p.practice}\u0000${p.insurer}`, [p.practice, p.insurer] as [string, string]]));
  const patients = new Map(
    [...plan.write.sessions, ...plan.write.measurements, ...plan.write.events].map((r) => [`${r.practice}\u0000${r.patient}`, [r.practice, r.patient] as [string, string]]),
  );
  return [[...pairs.values()], [...patients.values()]];
}

/** A file that cannot be read (not CSV/FHIR, a bad header, a bad cell) is refused as a whole: 422 naming each place. */
function fileRefused(batch: SourceBatch): AppError {
  const violations: Violation[] = batch.problems.slice(0, 1000).map((p) => {
    const params = { ...p.params, file: p.source.file, row: p.source.row ?? p.source.resource ?? null };
    const v: Violation = { code: p.code, path: p.field, message: p.code, params };
    return { ...v, message: formatViolation(v, 'nl'), source: p.source } as Violation;
  });
  const n = batch.problems.length;
  return new AppError(
    'RULE_VIOLATION',
    'IMPORT.FILE_REFUSED',
    `Het bestand is geweigerd: ${n} ${n === 1 ? 'fout' : 'fouten'} gevonden. Er is niets opgeslagen; zie "errors".`,
    violations,
  );
}
