import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every stored practice summary row gets a revision number, so that a process keeps the rows it has read and
 * parsed, and reads again only the rows rebuilt since (issue 17, target 4). A recompute read and parsed all 1,500
 * practices' rows (2.4 MB of JSON) on every write's job: in the 200-user load run that was the worker's largest cost
 * (11.5% of its samples in the parse, plus 13-76 ms of PostgreSQL per job).
 *
 * A rebuild deletes a practice's rows and inserts new ones, so a revision names one row's content for good. The
 * numbers come from a sequence of its own, not an identity of the table: comparison_practice_rows is UNLOGGED, and
 * PostgreSQL resets an unlogged table's identity sequence after a crash, which would hand out old numbers again for
 * new content. A logged sequence never gives a number twice.
 */
export class PracticeRowRevisions1765300000000 implements MigrationInterface {
  name = 'PracticeRowRevisions1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE comparison_practice_row_revisions`);
    await q.query(`
      ALTER TABLE comparison_practice_rows
      ADD COLUMN revision bigint NOT NULL DEFAULT nextval('comparison_practice_row_revisions')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE comparison_practice_rows DROP COLUMN revision`);
    await q.query(`DROP SEQUENCE comparison_practice_row_revisions`);
  }
}
