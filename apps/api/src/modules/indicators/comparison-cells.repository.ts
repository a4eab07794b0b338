import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ArmStratumSummary } from '@copd/domain';
import { completenessCounts } from '../../core/database/facts-fragments';
import {
  ADDITIVE,
  COMPLETENESS_COLUMNS,
  factsWithDerived,
  MEANS,
  PROFILES,
  summaryGroupingSets,
  SUMMARY_ORDER,
  toSummary,
} from './comparison.repository';

/**
 * The unfiltered comparison kept up to date per practice, so that a write's recompute does not aggregate the whole
 * experiment (issue 17, target 2). comparison_cells holds, per experiment, practice, arm and GOLD stage, the sums
 * the summaries of ComparisonRepository.summariseBy are made of: counts, sums and sums of squares (numeric, exact)
 * of every compared value, the additive counts, and the wait days themselves. A recompute of some patients rebuilds
 * the cells of their practices (before and after the change) from their facts; the unfiltered summaries are then
 * combined from the experiment's cells (a few thousand rows at national size, against 100,000 facts).
 *
 * Exactly the same figures as the direct aggregation, not approximately (comparison-cells.int-spec.ts compares them
 * with toEqual):
 * - a mean is sum / n in numeric, which is what PostgreSQL's avg(numeric) computes (numeric_avg divides its sum by
 *   its count with numeric_div); sums of numerics are exact and keep the largest scale of their terms, whichever
 *   cells they are added in;
 * - a sample variance is (n * sum(x^2) - sum(x)^2) / (n * (n - 1)), 0 when the numerator is not positive and null
 *   for fewer than 2 values, with x^2 at twice x's scale: the steps of PostgreSQL's var_samp(numeric)
 *   (numeric_stddev_internal);
 * - the mean age is sum / count of the integer ages, as avg(smallint) computes it;
 * - the wait median and 90th percentile are percentile_cont and percentile_disc over the wait days themselves.
 *
 * The cells are valid for the run whose computedAt comparison_cell_sets records: a recompute that does not keep
 * them (a full one, or any path that forgets them) leaves them behind its own run, and the next recompute of some
 * patients then builds them all again. Both tables are UNLOGGED caches: a PostgreSQL crash empties both.
 */
@Injectable()
export class ComparisonCellsRepository {
  /** True when the experiment's cells reflect the facts of the run computed at `computedAt`. */
  async validFor(manager: EntityManager, experimentId: string, computedAt: Date): Promise<boolean> {
    const rows: { computed_at: Date }[] = await manager.query(
      `SELECT computed_at FROM comparison_cell_sets WHERE experiment_id = $1`,
      [experimentId],
    );
    return rows.length === 1 && rows[0].computed_at.getTime() === computedAt.getTime();
  }

  /** The practices the given patients' facts belong to now (call before and after their rebuild). */
  async practicesOf(manager: EntityManager, experimentId: string, patientIds: string[]): Promise<string[]> {
    const rows: { practice_id: string }[] = await manager.query(
      `SELECT DISTINCT practice_id FROM patient_facts WHERE experiment_id = $1 AND patient_id = ANY($2::uuid[])`,
      [experimentId, patientIds],
    );
    return rows.map((r) => r.practice_id);
  }

  /** Forgets the experiment's cells (a full recompute, inside its transaction). */
  async clear(manager: EntityManager, experimentId: string): Promise<void> {
    await manager.query(`DELETE FROM comparison_cell_sets WHERE experiment_id = $1`, [experimentId]);
    await manager.query(`DELETE FROM comparison_cells WHERE experiment_id = $1`, [experimentId]);
  }

