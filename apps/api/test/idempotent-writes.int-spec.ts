import { createRegisters } from './support/test-registers';
import { Http, startTestApp, TestContext } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

const TIMES = 20;

/**
 * Issue 10 L5: twenty identical writes at the same moment answer as twenty in a row do: one 201 (the one that
 * stored the row) and nineteen 200 (already stored, nothing changed), never 409; one row, one outbox row, and
 * one audit row per request (a create or a change once, "unchanged" for every other request: each request is an
 * access to the patient's record, as a sequential repeat is).
 */
describe('identical writes at the same moment (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let patientId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send(aContract({ arm: 'FFS' }))
      .expect(201);
    const patient = await practice()
      .post('/api/v1/patients')
      .send(aPatient({ ref: 'R-1', profile: 2 }))
      .expect(201);
    patientId = patient.body.id;
  });
  afterAll(() => ctx.close());

  const path = (kind: string) => `/api/v1/patients/${patientId}/${kind}`;

  async function atOnce(url: string, body: object) {
    return Promise.all(Array.from({ length: TIMES }, () => practice().post(url).send(body)));
  }

  async function oneAfterAnother(url: string, body: object) {
    const responses = [];
    for (let i = 0; i < TIMES; i++) responses.push(await practice().post(url).send(body));
    return responses;
  }

  const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();
  const ONE_CREATED = [201, ...Array<number>(TIMES - 1).fill(200)]; // sorted: 200 x 19 after one 201
  ONE_CREATED.sort();

  async function outboxRows(reason: string): Promise<number> {
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM indicator_outbox WHERE patient_id = $1 AND reason = $2`,
      [patientId, reason],
    );
    return n;
  }

  async function auditActions(prefix: string, since: number): Promise<Record<string, number>> {
    const rows: { action: string; n: number }[] = await ctx.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE id > $1 AND action LIKE $2 GROUP BY action ORDER BY action`,
      [since, `${prefix}.%`],
    );
    return Object.fromEntries(rows.map((r) => [r.action, r.n]));
  }

  async function lastAuditId(): Promise<number> {
    const [{ id }] = await ctx.dataSource.query(`SELECT coalesce(max(id), 0)::bigint AS id FROM audit_log`);
    return Number(id);
  }

  it.each([
    ['events', 'event', { date: '2025-03-03', kind: 'EXACERBATION_MODERATE' }, 'events', `date = '2025-03-03'`],
    ['measurements', 'measurement', { date: '2025-02-10', instrument: 'SIX_MWT', value: 350 }, 'measurements', `date = '2025-02-10'`],
    ['sessions', 'session', { date: '2025-02-12', kind: 'INDIVIDUAL' }, 'therapy_sessions', `date = '2025-02-12'`],
  ])(
    'should answer 20 concurrent identical %s writes as 20 sequential ones when the key is new: one 201, nineteen 200, one row',
    async (route, kind, body, table, where) => {
      const since = await lastAuditId();
      const outboxBefore = await outboxRows(kind);
      const responses = await atOnce(path(route), body);

      expect(statuses(responses)).toEqual(ONE_CREATED);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE patient_id = $1 AND ${where}`, [patientId]);
      expect(n).toBe(1);
      expect(await outboxRows(kind)).toBe(outboxBefore + 1); // one change, one recompute request
      expect(await auditActions(kind, since)).toEqual({ [`${kind}.create`]: 1, [`${kind}.unchanged`]: TIMES - 1 });

      // The same writes again, now at once and one after another: all 200, nothing written.
      const again = await atOnce(path(route), body);
      expect(statuses(again)).toEqual(Array<number>(TIMES).fill(200));
      expect((await oneAfterAnother(path(route), body)).map((r) => r.status)).toEqual(Array<number>(TIMES).fill(200));
      expect(await outboxRows(kind)).toBe(outboxBefore + 1);
    },
  );

  it('should give the same statuses at once as one after another when the key is new', async () => {
    const sequential = await oneAfterAnother(path('events'), { date: '2025-03-10', kind: 'EXACERBATION_SEVERE' });
    const concurrent = await atOnce(path('events'), { date: '2025-03-11', kind: 'EXACERBATION_SEVERE' });
    expect(statuses(concurrent)).toEqual(statuses(sequential));
    expect(statuses(sequential)).toEqual(ONE_CREATED);
  });

  it('should record one correction with the old and new value when 20 identical corrections of a measurement arrive at once', async () => {
    const first = await practice().post(path('measurements')).send({ date: '2025-02-11', instrument: 'CAT', value: 20 }).expect(201);
    const since = await lastAuditId();
    const outboxBefore = await outboxRows('measurement');
    // A correction needs a reason (issue 14); the 19 repeats that find 18 stored change nothing.
    const responses = await atOnce(path('measurements'), { date: '2025-02-11', instrument: 'CAT', value: 18, reason: 'Verkeerd overgenomen' });

    expect(statuses(responses)).toEqual(Array<number>(TIMES).fill(200));
    expect(responses.every((r) => r.body.id === first.body.id && r.body.value === 18)).toBe(true);
    expect(await outboxRows('measurement')).toBe(outboxBefore + 1);
    expect(await auditActions('measurement', since)).toEqual({ 'measurement.correct': 1, 'measurement.unchanged': TIMES - 1 });
    const [correction] = await ctx.dataSource.query(
      `SELECT detail FROM audit_log WHERE id > $1 AND action = 'measurement.correct'`,
      [since],
    );
    expect(correction.detail).toMatchObject({ oldValue: 20, newValue: 18 });
  });

  it('should store each session once when 20 identical batches arrive at once', async () => {
    const batch = [
      { date: '2025-02-17', kind: 'INDIVIDUAL' },
      { date: '2025-02-19', kind: 'GROUP' },
      { date: '2025-02-21', kind: 'HOME' },
    ];
    const since = await lastAuditId();
    const outboxBefore = await outboxRows('session');
    const responses = await atOnce(path('sessions/batch'), batch);

    expect(statuses(responses)).toEqual(ONE_CREATED);
    const created = responses.find((r) => r.status === 201)!;
    expect(created.body).toMatchObject({ created: 3, unchanged: 0 });
    for (const r of responses.filter((x) => x.status === 200)) {
      expect(r.body).toMatchObject({ created: 0, unchanged: 3 });
      expect(r.body.items.map((i: { id: string }) => i.id)).toEqual(created.body.items.map((i: { id: string }) => i.id));
    }
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM therapy_sessions WHERE patient_id = $1 AND date BETWEEN '2025-02-17' AND '2025-02-21'`,
      [patientId],
    );
    expect(n).toBe(3);
    expect(await outboxRows('session')).toBe(outboxBefore + 1);
    // three creates from the request that stored them, one "batch unchanged" from each of the other nineteen
    expect(await auditActions('session', since)).toEqual({ 'session.create': 3, 'session.batch-unchanged': TIMES - 1 });
  });
});
