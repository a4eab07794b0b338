import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a correction of a contract's arm or period used to leave its patients in the arm stored at enrolment.
 * Since then the arm is derived again on every contract change (PatientArmsService, armAtIntake in libs/domain);
 * this puts the rows stored before right once: every patient takes the arm of the contract in force on its intake
 * date (contracts of one practice x insurer never overlap, so at most one), with one audit row per moved patient and
 * a full recompute announced for each experiment concerned. A patient whose intake no contract covers (a shortening
 * accepted before the coverage rule) keeps its arm: there is nothing to derive it from, and the evaluator has to
 * correct the contract or the enrolment. Down is a no-op: the previous arms were wrong, not a state to go back to.
 */
export class RederivePatientArms1764700000000 implements MigrationInterface {
  name = 'RederivePatientArms1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH derived AS (
        SELECT p.id, p.experiment_id, p.pseudonym, p.intake_date, p.arm AS before, c.arm AS after
        FROM patients p
        JOIN contracts c ON c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id
         AND c.insurer_id = p.insurer_id AND p.intake_date BETWEEN c.valid_from AND c.valid_to
        WHERE c.arm <> p.arm
      ), moved AS (
        UPDATE patients p SET arm = d.after, updated_at = now() FROM derived d WHERE p.id = d.id
        RETURNING d.id, d.experiment_id, d.pseudonym, d.intake_date, d.before, d.after
      ), audited AS (
        INSERT INTO audit_log (actor, actor_role, action, resource_type, resource_id, patient_pseudonym, source, outcome, detail)
        SELECT 'migration:${this.name}', 'SYSTEM', 'patient.arm-rederive', 'patient', m.id::text, m.pseudonym, 'migration',
               'SUCCESS', jsonb_build_object('before', m.before, 'after', m.after, 'intakeDate', m.intake_date,
                                             'change', 'migration ${this.name}')
        FROM moved m
        RETURNING 1
      )
      INSERT INTO indicator_outbox (experiment_id, patient_id, reason)
      SELECT DISTINCT experiment_id, NULL::uuid, 'contract' FROM moved`);
  }

  async down(): Promise<void> {
    // Nothing to undo: see above.
  }
}
