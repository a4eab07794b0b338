import { describeFailures, FUZZED_ROUTES, FuzzSuite, routeName, seedOf, startFuzzSuite } from './fuzz/fuzz-suite';

/**
 * Property-based fuzzing of every route (issue 10): FUZZ_RUNS (default 200) requests per route, generated
 * from the route table and the OpenAPI document the application serves, with real codes and ids of a small
 * seeded experiment mixed with hostile values (see fuzz/hostile-values.ts), as every role the route allows,
 * sometimes as one it refuses and as nobody. For every answer:
 *  - the status is below 500;
 *  - an answer of 400 or more is application/problem+json;
 *  - after an answer of 400 or more no data table changed (count and md5 of every row; audit_log,
 *    sign_in_attempts and user_sessions excepted, see fuzz/row-fingerprint.ts), and audit_log gained no
 *    SUCCESS row.
 * Each route uses a fixed seed (FUZZ_SEED overrides it); `tools/fuzz/fuzz.ts` runs the same generators for
 * 10,000 and more requests.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

describe(`fuzzing ${FUZZED_ROUTES.length} routes, ${RUNS} generated requests each`, () => {
  let suite: FuzzSuite;

  beforeAll(async () => {
    suite = await startFuzzSuite();
  });
  afterAll(() => suite?.close());

  it.each(FUZZED_ROUTES.map(routeName))(
    'should answer below 500, as problem+json when refusing, and change no row when refusing, when fuzzing %s',
    async (name) => {
      const target = suite.targets.get(name);
      if (!target) throw new Error(`no fuzz target for ${name}`);
      const report = await suite.harness.run(target, { numRuns: RUNS, seed: seedOf(name, process.env.FUZZ_SEED) });
      expect(report.requests).toBe(RUNS);
      if (report.failures.length > 0) throw new Error(describeFailures(report));
    },
    120_000,
  );
});
