import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { calendarQuarterOf, INDICATORS, isCalendarQuarterComplete, peerBenchmark, type Arm, type ComparisonFilters } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { withheldFor } from '../../core/actor/field-visibility';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { invalidRequest, notFound } from '../../core/errors/app-error';
import { ExperimentEntity } from '../experiments/experiment.entity';
import { ExperimentsService } from '../experiments/experiments.service';
import {
  CompletenessDto,
  CostSeriesDto,
  CostSeriesRowDto,
  FreshnessDto,
  InsightsQueryDto,
  PEER_INDICATORS,
  PeerDistributionDto,
  WaitDaysDto,
  WorklistDto,
  WorklistQueryDto,
} from './dto/insights.dto';
import { ComparisonContextService } from '../indicators/comparison-context.service';
import { CompletenessRepository } from './read-models/completeness.repository';
import { CostRepository, CostRow } from './read-models/cost.repository';
import { PeersRepository } from './read-models/peers.repository';
import { WaitDaysRepository } from './read-models/wait-days.repository';
import { WorklistRepository } from './read-models/worklist.repository';

const UNIT = new Map(INDICATORS.map((i) => [i.code as string, i.unit]));

/**
 * The dashboard's read models beyond the arm comparison: cost over calendar quarters, completeness per
 * practice, wait-day distributions, peer benchmarks, the measurement worklist and the insurer's costs.
 * Every figure is read from the materialised facts the comparison uses, so the views agree with it; the
 * actor's scope narrows every query (a practice: its AGB codes; an insurer: its UZOVI).
 */
