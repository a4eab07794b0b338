import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections and deletions of a patient's records carry a reason (issue 14): kept in its own column of the
 * append-only audit log, next to who and when, so the record's history reads it without digging in details.
 * The table stays append-only (trigger) and the application role keeps only INSERT and SELECT on it: the
 * column-less table grants cover the new column. At most 500 characters, as the API accepts.
 */
export class CorrectionReasons1764900000000 implements MigrationInterface {
  name = 'CorrectionReasons1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN reason text CHECK (length(reason) BETWEEN 1 AND 500)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP COLUMN reason`);
  }
}
