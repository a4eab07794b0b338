import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/** An experiment's recompute lock, held until release() (which never throws and may be called again). */
export interface RecomputeLock {
  release(): Promise<void>;
}

/**
 * First key of the recompute locks (the second is hashtext of the experiment id). The two-key advisory locks are a
 * key space of their own, apart from the one-key locks of the import and the contract pairs; the number is arbitrary.
 */
const RECOMPUTE_LOCK_SPACE = 1703;

/**
 * The per-experiment exclusivity of recompute jobs across worker processes: a PostgreSQL session advisory lock,
 * taken without waiting. Part of the recompute bookkeeping (IndicatorRunsRepository), in a room of its own because it
 * holds a connection for the length of a job rather than running in the job's transaction.
 */
@Injectable()
export class RecomputeLockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the experiment's recompute lock without waiting, or answers null when another job (in any worker process)
   * holds it. The lock lives on a pool connection of its own, held for the whole job: it dies with the connection,
   * so a crashed or killed worker leaves no lock behind. Two experiments whose ids share a hash only take turns.
   * The job's transaction still locks the experiment row (IndicatorRunsRepository.lockExperiment), the correctness
   * guard should this connection be lost while the job runs.
   */
  async tryLock(experimentId: string): Promise<RecomputeLock | null> {
    // TypeORM's PostgreSQL driver keeps its pg pool as `master` (typed through the driver's deep import path, which
    // the dashboard's module resolution does not reach; so only the member used is named here).
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    // A connection lost while the job runs (and the lock with it) must not crash the worker: a checked-out client
    // without an error listener would throw. The job carries on under its row lock; release() then closes it.
    const onError = (): void => undefined;
    client.on('error', onError);
    const done = (error?: Error): void => {
      client.removeListener('error', onError);
      client.release(error);
    };
    const key = [RECOMPUTE_LOCK_SPACE, experimentId];
    try {
      const { rows } = await client.query(`SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked`, key);
      if (!rows[0].locked) {
        done();
        return null;
      }
    } catch (error) {
      done(error as Error);
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query(`SELECT pg_advisory_unlock($1::int, hashtext($2))`, key);
          done();
        } catch (error) {
          // The pool must not hand out a connection that may still hold the lock: closing it (release with an
          // error) ends the session, and PostgreSQL releases the lock with it.
          done(error as Error);
        }
      },
    };
  }
}
