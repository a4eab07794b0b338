import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every patient a read returns is attributable in the audit log (NEN 7513): list reads and exports keep the
 * pseudonyms they returned in one array per row, GIN-indexed, so a practice's "who accessed my patients"
 * finds them without a row per patient. A request for an object that is missing or outside the actor's
 * scope is audited with outcome NOT_FOUND.
 */
export class AuditPatientAttribution1764600000000 implements MigrationInterface {
  name = 'AuditPatientAttribution1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN patient_pseudonyms text[]`);
    await q.query(`CREATE INDEX audit_log_patients_gin_idx ON audit_log USING gin (patient_pseudonyms)`);
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check`);
    await q.query(
      `ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED', 'NOT_FOUND'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // NOT VALID: rows audited as NOT_FOUND stay (the log is append-only); only new rows are held to the old list.
    await q.query(`ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check`);
    await q.query(
      `ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')) NOT VALID`,
    );
    await q.query(`DROP INDEX audit_log_patients_gin_idx`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN patient_pseudonyms`);
  }
}
