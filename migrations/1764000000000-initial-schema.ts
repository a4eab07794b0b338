import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The experiment's records (DOMAIN.md section 3) and the append-only audit log.
 * Business rules are validated in libs/domain first; the constraints here are the last line of defence
 * so that no path (API, import, psql) can store what the domain forbids.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE experiments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        policy_reference text,
        start_date date NOT NULL,
        end_date date NOT NULL,
        analysis_date date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_date <= end_date)
      )`);

    await q.query(`
      CREATE TABLE insurers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        uzovi text NOT NULL UNIQUE CHECK (uzovi ~ '^[0-9]{4}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE practices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agb text NOT NULL UNIQUE CHECK (agb ~ '^[0-9]{8}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        region text NOT NULL CHECK (length(region) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Both tariff sets are stored on every contract: the other arm's set prices the counterfactual.
    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE RESTRICT,
        practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE RESTRICT,
        insurer_id uuid NOT NULL REFERENCES insurers (id) ON DELETE RESTRICT,
        arm text NOT NULL CHECK (arm IN ('BUNDLE', 'FFS')),
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        bundle_intake_cents integer NOT NULL CHECK (bundle_intake_cents >= 0),
        bundle_quarter_cents integer NOT NULL CHECK (bundle_quarter_cents >= 0),
        ffs_intake_cents integer NOT NULL CHECK (ffs_intake_cents >= 0),
        ffs_session_cents integer NOT NULL CHECK (ffs_session_cents >= 0),
        ffs_home_supplement_cents integer NOT NULL CHECK (ffs_home_supplement_cents >= 0),
        ffs_group_session_cents integer NOT NULL CHECK (ffs_group_session_cents >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_from <= valid_to),
        CONSTRAINT contracts_no_overlap EXCLUDE USING gist (
          experiment_id WITH =, practice_id WITH =, insurer_id WITH =,
          daterange(valid_from, valid_to, '[]') WITH &&)
      )`);
    await q.query(`CREATE INDEX contracts_insurer_idx ON contracts (experiment_id, insurer_id)`);

    // One row per enrolment. No BSN and no name: bsn_hmac is a keyed HMAC-SHA256 (key only in the
    // environment), the pseudonym is what people see. arm is fixed at intake for the whole enrolment.
    await q.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE RESTRICT,
        practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE RESTRICT,
        insurer_id uuid NOT NULL REFERENCES insurers (id) ON DELETE RESTRICT,
        ref text NOT NULL CHECK (length(ref) BETWEEN 1 AND 64),
        pseudonym text NOT NULL UNIQUE,
        bsn_hmac text CHECK (bsn_hmac ~ '^[0-9a-f]{64}$'),
        arm text NOT NULL CHECK (arm IN ('BUNDLE', 'FFS')),
        birth_year smallint NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
        sex text NOT NULL CHECK (sex IN ('F', 'M', 'X')),
        gold_stage smallint NOT NULL CHECK (gold_stage BETWEEN 2 AND 4),
        profile smallint NOT NULL CHECK (profile BETWEEN 1 AND 6),
        referral_date date NOT NULL,
        intake_date date NOT NULL,
        end_date date,
        end_reason text CHECK (end_reason IN
          ('COMPLETED', 'DECEASED', 'MOVED', 'DROPPED_OUT', 'REFERRED_TO_REHABILITATION', 'OTHER')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (experiment_id, practice_id, ref),
        CHECK (referral_date <= intake_date),
        CHECK (end_date IS NULL OR end_date >= intake_date),
        CHECK ((end_date IS NULL) = (end_reason IS NULL)),
        CHECK (extract(year FROM intake_date) - birth_year >= 18)
      )`);
    await q.query(`CREATE INDEX patients_practice_idx ON patients (experiment_id, practice_id)`);
    await q.query(`CREATE INDEX patients_insurer_idx ON patients (experiment_id, insurer_id)`);
    await q.query(`CREATE INDEX patients_bsn_hmac_idx ON patients (bsn_hmac) WHERE bsn_hmac IS NOT NULL`);

    await q.query(`
      CREATE TABLE therapy_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        date date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (patient_id, date, kind)
      )`);

    // Values in the instrument's stored unit: CCQ in tenths so comparisons are exact integers.
    await q.query(`
      CREATE TABLE measurements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        date date NOT NULL,
        instrument text NOT NULL CHECK (instrument IN ('SIX_MWT', 'CCQ', 'CAT', 'MMRC', 'STEPS')),
        value integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (patient_id, instrument, date),
        CHECK (CASE instrument
          WHEN 'SIX_MWT' THEN value BETWEEN 0 AND 1200
          WHEN 'CCQ' THEN value BETWEEN 0 AND 60
          WHEN 'CAT' THEN value BETWEEN 0 AND 40
          WHEN 'MMRC' THEN value BETWEEN 0 AND 4
          WHEN 'STEPS' THEN value BETWEEN 0 AND 60000
        END)
      )`);

    await q.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
        date date NOT NULL,
        kind text NOT NULL CHECK (kind IN
          ('EXACERBATION_MODERATE', 'EXACERBATION_SEVERE', 'HOSPITAL_ADMISSION', 'DEATH')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (patient_id, date, kind)
      )`);

    // NEN 7513: who did what to which patient record, when, from where, with what outcome.
    // Append-only: the database itself refuses UPDATE and DELETE.
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        actor_role text NOT NULL,
        organisation text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        patient_pseudonym text,
        source text,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
        detail jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_patient_idx ON audit_log (patient_pseudonym, occurred_at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, occurred_at)`);
    await q.query(`CREATE INDEX audit_log_time_idx ON audit_log (occurred_at)`);
    await q.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_is_append_only()`);
    await q.query(`DROP TABLE events`);
    await q.query(`DROP TABLE measurements`);
    await q.query(`DROP TABLE therapy_sessions`);
    await q.query(`DROP TABLE patients`);
    await q.query(`DROP TABLE contracts`);
    await q.query(`DROP TABLE practices`);
    await q.query(`DROP TABLE insurers`);
    await q.query(`DROP TABLE experiments`);
  }
}
