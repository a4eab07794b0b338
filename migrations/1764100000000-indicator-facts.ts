import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 3: the outbox that makes every indicator-affecting write eventually recomputed, and the
 * materialised facts the indicators are aggregated from (one row per patient, one per care quarter).
 * Facts are derived data: a recompute deletes and re-inserts them in one transaction per unit of work.
 */
export class IndicatorFacts1764100000000 implements MigrationInterface {
  name = 'IndicatorFacts1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // Written in the same transaction as the change it announces. patient_id NULL means "the whole
    // experiment" (a contract, an import, the analysis date).
    await q.query(`
      CREATE TABLE indicator_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
        patient_id uuid,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX indicator_outbox_pending_idx ON indicator_outbox (experiment_id, id) WHERE processed_at IS NULL`);

    // Facts, runs and the comparison cache are derived data, rebuilt from the records at any time, so
    // they are UNLOGGED: no WAL for millions of fact rows per recompute (the largest cost at national
    // scale). They stay transactional; only a PostgreSQL crash empties them, all together, after which
    // the worker's relay sees an experiment without a run and recomputes it. No foreign keys either
    // (their per-row checks cost as much); a recompute deletes a patient's facts before rebuilding.
    await q.query(`
      CREATE UNLOGGED TABLE patient_facts (
        patient_id uuid PRIMARY KEY,
        experiment_id uuid NOT NULL,
        practice_id uuid NOT NULL,
        insurer_id uuid NOT NULL,
        region text NOT NULL,
        arm text NOT NULL,
        gold_stage smallint NOT NULL,
        profile smallint NOT NULL,
        age_at_intake smallint NOT NULL,
        intake_date date NOT NULL,
        wait_days integer NOT NULL,
        care_quarters integer NOT NULL,
        sessions integer NOT NULL,
        paid_cents bigint NOT NULL,
        counterfactual_cents bigint NOT NULL,
        unpriced_items integer NOT NULL,
        judged_quarters integer NOT NULL,
        low_intensity_quarters integer NOT NULL,
        guideline_eligible boolean NOT NULL,
        above_guideline boolean,
        baseline_eligible boolean NOT NULL,
        baseline_complete boolean NOT NULL,
        followup_3m_eligible boolean NOT NULL,
        followup_12m_eligible boolean NOT NULL,
        six_mwt_base integer, six_mwt_3m integer, six_mwt_12m integer,
        ccq_base_tenths integer, ccq_3m_tenths integer, ccq_12m_tenths integer,
        cat_base integer, cat_3m integer, cat_12m integer,
        followup_days integer NOT NULL,
        exacerbations integer NOT NULL,
        admissions integer NOT NULL,
        analysis_date date NOT NULL,
        computed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX patient_facts_experiment_idx ON patient_facts (experiment_id, arm, gold_stage)`);
    await q.query(`CREATE INDEX patient_facts_practice_idx ON patient_facts (experiment_id, practice_id)`);
    await q.query(`CREATE INDEX patient_facts_insurer_idx ON patient_facts (experiment_id, insurer_id)`);

    await q.query(`
      -- Only care quarters (Q1, or a quarter with at least one session) are stored.
      CREATE UNLOGGED TABLE care_quarter_facts (
        patient_id uuid NOT NULL,
        quarter_index integer NOT NULL,
        experiment_id uuid NOT NULL,
        start_date date NOT NULL,
        end_exclusive date NOT NULL,
        sessions integer NOT NULL,
        is_care_quarter boolean NOT NULL,
        ended boolean NOT NULL,
        bundle_cents bigint NOT NULL,
        ffs_cents bigint NOT NULL,
        paid_cents bigint NOT NULL,
        counterfactual_cents bigint NOT NULL,
        PRIMARY KEY (patient_id, quarter_index)
      )`);
    await q.query(`CREATE INDEX care_quarter_facts_experiment_idx ON care_quarter_facts (experiment_id)`);

    // One row per experiment: when its facts were last rebuilt and as of which analysis date.
    await q.query(`
      CREATE UNLOGGED TABLE indicator_runs (
        experiment_id uuid PRIMARY KEY,
        analysis_date date NOT NULL,
        computed_at timestamptz NOT NULL,
        last_outbox_id bigint NOT NULL,
        patients integer NOT NULL,
        full_recompute boolean NOT NULL,
        duration_ms integer NOT NULL
      )`);

    // Comparison documents already computed for a filter combination; emptied by every recompute.
    await q.query(`
      CREATE UNLOGGED TABLE comparison_cache (
        experiment_id uuid NOT NULL,
        filter_key text NOT NULL,
        document jsonb NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (experiment_id, filter_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE comparison_cache`);
    await q.query(`DROP TABLE indicator_runs`);
    await q.query(`DROP TABLE care_quarter_facts`);
    await q.query(`DROP TABLE patient_facts`);
    await q.query(`DROP TABLE indicator_outbox`);
  }
}
