import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';

/** The experiment's partitions of the facts tables, with the planner's row count and the columns with statistics. */
async function partitionStatistics(ctx: TestContext) {
  return ctx.dataSource.query(
    `SELECT i.inhparent::regclass::text AS parent, c.reltuples::int AS tuples,
            (SELECT array_agg(s.attname::text ORDER BY s.attname) FROM pg_stats s
             WHERE s.schemaname = n.nspname AND s.tablename = c.relname) AS columns
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
     ORDER BY 1`,
  );
}

describe('planner statistics of the facts partitions a full recompute swaps in (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('should find statistics of the filtered, joined and grouped columns on the new partitions when a full recompute has committed', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: true, patients: 1 });

    // DOMAIN.md section 9: one patient, P, with three care quarters (Q1 from 2025-02-10, Q2, Q3): the planner knows
    // 1 and 3 rows (reltuples) rather than "never analysed" (-1), and has the columns' statistics at once.
    expect(await partitionStatistics(ctx)).toEqual([
      {
        parent: 'care_quarter_facts',
        tuples: 3,
        columns: ['experiment_id', 'is_care_quarter', 'patient_id', 'quarter_index', 'start_date'],
      },
      {
        parent: 'patient_facts',
        tuples: 1,
        columns: ['arm', 'experiment_id', 'gold_stage', 'insurer_id', 'intake_date', 'patient_id', 'practice_id', 'profile', 'region'],
      },
    ]);
  });
});
