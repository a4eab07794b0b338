import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  medianOfCounted,
  percentileNearestRankOfCounted,
  WAIT_DAYS_PERCENTILE,
  type ArmStratumSummary,
  type ComparisonFilters,
} from '@copd/domain';
import { COMPLETENESS_COLUMNS, completenessCounts } from '../../core/database/facts-fragments';
import { populationWhere, PopulationColumns, WhereBuilder } from '../../core/database/where-builder';
import {
  ADDITIVE,
  factsWithDerived,
  MEANS,
  PROFILES,
  SUMMARY_ORDER,
  toSummary,
} from './comparison.repository';

/**
 * The comparison kept up to date per practice, so that a write's recompute does not aggregate the whole experiment
 * (issue 17, target 2). comparison_cells holds, per experiment, practice, arm, GOLD stage and region, the sums the
 * summaries of ComparisonRepository.summariseBy are made of: counts, sums and sums of squares (numeric, exact) of
 * every compared value, the additive counts, and the wait days (each distinct value with its count). Beside them:
 * each practice's summary row (comparison_practice_rows) and the wait days per arm and GOLD stage as running counts
 * (comparison_stratum_waits). A recompute of some patients rebuilds the cells and rows of their practices (before and
 * after the change) from their facts; the unfiltered summaries then take the strata from the cells (a few thousand
 * rows at national size, against 100,000 facts) and the practices' rows as stored. Filters by practice, region and
 * GOLD stage select whole cells and are combined from them as well (servesFilters).
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
 * - the wait median and 90th percentile come from the counted wait days through libs/domain's medianOfCounted and
 *   percentileNearestRankOfCounted: for q = 0.5 and 0.9 the values of percentile_cont and percentile_disc over the
 *   wait days themselves.
 *
 * The cells are valid for the run whose computedAt comparison_cell_sets records: a recompute that does not keep
 * them (a full one, or any path that forgets them) leaves them behind its own run, and the next recompute of some
 * patients then builds them all again. All four tables are UNLOGGED caches: a PostgreSQL crash empties them together.
 */
