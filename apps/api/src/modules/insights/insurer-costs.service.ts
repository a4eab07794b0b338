import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { calendarQuarterOf, isCalendarQuarterComplete, type ComparisonFilters } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { invalidRequest, notFound } from '../../core/errors/app-error';
import { ExperimentEntity } from '../experiments/experiment.entity';
import { ExperimentsService } from '../experiments/experiments.service';
import { ComparisonContextService } from '../indicators/comparison-context.service';
import { InsurerCostsDto, InsurerCostsQueryDto, InsurerPatientsDto, InsurerPatientsQueryDto, PeriodDto } from './dto/insurer-costs.dto';
import { CostRepository } from './read-models/cost.repository';
import { CostCellRow, InsurerCostsRepository, StartPeriod } from './read-models/insurer-costs.repository';
import { disclosed } from './insights.service';

/**
 * What an insurer reads of its insured's costs (issue 16): paid and counterfactual per practice x calendar quarter,
 * per practice, per quarter and per arm, for a period of care quarter starts; and one practice's patients (by
 * pseudonym) with their amounts in that period. Aggregates of fewer than MIN_CELL_SIZE patients are withheld for
 * an insurer (README "Access control"); the patient list is a patient-level read, audited with every pseudonym.
 */
@Injectable()
export class InsurerCostsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly experiments: ExperimentsService,
    private readonly costs: CostRepository,
    private readonly cells: InsurerCostsRepository,
    private readonly context: ComparisonContextService,
    private readonly audit: AuditService,
  ) {}

  async insurerCosts(actor: Actor, query: InsurerCostsQueryDto): Promise<InsurerCostsDto> {
    const period = periodOf(query);
    const experiment = await this.experiments.resolve(query.experiment);
    const filters = await this.context.filters(actor, query);
    const manager = this.dataSource.manager;
    const [header, cells, insurers] = await Promise.all([
      this.freshnessOf(experiment),
      this.cells.cells(manager, experiment.id, filters, actor.scope, startPeriod(period)),
      this.costs.insurersByIds(manager, filters.insurerIds),
    ]);
    const at = (level: CostCellRow['level']) => cells.filter((c) => c.level === level);
    const practiceOf = (c: CostCellRow) => ({ agb: c.agb as string, name: c.name as string, region: c.region as string });
    const quarterOf = (c: CostCellRow) => ({
      quarter: calendarQuarterOf(c.quarterStart as string),
      quarterStart: c.quarterStart as string,
      complete: isCalendarQuarterComplete(c.quarterStart as string, header.analysisDate),
    });
    const cell = ({ patients, careQuarters, paidCents, counterfactualCents }: CostCellRow) => disclosed(actor, { patients, careQuarters, paidCents, counterfactualCents });
    return {
      ...header,
      insurers,
      period,
      quarters: quartersBetween(experiment.startDate, header.analysisDate),
      byPracticeQuarter: at('PRACTICE_QUARTER').map((c) => ({ practice: practiceOf(c), arm: c.arm, ...quarterOf(c), ...cell(c) })),
      byPractice: at('PRACTICE').map((c) => ({ practice: practiceOf(c), arm: c.arm, ...cell(c) })),
      byQuarter: at('QUARTER').map((c) => ({ arm: c.arm, ...quarterOf(c), ...cell(c) })),
      totals: at('ARM').map((c) => ({ arm: c.arm, ...cell(c) })),
    };
  }

  /**
   * One practice's patients of the actor's insurer (or the insurer filter, for an evaluator) with a care quarter
   * starting in the period: pseudonym, arm, intake and end date and amounts; no clinical field (README "What an
   * insurer sees of a patient"). Audited as one row holding every pseudonym returned.
   */
  async insurerPatients(actor: Actor, query: InsurerPatientsQueryDto): Promise<InsurerPatientsDto> {
    const period = periodOf(query);
    if (query.practice?.length !== 1) {
      throw invalidRequest([{ code: 'FILTER.PRACTICE_REQUIRED', path: 'practice', message: 'Geef precies één praktijk op (AGB-code).' }]);
    }
    const experiment = await this.experiments.resolve(query.experiment);
    // A practice the insurer has no contract with is "not found", exactly like a missing one.
    const practice = await this.cells.practiceByAgb(this.dataSource.manager, query.practice[0], actor.scope);
    if (!practice) throw notFound('Practice', query.practice[0]);
    const filters: ComparisonFilters = await this.context.filters(actor, query);
    const rows = await this.cells.patients(this.dataSource.manager, experiment.id, filters, actor.scope, startPeriod(period));
    await this.audit.record(actor, {
      action: 'insurer-costs.patients.read',
      resourceType: 'patient',
      patientPseudonyms: rows.map((r) => r.pseudonym),
      detail: { practice: practice.agb, period, patients: rows.length },
    });
    return {
      experiment: experiment.code,
      analysisDate: experiment.analysisDate,
      practice: { agb: practice.agb, name: practice.name, region: practice.region ?? '' },
      period,
      patients: rows,
    };
  }

  private async freshnessOf(experiment: ExperimentEntity) {
    const { lastComputedAt: _lastComputedAt, ...freshness } = await this.context.freshness(experiment);
    return freshness;
  }
}

/** The period asked for; a start after its end is refused (nothing would match, and silently so). */
function periodOf(query: InsurerCostsQueryDto): PeriodDto {
  const period = { from: query.from ?? null, to: query.to ?? null };
  if (period.from && period.to && period.from > period.to) {
    throw invalidRequest([
      {
        code: 'FILTER.PERIOD_INVERTED',
        path: 'to',
        message: `Het laatste kwartaal (${period.to}) ligt vóór het eerste (${period.from}); kies een laatste kwartaal op of na het eerste.`,
      },
    ]);
  }
  return period;
}

/** '2025-Q2' -> '2025-04-01'. */
function quarterStart(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number);
  return `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

function nextQuarterStart(quarter: string): string {
  const [year, q] = quarter.split('-Q').map(Number);
  return q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
}

function startPeriod(period: PeriodDto): StartPeriod {
  return { fromDate: period.from ? quarterStart(period.from) : null, toExclusive: period.to ? nextQuarterStart(period.to) : null };
}

/** The calendar quarters from the one of `start` to the one of `end`, both included ('2025-Q1', '2025-Q2', ...). */
export function quartersBetween(start: string, end: string): string[] {
  const quarters: string[] = [];
  let day = quarterStart(calendarQuarterOf(start));
  const last = calendarQuarterOf(end);
  // An analysis date before the start (refused by the experiment rules) gives the start's quarter alone.
  for (let guard = 0; guard < 400; guard++) {
    const quarter = calendarQuarterOf(day);
    quarters.push(quarter);
    if (quarter >= last) break;
    day = nextQuarterStart(quarter);
  }
  return quarters;
}
