import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Arm, ComparisonFilters } from '@copd/domain';
import { DataScope } from '../../../core/actor/actor';
import { factsWhere } from '../../../core/database/where-builder';

/** One arm x calendar quarter of the cost series (cents stay integers). */
export interface CostRow {
  arm: Arm;
  quarterStart: string;
  careQuarters: number;
  patients: number;
  paidCents: number;
  counterfactualCents: number;
}

/**
 * Paid and counterfactual cents over the materialised facts: per calendar quarter and per arm (the cost series;
 * the insurer's costs are read by InsurerCostsRepository). Every query ANDs in the actor's data scope and the population filters.
 */
@Injectable()
export class CostRepository {
  /** Paid and counterfactual per care quarter, placed in the calendar quarter of the care quarter's start (DOMAIN.md 5). */
  async costSeries(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<CostRow[]> {
    const where = factsWhere(experimentId, filters, scope);
    const rows = await manager.query(
      `SELECT f.arm, date_trunc('quarter', q.start_date)::date AS quarter_start,
              count(*)::int AS care_quarters, count(DISTINCT q.patient_id)::int AS patients,
              sum(q.paid_cents)::bigint AS paid, sum(q.counterfactual_cents)::bigint AS counterfactual
       FROM care_quarter_facts q
       JOIN patient_facts f ON f.patient_id = q.patient_id AND f.experiment_id = q.experiment_id
       WHERE ${where.toSql()} AND q.is_care_quarter
       GROUP BY 1, 2
       ORDER BY 2, 1`,
      where.params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      arm: r.arm as Arm,
      quarterStart: r.quarter_start as string,
      careQuarters: r.care_quarters as number,
      patients: r.patients as number,
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }

  /** Totals per arm over the same care quarters (patients counted once per arm). */
  async costTotals(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<Omit<CostRow, 'quarterStart'>[]> {
    const where = factsWhere(experimentId, filters, scope);
    const rows = await manager.query(
      `SELECT f.arm, count(*)::int AS patients, sum(f.care_quarters)::bigint AS care_quarters,
              sum(f.paid_cents)::bigint AS paid, sum(f.counterfactual_cents)::bigint AS counterfactual
       FROM patient_facts f WHERE ${where.toSql()} GROUP BY f.arm ORDER BY f.arm`,
      where.params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      arm: r.arm as Arm,
      patients: r.patients as number,
      careQuarters: Number(r.care_quarters),
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }

  /** The insurers the costs are of (all, when ids is undefined), by UZOVI code. */
  async insurersByIds(
    manager: EntityManager,
    ids: string[] | undefined,
  ): Promise<{ uzovi: string; name: string }[]> {
    return manager.query(
      `SELECT uzovi, name FROM insurers WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) ORDER BY uzovi`,
      [ids ?? null],
    );
  }
}
