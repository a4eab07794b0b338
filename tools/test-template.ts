/**
 * The migrated template database every integration spec clones, and the environment that points a test process at
 * it. Shared by `npm test` (run-tests.ts) and `npm run fuzz` (fuzz/fuzz.ts), which start the same kind of stack.
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DatabaseUrls, provisionDatabase } from '../apps/api/src/core/database/database-roles';
import { runMigrations } from '../apps/api/src/core/database/migrate';

/** Drops and re-creates `name` with its owner and app roles (passwords derived from the admin URL), then migrates it. */
export async function prepareTemplate(adminUrl: string, name: string): Promise<DatabaseUrls> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name}`);
  } finally {
    await client.end();
  }
  const password = (role: string) => createHash('sha256').update(`${adminUrl} ${role}`).digest('hex').slice(0, 32);
  const urls = await provisionDatabase(adminUrl, name, { owner: password('owner'), app: password('app') });
  await runMigrations(urls.ownerUrl);
  return urls;
}

/** The variables test-database.ts and the apps under test read: specs clone `template`, the apps connect as copd_app. */
export function testEnvironment(options: {
  adminUrl: string;
  template: string;
  urls: DatabaseUrls;
  redisUrl: string;
  defaultPseudonymKey: string;
}): Record<string, string> {
  return {
    TEST_ADMIN_DATABASE_URL: options.adminUrl,
    TEST_TEMPLATE_DATABASE: options.template,
    TEST_OWNER_DATABASE_URL: options.urls.ownerUrl,
    TEST_APP_DATABASE_URL: options.urls.appUrl,
    DATABASE_URL: options.urls.appUrl,
    MIGRATION_DATABASE_URL: options.urls.ownerUrl,
    REDIS_URL: options.redisUrl,
    PSEUDONYM_KEY: process.env.PSEUDONYM_KEY ?? options.defaultPseudonymKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    TZ: 'UTC',
  };
}
