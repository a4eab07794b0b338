import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Arm, ComparisonFilters } from '@copd/domain';
import { DataScope } from '../../../core/actor/actor';
import { organisationScope } from '../../../core/actor/scope';
import { factsWhere, WhereBuilder } from '../../../core/database/where-builder';

/** Care quarters whose start lies in [fromDate, toExclusive); an open end is unbounded. */
export interface StartPeriod {
  fromDate: string | null;
  toExclusive: string | null;
}

/** Which grouping a cell is of: practice x arm x quarter, practice x arm, arm x quarter, or arm. */
export type CellLevel = 'PRACTICE_QUARTER' | 'PRACTICE' | 'QUARTER' | 'ARM';

export interface CostCellRow {
  level: CellLevel;
  agb: string | null;
  name: string | null;
  region: string | null;
  arm: Arm;
  quarterStart: string | null;
  patients: number;
  careQuarters: number;
  paidCents: number;
  counterfactualCents: number;
}

export interface PatientCostRow {
  id: string;
  pseudonym: string;
  arm: Arm;
  intakeDate: string;
  endDate: string | null;
  careQuarters: number;
  paidCents: number;
  counterfactualCents: number;
}

// GROUPING(agb, quarter_start): bit 2 set when agb is rolled up, bit 1 when quarter_start is.
const LEVELS: Record<number, CellLevel> = { 0: 'PRACTICE_QUARTER', 1: 'PRACTICE', 2: 'QUARTER', 3: 'ARM' };

/**
 * The insurer's costs over the materialised care quarter facts: every care quarter placed in the calendar quarter
 * of its start (DOMAIN.md 5), narrowed by the actor's scope, the population filters and a period of those starts.
 * Patients are counted once per cell (count DISTINCT), so the four groupings come from one pass (GROUPING SETS)
 * and a patient with care in two quarters counts in each quarter and once in the practice's total.
 */
@Injectable()
export class InsurerCostsRepository {
  async cells(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
    period: StartPeriod,
  ): Promise<CostCellRow[]> {
    const where = inPeriod(factsWhere(experimentId, filters, scope), period);
    const rows: Record<string, unknown>[] = await manager.query(
      `WITH cq AS (
         SELECT pr.agb, pr.name, pr.region, f.arm, date_trunc('quarter', q.start_date)::date AS quarter_start,
                q.patient_id, q.paid_cents, q.counterfactual_cents
         FROM care_quarter_facts q
         JOIN patient_facts f ON f.patient_id = q.patient_id AND f.experiment_id = q.experiment_id
         JOIN practices pr ON pr.id = f.practice_id
         WHERE ${where.toSql()} AND q.is_care_quarter
       )
       SELECT agb, name, region, arm, quarter_start, GROUPING(agb, quarter_start)::int AS level,
              count(*)::int AS care_quarters, count(DISTINCT patient_id)::int AS patients,
              sum(paid_cents)::bigint AS paid, sum(counterfactual_cents)::bigint AS counterfactual
       FROM cq
       GROUP BY GROUPING SETS ((agb, name, region, arm, quarter_start), (agb, name, region, arm), (arm, quarter_start), (arm))
       ORDER BY level, name, agb, quarter_start, arm`,
      where.params,
    );
    return rows.map((r) => ({
      level: LEVELS[r.level as number],
      agb: (r.agb as string | null) ?? null,
      name: (r.name as string | null) ?? null,
      region: (r.region as string | null) ?? null,
      arm: r.arm as Arm,
      quarterStart: (r.quarter_start as string | null) ?? null,
      patients: r.patients as number,
      careQuarters: r.care_quarters as number,
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }

  /**
   * A practice by AGB code as the actor may see it in the registers (core/actor/scope organisationScope): an
   * insurer only the practices it has a contract with; another one is null, exactly like a missing one.
   */
  async practiceByAgb(manager: EntityManager, agb: string, scope: DataScope): Promise<{ agb: string; name: string; region: string | null } | null> {
    const qb = manager.createQueryBuilder().select(['p.agb AS agb', 'p.name AS name', 'p.region AS region']).from('practices', 'p').where('p.agb = :agb', { agb });
    const scoped = organisationScope(scope, 'practices', 'p');
    if (scoped) qb.andWhere(scoped.sql, scoped.params);
    return (await qb.getRawOne<{ agb: string; name: string; region: string | null }>()) ?? null;
  }

  /** Per patient of the filters (one practice), the care quarters starting in the period and their amounts. */
  async patients(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
    period: StartPeriod,
  ): Promise<PatientCostRow[]> {
    const where = inPeriod(factsWhere(experimentId, filters, scope), period);
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT p.id, p.pseudonym, f.arm, p.intake_date, p.end_date,
              count(*)::int AS care_quarters, sum(q.paid_cents)::bigint AS paid, sum(q.counterfactual_cents)::bigint AS counterfactual
       FROM care_quarter_facts q
       JOIN patient_facts f ON f.patient_id = q.patient_id AND f.experiment_id = q.experiment_id
       JOIN patients p ON p.id = f.patient_id
       WHERE ${where.toSql()} AND q.is_care_quarter
       GROUP BY p.id, p.pseudonym, f.arm, p.intake_date, p.end_date
       ORDER BY p.pseudonym`,
      where.params,
    );
    return rows.map((r) => ({
      id: r.id as string,
      pseudonym: r.pseudonym as string,
      arm: r.arm as Arm,
      intakeDate: r.intake_date as string,
      endDate: (r.end_date as string | null) ?? null,
      careQuarters: r.care_quarters as number,
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }
}

function inPeriod(where: WhereBuilder, period: StartPeriod): WhereBuilder {
  where.addIf(period.fromDate, (n) => `q.start_date >= ${n}::date`);
  where.addIf(period.toExclusive, (n) => `q.start_date < ${n}::date`);
  return where;
}
