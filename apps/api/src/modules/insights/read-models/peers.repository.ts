import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DAYS_PER_YEAR, type Arm, type ComparisonFilters } from '@copd/domain';
import { completenessCounts } from '../../../core/database/facts-fragments';
import { factsWhere } from '../../../core/database/where-builder';

/** Sufficient statistics of the peer indicators for one practice in one arm. */
export interface PracticeArmStats {
  practiceId: string;
  arm: Arm;
  values: Record<string, { n: number; value: number | null }>;
}

/** The peer benchmarks' per-practice indicators over the materialised facts, and the practices they name. */
@Injectable()
export class PeersRepository {
  async practicesByIds(
    manager: EntityManager,
    ids: string[],
  ): Promise<{ id: string; code: string; name: string; region: string }[]> {
    return manager.query(
      `SELECT id, agb AS code, name, region FROM practices WHERE id = ANY($1::uuid[]) ORDER BY agb`,
      [ids],
    );
  }

  /**
   * The peer indicators per practice and arm, by the same estimators as the comparison (unweighted means
   * over patients, shares of the eligible, pooled rates). Not scoped by the actor: the caller exposes other
   * practices only as anonymous values.
   */
  async practiceArmStats(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
  ): Promise<PracticeArmStats[]> {
    const where = factsWhere(experimentId, filters, {});
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT f.practice_id, f.arm, count(*)::int AS enrolled,
              avg(f.paid_cents::numeric / f.care_quarters / 100)::float8 AS paid_per_cq,
              avg((f.paid_cents - f.counterfactual_cents)::numeric / 100)::float8 AS paid_minus_cf,
              avg(f.sessions::numeric / f.care_quarters)::float8 AS sessions_per_cq,
              sum(f.judged_quarters)::int AS low_n, sum(f.low_intensity_quarters)::int AS low_x,
              ${completenessCounts('f')},
              count(f.six_mwt_3m - f.six_mwt_base)::int AS d3_n, avg(f.six_mwt_3m - f.six_mwt_base)::float8 AS d3,
              count(f.six_mwt_12m - f.six_mwt_base)::int AS d12_n, avg(f.six_mwt_12m - f.six_mwt_base)::float8 AS d12,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY f.wait_days)::float8 AS wait_median,
              sum(f.exacerbations)::int AS exacerbations, sum(f.followup_days)::bigint AS followup_days
       FROM patient_facts f WHERE ${where.toSql()}
       GROUP BY f.practice_id, f.arm`,
      where.params,
    );
    const share = (x: unknown, n: unknown) => ({
      n: n as number,
      value: (n as number) > 0 ? (x as number) / (n as number) : null,
    });
    return rows.map((r) => {
      const years = Number(r.followup_days) / DAYS_PER_YEAR;
      const enrolled = r.enrolled as number;
      return {
        practiceId: r.practice_id as string,
        arm: r.arm as Arm,
        values: {
          ENROLLED: { n: enrolled, value: enrolled },
          PAID_PER_CARE_QUARTER: { n: enrolled, value: r.paid_per_cq as number },
          PAID_MINUS_COUNTERFACTUAL_PER_PATIENT: { n: enrolled, value: r.paid_minus_cf as number },
          SESSIONS_PER_CARE_QUARTER: { n: enrolled, value: r.sessions_per_cq as number },
          LOW_INTENSITY_QUARTERS: share(r.low_x, r.low_n),
          BASELINE_COMPLETE: share(r.base_x, r.base_n),
          FOLLOWUP_3M_COMPLETE: share(r.fu3_x, r.fu3_n),
          FOLLOWUP_12M_COMPLETE: share(r.fu12_x, r.fu12_n),
          SIX_MWT_CHANGE_3M: { n: r.d3_n as number, value: (r.d3 as number | null) ?? null },
          SIX_MWT_CHANGE_12M: { n: r.d12_n as number, value: (r.d12 as number | null) ?? null },
          WAIT_DAYS: { n: enrolled, value: r.wait_median as number },
          EXACERBATION_RATE: { n: enrolled, value: years > 0 ? (r.exacerbations as number) / years : null },
        },
      };
    });
  }
}
