import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { until } from './support/until';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The pool of the API and the worker keeps the connections it has opened (dataSourceOptions: min = max), on real
 * PostgreSQL: a burst of readers after a quiet minute finds them open, instead of each paying for a new backend and
 * its authentication (144-726 ms each in the bench of 12-04). The idle timeout is shortened to 100 ms here so that
 * the test need not sit out pg's 10 s; the control pool, without min, shows that the timeout does close connections.
 */
describe('connection pool: opened connections stay open while idle', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  /** A pool of 3 with the project's options, under its own application_name, idle timeout 100 ms. */
  async function pool(name: string, keep: boolean): Promise<DataSource> {
    const options = dataSourceOptions(db.url, 3, name);
    const extra = { ...(options.extra as Record<string, unknown>), idleTimeoutMillis: 100, ...(keep ? {} : { min: 0 }) };
    const source = await new DataSource({ ...options, extra } as typeof options).initialize();
    sources.push(source);
    return source;
  }

  /** The backends of one application_name, by process id. */
  async function backends(source: DataSource, name: string): Promise<number[]> {
    const rows: { pid: number }[] = await source.query(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid`,
      [name],
    );
    return rows.map((r) => r.pid);
  }

  /** Three statements at once take three connections (each holds its own for 50 ms). */
  const burst = (source: DataSource) => Promise.all([1, 2, 3].map(() => source.query('SELECT pg_sleep(0.05)')));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await db?.drop();
  });

  it('should have min equal to max in the options the API, the worker and the CLI use', () => {
    const extra = dataSourceOptions('postgres://x@localhost/db', 7, 'copd-api').extra as Record<string, unknown>;
    expect([extra.max, extra.min, extra.application_name]).toEqual([7, 7, 'copd-api']);
  });

  it('should keep the three connections of a burst, the same backends, past six idle timeouts', async () => {
    const kept = await pool('copd-pool-kept', true);
    const observer = await pool('copd-pool-observer', true);
    await burst(kept);
    const opened = await backends(observer, 'copd-pool-kept');
    expect(opened).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 600));
    expect(await backends(observer, 'copd-pool-kept')).toEqual(opened);
    // The next burst runs on them: no new backend.
    await burst(kept);
    expect(await backends(observer, 'copd-pool-kept')).toEqual(opened);
  });

  it('should, without min (the control), close the idle connections after the timeout', async () => {
    const closing = await pool('copd-pool-closing', false);
    const observer = await pool('copd-pool-observer-2', true);
    await burst(closing);
    expect(await backends(observer, 'copd-pool-closing')).toHaveLength(3);
    await until(async () => (await backends(observer, 'copd-pool-closing')).length === 0, 5_000, 'the idle connections to close');
    expect(await backends(observer, 'copd-pool-closing')).toEqual([]);
  });
});
