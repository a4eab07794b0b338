import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { RecomputeLockRepository } from '../src/modules/indicators/recompute-lock.repository';
import { createTestDatabase, TestDatabase } from './support/test-database';

const EXPERIMENT = '5f0c6a3e-1d2b-4c8a-9e7f-0a1b2c3d4e5f';
const OTHER_EXPERIMENT = '7a1d2e3f-4b5c-4d6e-8f90-a1b2c3d4e5f6';

/** The backends holding a granted recompute lock (two-key advisory lock of key space 1703). */
async function lockHolders(dataSource: DataSource): Promise<number[]> {
  const rows: { pid: number }[] = await dataSource.query(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 1703 AND objsubid = 2 AND granted ORDER BY pid`,
  );
  return rows.map((r) => r.pid);
}

const poolOf = (dataSource: DataSource) => (dataSource.driver as PostgresDriver).master as Pool;

describe('recompute lock of an experiment (real PostgreSQL, two connection pools as two worker processes)', () => {
  let db: TestDatabase;
  let processA: DataSource;
  let processB: DataSource;
  let locksA: RecomputeLockRepository;
  let locksB: RecomputeLockRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    processA = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
    processB = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
    locksA = new RecomputeLockRepository(processA);
    locksB = new RecomputeLockRepository(processB);
  });
  afterAll(async () => {
    await processA?.destroy();
    await processB?.destroy();
    await db?.drop();
  });

  it('should answer null to every other taker, in the same process or another, when the experiment is locked', async () => {
    const held = await locksA.tryLock(EXPERIMENT);
    expect(held).not.toBeNull();
    // A second job slot of the same process gets another connection of the pool: the session lock is not re-entered.
    expect(await locksA.tryLock(EXPERIMENT)).toBeNull();
    expect(await locksB.tryLock(EXPERIMENT)).toBeNull();
    // Another experiment is free meanwhile.
    const other = await locksB.tryLock(OTHER_EXPERIMENT);
    expect(other).not.toBeNull();
    expect(await lockHolders(processA)).toHaveLength(2);
    await other!.release();
    await held!.release();
    await held!.release(); // a second release does nothing
    expect(await lockHolders(processA)).toEqual([]);
    // The refused tries gave their connections back; the two locks' connections are back in the pools too.
    expect(poolOf(processA).idleCount).toBe(poolOf(processA).totalCount);
    expect(poolOf(processB).idleCount).toBe(poolOf(processB).totalCount);
  });

  it('should give the lock to the next taker when the holder releases it', async () => {
    const first = await locksA.tryLock(EXPERIMENT);
    expect(await locksB.tryLock(EXPERIMENT)).toBeNull();
    await first!.release();
    const second = await locksB.tryLock(EXPERIMENT);
    expect(second).not.toBeNull();
    await second!.release();
  });

  it('should free the lock, and leave the process running and its pool usable, when the holding connection dies', async () => {
    const held = await locksA.tryLock(EXPERIMENT);
    const [pid] = await lockHolders(processB);
    const connectionsBefore = poolOf(processA).totalCount;
    // What a crashed worker process leaves behind: its connection closes, PostgreSQL drops its session locks.
    await processB.query(`SELECT pg_terminate_backend($1)`, [pid]);
    const deadline = Date.now() + 5000;
    while ((await lockHolders(processB)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await lockHolders(processB)).toEqual([]);

    const next = await locksB.tryLock(EXPERIMENT);
    expect(next).not.toBeNull();
    // The job that held it finishes: release() on the dead connection does not throw, and the pool drops it.
    await expect(held!.release()).resolves.toBeUndefined();
    expect(poolOf(processA).totalCount).toBe(connectionsBefore - 1);
    expect(await processA.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    expect(await lockHolders(processA)).toHaveLength(1); // B's lock, untouched
    await next!.release();
    expect(await lockHolders(processA)).toEqual([]);
  });
});
