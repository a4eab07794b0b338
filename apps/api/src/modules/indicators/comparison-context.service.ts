import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ComparisonFilters } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { ruleViolation } from '../../core/errors/app-error';
import { ExperimentEntity } from '../experiments/experiment.entity';
import { ComparisonRepository } from './comparison.repository';
import { ComparisonQueryDto } from './dto/comparison-query.dto';
import { IndicatorRun, IndicatorRunsRepository } from './indicator-runs.repository';

export interface Freshness {
  experiment: string;
  analysisDate: string;
  computedAt: string | null;
  stale: boolean;
}

/**
 * What every read of the materialised indicator facts shares (the comparison and the dashboard's
 * insights): the population filters resolved from codes and narrowed by the actor's scope, and how fresh
 * the facts are.
 */
@Injectable()
export class ComparisonContextService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly comparisons: ComparisonRepository,
    private readonly runs: IndicatorRunsRepository,
  ) {}

  /**
   * The DOMAIN.md section 6 filters: AGB/UZOVI codes to ids, then intersected with the actor's scope, so a
   * practice's figures count only its own patients. ignoreScope is for anonymous peer distributions,
   * which read other practices' aggregates by design.
   */
  async filters(
    actor: Actor,
    query: ComparisonQueryDto,
    options: { ignoreScope?: boolean } = {},
  ): Promise<ComparisonFilters> {
    const manager = this.dataSource.manager;
    const scope = options.ignoreScope ? {} : actor.scope;
    const filters: ComparisonFilters = {};
    const violations = [];
    // A scoped actor's codes outside its scope answer exactly as unknown codes, so they cannot be probed.
    if (query.practice?.length) {
      const resolved = await this.comparisons.resolveCodes(
        manager,
        'practices',
        query.practice,
        scope.practiceIds,
      );
      violations.push(
        ...resolved.unknown.map((agb) => ({
          code: 'FILTER.UNKNOWN_PRACTICE',
          path: 'practice',
          message: `Geen praktijk met AGB-code ${agb}.`,
        })),
      );
      filters.practiceIds = resolved.rows.map((r) => r.id).sort();
    }
    if (query.insurer?.length) {
      const resolved = await this.comparisons.resolveCodes(
        manager,
        'insurers',
        query.insurer,
        scope.insurerIds,
      );
      violations.push(
        ...resolved.unknown.map((uzovi) => ({
          code: 'FILTER.UNKNOWN_INSURER',
          path: 'insurer',
          message: `Geen verzekeraar met UZOVI-code ${uzovi}.`,
        })),
      );
      filters.insurerIds = resolved.rows.map((r) => r.id).sort();
    }
    if (violations.length > 0)
      throw ruleViolation(
        'FILTER.INVALID',
        'Een of meer filters verwijzen naar iets dat niet bestaat.',
        violations,
      );
    if (scope.practiceIds) filters.practiceIds = intersect(filters.practiceIds, scope.practiceIds);
    if (scope.insurerIds) filters.insurerIds = intersect(filters.insurerIds, scope.insurerIds);
    if (query.region?.length) filters.regions = [...query.region].sort();
    if (query.goldStage?.length) filters.goldStages = [...query.goldStage].sort();
    if (query.profile?.length) filters.profiles = [...query.profile].sort();
    if (query.intakeFrom) filters.intakeFrom = query.intakeFrom;
    if (query.intakeTo) filters.intakeTo = query.intakeTo;
    return filters;
  }

  /** A practice by AGB code, within `within` when given (another tenant's practice is not found, like a missing one). */
  async practiceByCode(
    agb: string,
    within?: string[],
  ): Promise<{ id: string; code: string; name: string; region?: string } | null> {
    const resolved = await this.comparisons.resolveCodes(this.dataSource.manager, 'practices', [agb], within);
    return resolved.rows[0] ?? null;
  }

  /** Stale: changes wait in the outbox, or the facts were computed for another analysis date. Within the
   *  caller's transaction when a manager is given (a snapshot checks it in the moment it freezes). */
  async freshness(
    experiment: ExperimentEntity,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Freshness & { lastComputedAt: Date | null }> {
    // One after the other: a transaction's manager has one connection, which runs one query at a time.
    const lastRun = await this.runs.lastRun(manager, experiment.id);
    const backlog = await this.runs.backlog(manager, experiment.id);
    return freshnessOf(experiment, lastRun, backlog.rows);
  }
}

/**
 * The freshness header of the experiment's facts, from its last run and the number of its outbox rows still pending
 * (ComparisonContextService.freshness; the comparison reads both with its document: comparisonReadState).
 */
export function freshnessOf(
  experiment: ExperimentEntity,
  lastRun: IndicatorRun | null,
  backlogRows: number,
): Freshness & { lastComputedAt: Date | null } {
  return {
    experiment: experiment.code,
    analysisDate: experiment.analysisDate,
    computedAt: lastRun ? lastRun.computedAt.toISOString() : null,
    stale: backlogRows > 0 || !lastRun || lastRun.analysisDate !== experiment.analysisDate,
    lastComputedAt: lastRun?.computedAt ?? null,
  };
}

function intersect(requested: string[] | undefined, allowed: string[]): string[] {
  return (requested ?? allowed).filter((id) => allowed.includes(id)).sort();
}
