import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The comparison cells (issue 17, target 2): per experiment, practice, arm and GOLD stage, the counts, exact sums and
 * sums of squares and the wait days (each distinct value with its count) from which the unfiltered comparison is combined, so that a recompute of some
 * patients rebuilds the cells of their practices instead of aggregating the whole experiment
 * (apps/api/src/modules/indicators/comparison-cells.repository.ts says what each column holds and why the combined
 * figures equal the direct aggregation's). comparison_cell_sets records for which run's facts an experiment's cells
 * are complete. Both are UNLOGGED caches like comparison_cache: rebuilt from the facts, emptied by a crash together.
 *
 * comparison_cache.based_on: the computed_at of the run whose facts a cached document was aggregated from. A recompute
 * of some patients no longer empties the other filters' documents: a reader gets such an older document marked stale
 * while it is aggregated again once (IndicatorsService.comparison), instead of every reader aggregating after every
 * write. Rows cached before this migration have none and count as older than any run.
 */
export class ComparisonCells1765200000000 implements MigrationInterface {
  name = 'ComparisonCells1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE comparison_cell_sets (
        experiment_id uuid PRIMARY KEY REFERENCES experiments (id) ON DELETE CASCADE,
        computed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE UNLOGGED TABLE comparison_cells (
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
        practice_id uuid NOT NULL,
        arm text NOT NULL,
        gold_stage smallint,
        region text NOT NULL,
        age_s bigint,
        age_n integer NOT NULL,
        profile_1 integer NOT NULL,
        profile_2 integer NOT NULL,
        profile_3 integer NOT NULL,
        profile_4 integer NOT NULL,
        profile_5 integer NOT NULL,
        profile_6 integer NOT NULL,
        paid_per_cq_n integer NOT NULL,
        paid_per_cq_s numeric,
        paid_per_cq_s2 numeric,
        cf_per_cq_n integer NOT NULL,
        cf_per_cq_s numeric,
        cf_per_cq_s2 numeric,
        paid_minus_cf_n integer NOT NULL,
        paid_minus_cf_s numeric,
        paid_minus_cf_s2 numeric,
        sessions_per_cq_n integer NOT NULL,
        sessions_per_cq_s numeric,
        sessions_per_cq_s2 numeric,
        six_mwt_d3_n integer NOT NULL,
        six_mwt_d3_s numeric,
        six_mwt_d3_s2 numeric,
        six_mwt_d12_n integer NOT NULL,
        six_mwt_d12_s numeric,
        six_mwt_d12_s2 numeric,
        ccq_d3_n integer NOT NULL,
        ccq_d3_s numeric,
        ccq_d3_s2 numeric,
        ccq_d12_n integer NOT NULL,
        ccq_d12_s numeric,
        ccq_d12_s2 numeric,
        cat_d3_n integer NOT NULL,
        cat_d3_s numeric,
        cat_d3_s2 numeric,
        cat_d12_n integer NOT NULL,
        cat_d12_s numeric,
        cat_d12_s2 numeric,
        patients bigint NOT NULL,
        low_n bigint,
        low_x bigint,
        low_patients bigint NOT NULL,
        above_n bigint NOT NULL,
        above_x bigint NOT NULL,
        six_mwt_r3_x bigint NOT NULL,
        six_mwt_r12_x bigint NOT NULL,
        ccq_r3_x bigint NOT NULL,
        ccq_r12_x bigint NOT NULL,
        cat_r3_x bigint NOT NULL,
        cat_r12_x bigint NOT NULL,
        exacerbations bigint,
        admissions bigint,
        followup_days bigint,
        base_n integer NOT NULL,
        base_x integer NOT NULL,
        fu3_n integer NOT NULL,
        fu3_x integer NOT NULL,
        fu12_n integer NOT NULL,
        fu12_x integer NOT NULL,
        wait_values integer[] NOT NULL,
        wait_counts integer[] NOT NULL
      )`);
    await q.query(`CREATE INDEX comparison_cells_practice ON comparison_cells (experiment_id, practice_id)`);
    // The summary row of each practice (per arm), combined from its cells when they were built: a write's recompute
    // rebuilds its practices' rows and reads the others as they are.
    await q.query(`
      CREATE UNLOGGED TABLE comparison_practice_rows (
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
        arm text NOT NULL,
        practice_id uuid NOT NULL,
        summary text NOT NULL,
        PRIMARY KEY (experiment_id, arm, practice_id)
      )`);
    // The wait days per arm and GOLD stage (each distinct value with its count), kept as the running total of the
    // cells' counts: a write's recompute takes away its practices' old cells' counts and adds the new ones.
    await q.query(`
      CREATE UNLOGGED TABLE comparison_stratum_waits (
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
        arm text NOT NULL,
        gold_stage smallint NOT NULL,
        wait_days integer NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (experiment_id, arm, gold_stage, wait_days)
      )`);
    await q.query(`ALTER TABLE comparison_cache ADD COLUMN based_on timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE comparison_cache DROP COLUMN based_on`);
    await q.query(`DROP TABLE comparison_stratum_waits`);
    await q.query(`DROP TABLE comparison_practice_rows`);
    await q.query(`DROP TABLE comparison_cells`);
    await q.query(`DROP TABLE comparison_cell_sets`);
  }
}
