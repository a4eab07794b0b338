import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Arm, ComparisonFilters } from '@copd/domain';
import { DataScope } from '../../../core/actor/actor';
import { factsWhere } from '../../../core/database/where-builder';

export interface WaitDaysRow {
  arm: Arm;
  n: number;
  median: number | null;
  p90: number | null;
  counts: { days: number; patients: number }[];
}

/** The wait-day distributions over the materialised facts. */
@Injectable()
export class WaitDaysRepository {
  /** Wait days (intake - referral) per arm: every value with its count, the median and the nearest-rank p90. */
  async waitDays(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<WaitDaysRow[]> {
    const where = factsWhere(experimentId, filters, scope);
    const rows = await manager.query(
      `WITH f AS (SELECT f.arm, f.wait_days FROM patient_facts f WHERE ${where.toSql()}),
            stats AS (
              SELECT arm, count(*)::int AS n,
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_days)::float8 AS median,
                     percentile_disc(0.9) WITHIN GROUP (ORDER BY wait_days)::int AS p90
              FROM f GROUP BY arm),
            counts AS (
              SELECT arm, jsonb_agg(jsonb_build_object('days', wait_days, 'patients', n) ORDER BY wait_days) AS counts
              FROM (SELECT arm, wait_days, count(*)::int AS n FROM f GROUP BY arm, wait_days) c GROUP BY arm)
       SELECT s.arm, s.n, s.median, s.p90, c.counts FROM stats s JOIN counts c USING (arm) ORDER BY s.arm`,
      where.params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      arm: r.arm as Arm,
      n: r.n as number,
      median: r.median as number | null,
      p90: r.p90 as number | null,
      counts: r.counts as { days: number; patients: number }[],
    }));
  }
}
