import { systemActor } from '../src/core/actor/actor';
import { APP_ROLE } from '../src/core/database/database-roles';
import { runMigrations } from '../src/core/database/migrate';
import { DemoDataService } from '../src/modules/demo-data/demo-data.service';
import { startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';

/**
 * L7: the API, the worker and the CLI connect as copd_app (migration 1764550000000). It cannot touch the
 * audit log's append-only guarantee or the schema, while writes and the recompute (which swaps in facts
 * partitions, DDL on the derived tables copd_app owns) work through it.
 */
describe('database roles: the application connects with least privilege (real PostgreSQL)', () => {
  let ctx: TestContext;
  const asApp = (sql: string) => ctx.dataSource.query(sql);

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('should connect as copd_app, neither superuser nor owner of the schema, when the apps start', async () => {
    const [row] = await asApp(
      `SELECT current_user AS "user", r.rolsuper AS superuser, r.rolcreaterole AS "createRole", r.rolcreatedb AS "createDb",
              pg_get_userbyid(d.datdba) AS "databaseOwner", pg_get_userbyid(c.relowner) AS "auditOwner"
       FROM pg_roles r, pg_database d, pg_class c
       WHERE r.rolname = current_user AND d.datname = current_database() AND c.oid = 'audit_log'::regclass`,
    );
    expect(row).toEqual({ user: APP_ROLE, superuser: false, createRole: false, createDb: false, databaseOwner: 'copd_owner', auditOwner: 'copd_owner' });
  });

  it('should refuse to disable, drop or bypass the audit trigger when connected as the application', async () => {
    await expect(asApp(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`)).rejects.toMatchObject({
      code: '42501',
      message: 'must be owner of table audit_log',
    });
    await expect(asApp(`ALTER TABLE audit_log DISABLE TRIGGER ALL`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(`DROP TRIGGER audit_log_no_truncate ON audit_log`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(`CREATE OR REPLACE FUNCTION public.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`)).rejects.toMatchObject({ code: '42501' });
    // Triggers off for the session (what pg_restore uses) is a superuser setting.
    await expect(asApp(`SET session_replication_role = replica`)).rejects.toMatchObject({ code: '42501' });
  });

  it('should refuse UPDATE, DELETE and TRUNCATE on audit_log by privilege, before any trigger, when connected as the application', async () => {
    // Appending is what the application does on every audited request.
    await asApp(`INSERT INTO audit_log (actor, actor_role, action, resource_type, outcome) VALUES ('test', 'SYSTEM', 'test.append', 'test', 'SUCCESS')`);
    const before = await ctx.count('audit_log');
    expect(before).toBeGreaterThanOrEqual(1);
    // The reason of a correction (issue 14) is kept as immutably as the rest of the row.
    for (const sql of [`UPDATE audit_log SET outcome = 'SUCCESS'`, `UPDATE audit_log SET reason = 'herschreven'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`]) {
      await expect(asApp(sql)).rejects.toMatchObject({ code: '42501', message: 'permission denied for table audit_log' });
    }
    expect(await ctx.count('audit_log')).toBe(before);
    const [{ insert, select }] = await asApp(
      `SELECT has_table_privilege('audit_log', 'INSERT') AS insert, has_table_privilege('audit_log', 'SELECT') AS select`,
    );
    expect({ insert, select }).toEqual({ insert: true, select: true });
  });

  it('should refuse DDL on the schema when connected as the application', async () => {
    await expect(asApp(`CREATE TABLE public.intruder (id int)`)).rejects.toMatchObject({ code: '42501', message: 'permission denied for schema public' });
    await expect(asApp(`ALTER TABLE patients ADD COLUMN intruder int`)).rejects.toMatchObject({ code: '42501', message: 'must be owner of table patients' });
    await expect(asApp(`DROP TABLE therapy_sessions`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(`TRUNCATE patients CASCADE`)).rejects.toMatchObject({ code: '42501' });
    await expect(asApp(`INSERT INTO schema_migrations (timestamp, name) VALUES (1, 'x')`)).rejects.toMatchObject({ code: '42501' });
  });

  it('should refuse to migrate and create nothing when run as the application role', async () => {
    await expect(runMigrations(ctx.db.url, { revert: true })).rejects.toThrow(
      'Migrations run as copd_owner, not as the application role copd_app: set MIGRATION_DATABASE_URL (npm run stack prints it).',
    );
    const [{ tables }] = await asApp(`SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'copd_app'`);
    expect(tables).toBe(0);
    // As the owner, the schema is up to date.
    expect(await runMigrations(ctx.db.ownerUrl)).toEqual([]);
  });

  it('should write records and recompute facts, full and partial, when connected as the application', async () => {
    await ctx.app.get(DemoDataService).seed(systemActor('test', 'test'), { practices: 3, patients: 30, seed: 11 });
    // The population is every patient with an intake on or before the analysis date (DOMAIN.md 5).
    const [{ population }] = await asApp(
      `SELECT count(*)::int AS population FROM patients p JOIN experiments e ON e.id = p.experiment_id WHERE p.intake_date <= e.analysis_date`,
    );
    expect(population).toBeGreaterThan(0);

    const first = await recomputeNow(ctx);
    expect(first).toMatchObject({ status: 'DONE', full: true, patients: population });
    // A second full rebuild swaps new partitions in and drops the first ones, which copd_app created.
    await asApp(`INSERT INTO indicator_outbox (experiment_id, patient_id, reason) SELECT id, NULL, 'test' FROM experiments`);
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: true, patients: population });
    // A partial one (one patient) deletes and re-inserts that patient's rows and ANALYZEs its work table.
    await asApp(
      `INSERT INTO indicator_outbox (experiment_id, patient_id, reason)
       SELECT p.experiment_id, p.id, 'test' FROM patients p JOIN experiments e ON e.id = p.experiment_id
       WHERE p.intake_date <= e.analysis_date ORDER BY p.id LIMIT 1`,
    );
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: false, patients: 1 });
    expect(await ctx.count('patient_facts')).toBe(population);

    // The partitions are copd_app's, in its own schema; no work table is left behind.
    const partitions = await asApp(
      `SELECT i.inhparent::regclass::text AS parent, n.nspname AS schema, pg_get_userbyid(c.relowner) AS owner
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE i.inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass) ORDER BY 1`,
    );
    expect(partitions).toEqual([
      { parent: 'care_quarter_facts', schema: 'copd_app', owner: 'copd_app' },
      { parent: 'patient_facts', schema: 'copd_app', owner: 'copd_app' },
    ]);
    const [{ leftovers }] = await asApp(`SELECT count(*)::int AS leftovers FROM pg_class WHERE relname LIKE 'facts_work_%'`);
    expect(leftovers).toBe(0);
  });
});
