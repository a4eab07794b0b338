import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Each integration spec gets its own database, cloned from the migrated template that `npm test`
 * prepares (CREATE DATABASE ... TEMPLATE is a file copy: ~100 ms instead of re-running migrations).
 * Like production, the database belongs to copd_owner and the apps under test connect as copd_app (`url`),
 * with only the application's rights; a test that needs the schema owner's rights (a test trigger, proving
 * the audit trigger holds even for the owner) uses asOwner.
 */
export interface TestDatabase {
  /** As copd_app: what the API, the worker and the CLI under test use. */
  url: string;
  /** As copd_owner, who migrated the schema and owns it. */
  ownerUrl: string;
  name: string;
  asOwner<T>(work: (client: Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requireEnv('TEST_ADMIN_DATABASE_URL');
  const template = requireEnv('TEST_TEMPLATE_DATABASE');
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template} OWNER copd_owner`));
  const ownerUrl = withDatabase(requireEnv('TEST_OWNER_DATABASE_URL'), name);
  return {
    url: withDatabase(requireEnv('TEST_APP_DATABASE_URL'), name),
    ownerUrl,
    name,
    asOwner: (work) => withClient(ownerUrl, work),
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
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

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\`.`);
  return value;
}
