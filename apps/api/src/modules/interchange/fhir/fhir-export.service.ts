import { Injectable, OnModuleInit } from '@nestjs/common';
import { zipSync, strToU8 } from 'fflate';
import { fromStoredMeasurementValue, type EventKind, type Instrument, type SessionKind } from '@copd/domain';
import { Actor } from '../../../core/actor/actor';
import { AuditService } from '../../../core/audit/audit.service';
import { AppError } from '../../../core/errors/app-error';
import { ExperimentsService } from '../../experiments/experiments.service';
import type { ExchangeDocument } from '../../exchange/exchange-document';
import { InterchangeRepository } from '../interchange.repository';
import { InterchangeService } from '../interchange.service';
import { readFhir } from './fhir-reader';
import { toFhirBundles, toFhirNdjson } from './fhir-writer';

export type FhirExportFormat = 'ndjson' | 'bundles';

export interface FhirExport {
  format: FhirExportFormat;
  body: Buffer;
  fileName: string;
}

/**
 * The FHIR side of the interchange module: registers readFhir with the import (dry run and confirm), and exports
 * every patient of an experiment (evaluator: one practice or all) or of the practice (practice user) as FHIR R4,
 * NDJSON for the lot or a zip with one Bundle per patient. Read in one snapshot through the import's repository
 * (the same rows the CSV export reads) and audited with every pseudonym exported, as the exchange export.
 */
@Injectable()
export class FhirExportService implements OnModuleInit {
  constructor(
    private readonly interchange: InterchangeService,
    private readonly repository: InterchangeRepository,
    private readonly experiments: ExperimentsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    // The R4 schema is compiled on the first FHIR upload (about 3 s of CPU once), not at start: every API and CLI
    // start (and every integration spec) would pay it otherwise.
    this.interchange.useFhirReader(readFhir);
  }

  async export(actor: Actor, query: { practice?: string; experiment?: string; format?: string }): Promise<FhirExport> {
    const format = formatOf(query.format);
    const experiment = await this.experiments.resolve(query.experiment);
    const practices = scopeOf(actor, query.practice);
    const doc = await this.repository.snapshot(async (manager) => {
      const patients = await this.repository.patients(manager, experiment.id, practices);
      // One after another: the snapshot's queries share one connection, which runs one query at a time anyway.
      const sessions = await this.repository.exportRecords(manager, experiment.id, 'sessions', practices);
      const measurements = await this.repository.exportRecords(manager, experiment.id, 'measurements', practices);
      const events = await this.repository.exportRecords(manager, experiment.id, 'events', practices);
      return { patients, sessions, measurements, events };
    });
    const document: ExchangeDocument = {
      experiment: { code: experiment.code, name: experiment.name, start: experiment.startDate, end: experiment.endDate, analysisDate: experiment.analysisDate },
      insurers: [],
      practices: [],
      contracts: [],
      patients: doc.patients.map(({ pseudonym: _p, ...p }) => p),
      sessions: doc.sessions.map((s) => ({ patient: s.ref, practice: s.practice, date: s.date, kind: s.kind as SessionKind })),
      measurements: doc.measurements.map((m) => ({
        patient: m.ref,
        practice: m.practice,
        date: m.date,
        instrument: m.instrument as Instrument,
        value: fromStoredMeasurementValue(m.instrument as Instrument, m.value!),
      })),
      events: doc.events.map((e) => ({ patient: e.ref, practice: e.practice, date: e.date, kind: e.kind as EventKind })),
    };
    const pseudonyms = doc.patients.map((p) => p.pseudonym).sort();
    await this.audit.record(actor, {
      action: 'export.fhir',
      resourceType: 'experiment',
      resourceId: experiment.id,
      patientPseudonyms: pseudonyms,
      detail: {
        code: experiment.code,
        format,
        practice: query.practice ?? null,
        patients: document.patients.length,
        sessions: document.sessions.length,
        measurements: document.measurements.length,
        events: document.events.length,
      },
    });
    const base = `fhir-${experiment.code}${query.practice ? `-${query.practice}` : ''}`;
    if (format === 'ndjson') return { format, body: Buffer.from(toFhirNdjson(document), 'utf8'), fileName: `${base}.ndjson` };
    const files: Record<string, Uint8Array> = {};
    for (const { name, bundle } of toFhirBundles(document)) files[name] = strToU8(JSON.stringify(bundle, null, 1));
    return { format, body: Buffer.from(zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') })), fileName: `${base}.zip` };
  }
}

function formatOf(value: string | undefined): FhirExportFormat {
  if (value === undefined || value === 'ndjson') return 'ndjson';
  if (value === 'bundles') return 'bundles';
  throw new AppError('INVALID_REQUEST', 'EXPORT.FORMAT_INVALID', 'Kies het formaat van de export: ndjson of bundles.', [
    { code: 'SHAPE.NOT_ONE_OF', path: 'format', message: `Formaat ${value} bestaat niet; kies ndjson of bundles.`, params: { value, allowed: 'ndjson, bundles' } },
  ]);
}

/** Which practices the export covers: an evaluator the one asked for or all; a practice its own (another: 404). */
function scopeOf(actor: Actor, practice: string | undefined): string[] | null {
  if (actor.role !== 'PRACTICE') return practice ? [practice] : null;
  const own = (actor.organisation ?? '').split(',').filter(Boolean);
  if (practice === undefined) return own;
  if (!own.includes(practice)) throw new AppError('NOT_FOUND', 'PRACTICE.NOT_FOUND', `Praktijk ${practice} bestaat niet.`);
  return [practice];
}
