import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface BenchAuth {
  /** An EVALUATOR's session cookie: reads everything, triggers recomputes. */
  headers: Record<string, string>;
  /**
   * A PRACTICE user bound to every practice: only practices write sessions, measurements and events
   * (issue 4), so clinical writes must use these headers instead.
   */
  practiceHeaders: Record<string, string>;
}

/**
 * How the benchmark authenticates against the API it started: users and live sessions inserted straight
 * into the benchmark's own database (as the integration tests do), no password and no sign-in round trip.
 */
export async function benchActor(db: Client, _api: string): Promise<BenchAuth> {
  return {
    headers: { cookie: await session(db, 'bench-evaluator', 'EVALUATOR') },
    practiceHeaders: { cookie: await session(db, 'bench-practice', 'PRACTICE') },
  };
}

/** A PRACTICE user bound to one practice only (the load run's practice users), signed in the same way. */
export async function onePracticeSession(db: Client, username: string, practiceId: string): Promise<string> {
  return session(db, username, 'PRACTICE', practiceId);
}

/** An EVALUATOR of its own (the load run's evaluators each have theirs, as people do). */
export async function evaluatorSession(db: Client, username: string): Promise<string> {
  return session(db, username, 'EVALUATOR');
}

async function session(db: Client, username: string, role: 'EVALUATOR' | 'PRACTICE', practiceId?: string): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO users (username, display_name, role) VALUES ($1, $1, $2)
     ON CONFLICT (username) DO UPDATE SET updated_at = now() RETURNING id`,
    [username, role],
  );
  const userId = rows[0].id as string;
  if (role === 'PRACTICE') {
    await db.query(
      `INSERT INTO user_practices (user_id, practice_id) SELECT $1, id FROM practices WHERE $2::uuid IS NULL OR id = $2 ON CONFLICT DO NOTHING`,
      [userId, practiceId ?? null],
    );
  }
  const secret = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO user_sessions (user_id, token_hash, source, expires_at) VALUES ($1, $2, 'bench', now() + interval '1 day')`, [
    userId,
    createHash('sha256').update(secret).digest('hex'),
  ]);
  return `copd_session=${secret}`;
}
