import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { ImportReport } from '../src/modules/interchange/import-report';
import { WORKED_EXAMPLE } from './fixtures/builders';
import { workedExampleDocument } from './fixtures/worked-example';
import { runCli } from './support/cli-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

const AGB = WORKED_EXAMPLE.practice; // 12345678, contract with insurer 3311 in 2025

/** The real CLI in its own process against the spec's database. */
const cli = (args: string[], databaseUrl: string) => runCli(args, { DATABASE_URL: databaseUrl });

describe('import-csv: dry run, then the all-or-nothing write with the mapping (real CLI process)', () => {
  let db: TestDatabase;
  let dir: string;
  let client: Client;
  const count = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0].n as number;
  const tables = async () => {
    const result: Record<string, number> = {};
    for (const t of ['patients', 'therapy_sessions', 'measurements', 'events', 'indicator_outbox']) result[t] = await count(`SELECT count(*)::int AS n FROM ${t}`);
    return result;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'copd-interchange-'));
    client = new Client({ connectionString: db.url });
    await client.connect();
    writeFileSync(path.join(dir, 'worked.json'), JSON.stringify(workedExampleDocument()));
    const setup = await cli(['import', path.join(dir, 'worked.json')], db.url);
    expect(setup.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await client.end();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should report per patient what is missing and write nothing when it runs with --dry-run', async () => {
    // No insurer column and no GOLD stage for A: the mapping supplies the insurer for all, GOLD stage for A only;
    // B lacks its GOLD stage (missing for enrolment), C is 16 at intake (2025 - 2009).
    writeFileSync(
      path.join(dir, 'patients.csv'),
      [
        'praktijk_agb;patientnummer;geboortejaar;geslacht;gold_stadium;kngf_profiel;verwijsdatum;intakedatum',
        `${AGB};A;1950;F;;4;03-03-2025;10-03-2025`,
        `${AGB};B;1951;M;;3;03-03-2025;10-03-2025`,
        `${AGB};C;2009;X;2;3;03-03-2025;10-03-2025`,
        `${AGB};P;1950;F;3;4;27-01-2025;10-02-2025`,
      ].join('\r\n'),
    );
    writeFileSync(path.join(dir, 'mapping.json'), JSON.stringify({ insurer: '3311', patients: { A: { goldStage: 2 } } }));
    const before = await tables();
    const result = await cli(
      ['import-csv', '--kind', 'patients', '--experiment', 'WORKED', '--mapping', path.join(dir, 'mapping.json'), '--dry-run', '--json', path.join(dir, 'patients.csv')],
      db.url,
    );
    expect(result.stderr).toContain('rows read: 4 of 4');
    expect(result.stderr).toContain('rows checked: 4 of 4');
    const report = JSON.parse(result.stdout) as ImportReport;
    expect(report.patients.map((p) => [p.key, p.status, p.missingForEnrolment])).toEqual([
      ['A', 'CREATE', []],
      ['B', 'REFUSED', ['goldStage']],
      ['C', 'REFUSED', []],
      ['P', 'UNCHANGED', []],
    ]);
    expect(report.patients[2].problems.map((p) => p.code)).toEqual(['ELIGIBILITY.AGE_UNDER_18']);
    expect(await tables()).toEqual(before);
  }, 120_000);

  it('should write the accepted patients only, audit them in one row and queue the recompute when it runs without --dry-run', async () => {
    const before = await tables();
    const result = await cli(
      ['import-csv', '--kind', 'patients', '--experiment', 'WORKED', '--mapping', path.join(dir, 'mapping.json'), path.join(dir, 'patients.csv')],
      db.url,
    );
    expect(result.code).toBe(0);
    // The table: patients create 1 (A), unchanged 1 (P), refused 2 (B, C).
    expect(result.stdout).toMatch(/patients\s+1\s+0\s+1\s+2/);
    expect(result.stdout).toContain('written: 1 patients, 0 records');
    expect(await tables()).toMatchObject({ ...before, patients: before.patients + 1, indicator_outbox: before.indicator_outbox + 1 });
    const { rows } = await client.query(`SELECT ref, gold_stage, arm FROM patients WHERE ref = 'A'`);
    expect(rows).toEqual([{ ref: 'A', gold_stage: 2, arm: 'BUNDLE' }]);
    const audit = await client.query(`SELECT actor, patient_pseudonyms, reason FROM audit_log WHERE action = 'import.csv'`);
    const pseudonym = (await client.query(`SELECT pseudonym FROM patients WHERE ref = 'A'`)).rows[0].pseudonym;
    expect(audit.rows).toEqual([{ actor: 'cli:tester', patient_pseudonyms: [pseudonym], reason: null }]);
  }, 120_000);

  it('should refuse a correction without a reason and write it with one', async () => {
    // P's GOLD stage 3 -> 4 is a correction of a stored enrolment.
    writeFileSync(path.join(dir, 'p.csv'), `practice_agb,patient_ref,insurer_uzovi,birth_year,sex,gold_stage,kngf_profile,referral_date,intake_date\r\n${AGB},P,3311,1950,F,4,4,2025-01-27,2025-02-10\r\n`);
    const before = await tables();
    const refused = await cli(['import-csv', '--kind', 'patients', '--experiment', 'WORKED', path.join(dir, 'p.csv')], db.url);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('een correctie of verwijdering heeft een reden nodig');
    expect(await count(`SELECT gold_stage::int AS n FROM patients WHERE ref = 'P'`)).toBe(3);
    expect(await tables()).toEqual(before);

    const written = await cli(['import-csv', '--kind', 'patients', '--experiment', 'WORKED', '--reason', 'Spirometrie herhaald', '--json', path.join(dir, 'p.csv')], db.url);
    expect(written.code).toBe(0);
    const report = JSON.parse(written.stdout) as ImportReport;
    expect(report.patients[0]).toMatchObject({ status: 'UPDATE', changes: [{ field: 'goldStage', from: 3, to: 4 }] });
    expect(await count(`SELECT gold_stage::int AS n FROM patients WHERE ref = 'P'`)).toBe(4);
    const audit = await client.query(`SELECT reason FROM audit_log WHERE action = 'import.csv' ORDER BY id`);
    expect(audit.rows.map((r) => r.reason)).toEqual([null, 'Spirometrie herhaald']);
  }, 120_000);
});