@Injectable()
export class ComparisonCellsRepository {
  /** Per experiment, the practice summary rows this process has read, parsed, by revision (storedPracticeRows). */
  private readonly practiceRows = new Map<string, Map<number, ArmStratumSummary>>();

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
    await manager.query(`DELETE FROM comparison_practice_rows WHERE experiment_id = $1`, [experimentId]);
    await manager.query(`DELETE FROM comparison_stratum_waits WHERE experiment_id = $1`, [experimentId]);
  }

  /**
   * Rebuilds the cells of those practices (null: of every practice) from the facts, and records them as valid for
   * the run computed at `computedAt`. Runs inside the recompute's transaction, after its facts are written.
   */
  async rebuild(manager: EntityManager, experimentId: string, practiceIds: string[] | null, computedAt: Date): Promise<void> {
    const { only, params } = practiceScope(experimentId, practiceIds);
    // The wait days per arm and GOLD stage lose those of the cells rebuilt here (all, for every practice).
    if (practiceIds === null) await manager.query(`DELETE FROM comparison_stratum_waits WHERE experiment_id = $1`, [experimentId]);
    else await this.addStratumWaits(manager, experimentId, practiceIds, -1);
    await manager.query(`DELETE FROM comparison_cells WHERE experiment_id = $1${only}`, params);
    const aggregates: [string, string][] = [
      ['age_s', 'sum(age_at_intake)'],
      ['age_n', 'count(age_at_intake)'],
      ...PROFILES.map((p): [string, string] => [`profile_${p}`, `count(*) FILTER (WHERE profile = ${p})`]),
      ...MEANS.flatMap((m): [string, string][] => [
        [`${m}_n`, `count(${m})`],
        [`${m}_s`, `sum(${m})`],
        [`${m}_s2`, `sum(${m} * ${m})`],
      ]),
      ...ADDITIVE.map(([name, sql]): [string, string] => [name, sql]),
    ];
    const columns = [...aggregates.map(([name]) => name), ...COMPLETENESS_COLUMNS];
    await manager.query(
      `INSERT INTO comparison_cells (experiment_id, practice_id, arm, gold_stage, region, ${columns.join(', ')}, wait_values, wait_counts)
       WITH f AS (${factsWithDerived(`f.experiment_id = $1${only}`)}),
       cell AS (
         SELECT practice_id, arm, gold_stage, region,
                ${aggregates.map(([name, sql]) => `${sql} AS ${name}`).join(',\n                ')},
                ${completenessCounts('f')},
                array_agg(wait_days) AS waits
         FROM f
         GROUP BY practice_id, arm, gold_stage, region
       )
       SELECT $1::uuid, cell.practice_id, cell.arm, cell.gold_stage, cell.region, ${columns.map((c) => `cell.${c}`).join(', ')},
              hist.wait_values, hist.wait_counts
       FROM cell CROSS JOIN LATERAL (
         SELECT array_agg(w ORDER BY w) AS wait_values, array_agg(k ORDER BY w) AS wait_counts
         FROM (SELECT w, count(*)::int AS k FROM unnest(cell.waits) AS w GROUP BY w) days
       ) hist`,
      params,
    );
    await this.addStratumWaits(manager, experimentId, practiceIds, 1);
    await this.rebuildPracticeRows(manager, experimentId, practiceIds);
    await manager.query(
      `INSERT INTO comparison_cell_sets (experiment_id, computed_at) VALUES ($1, $2)
       ON CONFLICT (experiment_id) DO UPDATE SET computed_at = EXCLUDED.computed_at`,
      [experimentId, computedAt],
    );
  }

  /**
   * The summaries of the experiment for the filters, combined from its cells: the same rows, in the same order, as
   * ComparisonRepository.summarise(manager, experimentId, filters), for the filters cells can answer (servesFilters:
   * practices, regions and GOLD stages select whole cells). Without filters, the rows per arm and GOLD stage and per
   * arm are summed from the cells (two grouping sets over a few thousand cells) with the wait days kept per stratum,
   * and the row of each practice is the one stored when its cells were last built (comparison_practice_rows), so a
   * write recomputes only its practices'. With filters, every row is combined from the selected cells, except the
   * wait days of the strata under a filter of GOLD stages alone, which are their stages' running counts.
   */
  async summarise(manager: EntityManager, experimentId: string, filters: ComparisonFilters = {}): Promise<ArmStratumSummary[]> {
    if (!ComparisonCellsRepository.servesFilters(filters)) throw new Error('comparison cells cannot answer these filters');
    const where = populationWhere(new WhereBuilder([experimentId]).raw('experiment_id = $1'), filters, CELLS_POPULATION);
    const filtered = where.params.length > 1;
    // GOLD stages alone select whole strata: their wait days are the running counts of those stages.
    const strataWaits = filtered && (filters.practiceIds !== undefined || !!filters.regions?.length) ? 'cells' : 'running';
    // One after the other: the manager is usually a transaction's, whose one connection runs one query at a time
    // (issuing both at once only queues them inside pg, which its next major version refuses).
    const strata = await this.combine(manager, 'strata', where, strataWaits);
    const practiceRows = filtered
      ? await this.combine(manager, 'practices', where, 'cells')
      : await this.storedPracticeRows(manager, experimentId);
    // SUMMARY_ORDER: per arm, its GOLD stage rows, then its practices' rows (by practice id), then the arm's own row
    // (its practice is NULL, which sorts last).
    const practicesOf = new Map<string, ArmStratumSummary[]>();
    for (const row of practiceRows) {
      const rows = practicesOf.get(row.arm);
      if (rows) rows.push(row);
      else practicesOf.set(row.arm, [row]);
    }
    return strata.flatMap((row) => (row.goldStage === null ? [...(practicesOf.get(row.arm) ?? []), row] : [row]));
  }

  /**
   * Whether the cells answer the filters exactly: none, or only practices, regions and GOLD stages, which select
   * whole cells. An insurer, a profile or an intake window cuts through cells: those are aggregated from the facts.
   */
  static servesFilters(filters: ComparisonFilters): boolean {
    return filters.insurerIds === undefined && !filters.profiles?.length && !filters.intakeFrom && !filters.intakeTo;
  }

  /**
   * The stored summary rows of every practice, in practice order per arm. A row read once is kept parsed under its
   * revision (migration 1765300000000: a rebuilt row is a new row with a new revision), so a write's recompute reads
   * the text of the rows rebuilt since, not all 1,500 practices' 2.4 MB of JSON. One query, so the revisions and the
   * texts come from one snapshot: it sends the revisions this process holds and gets the text of the others only.
   * The kept rows are frozen: every caller shares them.
   */
  private async storedPracticeRows(manager: EntityManager, experimentId: string): Promise<ArmStratumSummary[]> {
    const held = this.practiceRows.get(experimentId) ?? new Map<number, ArmStratumSummary>();
    // The stored rows are JSON text (not jsonb): read back as written, without converting every number.
    const stored: { revision: number; summary: string | null }[] = await manager.query(
      `SELECT r.revision, CASE WHEN h.revision IS NULL THEN r.summary END AS summary
       FROM comparison_practice_rows r LEFT JOIN unnest($2::bigint[]) AS h (revision) ON h.revision = r.revision
       WHERE r.experiment_id = $1
       ORDER BY r.arm, r.practice_id`,
      [experimentId, [...held.keys()]],
    );
    const now = new Map<number, ArmStratumSummary>();
    for (const { revision, summary } of stored) {
      now.set(revision, summary === null ? held.get(revision)! : deepFreeze(JSON.parse(summary) as ArmStratumSummary));
    }
    this.practiceRows.set(experimentId, now);
    return [...now.values()];
  }

  /** Rebuilds the stored summary rows of those practices (null: of every practice) from their cells. */
  private async rebuildPracticeRows(manager: EntityManager, experimentId: string, practiceIds: string[] | null): Promise<void> {
    const { only, params } = practiceScope(experimentId, practiceIds);
    await manager.query(`DELETE FROM comparison_practice_rows WHERE experiment_id = $1${only}`, params);
    const rows = await this.combine(manager, 'practices', new WhereBuilder([...params]).raw(`experiment_id = $1${only}`), 'cells');
    await manager.query(
      `INSERT INTO comparison_practice_rows (experiment_id, arm, practice_id, summary)
       SELECT $1, row.arm, row.practice, row.summary FROM unnest($2::text[], $3::uuid[], $4::text[]) AS row (arm, practice, summary)`,
      [experimentId, rows.map((r) => r.arm), rows.map((r) => r.practice), rows.map((r) => JSON.stringify(r))],
    );
  }

  /**
   * Adds (sign 1) or takes away (sign -1) the wait days of the cells of those practices (null: all) to or from the
   * counts per arm and GOLD stage: whole counts, so the running totals are exact; a count that reaches 0 goes.
   */
  private async addStratumWaits(manager: EntityManager, experimentId: string, practiceIds: string[] | null, sign: 1 | -1): Promise<void> {
    const { only, params } = practiceScope(experimentId, practiceIds);
    await manager.query(
      `INSERT INTO comparison_stratum_waits AS t (experiment_id, arm, gold_stage, wait_days, n)
       SELECT $1, arm, gold_stage, h.v, ${sign} * sum(h.k)::int
       FROM comparison_cells, unnest(wait_values, wait_counts) AS h (v, k)
       WHERE experiment_id = $1${only}
       GROUP BY arm, gold_stage, h.v
       ON CONFLICT (experiment_id, arm, gold_stage, wait_days) DO UPDATE SET n = t.n + EXCLUDED.n`,
      params,
    );
    if (sign === -1) await manager.query(`DELETE FROM comparison_stratum_waits WHERE experiment_id = $1 AND n = 0`, [experimentId]);
  }

  /**
   * Summaries combined from the cells: per arm and GOLD stage and per arm ('strata'), or per arm and practice, of
   * those practices or all ('practices'). The sums in SQL; the wait median and 90th percentile from the counted wait
   * days (libs/domain's medianOfCounted and percentileNearestRankOfCounted: for q = 0.5 and 0.9 the values of
   * PostgreSQL's percentile_cont and percentile_disc, which the direct aggregation uses).
   */
  private async combine(
    manager: EntityManager,
    sets: 'strata' | 'practices',
    where: WhereBuilder,
    waitsFrom: 'cells' | 'running',
  ): Promise<ArmStratumSummary[]> {
    const n = (m: string) => `sum(${m}_n)`;
    const s = (m: string) => `sum(${m}_s)`;
    const numerator = (m: string) => `(${n(m)} * sum(${m}_s2) - ${s(m)} * ${s(m)})`;
    const strata = sets === 'strata';
    // The two queries one after the other, on the caller's (transaction's) connection.
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT '' AS grp, arm, ${strata ? 'gold_stage, GROUPING(gold_stage) = 1' : 'NULL::smallint AS gold_stage, TRUE'} AS all_stages,
              ${strata ? 'NULL::uuid AS practice_id, FALSE' : 'practice_id, TRUE'} AS per_practice,
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
       FROM comparison_cells WHERE ${where.toSql()}
       GROUP BY ${strata ? 'GROUPING SETS ((arm, gold_stage), (arm))' : 'arm, practice_id'}
       ORDER BY ${SUMMARY_ORDER}`,
      where.params,
    );
    // Each group's wait days as lists of counted values (a value may come in more than one list): per stratum from
    // the running counts when the strata are whole (nothing filtered, or GOLD stages only: the where clause then names
    // only experiment_id and gold_stage, columns of both tables), otherwise from the selected cells.
    const waits: Waits[] = await manager.query(
      !strata
        ? `SELECT arm, NULL::smallint AS gold_stage, TRUE AS all_stages, practice_id, wait_values, wait_counts
           FROM comparison_cells WHERE ${where.toSql()}`
        : waitsFrom === 'cells'
          ? `SELECT arm, gold_stage, GROUPING(gold_stage) = 1 AS all_stages, NULL::uuid AS practice_id,
                    array_agg(h.v) AS wait_values, array_agg(h.k) AS wait_counts
             FROM comparison_cells, unnest(wait_values, wait_counts) AS h (v, k)
             WHERE ${where.toSql()}
             GROUP BY GROUPING SETS ((arm, gold_stage), (arm))`
          : `SELECT arm, gold_stage, GROUPING(gold_stage) = 1 AS all_stages, NULL::uuid AS practice_id,
                    array_agg(wait_days) AS wait_values, array_agg(n) AS wait_counts
             FROM comparison_stratum_waits WHERE ${where.toSql()}
             GROUP BY GROUPING SETS ((arm, gold_stage), (arm))`,
      where.params,
    );
    const key = (g: Record<string, unknown> | Waits) =>
      `${g.arm} ${g.all_stages ? '' : g.gold_stage} ${g.practice_id ?? ''}`;
    const days = new Map<string, Map<number, number>>();
    for (const w of waits) {
      const counts = days.get(key(w)) ?? new Map<number, number>();
      w.wait_values.forEach((value, i) => counts.set(value, (counts.get(value) ?? 0) + w.wait_counts[i]));
      days.set(key(w), counts);
    }
    return rows.map((row) => {
      const counts = days.get(key(row)) ?? new Map<number, number>();
      const counted = { values: [...counts.keys()], counts: [...counts.values()] };
      return toSummary({
        ...row,
        wait_median: medianOfCounted(counted),
        wait_p90: percentileNearestRankOfCounted(counted, WAIT_DAYS_PERCENTILE),
      });
    });
  }
}

/** The condition and parameters that narrow an experiment's cells ($1) to some practices ($2), or none (null: all). */
function practiceScope(experimentId: string, practiceIds: string[] | null): { only: string; params: unknown[] } {
  return practiceIds === null
    ? { only: '', params: [experimentId] }
    : { only: ' AND practice_id = ANY($2::uuid[])', params: [experimentId, practiceIds] };
}

/**
 * The population filters over comparison_cells: practice, region and GOLD stage are cell keys. The cells have no
 * insurer, profile or intake date (servesFilters keeps those filters away; these names would fail loudly).
 */
const CELLS_POPULATION: PopulationColumns = {
  practice: 'practice_id',
  insurer: 'no_insurer_in_cells',
  region: 'region',
  goldStage: 'gold_stage',
  profile: 'no_profile_in_cells',
  intake: 'no_intake_in_cells',
};

/** A group's counted wait days, as combine reads them. */
interface Waits {
  arm: string;
  gold_stage: number | null;
  all_stages: boolean;
  practice_id: string | null;
  wait_values: number[];
  wait_counts: number[];
}

/** Freezes a parsed JSON value and everything in it (a kept summary row is shared by every later reader). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
