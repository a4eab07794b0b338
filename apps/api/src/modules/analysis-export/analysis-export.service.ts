import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { AppError } from '../../core/errors/app-error';
import { ExperimentsService } from '../experiments/experiments.service';
import { zipChunks } from './analysis-export-writer';
import { AnalysisExportRepository, EXPORT_FILE_QUERIES, type ExportReader, type ExportSource, type SnapshotRow } from './analysis-export.repository';

export interface AnalysisExportRequest {
  experiment?: string;
  snapshot?: string;
}

/** The zip, ready to stream: its file name, its bytes as they are made, and what the audit row counted. */
export interface AnalysisExportFile {
  fileName: string;
  stream: Readable;
  experiment: string;
  snapshot: string | null;
  patients: number;
}

/**
 * The analysis-ready export (issue 13, item 3): a zip of tidy CSV files with their codebook, of the experiment now
 * or of a frozen snapshot. Everything that can refuse the request (experiment, snapshot, the audit row) happens
 * before the first byte, so a refusal is a problem+json answer; the files are then streamed from one read-only
 * transaction.
 */
@Injectable()
export class AnalysisExportService {
  constructor(
    private readonly repository: AnalysisExportRepository,
    private readonly experiments: ExperimentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async export(actor: Actor, request: AnalysisExportRequest): Promise<AnalysisExportFile> {
    const { source, snapshot, code } = await this.resolveSource(request);
    const reader = await this.repository.openReader(source);
    try {
      const experimentRow = await reader.experiment();
      if (!experimentRow) throw snapshotWithoutExperiment(snapshot!.id);
      const analysisDate = String(experimentRow.analysis_date);
      const pseudonyms = await reader.pseudonyms();
      // Every exported patient is attributable: one row holding all their pseudonyms (NEN 7513), as the exchange export.
      await this.audit.record(actor, {
        action: 'analysis-export.export',
        resourceType: snapshot ? 'snapshot' : 'experiment',
        resourceId: snapshot ? snapshot.id : source.experimentId,
        patientPseudonyms: pseudonyms,
        detail: { code, snapshot: snapshot?.id ?? null, snapshotLabel: snapshot?.label ?? null, analysisDate, patients: pseudonyms.length },
      });
      // The codebook's column order: the experiment's own fields, what the export shows, when its facts were computed.
      const { facts_computed_at: factsComputedAt, ...fields } = experimentRow;
      const experiment = {
        ...fields,
        source: snapshot ? 'snapshot' : 'now',
        snapshot_id: snapshot?.id ?? null,
        snapshot_label: snapshot?.label ?? null,
        snapshot_taken_at: snapshot?.takenAt ?? null,
        facts_computed_at: factsComputedAt,
      };
      // A snapshot's zip is dated by the snapshot, so two downloads of it are the same bytes.
      const modified = snapshot ? new Date(snapshot.takenAt) : this.clock.now();
      return {
        fileName: fileName(code, analysisDate, snapshot),
        stream: Readable.from(released(reader, zipChunks(reader, EXPORT_FILE_QUERIES, { experimentRow: experiment, modified }))),
        experiment: code,
        snapshot: snapshot?.id ?? null,
        patients: pseudonyms.length,
      };
    } catch (error) {
      await reader.release();
      throw error;
    }
  }

  private async resolveSource(request: AnalysisExportRequest): Promise<{ source: ExportSource; snapshot: SnapshotRow | null; code: string }> {
    if (!request.snapshot) {
      const experiment = await this.experiments.resolve(request.experiment);
      return { source: { experimentId: experiment.id, snapshotId: null }, snapshot: null, code: experiment.code };
    }
    const snapshot = await this.repository.findSnapshot(request.snapshot);
    if (!snapshot) {
      throw new AppError('NOT_FOUND', 'SNAPSHOT.NOT_FOUND', `Momentopname ${request.snapshot} bestaat niet. Kies een momentopname uit de lijst van momentopnamen van het experiment.`);
    }
    if (request.experiment && request.experiment !== snapshot.experimentCode) {
      // The experiment must exist at all (404 as everywhere); an existing other one is a contradiction in the request.
      await this.experiments.resolve(request.experiment);
      throw new AppError(
        'RULE_VIOLATION',
        'ANALYSIS_EXPORT.SNAPSHOT_OF_OTHER_EXPERIMENT',
        `Momentopname ${snapshot.id} hoort bij experiment ${snapshot.experimentCode}, niet bij ${request.experiment}. Laat experiment weg of kies een momentopname van ${request.experiment}.`,
        [{ code: 'ANALYSIS_EXPORT.SNAPSHOT_OF_OTHER_EXPERIMENT', path: 'snapshot', message: `Deze momentopname is van experiment ${snapshot.experimentCode}.` }],
      );
    }
    return { source: { experimentId: snapshot.experimentId, snapshotId: snapshot.id }, snapshot, code: snapshot.experimentCode };
  }
}

/** analyse_<code>_<analysis date>.zip; a snapshot: analyse_<code>_snapshot-<analysis date>_<first 8 of its id>.zip. */
export function fileName(code: string, analysisDate: string, snapshot: Pick<SnapshotRow, 'id'> | null): string {
  return snapshot ? `analyse_${code}_snapshot-${analysisDate}_${snapshot.id.slice(0, 8)}.zip` : `analyse_${code}_${analysisDate}.zip`;
}

function snapshotWithoutExperiment(id: string): AppError {
  return new AppError('NOT_FOUND', 'SNAPSHOT.NOT_FOUND', `Momentopname ${id} bevat geen experiment.`);
}

/** The chunks, then the reader's transaction released: also when the consumer stops early (a client that went away). */
async function* released(reader: ExportReader, chunks: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } finally {
    await reader.release();
  }
}
