import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { preparedQuery } from '../src/core/database/prepared-query';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The named prepared statements of the hot reads (preparedQuery), on real PostgreSQL with a pool of ONE connection,
 * so every call below meets the statements the earlier ones left on it.
 */
describe('preparedQuery: hot reads as named prepared statements', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  const statements = async (): Promise<{ name: string; runs: number }[]> =>
    dataSource.query(
      `SELECT name, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE name LIKE 'probe-%' ORDER BY name`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(db.url, 1)).initialize();
    await dataSource.query(`CREATE TEMPORARY TABLE probe (k int PRIMARY KEY, day date NOT NULL)`);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('should prepare a text once on its connection and run it again by name, with the project type parsers', async () => {
    const sql = `SELECT $1::date AS day, $2::bigint + 1 AS next`;
    const first = await preparedQuery<{ day: string; next: number }>(dataSource.manager, 'probe-a', sql, ['2026-03-31', 41]);
    const second = await preparedQuery<{ day: string; next: number }>(dataSource.manager, 'probe-a', sql, ['2025-01-01', 9]);
    // Calendar dates stay 'YYYY-MM-DD' and bigint becomes a number (pg-types.ts), as through TypeORM.
    expect(first).toEqual([{ day: '2026-03-31', next: 42 }]);
    expect(second).toEqual([{ day: '2025-01-01', next: 10 }]);
    // One statement, executed twice: named by the label and 16 hex digits of the text's hash.
    const [statement] = await statements();
    expect(statement.name).toMatch(/^probe-a-[0-9a-f]{16}$/);
    expect(statement.runs).toBe(2);
  });

  it('should give another text under the same label a statement of its own, as a filter added to a list query does', async () => {
    await preparedQuery(dataSource.manager, 'probe-b', `SELECT 1 AS one`, []);
    await preparedQuery(dataSource.manager, 'probe-b', `SELECT 1 AS one WHERE $1::int > 0`, [5]);
    const names = (await statements()).map((s) => s.name).filter((n) => n.startsWith('probe-b-'));
    expect(names).toHaveLength(2);
    expect(names[0]).not.toBe(names[1]);
  });

  it("should run on the transaction's own connection inside a transaction: it sees the transaction's writes", async () => {
    const read = (manager = dataSource.manager) =>
      preparedQuery<{ k: number; day: string }>(manager, 'probe-read', `SELECT k, day FROM probe WHERE k = $1`, [7]);
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO probe (k, day) VALUES (7, '2026-02-28')`);
        expect(await read(manager)).toEqual([{ k: 7, day: '2026-02-28' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await read()).toEqual([]);
  });

  it("should fail as TypeORM's QueryFailedError with the driver's code, and leave the connection usable", async () => {
    await dataSource.query(`INSERT INTO probe (k, day) VALUES (1, '2026-01-01')`);
    const insert = () => preparedQuery(dataSource.manager, 'probe-insert', `INSERT INTO probe (k, day) VALUES ($1, $2)`, [1, '2026-01-02']);
    // A unique violation is what the problem+json filter turns into a 409 (QueryFailedError, SQLSTATE 23505).
    const error = await insert().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('23505');
    expect((error as QueryFailedError).parameters).toEqual([1, '2026-01-02']);
    // The pool's one connection went back to the pool: the next call gets it and works.
    expect(await preparedQuery(dataSource.manager, 'probe-count', `SELECT count(*)::int AS n FROM probe`, [])).toEqual([{ n: 1 }]);
  });
});
