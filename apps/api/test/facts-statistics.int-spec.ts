import { workedExampleDocument } from './fixtures/worked-example';
import { startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';

/**
 * The facts tables' planner statistics: each parent's (of the whole inheritance tree, what join and grouping
 * estimates read) and its partition's (what a scan's row estimate reads), with the row count and the columns.
 */
async function statistics(ctx: TestContext) {
  return ctx.dataSource.query(
    `SELECT COALESCE(i.inhparent, c.oid)::regclass::text AS parent, (i.inhrelid IS NULL) AS whole, c.reltuples::int AS tuples,
            (SELECT array_agg(s.attname::text ORDER BY s.attname) FROM pg_stats s
             WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.inherited = (i.inhrelid IS NULL)) AS columns
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
     WHERE c.oid IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
        OR i.inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
     ORDER BY 1, 2`,
  );
}

describe('planner statistics of the facts tables after a full recompute swaps new partitions in (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx.close());

  it('should find statistics of the filtered, joined and grouped columns on the new partitions and their parents when a full recompute has committed', async () => {
    await ctx.http().post('/api/v1/experiment-data').send(workedExampleDocument()).expect(200);
    expect(await recomputeNow(ctx)).toMatchObject({ status: 'DONE', full: true, patients: 1 });

    // DOMAIN.md section 9: one patient, P, with three care quarters (Q1 from 2025-02-10, Q2, Q3): the planner knows
    // 1 and 3 rows of the partitions (reltuples) rather than "never analysed" (-1), and has the columns' statistics
    // of the partitions and of the parents (whose row count is that of all their partitions: this one's only).
    const quarterColumns = ['experiment_id', 'is_care_quarter', 'patient_id', 'quarter_index', 'start_date'];
    const patientColumns = ['arm', 'experiment_id', 'gold_stage', 'insurer_id', 'intake_date', 'patient_id', 'practice_id', 'profile', 'region'];
    expect(await statistics(ctx)).toEqual([
      { parent: 'care_quarter_facts', whole: false, tuples: 3, columns: quarterColumns },
      { parent: 'care_quarter_facts', whole: true, tuples: 3, columns: quarterColumns },
      { parent: 'patient_facts', whole: false, tuples: 1, columns: patientColumns },
      { parent: 'patient_facts', whole: true, tuples: 1, columns: patientColumns },
    ]);
  });
});
