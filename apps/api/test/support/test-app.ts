import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestContext {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** Row count of a table, for "nothing changed" assertions. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real HTTP application on its own fresh database and its own Redis key prefix, as main.ts builds
 * it (pipes, filters, Swagger). Call close() in afterAll.
 */
export async function startTestApp(): Promise<TestContext> {
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.QUEUE_PREFIX = `test-${randomBytes(4).toString('hex')}`;
  const app = await createApp();
  await app.init();
  const dataSource = app.get(DataSource);
  return {
    app,
    db,
    dataSource,
    http: () => request(app.getHttpServer()),
    count: async (table) => (await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** The tables that hold the experiment's records (the audit log is excluded: it grows on reads too). */
export const RECORD_TABLES = [
  'experiments',
  'insurers',
  'practices',
  'contracts',
  'patients',
  'therapy_sessions',
  'measurements',
  'events',
] as const;

export async function countRecords(ctx: TestContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of RECORD_TABLES) counts[table] = await ctx.count(table);
  return counts;
}
