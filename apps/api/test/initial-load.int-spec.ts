import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { workedExampleDocument } from './fixtures/worked-example';
import { runCli } from './support/cli-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The real CLI in its own process, as copd_app with the owner's URL beside it. */
const cli = (args: string[], db: TestDatabase, ownerUrl: string) => runCli(args, { DATABASE_URL: db.url, MIGRATION_DATABASE_URL: ownerUrl });

async function query<T>(db: TestDatabase, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The sessions as an evaluator would compare them: natural keys, derived quarter and the contract's period. */
const SESSIONS = `
  SELECT p.ref, to_char(s.date, 'YYYY-MM-DD') AS date, s.kind, s.care_quarter, to_char(c.valid_from, 'YYYY-MM-DD') AS contract_from
  FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id LEFT JOIN contracts c ON c.id = s.contract_id
  ORDER BY p.ref, s.date, s.kind`;
/** The unique key's index: a rebuilt key is a new index (another oid), a maintained one keeps its own. */
const UNIQUE_INDEX = `SELECT conindid::int AS oid FROM pg_constraint WHERE conname = 'therapy_sessions_patient_id_date_kind_key'`;
const KEYS = `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'therapy_sessions'::regclass ORDER BY conname`;

describe('import --initial-load: the session keys rebuilt once, as the schema owner (real CLI process)', () => {
  let initial: TestDatabase;
  let usual: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    [initial, usual] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    dir = mkdtempSync(path.join(tmpdir(), 'copd-initial-load-'));
    writeFileSync(path.join(dir, 'worked.json'), JSON.stringify(workedExampleDocument()));
  });
  afterAll(async () => {
    await Promise.all([initial.drop(), usual.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse --initial-load without the owner URL and write nothing', async () => {
    const result = await cli(['import', '--initial-load', path.join(dir, 'worked.json')], initial, '');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--initial-load needs MIGRATION_DATABASE_URL');
    expect(await query(initial, `SELECT id FROM patients`)).toEqual([]);
  }, 120_000);

  it('should store the same sessions, derived the same, as the usual import, audited as the operator, with the keys back', async () => {
    const keysBefore = await query(initial, KEYS);
    const [indexBefore, usualIndexBefore] = [await query(initial, UNIQUE_INDEX), await query(usual, UNIQUE_INDEX)];
    const [loaded, imported] = await Promise.all([
      cli(['import', '--initial-load', path.join(dir, 'worked.json')], initial, initial.ownerUrl),
      cli(['import', path.join(dir, 'worked.json')], usual, usual.ownerUrl),
    ]);
    expect([loaded.code, imported.code, loaded.stderr.includes('Error')]).toEqual([0, 0, false]);
    const sessions = await query<{ ref: string }>(initial, SESSIONS);
    // The worked example (DOMAIN.md 9) holds six sessions: every one stored, with the quarter and contract the
    // usual path (keys in place) derives.
    expect(sessions).toHaveLength(6);
    expect(sessions).toEqual(await query(usual, SESSIONS));
    expect(await query(initial, KEYS)).toEqual(keysBefore);
    expect(await query(initial, UNIQUE_INDEX)).not.toEqual(indexBefore);
    expect(await query(usual, UNIQUE_INDEX)).toEqual(usualIndexBefore);
    const audit = await query(initial, `SELECT actor, action FROM audit_log WHERE action LIKE '%import' ORDER BY id`);
    expect(audit).toEqual(await query(usual, `SELECT actor, action FROM audit_log WHERE action LIKE '%import' ORDER BY id`));
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((row) => (row as { actor: string }).actor === 'cli:tester')).toBe(true);
  }, 120_000);
});
