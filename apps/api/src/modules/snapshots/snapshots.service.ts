import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { comparisonChanges, type ComparisonResult } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { AppConfig } from '../../core/config/app-config';
import { conflict, notFound } from '../../core/errors/app-error';
import { ExperimentsService } from '../experiments/experiments.service';
import { ComparisonContextService } from '../indicators/comparison-context.service';
import { ComparisonDto } from '../indicators/dto/comparison.dto';
import { toComparisonDto } from '../indicators/dto/indicators.mapper';
import { IndicatorsService } from '../indicators/indicators.service';
import { codeVersion } from './code-version';
import {
  ChangeSideDto,
  CreateSnapshotDto,
  PracticeChangesDto,
  RecordChangeCountsDto,
  SnapshotChangesDto,
  SnapshotDetailDto,
  SnapshotDto,
  SnapshotVerificationDto,
} from './dto/snapshot.dto';
import {
  RECORD_TABLES,
  RecordChangeRow,
  RecordSource,
  SnapshotRepository,
  SnapshotRow,
} from './snapshot.repository';

interface FrozenInsurer {
  uzovi: string;
  name: string;
  comparison: ComparisonResult;
}
interface FrozenRegion {
  region: string;
  comparison: ComparisonResult;
}

/**
 * Frozen snapshots (issue 13): an evaluator freezes an experiment as of its analysis date, so the figures of a
 * published report stay what they were. A snapshot is written once, in one REPEATABLE READ transaction: the
 * comparisons (overall, per insurer, per region), a copy of every input record and fact, the digest of the
 * records in canonical order, the code version and the time. No route changes or deletes one; the database
 * refuses it too. Comparing a snapshot with now or with another snapshot shows which figures moved and which
 * records were added (late), corrected or deleted, per practice.
 */
@Injectable()
export class SnapshotsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsService,
    private readonly context: ComparisonContextService,
    private readonly indicators: IndicatorsService,
    private readonly snapshots: SnapshotRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateSnapshotDto): Promise<SnapshotDetailDto> {
    const experiment = await this.experiments.resolve(dto.experiment);
    const id = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      // Checked in the same moment the copies are read: a change waiting in the outbox is in the records but not
      // yet in the facts, and a snapshot of both would not agree with itself.
      const freshness = await this.context.freshness(experiment, manager);
      if (freshness.stale || !freshness.lastComputedAt) {
        throw conflict(
          'SNAPSHOT.STALE',
          'De cijfers worden nog herberekend na de laatste wijziging. Wacht tot de herberekening klaar is en bevries dan opnieuw.',
        );
      }
      const comparison = await this.indicators.comparisonWithin(manager, experiment.id, {});
      // Every insurer's and every region's comparison from one pass each over the facts (not one per group).
      const groups = await this.snapshots.groups(manager, experiment.id);
      const perInsurer = await this.indicators.comparisonsByGroup(manager, experiment.id, 'insurer');
      const perRegion = await this.indicators.comparisonsByGroup(manager, experiment.id, 'region');
      const byInsurer: FrozenInsurer[] = groups.insurers.map((i) => ({
        uzovi: i.uzovi,
        name: i.name,
        comparison: perInsurer.get(i.id)!,
      }));
      const byRegion: FrozenRegion[] = groups.regions.map((region) => ({
        region,
        comparison: perRegion.get(region)!,
      }));
      const { id, digest, counts } = await this.snapshots.create(manager, {
        experimentId: experiment.id,
        analysisDate: experiment.analysisDate,
        label: dto.label,
        takenBy: actor.principal?.userId ?? null,
        takenByName: actor.id,
        codeVersion: codeVersion(this.config.CODE_VERSION),
        factsComputedAt: freshness.lastComputedAt,
        comparison,
        byInsurer,
        byRegion,
      });
      // The snapshot copies the experiment's (pseudonymised) patient records; which ones is fixed by the snapshot
      // itself, so one row naming it keeps the copy attributable.
      await this.audit.record(
        actor,
        {
          action: 'snapshot.create',
          resourceType: 'snapshot',
          resourceId: id,
          detail: {
            experiment: experiment.code,
            analysisDate: experiment.analysisDate,
            label: dto.label,
            inputDigest: digest,
            records: counts,
          },
        },
        manager,
      );
      return id;
    });
    return this.get(actor, id);
  }

  async list(_actor: Actor, experimentCode?: string): Promise<SnapshotDto[]> {
    const experiment = await this.experiments.resolve(experimentCode);
    const rows = await this.snapshots.list(this.dataSource.manager, experiment.id);
    return rows.map(toSnapshotDto);
  }

  async get(actor: Actor, id: string): Promise<SnapshotDetailDto> {
    const row = await this.require(actor, id);
    const frozen = (comparison: unknown): ComparisonDto =>
      toComparisonDto({
        experiment: row.experiment_code,
        analysisDate: row.analysis_date,
        computedAt: row.facts_computed_at.toISOString(),
        stale: false,
        filters: {},
        ...(comparison as ComparisonResult),
      } as Parameters<typeof toComparisonDto>[0]);
    return {
      snapshot: toSnapshotDto(row),
      comparison: frozen(row.comparison),
      byInsurer: (row.by_insurer as FrozenInsurer[]).map((i) => ({
        uzovi: i.uzovi,
        name: i.name,
        comparison: frozen(i.comparison),
      })),
      byRegion: (row.by_region as FrozenRegion[]).map((r) => ({
        region: r.region,
        comparison: frozen(r.comparison),
      })),
    };
  }

  /** The snapshot of the same experiment taken just before this one, if any (a report's "changes since"). */
  async previous(actor: Actor, id: string): Promise<SnapshotDto | null> {
    const row = await this.require(actor, id);
    const before = await this.snapshots.previous(this.dataSource.manager, row);
    return before ? toSnapshotDto(before) : null;
  }

  /** The snapshot's digest recomputed from its own copies: evidence that what is stored is what was frozen. */
  async verify(actor: Actor, id: string): Promise<SnapshotVerificationDto> {
    const row = await this.require(actor, id);
    const { digest } = await this.snapshots.snapshotDigest(this.dataSource.manager, id);
    return { inputDigest: row.input_digest, recomputedDigest: digest, matches: digest === row.input_digest };
  }

  /** What changed from the snapshot `id` to `to` (now, or another snapshot of the same experiment). */
  async changes(actor: Actor, id: string, to = 'now'): Promise<SnapshotChangesDto> {
    const from = await this.require(actor, id);
    const manager = this.dataSource.manager;
    let toSide: ChangeSideDto;
    let toSource: RecordSource;
    let toComparison: ComparisonResult;
    if (to === 'now') {
      const experiment = await this.experiments.resolve(from.experiment_code);
      const freshness = await this.context.freshness(experiment);
      toComparison = await this.indicators.comparisonWithin(manager, from.experiment_id, {});
      toSource = { kind: 'now' };
      toSide = {
        snapshotId: null,
        label: null,
        analysisDate: experiment.analysisDate,
        computedAt: freshness.computedAt,
        stale: freshness.stale,
      };
    } else {
      const other = await this.require(actor, to);
      if (other.experiment_id !== from.experiment_id) {
        throw conflict(
          'SNAPSHOT.OTHER_EXPERIMENT',
          'Deze momentopnamen horen bij verschillende experimenten en zijn niet te vergelijken.',
        );
      }
      toComparison = other.comparison as ComparisonResult;
      toSource = { kind: 'snapshot', snapshotId: other.id };
      toSide = sideOf(other);
    }
    const rows = await this.snapshots.recordChanges(
      manager,
      from.experiment_id,
      { kind: 'snapshot', snapshotId: from.id },
      toSource,
      from.analysis_date,
    );
    const practiceIds = [...new Set(rows.map((r) => r.practiceId).filter((p): p is string => p !== null))];
    const names = await this.snapshots.practiceNames(manager, practiceIds, [
      from.id,
      ...(toSource.kind === 'snapshot' ? [toSource.snapshotId] : []),
    ]);
    return {
      from: sideOf(from),
      to: toSide,
      figures: comparisonChanges(from.comparison as ComparisonResult, toComparison),
      total: sum(rows),
      practices: perPractice(rows, names),
    };
  }

  private async require(_actor: Actor, id: string): Promise<SnapshotRow> {
    const row = await this.snapshots.find(this.dataSource.manager, id);
    // A missing snapshot is audited as NOT_FOUND by the access-audit interceptor, like every 404.
    if (!row) throw notFound('Snapshot', id);
    return row;
  }
}

