import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege (issue 10, L7): the API, the worker and the CLI connect as copd_app, which may
 * - read and write the records (SELECT, INSERT, UPDATE, DELETE on every table; tables of later migrations
 *   too, through default privileges), but only INSERT and SELECT on audit_log and only SELECT on
 *   schema_migrations; no TRUNCATE, REFERENCES or TRIGGER anywhere, no CREATE in schema public;
 * - rebuild the derived facts: the recompute creates work tables and swaps them in as partitions of
 *   patient_facts and care_quarter_facts (FactsRepository), which is DDL. copd_app therefore owns those two
 *   parents and their partitions, and has its own schema copd_app for the work tables: PostgreSQL's default
 *   search_path ("$user", public) creates them there, while every other name still resolves to public.
 * Everything else (audit_log, its trigger and function, the records' tables) stays owned by the migrating
 * role, copd_owner, so copd_app cannot alter or disable any of it.
 *
 * The roles are made by the stack tooling (core/database/database-roles.ts) with passwords. Run by a
 * superuser on a server without them, this creates copd_app without login (give it a password to use it).
 */
export class LeastPrivilegeRoles1764550000000 implements MigrationInterface {
  name = 'LeastPrivilegeRoles1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'copd_app') THEN
          CREATE ROLE copd_app NOLOGIN;
        END IF;
        -- Handing tables to copd_app needs membership in it (the tooling grants it to copd_owner).
        IF NOT pg_has_role(current_user, 'copd_app', 'MEMBER') THEN
          EXECUTE format('GRANT copd_app TO %I', current_user);
        END IF;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role copd_app is missing, or % is not a member of it: create it and GRANT copd_app TO % as a superuser (npm run demo, npm test and Docker''s db-roles service do)', current_user, current_user;
      END $$`);

    await q.query(`CREATE SCHEMA copd_app AUTHORIZATION copd_app`);
    // A new owner must be allowed to create in the table's schema; copd_app may only for this statement.
    await q.query(`GRANT CREATE ON SCHEMA public TO copd_app`);
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN
          SELECT c.oid::regclass::text AS name FROM pg_class c
          WHERE c.oid IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
             OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass))
        LOOP
          EXECUTE format('ALTER TABLE %s OWNER TO copd_app', r.name);
        END LOOP;
      END $$`);
    await q.query(`REVOKE CREATE ON SCHEMA public FROM copd_app`);

    await q.query(`GRANT USAGE ON SCHEMA public TO copd_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO copd_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO copd_app`);
    // NEN 7513: the audit trail is append-only for the application in its privileges, not only by the trigger.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM copd_app`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM copd_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO copd_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO copd_app`);
    // PostgreSQL 15 and later grant no CREATE on public to PUBLIC; older servers did.
    await q.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM copd_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM copd_app`);
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN
          SELECT c.oid::regclass::text AS name, c.relnamespace = 'copd_app'::regnamespace AS moved FROM pg_class c
          WHERE c.oid IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
             OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass))
        LOOP
          EXECUTE format('ALTER TABLE %s OWNER TO %I', r.name, current_user);
          IF r.moved THEN EXECUTE format('ALTER TABLE %s SET SCHEMA public', r.name); END IF;
        END LOOP;
      END $$`);
    await q.query(`DROP SCHEMA copd_app CASCADE`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM copd_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM copd_app`);
  }
}
