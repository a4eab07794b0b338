import { QueryFailedError } from 'typeorm';
import type { ClientBase } from 'pg';
import { SessionBulkLoadRepository, SessionLoadRow } from '../src/modules/exchange/session-bulk-load.repository';
import { createRegisters, TEST_EXPERIMENT } from './support/test-registers';
import { Http, startTestApp, TestContext } from './support/test-app';
import { aContract, anInsurer, aPractice } from './fixtures/builders';

/**
 * The bulk session load (issue 17): COPY into a staging table, then one INSERT that derives every row's care quarter
 * and contract with a join. It is the twin of the row trigger therapy_sessions_derive, which single writes keep:
 * the two must derive the same columns for the same rows.
 */
describe('bulk session load: COPY and set-based derivation, twin of the row trigger', () => {
  let ctx: TestContext;
  let practice: () => Http;
  const load = new SessionBulkLoadRepository();
  const patientIds: string[] = [];
  let clamped = '';

  /** Runs work in one transaction on the pg client under a TypeORM query runner, as the import does. */
  const inTransaction = async <T>(work: (client: ClientBase) => Promise<T>): Promise<T> => {
    const runner = ctx.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const result = await work((await runner.connect()) as ClientBase);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  };

  const stored = async () =>
    (await ctx.dataSource.query(
      `SELECT patient_id, to_char(date, 'YYYY-MM-DD') AS date, kind, care_quarter, contract_id
       FROM therapy_sessions ORDER BY patient_id, date, kind`,
    )) as { patient_id: string; date: string; kind: string; care_quarter: number | null; contract_id: string | null }[];

  /**
   * Through the row trigger: a session of `kind` on every day from 3 days before each intake to 30 months after it,
   * one INSERT ... SELECT; returns the rows as stored and empties the table again.
   */
  const everyDayByTrigger = async (kind: string) => {
    await ctx.dataSource.query(
      `INSERT INTO therapy_sessions (patient_id, date, kind)
       SELECT p.id, d::date, $1 FROM patients p,
              generate_series(p.intake_date - 3, p.intake_date + interval '30 months', interval '1 day') d`,
      [kind],
    );
    const rows = await stored();
    await ctx.dataSource.query(`DELETE FROM therapy_sessions`);
    return rows;
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] }, { ...TEST_EXPERIMENT, analysisDate: '2026-06-30' });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    // Two contracts with a gap 2025-07-01..07-14, so some sessions have no contract in force.
    await ctx.http().post('/api/v1/contracts').send(aContract({ validFrom: '2025-01-01', validTo: '2025-06-30' })).expect(201);
    await ctx.http().post('/api/v1/contracts').send(aContract({ validFrom: '2025-07-15', validTo: '2027-12-31' })).expect(201);
    // Intakes on every day 2025-01-25..03-05 (the month ends 01-28..01-31 and 02-28 among them), and three more
    // month ends: 43 patients.
    const intakes: string[] = [];
    for (let d = new Date('2025-01-25T00:00:00Z'); d <= new Date('2025-03-05T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1))
      intakes.push(d.toISOString().slice(0, 10));
    intakes.push('2025-05-31', '2025-08-31', '2025-11-30');
    for (const [i, intakeDate] of intakes.entries()) {
      const { body } = await practice()
        .post('/api/v1/patients')
        .send({
          experiment: 'COPD-2025', practice: '12345678', insurer: '3311', ref: `BULK-${i}`, birthYear: 1950, sex: 'F',
          goldStage: 3, profile: 4, referralDate: intakeDate, intakeDate,
        })
        .expect(201);
      patientIds.push(body.id);
      if (intakeDate === '2025-01-31') clamped = body.id;
    }
  });
  afterAll(() => ctx.close());

  afterEach(() => ctx.dataSource.query(`DELETE FROM therapy_sessions`));

  it('should derive the same care quarter and contract as the row trigger for every day of 43 intakes over 30 months', async () => {
    const byTrigger = await everyDayByTrigger('INDIVIDUAL');

    const rows: SessionLoadRow[] = byTrigger.map((r) => ({ patientId: r.patient_id, date: r.date, kind: r.kind }));
    const created = await inTransaction((client) => load.insert(client, rows));
    const byLoad = await stored();

    // 43 patients x about 916 days: over 39,000 rows, every one derived identically (quarter and contract).
    expect(byTrigger.length).toBeGreaterThan(39_000);
    expect(byLoad).toEqual(byTrigger);
    expect([...created.values()].reduce((a, b) => a + b, 0)).toBe(byTrigger.length);
    // Hand-checked among them (DOMAIN.md 5): intake 2025-01-31 + 3 months = 2025-04-30 (clamped), so 04-29 is in
    // Q1 and 04-30 in Q2; the day before the intake is in no quarter; 2025-07-05 falls in the contract gap.
    const day = (date: string) => byLoad.find((r) => r.patient_id === clamped && r.date === date)!;
    expect([day('2025-01-30').care_quarter, day('2025-04-29').care_quarter, day('2025-04-30').care_quarter]).toEqual([null, 1, 2]);
    expect(day('2025-07-05').contract_id).toBeNull();
    expect(day('2025-07-15').contract_id).not.toBeNull();
    expect(byLoad.filter((r) => r.care_quarter === null).length).toBe(43 * 3);
  });

  it('should write a repeated row once, leave stored rows alone and count what it created per patient', async () => {
    const [a, b] = patientIds;
    await ctx.dataSource.query(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, '2025-03-10', 'HOME')`, [a]);
    const rows: SessionLoadRow[] = [
      { patientId: a, date: '2025-03-10', kind: 'HOME' }, // already stored
      { patientId: a, date: '2025-03-11', kind: 'HOME' },
      { patientId: a, date: '2025-03-11', kind: 'HOME' }, // repeated in the load
      { patientId: a, date: '2025-03-11', kind: 'GROUP' },
      { patientId: b, date: '2025-03-12', kind: 'REMOTE' },
    ];
    const progress: number[] = [];
    const created = await inTransaction((client) => load.insert(client, rows, (n) => progress.push(n)));
    // a: 03-11 HOME and 03-11 GROUP (2); b: 03-12 REMOTE (1). Stored: 1 + 2 + 1 = 4.
    expect(Object.fromEntries(created)).toEqual({ [a]: 2, [b]: 1 });
    expect(await ctx.count('therapy_sessions')).toBe(4);
    expect(progress).toEqual([5]); // 4 rows copied + the repeat dropped before COPY
  });

  it('should refuse a load naming an unknown patient as a foreign-key violation and write nothing', async () => {
    const rows: SessionLoadRow[] = [
      { patientId: patientIds[0], date: '2025-03-10', kind: 'HOME' },
      { patientId: '00000000-0000-4000-8000-000000000000', date: '2025-03-10', kind: 'HOME' },
    ];
    const failure = await inTransaction((client) => load.insert(client, rows)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('23503');
    expect(await ctx.count('therapy_sessions')).toBe(0);
  });

  it('should leave single writes after a load in the same transaction to the row trigger', async () => {
    const id = patientIds[0];
    await inTransaction(async (client) => {
      await load.insert(client, [{ patientId: id, date: '2025-03-10', kind: 'HOME' }]);
      await client.query(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, '2025-05-01', 'HOME')`, [id]);
    });
    // Patient 0's intake is 2025-01-25: 2025-05-01 is in Q2 [04-25, 07-25); the trigger derived it (not left NULL).
    const rows = await stored();
    expect(rows.map((r) => [r.date, r.care_quarter, r.contract_id !== null])).toEqual([
      ['2025-03-10', 1, true],
      ['2025-05-01', 2, true],
    ]);
  });

  it('should give loaded sessions version 7 ids, in the order they were written', async () => {
    const id = patientIds[1];
    const before = Date.now();
    await inTransaction((client) => load.insert(client, [{ patientId: id, date: '2025-03-10', kind: 'HOME' }]));
    const after = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await inTransaction((client) => load.insert(client, [{ patientId: id, date: '2025-03-09', kind: 'HOME' }]));
    const ids = (await ctx.dataSource.query(`SELECT id::text FROM therapy_sessions ORDER BY created_at`)).map((r: { id: string }) => r.id);
    // RFC 9562: the 13th hex digit is the version (7), the 17th the variant (8, 9, a or b).
    expect(ids.map((u: string) => [u[14], '89ab'.includes(u[19])])).toEqual([['7', true], ['7', true]]);
    expect(ids[0] < ids[1]).toBe(true); // 48-bit millisecond prefix: written 5 ms apart, so they sort in that order
    // The load makes its ids itself (not the column default): their prefix is the Unix millisecond of the load.
    const millis = parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });

  it('should give every row of a load its own id', async () => {
    const id = patientIds[2];
    const rows: SessionLoadRow[] = Array.from({ length: 500 }, (_, i) => ({ patientId: id, date: `2025-0${3 + Math.floor(i / 100)}-${String(1 + (i % 25)).padStart(2, '0')}`, kind: ['HOME', 'GROUP', 'REMOTE', 'INDIVIDUAL'][Math.floor(i / 25) % 4] }));
    await inTransaction((client) => load.insert(client, rows));
    // 500 distinct (date, kind) keys: 5 months x 25 days x 4 kinds; 500 rows and 500 distinct ids.
    const [{ n, ids }] = await ctx.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM therapy_sessions`);
    expect([n, ids]).toEqual([500, 500]);
  });

  describe('an initial load that rebuilds the keys (the table owner only)', () => {
    const codeOf = (error: unknown) => (error as { driverError?: { code?: string } }).driverError?.code;
    const keys = async () =>
      (await ctx.dataSource.query(
        `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'therapy_sessions'::regclass ORDER BY conname`,
      )) as { conname: string; def: string }[];

    const triggers = async () =>
      (await ctx.dataSource.query(
        `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'therapy_sessions'::regclass AND NOT tgisinternal ORDER BY tgname`,
      )) as { def: string }[];

    /**
     * An initial load (loadInitial) as copd_owner in one transaction, rolled back on failure; `statements` collects
     * the SQL it sent, to tell its two paths apart.
     */
    const loadAsOwner = (rows: SessionLoadRow[], statements: string[] = []) =>
      ctx.db.asOwner(async (client) => {
        await client.query('BEGIN');
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        const spy = jest.spyOn(client, 'query').mockImplementation(((...args: unknown[]) => {
          const text = args[0] as string | { text?: string };
          statements.push(typeof text === 'string' ? text : (text.text ?? ''));
          return query(...args);
        }) as typeof client.query);
        try {
          const created = await load.loadInitial(client, rows);
          spy.mockRestore();
          await client.query('COMMIT');
          return created;
        } catch (error) {
          spy.mockRestore();
          await client.query('ROLLBACK');
          throw error;
        }
      });
    const copiedStraight = (statements: string[]) => statements.some((q) => q.startsWith('COPY therapy_sessions '));

    it('should COPY into an empty table with the columns derived as the row trigger does, for every day of 43 intakes over 30 months', async () => {
      const [keysBefore, triggersBefore] = [await keys(), await triggers()];
      const byTrigger = await everyDayByTrigger('GROUP');

      // Each patient's days latest first: a row's quarter is looked up again whenever it differs from the last row's.
      const rows = byTrigger.map((r) => ({ patientId: r.patient_id, date: r.date, kind: r.kind }));
      rows.sort((x, y) => (x.patientId === y.patientId ? y.date.localeCompare(x.date) : x.patientId.localeCompare(y.patientId)));
      const statements: string[] = [];
      const created = await loadAsOwner(rows, statements);
      const byLoad = await stored();
      expect(copiedStraight(statements)).toBe(true);
      // 43 patients x about 916 days, as the first test: each row's quarter (careQuarters) and contract
      // (contractInForce, across the gap 2025-07-01..07-14) equal to the trigger's.
      expect(byTrigger.length).toBeGreaterThan(39_000);
      expect(byLoad).toEqual(byTrigger);
      expect([...created.values()].reduce((a, b) => a + b, 0)).toBe(byTrigger.length);
      // Intake 2025-01-31: 04-29 in Q1, 04-30 in Q2 (clamped), 01-30 before the intake; 07-05 in the gap.
      const day = (date: string) => byLoad.find((r) => r.patient_id === clamped && r.date === date)!;
      expect([day('2025-01-30').care_quarter, day('2025-04-29').care_quarter, day('2025-04-30').care_quarter]).toEqual([null, 1, 2]);
      expect([day('2025-07-05').contract_id, typeof day('2025-07-15').contract_id]).toEqual([null, 'string']);
      // Keys and the row triggers back as they were; a single write after the load is derived by the trigger again.
      expect([await keys(), await triggers()]).toEqual([keysBefore, triggersBefore]);
      expect(triggersBefore.map((t) => t.def)).toEqual(expect.arrayContaining([expect.stringMatching(/^CREATE TRIGGER therapy_sessions_derive BEFORE INSERT/)]));
      await ctx.dataSource.query(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, '2025-04-30', 'HOME')`, [clamped]);
      const [single] = await ctx.dataSource.query(`SELECT care_quarter FROM therapy_sessions WHERE patient_id = $1 AND kind = 'HOME'`, [clamped]);
      expect(single.care_quarter).toBe(2);
    });

    it('should refuse a straight COPY whose rows repeat a key or name an unknown patient, and leave the table, keys and triggers as they were', async () => {
      const [keysBefore, triggersBefore] = [await keys(), await triggers()];
      const [a] = patientIds;
      const twice = [{ patientId: a, date: '2025-03-10', kind: 'HOME' }, { patientId: a, date: '2025-03-10', kind: 'HOME' }];
      const statements: string[] = [];
      expect(codeOf(await loadAsOwner(twice, statements).catch((error: unknown) => error))).toBe('23505');
      expect(copiedStraight(statements)).toBe(true);
      const unknown = [{ patientId: a, date: '2025-03-11', kind: 'HOME' }, { patientId: '00000000-0000-4000-8000-000000000000', date: '2025-03-11', kind: 'HOME' }];
      expect(codeOf(await loadAsOwner(unknown).catch((error: unknown) => error))).toBe('23503');
      expect(await ctx.count('therapy_sessions')).toBe(0);
      expect([await keys(), await triggers()]).toEqual([keysBefore, triggersBefore]);
    });

    it('should store the same rows, derived the same, as a load with the keys in place, and put the keys back as they were', async () => {
      const before = await keys();
      // Every day of the first 400 days after each of the 43 intakes, a third of them a GROUP session too.
      const rows: SessionLoadRow[] = [];
      const intakes = (await ctx.dataSource.query(`SELECT id, to_char(intake_date, 'YYYY-MM-DD') AS intake FROM patients ORDER BY id`)) as { id: string; intake: string }[];
      for (const { id, intake } of intakes) {
        for (let d = 0; d < 400; d++) {
          const date = new Date(Date.parse(`${intake}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
          rows.push({ patientId: id, date, kind: 'INDIVIDUAL' });
          if (d % 3 === 0) rows.push({ patientId: id, date, kind: 'GROUP' });
        }
      }
      // One row already stored before the load: left alone, not counted as created.
      await ctx.dataSource.query(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, $2, 'INDIVIDUAL')`, [intakes[0].id, intakes[0].intake]);
      // The table holds a session: the staging path, which leaves it alone.
      const statements: string[] = [];
      const created = await loadAsOwner(rows, statements);
      expect(copiedStraight(statements)).toBe(false);
      const rebuilt = await stored();
      await ctx.dataSource.query(`DELETE FROM therapy_sessions`);
      await ctx.dataSource.query(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, $2, 'INDIVIDUAL')`, [intakes[0].id, intakes[0].intake]);
      await inTransaction((client) => load.insert(client, rows));
      // 43 patients x (400 + 134 GROUP days: 0, 3, ..., 399) = 43 x 534 = 22,962 rows; 22,961 created (one stored).
      expect(rebuilt).toHaveLength(22_962);
      expect([...created.values()].reduce((a, b) => a + b, 0)).toBe(22_961);
      expect(created.get(intakes[0].id)).toBe(533);
      expect(rebuilt).toEqual(await stored());
      // The unique key and the foreign key are back under their names with their definitions.
      expect(await keys()).toEqual(before);
      expect(before.map((k) => k.conname)).toEqual(expect.arrayContaining(['therapy_sessions_patient_id_date_kind_key', 'therapy_sessions_patient_id_fkey']));
    });

    it('should refuse a load whose rows repeat a key or name an unknown patient, and leave the table and its keys as they were', async () => {
      const before = await keys();
      const [a] = patientIds;
      await ctx.dataSource.query(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, '2025-03-01', 'HOME')`, [a]);
      // Staged twice (stage's callers stage each key once; the rebuilt unique key catches it).
      const twice = [{ patientId: a, date: '2025-03-10', kind: 'HOME' }, { patientId: a, date: '2025-03-10', kind: 'HOME' }];
      expect(codeOf(await loadAsOwner(twice).catch((error: unknown) => error))).toBe('23505');
      const unknown = [{ patientId: a, date: '2025-03-11', kind: 'HOME' }, { patientId: '00000000-0000-4000-8000-000000000000', date: '2025-03-11', kind: 'HOME' }];
      expect(codeOf(await loadAsOwner(unknown).catch((error: unknown) => error))).toBe('23503');
      expect((await stored()).map((r) => r.date)).toEqual(['2025-03-01']);
      expect(await keys()).toEqual(before);
    });

    it('should refuse the application role, which does not own the table, before it writes anything', async () => {
      const rows = [{ patientId: patientIds[0], date: '2025-03-10', kind: 'HOME' }];
      const failure = await inTransaction(async (client) => {
        await load.createStaging(client);
        return load.insertStaged(client, await load.stage(client, rows), { rebuildKeys: true });
      }).catch((error: Error) => error);
      expect((failure as Error).message).toMatch(/needs the owner of therapy_sessions/);
      expect(await ctx.count('therapy_sessions')).toBe(0);
    });
  });
});