@Injectable()
export class InsightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsService,
    private readonly costs: CostRepository,
    private readonly completenessCounts: CompletenessRepository,
    private readonly waits: WaitDaysRepository,
    private readonly peers: PeersRepository,
    private readonly worklists: WorklistRepository,
    private readonly context: ComparisonContextService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async costSeries(actor: Actor, query: InsightsQueryDto): Promise<CostSeriesDto> {
    const { experiment, filters } = await this.prepare(actor, query);
    const manager = this.dataSource.manager;
    const [header, rows, totals] = await Promise.all([
      this.freshnessOf(experiment),
      this.costs.costSeries(manager, experiment.id, filters, actor.scope),
      this.costs.costTotals(manager, experiment.id, filters, actor.scope),
    ]);
    return { ...header, rows: rows.map((r) => disclosed(actor, toCostRowDto(r, header.analysisDate))), totals: totals.map((r) => disclosed(actor, r)) };
  }

  async completeness(actor: Actor, query: InsightsQueryDto): Promise<CompletenessDto> {
    const { experiment, filters } = await this.prepare(actor, query);
    const [header, rows] = await Promise.all([
      this.freshnessOf(experiment),
      this.completenessCounts.completeness(this.dataSource.manager, experiment.id, filters, actor.scope),
    ]);
    const share = (x: number, n: number) => (n > 0 ? x / n : Number.POSITIVE_INFINITY);
    rows.sort(
      (a, b) =>
        share(a.baselineComplete, a.baselineEligible) - share(b.baselineComplete, b.baselineEligible) ||
        a.agb.localeCompare(b.agb),
    );
    return {
      ...header,
      practices: rows.map(({ agb, name, region, ...counts }) => ({
        practice: { agb, name, region },
        ...counts,
      })),
    };
  }

  async waitDays(actor: Actor, query: InsightsQueryDto): Promise<WaitDaysDto> {
    const { experiment, filters } = await this.prepare(actor, query);
    const [header, arms] = await Promise.all([
      this.freshnessOf(experiment),
      this.waits.waitDays(this.dataSource.manager, experiment.id, filters, actor.scope),
    ]);
    return { ...header, arms };
  }

  /**
   * One practice's indicators against the other practices of the same arm (DOMAIN.md 7, peer benchmarks).
   * Peers appear only as sorted values: no name, code or count of patients that could single one out; a
   * peer's value over fewer than MIN_CELL_SIZE patients is left out (for a practice: it sees none of their
   * records), and the rest only when at least MIN_PEER_PRACTICES (libs/domain) other practices have a value.
   * Filters on patient fields and intake windows are refused for practices (@FiguresOf('peers')).
   */
  async peerDistribution(actor: Actor, query: InsightsQueryDto): Promise<PeerDistributionDto> {
    const experiment = await this.experiments.resolve(query.experiment);
    const manager = this.dataSource.manager;
    const practice = await this.onePractice(actor, query);
    const filters = await this.context.filters(
      actor,
      { ...query, practice: undefined },
      { ignoreScope: true },
    );
    const [header, stats] = await Promise.all([
      this.freshnessOf(experiment),
      this.peers.practiceArmStats(manager, experiment.id, filters),
    ]);
    const own = stats.filter((s) => s.practiceId === practice.id);
    return {
      ...header,
      practice: { agb: practice.code, name: practice.name, region: practice.region ?? '' },
      arms: own.map((mine) => {
        const peers = stats.filter((s) => s.arm === mine.arm && s.practiceId !== practice.id);
        return {
          arm: mine.arm,
          peerPractices: peers.length,
          indicators: PEER_INDICATORS.map((code) => {
            const values = peers
              .map((p) => p.values[code])
              .filter((v) => v.value !== null && v.n > 0 && !withheldFor(actor, v.n, 'peers'))
              .map((v) => v.value as number);
            return {
              code,
              unit: UNIT.get(code) ?? '',
              n: mine.values[code].n,
              value: mine.values[code].value,
              ...peerBenchmark(values),
            };
          }),
        };
      }),
    };
  }

  /**
   * Per patient, window and instrument: a measurement due, closing, missed or upcoming, judged on today
   * (Europe/Amsterdam; `asOf` for tests and evaluators), read live from the patients and measurements, so a
   * patient enrolled last week is on it. The analysis date is returned beside it: the indicators stay judged on
   * that. A patient-level read, audited per patient.
   */
  async worklist(actor: Actor, query: WorklistQueryDto): Promise<WorklistDto> {
    const { experiment, filters } = await this.prepare(actor, query);
    const asOf = query.asOf ?? this.clock.today();
    const rows = await this.worklists.worklist(
      this.dataSource.manager,
      experiment.id,
      filters,
      actor.scope,
      asOf,
    );
    // The practice-local ref helps the practice find its patient; others see only the pseudonym.
    const showRef = actor.scope.practiceIds !== undefined;
    const pseudonyms = [...new Set(rows.map((r) => r.pseudonym))];
    await this.audit.recordMany(actor, [
      {
        action: 'insights.worklist.read',
        resourceType: 'patient',
        detail: { asOf, items: rows.length, patients: pseudonyms.length, filters: query.practice ?? null },
      },
      ...pseudonyms.map((pseudonym) => ({
        action: 'insights.worklist.read',
        resourceType: 'patient',
        patientPseudonym: pseudonym,
      })),
    ]);
    return {
      experiment: experiment.code,
      asOf,
      analysisDate: experiment.analysisDate,
      items: rows.map((r) => ({ ...r, ref: showRef ? r.ref : null })),
    };
  }

  /** The practice of a peer benchmark: the one AGB asked for, or the actor's only practice. */
  private async onePractice(actor: Actor, query: InsightsQueryDto) {
    const manager = this.dataSource.manager;
    if (query.practice?.length === 1) {
      // Another tenant's practice is "not found", exactly like a missing one.
      const practice = await this.context.practiceByCode(query.practice[0], actor.scope.practiceIds);
      if (!practice) throw notFound('Practice', query.practice[0]);
      return practice;
    }
    if (!query.practice?.length && actor.scope.practiceIds?.length === 1) {
      const [practice] = await this.peers.practicesByIds(manager, actor.scope.practiceIds);
      if (practice) return practice;
    }
    throw invalidRequest([
      {
        code: 'FILTER.PRACTICE_REQUIRED',
        path: 'practice',
        message: 'Geef precies één praktijk op (AGB-code).',
      },
    ]);
  }

  private async freshnessOf(experiment: ExperimentEntity): Promise<FreshnessDto> {
    const { lastComputedAt: _lastComputedAt, ...freshness } = await this.context.freshness(experiment);
    return freshness;
  }

  private async prepare(
    actor: Actor,
    query: InsightsQueryDto,
  ): Promise<{ experiment: ExperimentEntity; filters: ComparisonFilters }> {
    const experiment = await this.experiments.resolve(query.experiment);
    return { experiment, filters: await this.context.filters(actor, query) };
  }
}

interface CostCell {
  patients: number;
  careQuarters: number;
  paidCents: number;
  counterfactualCents: number;
}

/**
 * A cost cell as this actor may see it: over fewer than MIN_CELL_SIZE patients whose records it may not see
 * (an insurer's), the amounts and care quarters are withheld; the number of patients stays (an insurer can
 * count its own insured in its patient list).
 */
export function disclosed<T extends CostCell>(actor: Actor, row: T): Withheld<T> {
  if (!withheldFor(actor, row.patients)) return row;
  return { ...row, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true };
}

export type Withheld<T extends CostCell> = Omit<T, 'careQuarters' | 'paidCents' | 'counterfactualCents'> & {
  careQuarters: number | null;
  paidCents: number | null;
  counterfactualCents: number | null;
  withheld?: true;
};

/** A calendar quarter of a cost series, marked incomplete while it still runs on the analysis date. */
function toCostRowDto(row: CostRow, analysisDate: string): Omit<CostSeriesRowDto, 'withheld'> & CostCell {
  return { ...row, quarter: calendarQuarterOf(row.quarterStart), complete: isCalendarQuarterComplete(row.quarterStart, analysisDate) };
}

export type { Arm };