function sideOf(row: SnapshotRow): ChangeSideDto {
  return {
    snapshotId: row.id,
    label: row.label,
    analysisDate: row.analysis_date,
    computedAt: row.facts_computed_at.toISOString(),
    stale: false,
  };
}

function toSnapshotDto(row: SnapshotRow): SnapshotDto {
  const c = row.record_counts;
  return {
    id: row.id,
    experiment: row.experiment_code,
    analysisDate: row.analysis_date,
    label: row.label,
    takenAt: row.taken_at.toISOString(),
    takenBy: row.taken_by_name,
    codeVersion: row.code_version,
    factsComputedAt: row.facts_computed_at.toISOString(),
    inputDigest: row.input_digest,
    records: {
      experiments: c.experiments,
      insurers: c.insurers,
      practices: c.practices,
      contracts: c.contracts,
      patients: c.patients,
      therapy_sessions: c.therapy_sessions,
      measurements: c.measurements,
      events: c.events,
    },
  };
}

function sum(rows: RecordChangeRow[]): RecordChangeCountsDto {
  return rows.reduce(
    (t, r) => ({
      added: t.added + r.added,
      late: t.late + r.late,
      corrected: t.corrected + r.corrected,
      deleted: t.deleted + r.deleted,
    }),
    { added: 0, late: 0, corrected: 0, deleted: 0 },
  );
}

/** Per practice (AGB order; records of no practice last), its totals and its tables in canonical order. */
function perPractice(
  rows: RecordChangeRow[],
  names: Map<string, { agb: string; name: string }>,
): PracticeChangesDto[] {
  const keys = [...new Set(rows.map((r) => r.practiceId))];
  const result = keys.map((key) => {
    const own = rows
      .filter((r) => r.practiceId === key)
      .sort((a, b) => RECORD_TABLES.indexOf(a.table) - RECORD_TABLES.indexOf(b.table));
    const named = key === null ? null : names.get(key);
    return {
      agb: named?.agb ?? null,
      name: named?.name ?? null,
      total: sum(own),
      tables: own.map((r) => ({
        table: r.table,
        counts: { added: r.added, late: r.late, corrected: r.corrected, deleted: r.deleted },
      })),
    };
  });
  return result.sort((a, b) => (a.agb === null ? 1 : b.agb === null ? -1 : a.agb.localeCompare(b.agb)));
}
