import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 3 (recompute speed): every session carries its care quarter and the contract that prices it, derived
 * in PostgreSQL when the session is written and kept right when what they depend on changes (a patient's
 * intake date or practice x insurer; a contract's period). The full recompute then prices six million
 * sessions in one grouped scan instead of placing each one in a quarter by date ranges.
 *
 * The derived facts are partitioned per experiment, so a full recompute builds a fresh partition beside the
 * old one and swaps it in, instead of deleting and re-inserting every row through its indexes.
 */
export class SessionPricingKeys1764300000000 implements MigrationInterface {
  name = 'SessionPricingKeys1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // Care quarter k of a day: k such that intake + 3(k-1) months <= day < intake + 3k months (DOMAIN.md 5),
    // months added to the intake date itself and clamped to the month's last day. Whole months elapsed:
    // the month difference, minus one when the day of the month has not reached the intake's day, unless the
    // day is its month's last (a clamped anniversary). NULL before the intake: in no quarter.
    await q.query(`
      CREATE FUNCTION care_quarter_of(intake date, day date) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE WHEN day < intake THEN NULL ELSE
          ((extract(year FROM day)::int - extract(year FROM intake)::int) * 12
            + extract(month FROM day)::int - extract(month FROM intake)::int
            - CASE WHEN extract(day FROM day) >= extract(day FROM intake)
                     OR extract(month FROM day + 1) <> extract(month FROM day) THEN 0 ELSE 1 END) / 3 + 1
        END
      $$`);

    await q.query(`
      ALTER TABLE therapy_sessions
        ADD COLUMN care_quarter integer,
        ADD COLUMN contract_id uuid REFERENCES contracts (id) ON DELETE SET NULL`);

    // A session's quarter and contract, from its patient's intake date and practice x insurer.
    await q.query(`
      CREATE FUNCTION therapy_sessions_derive() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_intake date;
        v_contract uuid;
      BEGIN
        SELECT p.intake_date, c.id INTO v_intake, v_contract
        FROM patients p
        LEFT JOIN contracts c ON c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id
         AND c.insurer_id = p.insurer_id AND NEW.date BETWEEN c.valid_from AND c.valid_to
        WHERE p.id = NEW.patient_id;
        NEW.care_quarter := care_quarter_of(v_intake, NEW.date);
        NEW.contract_id := v_contract;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER therapy_sessions_derive BEFORE INSERT OR UPDATE OF patient_id, date, care_quarter, contract_id
      ON therapy_sessions FOR EACH ROW EXECUTE FUNCTION therapy_sessions_derive()`);

    // Sessions of one practice x insurer in [from, to]: point them at the contract now in force on their date.
    await q.query(`
      CREATE FUNCTION therapy_sessions_rederive_contracts(p_experiment uuid, p_practice uuid, p_insurer uuid, p_from date, p_to date)
      RETURNS void LANGUAGE sql AS $$
        UPDATE therapy_sessions s SET contract_id = x.contract_id
        FROM (
          SELECT s2.id,
                 (SELECT c.id FROM contracts c
                  WHERE c.experiment_id = p_experiment AND c.practice_id = p_practice AND c.insurer_id = p_insurer
                    AND s2.date BETWEEN c.valid_from AND c.valid_to) AS contract_id
          FROM therapy_sessions s2 JOIN patients p ON p.id = s2.patient_id
          WHERE p.experiment_id = p_experiment AND p.practice_id = p_practice AND p.insurer_id = p_insurer
            AND s2.date BETWEEN p_from AND p_to
        ) x
        WHERE s.id = x.id AND s.contract_id IS DISTINCT FROM x.contract_id
      $$`);
    await q.query(`
      CREATE FUNCTION contracts_rederive_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM therapy_sessions_rederive_contracts(OLD.experiment_id, OLD.practice_id, OLD.insurer_id, OLD.valid_from, OLD.valid_to);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          PERFORM therapy_sessions_rederive_contracts(NEW.experiment_id, NEW.practice_id, NEW.insurer_id, NEW.valid_from, NEW.valid_to);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER contracts_rederive_sessions AFTER INSERT OR DELETE ON contracts
      FOR EACH ROW EXECUTE FUNCTION contracts_rederive_sessions()`);
    await q.query(`
      CREATE TRIGGER contracts_rederive_sessions_on_update AFTER UPDATE ON contracts
      FOR EACH ROW WHEN (OLD.experiment_id IS DISTINCT FROM NEW.experiment_id OR OLD.practice_id IS DISTINCT FROM NEW.practice_id
        OR OLD.insurer_id IS DISTINCT FROM NEW.insurer_id OR OLD.valid_from IS DISTINCT FROM NEW.valid_from
        OR OLD.valid_to IS DISTINCT FROM NEW.valid_to)
      EXECUTE FUNCTION contracts_rederive_sessions()`);

    // A changed intake date or practice x insurer moves every session of the patient (the session trigger
    // fires on the self-assignment and derives both columns again).
    await q.query(`
      CREATE FUNCTION patients_rederive_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE therapy_sessions SET care_quarter = NULL WHERE patient_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER patients_rederive_sessions AFTER UPDATE OF experiment_id, practice_id, insurer_id, intake_date ON patients
      FOR EACH ROW WHEN (OLD.experiment_id IS DISTINCT FROM NEW.experiment_id OR OLD.practice_id IS DISTINCT FROM NEW.practice_id
        OR OLD.insurer_id IS DISTINCT FROM NEW.insurer_id OR OLD.intake_date IS DISTINCT FROM NEW.intake_date)
      EXECUTE FUNCTION patients_rederive_sessions()`);

    // Existing sessions: derive once (the trigger fires on the self-assignment).
    await q.query(`UPDATE therapy_sessions SET care_quarter = NULL`);

    // Facts become partitioned per experiment. They are derived data: drop them and the runs, so the
    // worker's relay sees experiments without a run and recomputes them.
    await q.query(`DROP TABLE care_quarter_facts`);
    await q.query(`DROP TABLE patient_facts`);
    await q.query(`DELETE FROM comparison_cache`);
    await q.query(`DELETE FROM indicator_runs`);
    await createPartitionedFacts(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE care_quarter_facts`);
    await q.query(`DROP TABLE patient_facts`);
    await q.query(`DELETE FROM comparison_cache`);
    await q.query(`DELETE FROM indicator_runs`);
    await q.query(`DROP TRIGGER patients_rederive_sessions ON patients`);
    await q.query(`DROP FUNCTION patients_rederive_sessions()`);
    await q.query(`DROP TRIGGER contracts_rederive_sessions_on_update ON contracts`);
    await q.query(`DROP TRIGGER contracts_rederive_sessions ON contracts`);
    await q.query(`DROP FUNCTION contracts_rederive_sessions()`);
    await q.query(`DROP FUNCTION therapy_sessions_rederive_contracts(uuid, uuid, uuid, date, date)`);
    await q.query(`DROP TRIGGER therapy_sessions_derive ON therapy_sessions`);
    await q.query(`DROP FUNCTION therapy_sessions_derive()`);
    await q.query(`ALTER TABLE therapy_sessions DROP COLUMN care_quarter, DROP COLUMN contract_id`);
    await q.query(`DROP FUNCTION care_quarter_of(date, date)`);
    // The previous, unpartitioned facts tables (empty; the relay recomputes them).
    await q.query(`CREATE UNLOGGED TABLE patient_facts (${PATIENT_FACT_COLUMNS}, PRIMARY KEY (patient_id))`);
    await q.query(`CREATE INDEX patient_facts_experiment_idx ON patient_facts (experiment_id, arm, gold_stage)`);
    await q.query(`CREATE INDEX patient_facts_practice_idx ON patient_facts (experiment_id, practice_id)`);
    await q.query(`CREATE INDEX patient_facts_insurer_idx ON patient_facts (experiment_id, insurer_id)`);
    await q.query(`CREATE UNLOGGED TABLE care_quarter_facts (${CARE_QUARTER_FACT_COLUMNS}, PRIMARY KEY (patient_id, quarter_index))`);
    await q.query(`ALTER TABLE care_quarter_facts DROP COLUMN unpriced_items`);
    await q.query(`CREATE INDEX care_quarter_facts_experiment_idx ON care_quarter_facts (experiment_id)`);
  }
}

/** The columns of patient_facts: one row per patient of the population, as of the analysis date. */
const PATIENT_FACT_COLUMNS = `
      patient_id uuid NOT NULL,
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
      computed_at timestamptz NOT NULL`;

/** The columns of care_quarter_facts: only care quarters (Q1, or a quarter with at least one session) are stored. */
const CARE_QUARTER_FACT_COLUMNS = `
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
      unpriced_items integer NOT NULL`;

/**
 * The parents of the per-experiment partitions. Partitions are UNLOGGED (derived data, rebuilt at any time; a
 * PostgreSQL crash empties them together with indicator_runs, after which the relay recomputes) and carry
 * their own indexes: see FactsRepository. The parents hold no rows themselves, so they need no indexes.
 */
async function createPartitionedFacts(q: QueryRunner): Promise<void> {
  await q.query(`CREATE TABLE patient_facts (${PATIENT_FACT_COLUMNS}) PARTITION BY LIST (experiment_id)`);
  await q.query(`CREATE TABLE care_quarter_facts (${CARE_QUARTER_FACT_COLUMNS}) PARTITION BY LIST (experiment_id)`);
}
