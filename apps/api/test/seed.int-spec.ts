import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { generateExperiment } from '../src/modules/demo-data/demo-generator';
import { runCli } from './support/cli-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The real CLI in its own process against the spec's database. */
const cli = (args: string[], databaseUrl: string) => runCli(args, { DATABASE_URL: databaseUrl });

async function counts(url: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, number> = {};
    for (const table of ['experiments', 'practices', 'contracts', 'patients', 'therapy_sessions', 'measurements', 'events']) {
      result[table] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    }
    result.cliAudit = (await client.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'cli:tester'`)).rows[0].n;
    return result;
  } finally {
    await client.end();
  }
}

describe('seed, import and export commands (real CLI process)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'copd-cli-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should store exactly the generated experiment when seed runs on an empty database', async () => {
    const result = await cli(['seed', '--practices', '3', '--patients', '60', '--seed', '5'], db.url);
    expect(result).toMatchObject({ code: 0 });
    const expected = generateExperiment({ practices: 3, patients: 60, seed: 5 });
    const stored = await counts(db.url);
    expect(stored).toMatchObject({
      experiments: 1,
      practices: 3,
      contracts: expected.contracts.length,
      patients: 60,
      therapy_sessions: expected.sessions.length,
      measurements: expected.measurements.length,
      events: expected.events.length,
    });
    expect(stored.cliAudit).toBeGreaterThan(1);
    expect(result.stdout).toMatch(/sessions\s+\d+\s+0\s+0/);
  }, 120_000);

  it('should skip and change nothing when seed --if-empty finds an experiment', async () => {
    const before = await counts(db.url);
    const result = await cli(['seed', '--if-empty', '--practices', '5', '--patients', '100', '--seed', '6'], db.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Seed skipped');
    expect(await counts(db.url)).toEqual(before);
  }, 120_000);

  it('should write the stored experiment to a file when export runs', async () => {
    const file = path.join(dir, 'export.json');
    const result = await cli(['export', file], db.url);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(generateExperiment({ practices: 3, patients: 60, seed: 5 }));
  }, 120_000);

  it('should exit non-zero naming the bad path and store nothing when import gets an invalid document', async () => {
    const doc = generateExperiment({ practices: 2, patients: 10, seed: 9, experimentCode: 'COPD-BAD' });
    doc.sessions[0].date = '2099-01-01';
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(doc));
    const before = await counts(db.url);

    const result = await cli(['import', file], db.url);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('$.sessions[0].date');
    expect(result.stderr).toContain('afgewezen');
    expect(await counts(db.url)).toEqual(before);
  }, 120_000);
});
