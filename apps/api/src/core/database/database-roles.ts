import { Client } from 'pg';

/**
 * Least privilege in PostgreSQL (README, "Database roles"). Two login roles, named by convention:
 * - copd_owner owns the database and the schema, and runs the migrations (MIGRATION_DATABASE_URL);
 * - copd_app is what the API, the worker and the CLI connect as (DATABASE_URL): DML on the records, only
 *   INSERT and SELECT on audit_log, no DDL on anything but the derived facts tables it owns (migration
 *   1764550000000), so it can neither change the audit log's append-only trigger nor the schema.
 * provisionDatabase creates them; it needs a superuser (or CREATEROLE + CREATEDB) connection and is run by
 * `npm run demo`, `npm test`, `npm run stack`, the bench and Docker's db-roles service, never by the apps.
 */
export const OWNER_ROLE = 'copd_owner';
export const APP_ROLE = 'copd_app';

export interface DatabaseUrls {
  /** As copd_owner: for migrations. */
  ownerUrl: string;
  /** As copd_app: for the API, the worker and the CLI. */
  appUrl: string;
}

export interface RolePasswords {
  owner: string;
  app: string;
}

/**
 * Idempotently: creates (or updates the password of) both roles, makes copd_owner a member of copd_app (it
 * hands the derived tables to copd_app in a migration), creates the database owned by copd_owner, and hands
 * over what an earlier single-role setup left owned by another role. Returns the two roles' URLs.
 */
export async function provisionDatabase(adminUrl: string, database: string, passwords: RolePasswords): Promise<DatabaseUrls> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Database name ${database} must be a plain lower-case identifier`);
  await withClient(adminUrl, async (client) => {
    for (const [role, password] of [[OWNER_ROLE, passwords.owner], [APP_ROLE, passwords.app]] as const) {
      const exists = (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount === 1;
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`;
      await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} ${exists ? 'WITH ' : ''}${attributes}`);
    }
    await client.query(`GRANT ${APP_ROLE} TO ${OWNER_ROLE}`);
    const existing = await client.query(`SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`, [database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${database} OWNER ${OWNER_ROLE}`);
    else if (existing.rows[0].owner !== OWNER_ROLE) await client.query(`ALTER DATABASE ${database} OWNER TO ${OWNER_ROLE}`);
  });
  const ownerUrl = withCredentials(adminUrl, OWNER_ROLE, passwords.owner, database);
  await withClient(withDatabase(adminUrl, database), adoptSchemaObjects);
  return { ownerUrl, appUrl: withCredentials(adminUrl, APP_ROLE, passwords.app, database) };
}

/**
 * Before least privilege, the demo and Docker migrated and ran as a superuser, which then owns every table.
 * Hands such objects in schema public (not those of extensions, not copd_app's derived tables) to copd_owner,
 * so the migration that grants copd_app its rights can run as copd_owner.
 */
async function adoptSchemaObjects(client: Client): Promise<void> {
  await client.query(`
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN
        SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, c.oid::regclass::text AS name
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_get_userbyid(c.relowner) NOT IN ('${OWNER_ROLE}', '${APP_ROLE}')
          -- Not an extension's; not a sequence of an identity or serial column (it follows its table).
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
      LOOP
        EXECUTE format('ALTER %s %s OWNER TO ${OWNER_ROLE}', r.kind, r.name);
      END LOOP;
      FOR r IN
        SELECT p.oid::regprocedure::text AS name FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND pg_get_userbyid(p.proowner) NOT IN ('${OWNER_ROLE}', '${APP_ROLE}')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', r.name);
      END LOOP;
    END $$`);
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function withCredentials(url: string, user: string, password: string, database: string): string {
  const parsed = new URL(withDatabase(url, database));
  parsed.username = user;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Docker's one-shot db-roles service: `node dist/apps/api/apps/api/src/core/database/database-roles.js` with
 * POSTGRES_ADMIN_URL (the superuser), COPD_DB_NAME (default copd), COPD_OWNER_PASSWORD and COPD_APP_PASSWORD.
 */
async function main(): Promise<void> {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const database = process.env.COPD_DB_NAME || 'copd';
  await provisionDatabase(required('POSTGRES_ADMIN_URL'), database, {
    owner: required('COPD_OWNER_PASSWORD'),
    app: required('COPD_APP_PASSWORD'),
  });
  process.stdout.write(`Roles ${OWNER_ROLE} and ${APP_ROLE} and database ${database} are ready.\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`db-roles: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