  /**
   * Rebuilds the cells of those practices (null: of every practice) from the facts, and records them as valid for
   * the run computed at `computedAt`. Runs inside the recompute's transaction, after its facts are written.
   */
  async rebuild(manager: EntityManager, experimentId: string, practiceIds: string[] | null, computedAt: Date): Promise<void> {
    const only = practiceIds === null ? '' : ' AND practice_id = ANY($2::uuid[])';
    const params = practiceIds === null ? [experimentId] : [experimentId, practiceIds];
    await manager.query(`DELETE FROM comparison_cells WHERE experiment_id = $1${only}`, params);
    const columns = [
      'age_s',
      'age_n',
      ...PROFILES.map((p) => `profile_${p}`),
      ...MEANS.flatMap((m) => [`${m}_n`, `${m}_s`, `${m}_s2`]),
      ...ADDITIVE.map(([name]) => name),
      ...COMPLETENESS_COLUMNS,
      'wait_days',
    ];
    await manager.query(
      `INSERT INTO comparison_cells (experiment_id, practice_id, arm, gold_stage, ${columns.join(', ')})
       WITH f AS (${factsWithDerived(`f.experiment_id = $1${only}`)})
       SELECT $1::uuid, practice_id, arm, gold_stage,
              sum(age_at_intake), count(age_at_intake),
              ${PROFILES.map((p) => `count(*) FILTER (WHERE profile = ${p})`).join(', ')},
              ${MEANS.map((m) => `count(${m}), sum(${m}), sum(${m} * ${m})`).join(',\n              ')},
              ${ADDITIVE.map(([, sql]) => sql).join(',\n              ')},
              ${completenessCounts('f')},
              array_agg(wait_days)
       FROM f
       GROUP BY practice_id, arm, gold_stage`,
      params,
    );
    await manager.query(
      `INSERT INTO comparison_cell_sets (experiment_id, computed_at) VALUES ($1, $2)
       ON CONFLICT (experiment_id) DO UPDATE SET computed_at = EXCLUDED.computed_at`,
      [experimentId, computedAt],
    );
  }

  /**
   * The unfiltered summaries of the experiment, combined from its cells: the same rows, in the same order, as
   * ComparisonRepository.summarise(manager, experimentId, {}).
   */
  async summarise(manager: EntityManager, experimentId: string): Promise<ArmStratumSummary[]> {
    const n = (m: string) => `sum(${m}_n)`;
    const s = (m: string) => `sum(${m}_s)`;
    const numerator = (m: string) => `(${n(m)} * sum(${m}_s2) - ${s(m)} * ${s(m)})`;
    const rows: Record<string, unknown>[] = await manager.query(
      `WITH sums AS (
         SELECT '' AS grp, arm, gold_stage, GROUPING(gold_stage) = 1 AS all_stages,
                practice_id, GROUPING(practice_id) = 0 AS per_practice,
                count(DISTINCT practice_id)::int AS practices,
                (sum(age_s)::numeric / NULLIF(sum(age_n), 0))::float8 AS mean_age,
                jsonb_build_object(${PROFILES.map((p) => `'${p}', sum(profile_${p})`).join(', ')}) AS profiles,
                ${MEANS.map(
                  (m) =>
                    `${n(m)}::int AS ${m}_n, (${s(m)} / NULLIF(${n(m)}, 0))::float8 AS ${m}_mean, ` +
                    `(CASE WHEN ${n(m)} <= 1 THEN NULL WHEN ${numerator(m)} <= 0 THEN 0 ` +
                    `ELSE ${numerator(m)} / (${n(m)} * (${n(m)} - 1)) END)::float8 AS ${m}_var`,
                ).join(',\n                ')},
                ${[...ADDITIVE.map(([name]) => name), ...COMPLETENESS_COLUMNS].map((c) => `sum(${c})::int AS ${c}`).join(', ')}
         FROM comparison_cells WHERE experiment_id = $1
         GROUP BY ${summaryGroupingSets('')}
       ),
       waits AS (
         SELECT arm, gold_stage, GROUPING(gold_stage) = 1 AS all_stages, practice_id, GROUPING(practice_id) = 0 AS per_practice,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY w)::float8 AS wait_median,
                percentile_disc(0.9) WITHIN GROUP (ORDER BY w)::int AS wait_p90
         FROM comparison_cells c CROSS JOIN LATERAL unnest(c.wait_days) AS w
         WHERE c.experiment_id = $1
         GROUP BY ${summaryGroupingSets('')}
       )
       SELECT sums.*, waits.wait_median, waits.wait_p90
       FROM sums JOIN waits ON waits.arm = sums.arm AND waits.all_stages = sums.all_stages AND waits.per_practice = sums.per_practice
        AND waits.gold_stage IS NOT DISTINCT FROM sums.gold_stage AND waits.practice_id IS NOT DISTINCT FROM sums.practice_id
       ORDER BY ${SUMMARY_ORDER}`,
      [experimentId],
    );
    return rows.map(toSummary);
  }
}
