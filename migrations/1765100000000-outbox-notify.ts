import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wakes the worker's outbox relay at commit instead of waiting for its next poll (issue 17, target 2): a
 * statement-level AFTER INSERT trigger on indicator_outbox notifies channel copd_outbox once per experiment the
 * statement announced, with the experiment id as payload. PostgreSQL delivers a NOTIFY only when the writing
 * transaction commits (never for a rolled-back write) and collapses identical notifications of one transaction,
 * so a write of many patients wakes the relay once. The function runs with the inserting role's rights (copd_app);
 * pg_notify and LISTEN need no privilege. The relay keeps its poll as the safety net for a missed notification.
 */
export class OutboxNotify1765100000000 implements MigrationInterface {
  name = 'OutboxNotify1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION indicator_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('copd_outbox', e.experiment_id::text) FROM (SELECT DISTINCT experiment_id FROM announced) e;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER indicator_outbox_notify AFTER INSERT ON indicator_outbox
      REFERENCING NEW TABLE AS announced FOR EACH STATEMENT EXECUTE FUNCTION indicator_outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER indicator_outbox_notify ON indicator_outbox`);
    await q.query(`DROP FUNCTION indicator_outbox_notify()`);
  }
}
