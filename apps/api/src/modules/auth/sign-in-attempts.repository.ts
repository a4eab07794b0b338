import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type AttemptOutcome = 'SUCCESS' | 'FAILURE' | 'LOCKED' | 'THROTTLED';

/** How long sign-in attempts are kept (a quarter: long enough to review an attack afterwards). */
export const SIGN_IN_ATTEMPT_RETENTION_DAYS = 90;

/** Sign-in attempts: the evidence for the per-address rate limit and the per-username lock-out. */
@Injectable()
export class SignInAttemptsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async record(username: string, source: string, outcome: AttemptOutcome, manager: EntityManager): Promise<void> {
    await manager.query(`INSERT INTO sign_in_attempts (username, source, outcome) VALUES ($1, $2, $3)`, [username, source, outcome]);
  }

  /**
   * Retention: the rate limit looks back one minute and the lock-out to the last success, so old attempts
   * serve only a security review; they are kept SIGN_IN_ATTEMPT_RETENTION_DAYS days and then deleted.
   */
  async deleteExpired(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM sign_in_attempts WHERE attempted_at < now() - make_interval(days => $1)`, [
      SIGN_IN_ATTEMPT_RETENTION_DAYS,
    ]);
  }

  /** Attempts from one address in the last minute, with the oldest of them (when the window frees up). */
  async recentFromSource(source: string): Promise<{ n: number; oldest: Date | null }> {
    const rows: { n: number; oldest: Date | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n, min(attempted_at) AS oldest
       FROM sign_in_attempts WHERE source = $1 AND attempted_at > now() - interval '1 minute'`,
      [source],
    );
    return rows[0];
  }

  /**
   * Times of the username's most recent failures inside the window and after its last success, newest first,
   * at most `limit` of them.
   */
  async recentFailures(username: string, windowMinutes: number, limit: number): Promise<Date[]> {
    const rows: { at: Date }[] = await this.dataSource.query(
      `SELECT attempted_at AS at FROM sign_in_attempts
       WHERE username = $1 AND outcome = 'FAILURE' AND attempted_at > now() - make_interval(mins => $2)
         AND attempted_at > COALESCE((SELECT max(attempted_at) FROM sign_in_attempts
                                      WHERE username = $1 AND outcome = 'SUCCESS'), '-infinity')
       ORDER BY attempted_at DESC LIMIT $3`,
      [username, windowMinutes, limit],
    );
    return rows.map((r) => new Date(r.at));
  }
}
