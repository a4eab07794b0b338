import { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/create-app';
import { createTestDatabase, TestDatabase } from './test-database';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** supertest's request(server), with the identity's credential already set on every request. */
export type Http = Pick<ReturnType<typeof request>, Method>;

/**
 * Who a test request acts as. EVALUATOR and ADMIN exist from the start; a practice or insurer user is
 * bound to organisations the test has created first, so it is made with signIn().
 */
export type Role = 'EVALUATOR' | 'ADMIN' | 'ANONYMOUS';
export type Identity = { role: 'PRACTICE'; practices: string[] } | { role: 'INSURER'; insurer: string } | { role: 'EVALUATOR' | 'ADMIN' };

export interface TestContext {
  app: INestApplication;
  db: TestDatabase;
  dataSource: DataSource;
  /** Requests as a signed-in EVALUATOR (the default), ADMIN, or without credentials (ANONYMOUS). */
  http: (as?: Role) => Http;
  /** A user of this identity with a live session, created in the test database (no audit row, no password). */
  signIn: (identity: Identity, username?: string) => Promise<() => Http>;
  /** Row count of a table, for "nothing changed" assertions. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real HTTP application on its own fresh database and its own Redis key prefix, as main.ts builds
 * it (pipes, filters, guard, Swagger). Call close() in afterAll.
 */
export async function startTestApp(): Promise<TestContext> {
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.QUEUE_PREFIX = `test-${randomBytes(4).toString('hex')}`;
  const app = await createApp();
  await app.init();
  const dataSource = app.get(DataSource);
  const server = app.getHttpServer();
  const as = (cookie: string | undefined) => (): Http => {
    const agent = request(server);
    const wrap = (method: Method) => (url: string) => (cookie ? agent[method](url).set('Cookie', cookie) : agent[method](url));
    return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') };
  };
  const signIn = async (identity: Identity, username?: string) => as(await createSession(dataSource, identity, username));
  const byRole: Record<Role, () => Http> = {
    EVALUATOR: await signIn({ role: 'EVALUATOR' }, 'test-evaluator'),
    ADMIN: await signIn({ role: 'ADMIN' }, 'test-admin'),
    ANONYMOUS: as(undefined),
  };
  return {
    app,
    db,
    dataSource,
    http: (role = 'EVALUATOR') => byRole[role](),
    signIn,
    count: async (table) => (await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

let users = 0;

/** Inserts a user (bound to existing practices or insurer) and a session; returns the Cookie header value. */
async function createSession(dataSource: DataSource, identity: Identity, username?: string): Promise<string> {
  const name = username ?? `test-${identity.role.toLowerCase()}-${++users}`;
  const uzovi = identity.role === 'INSURER' ? identity.insurer : null;
  const [{ id }] = await dataSource.query(
    `INSERT INTO users (username, display_name, role, insurer_id)
     VALUES ($1, $1, $2, (SELECT id FROM insurers WHERE uzovi = $3)) RETURNING id`,
    [name, identity.role, uzovi],
  );
  if (identity.role === 'PRACTICE') {
    const bound: { n: number }[] = await dataSource.query(
      `WITH b AS (INSERT INTO user_practices (user_id, practice_id) SELECT $1, id FROM practices WHERE agb = ANY($2::text[]) RETURNING 1)
       SELECT count(*)::int AS n FROM b`,
      [id, identity.practices],
    );
    if (bound[0].n !== identity.practices.length) throw new Error(`signIn: not every practice of ${identity.practices.join(',')} exists`);
  }
  const secret = randomBytes(32).toString('base64url');
  await dataSource.query(
    `INSERT INTO user_sessions (user_id, token_hash, source, expires_at) VALUES ($1, $2, 'test', now() + interval '1 day')`,
    [id, createHash('sha256').update(secret).digest('hex')],
  );
  return `copd_session=${secret}`;
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
