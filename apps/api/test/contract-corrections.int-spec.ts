import type { ExchangeContract, ExchangeDocument } from '../src/modules/exchange/exchange-document';
import { MIGRATIONS } from '@copd/migrations';
import { countRecords, startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';
import { tariffs } from './fixtures/builders';

/**
 * DOMAIN.md 3-4 (issue 10): a correction of a contract's arm or period is not a renewal; the arm of every patient
 * whose intake it covers is derived again, and a change that would leave an intake or a session without a contract
 * is refused. Figures from the DOMAIN.md 9 worked example: every patient below is patient P (intake 2025-02-10,
 * referral 2025-01-27, six sessions, analysis date 2025-09-30) under contract C's tariffs, so
 *   bundle price = 9000 + 3 x 36000 = 117000 cents, FFS price = 6000 + 4000 + 4000 + 2000 + (4000 + 2000) + 4000 + 4000
 *   = 30000 cents, over 3 care quarters.
 */
const A = '12345678';
const B = '87654321';
const TARIFFS = tariffs({
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
});
const SESSIONS = [
  ['2025-02-12', 'INDIVIDUAL'],
  ['2025-02-19', 'INDIVIDUAL'],
  ['2025-03-05', 'GROUP'],
  ['2025-04-02', 'HOME'],
  ['2025-05-20', 'INDIVIDUAL'],
  ['2025-08-14', 'REMOTE'],
] as const;

function contract(practice: string, changes: Partial<ExchangeContract> = {}): ExchangeContract {
  return {
    practice,
    insurer: '3311',
    arm: 'BUNDLE',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    ...TARIFFS,
    ...changes,
  };
}

/** Practices A and B, both BUNDLE with insurer 3311 for 2025, each with two copies of patient P (A1, A2, B1, B2). */
function baseDocument(): ExchangeDocument {
  const refs = [
    [A, 'A1'],
    [A, 'A2'],
    [B, 'B1'],
    [B, 'B2'],
  ];
  return {
    experiment: {
      code: 'CORR',
      name: 'Correcties',
      start: '2025-01-01',
      end: '2029-12-31',
      analysisDate: '2025-09-30',
    },
    insurers: [{ uzovi: '3311', name: 'Verzekeraar 3311' }],
    practices: [
      { agb: A, name: 'Praktijk A', region: 'Utrecht' },
      { agb: B, name: 'Praktijk B', region: 'Utrecht' },
    ],
    contracts: [contract(A), contract(B)],
    patients: refs.map(([practice, ref]) => ({
      ref,
      practice,
      insurer: '3311',
      birthYear: 1950,
      sex: 'F' as const,
      goldStage: 3,
      profile: 4,
      referralDate: '2025-01-27',
      intakeDate: '2025-02-10',
    })),
    sessions: refs.flatMap(([practice, ref]) =>
      SESSIONS.map(([date, kind]) => ({ patient: ref, practice, date, kind })),
    ),
    measurements: [],
    events: [],
  };
}

/** Only the registers and the given contracts: a correction sent on its own. */
function contractsDocument(contracts: ExchangeContract[]): ExchangeDocument {
  return { ...baseDocument(), contracts, patients: [], sessions: [] };
}

type Arms = Record<'BUNDLE' | 'FFS', { n: number; value: number | null }>;
type Comparison = { practices: Record<string, number>; indicators: { code: string; arms: Arms }[] };

async function comparison(ctx: TestContext): Promise<Comparison> {
  return (await ctx.http().get('/api/v1/indicators/comparison?experiment=CORR').expect(200)).body;
}
const armsOf = (doc: Comparison, code: string): Arms => doc.indicators.find((i) => i.code === code)!.arms;

async function patientId(
  ctx: TestContext,
  ref: string,
): Promise<{ id: string; pseudonym: string; arm: string }> {
  const [row] = await ctx.dataSource.query(`SELECT id, pseudonym, arm FROM patients WHERE ref = $1`, [ref]);
  return row;
}

async function contractId(ctx: TestContext, practice: string, validFrom = '2025-01-01'): Promise<string> {
  const list = (await ctx.http().get(`/api/v1/contracts?experiment=CORR&practice=${practice}`).expect(200))
    .body;
  return list.items.find((c: { validFrom: string }) => c.validFrom === validFrom).id;
}

/**
 * The figures after A's patients moved from BUNDLE to FFS (B's stay BUNDLE): 2 and 2 patients, 1 practice each;
 * BUNDLE paid 117000 / 3 = 39000 cents = EUR 390 per care quarter, counterfactual 30000 / 3 = EUR 100, paid minus
 * counterfactual 117000 - 30000 = EUR 870; FFS swapped: paid EUR 100, counterfactual EUR 390, 30000 - 117000 = EUR -870.
 */
async function expectTwoAndTwo(ctx: TestContext): Promise<void> {
  const result = await recomputeNow(ctx);
  expect(result).toMatchObject({ status: 'DONE', full: true });
  const doc = await comparison(ctx);
  expect(doc.practices).toEqual({ BUNDLE: 1, FFS: 1 });
  expect(armsOf(doc, 'ENROLLED')).toMatchObject({ BUNDLE: { n: 2, value: 2 }, FFS: { n: 2, value: 2 } });
  expect(armsOf(doc, 'PAID_PER_CARE_QUARTER')).toMatchObject({ BUNDLE: { value: 390 }, FFS: { value: 100 } });
  expect(armsOf(doc, 'COUNTERFACTUAL_PER_CARE_QUARTER')).toMatchObject({
    BUNDLE: { value: 100 },
    FFS: { value: 390 },
  });
  expect(armsOf(doc, 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT')).toMatchObject({
    BUNDLE: { value: 870 },
    FFS: { value: -870 },
  });
  for (const ref of ['A1', 'A2']) {
    const facts = (
      await ctx
        .http()
        .get(`/api/v1/patients/${(await patientId(ctx, ref)).id}/facts`)
        .expect(200)
    ).body;
    expect(facts).toMatchObject({
      arm: 'FFS',
      careQuarters: 3,
      paidCents: 30000,
      counterfactualCents: 117000,
    });
  }
  const b1 = (
    await ctx
      .http()
      .get(`/api/v1/patients/${(await patientId(ctx, 'B1')).id}/facts`)
      .expect(200)
  ).body;
  expect(b1).toMatchObject({ arm: 'BUNDLE', paidCents: 117000, counterfactualCents: 30000 });
}

/** The same figures from the exported state imported into an empty database: order of arrival does not matter. */
async function expectSameFromExport(ctx: TestContext): Promise<void> {
  const exported = (await ctx.http().get('/api/v1/experiment-data?experiment=CORR').expect(200)).body;
  const fresh = await startTestApp();
  try {
    await fresh.http().post('/api/v1/experiment-data').send(exported).expect(200);
    await recomputeNow(fresh);
    const expected = await comparison(ctx);
    const actual = await comparison(fresh);
    expect(actual.indicators).toEqual(expected.indicators);
    expect(actual.practices).toEqual(expected.practices);
  } finally {
    await fresh.close();
  }
}

describe('contract corrections move the arm of the patients whose intake they cover (real PostgreSQL)', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await startTestApp();
    await ctx.http().post('/api/v1/experiment-data').send(baseDocument()).expect(200);
    // Before any correction: 4 BUNDLE patients, 0 FFS.
    await recomputeNow(ctx);
    expect(armsOf(await comparison(ctx), 'ENROLLED')).toMatchObject({ BUNDLE: { value: 4 }, FFS: { n: 0 } });
  });
  afterEach(() => ctx.close());

  it('should count 2 BUNDLE and 2 FFS with paid and counterfactual swapped when PATCH corrects the arm of A to FFS', async () => {
    const id = await contractId(ctx, A);
    const [a1, a2] = [await patientId(ctx, 'A1'), await patientId(ctx, 'A2')];

    await ctx.http().patch(`/api/v1/contracts/${id}`).send({ arm: 'FFS' }).expect(200);

    expect((await patientId(ctx, 'A1')).arm).toBe('FFS');
    expect((await patientId(ctx, 'B1')).arm).toBe('BUNDLE');
    const [audit] = await ctx.dataSource.query(
      `SELECT detail FROM audit_log WHERE action = 'contract.update' AND resource_id = $1`,
      [id],
    );
    expect(audit.detail.armChanges).toEqual(
      [a1, a2]
        .map((p) => ({ patient: p.pseudonym, before: 'BUNDLE', after: 'FFS' }))
        .sort((x, y) => (x.patient < y.patient ? -1 : 1)),
    );
    const perPatient = await ctx.dataSource.query(
      `SELECT patient_pseudonym, detail FROM audit_log WHERE action = 'patient.arm-rederive' ORDER BY patient_pseudonym`,
    );
    expect(perPatient).toHaveLength(2);
    expect(perPatient[0].detail).toMatchObject({
      before: 'BUNDLE',
      after: 'FFS',
      intakeDate: '2025-02-10',
      contract: id,
    });
    await expectTwoAndTwo(ctx);
    await expectSameFromExport(ctx);
  });

  it('should count 2 and 2 when a second import sends the same contract of A (same key) with arm FFS', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/experiment-data')
      .send(contractsDocument([contract(A, { arm: 'FFS' })]))
      .expect(200);
    expect(response.body.counts.contracts).toEqual({ created: 0, updated: 1, unchanged: 0 });

    const [audit] = await ctx.dataSource.query(
      `SELECT detail FROM audit_log WHERE action = 'experiment-data.import' ORDER BY id DESC LIMIT 1`,
    );
    expect(
      audit.detail.armChanges.map((c: { before: string; after: string }) => `${c.before}>${c.after}`),
    ).toEqual(['BUNDLE>FFS', 'BUNDLE>FFS']);
    await expectTwoAndTwo(ctx);
    // Re-importing the whole original document now would move them back: a correction, in either direction.
  });

  it('should count 2 and 2 when an import corrects the period of A to January and adds an FFS contract from February', async () => {
    const response = await ctx
      .http()
      .post('/api/v1/experiment-data')
      .send(
        contractsDocument([
          contract(A, { validTo: '2025-01-31' }),
          contract(A, { arm: 'FFS', validFrom: '2025-02-01', validTo: '2025-12-31' }),
        ]),
      )
      .expect(200);
    expect(response.body.counts.contracts).toEqual({ created: 1, updated: 1, unchanged: 0 });
    // The intake 02-10 is now under the FFS contract from 02-01; so are all six sessions (02-12 .. 08-14).
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM therapy_sessions s JOIN contracts c ON c.id = s.contract_id
       WHERE c.valid_from = '2025-02-01'`,
    );
    expect(n).toBe(12);
    await expectTwoAndTwo(ctx);
    await expectSameFromExport(ctx);
  });

  it.each([
    ['corrects its contract', () => contractsDocument([contract(A, { arm: 'FFS' })])],
    [
      'only adds a session of one of its stored patients',
      () => ({
        ...contractsDocument([]),
        sessions: [{ patient: 'A1', practice: A, date: '2025-09-01', kind: 'INDIVIDUAL' as const }],
      }),
    ],
  ])(
    'should wait for a write of the same practice x insurer holding its lock when an import %s',
    async (_name, documentOf) => {
      // Enrolments, sessions and contract changes hold the pair's lock from before they read the contracts until
      // they commit (contracts.service, patients.service); the import takes the same lock for what it writes.
      const [{ experiment, practice, insurer }] = await ctx.dataSource.query(
        `SELECT c.experiment_id AS experiment, c.practice_id AS practice, c.insurer_id AS insurer
         FROM contracts c JOIN practices pr ON pr.id = c.practice_id WHERE pr.agb = $1`,
        [A],
      );
      const other = ctx.dataSource.createQueryRunner();
      await other.startTransaction();
      await other.query(
        `SELECT pg_advisory_xact_lock(hashtext('contract-pair:' || $1::text || ':' || $2::text || ':' || $3::text))`,
        [experiment, practice, insurer],
      );
      let done = false;
      const importing = ctx
        .http()
        .post('/api/v1/experiment-data')
        .send(documentOf())
        .then((r) => {
          done = true;
          return r;
        });
      await new Promise((r) => setTimeout(r, 500));
      expect(done).toBe(false);
      await other.commitTransaction();
      await other.release();
      expect((await importing).status).toBe(200);
    },
  );

  it('should put arms stored before this fix right when the migration runs over a contract corrected without them', async () => {
    // What the old code left behind: A's contract corrected to FFS, its patients still BUNDLE.
    await ctx.dataSource.query(
      `UPDATE contracts SET arm = 'FFS' WHERE practice_id = (SELECT id FROM practices WHERE agb = $1)`,
      [A],
    );
    const outboxBefore = await ctx.count('indicator_outbox');
    const runner = ctx.dataSource.createQueryRunner();
    try {
      const migration = MIGRATIONS.map((M) => new M()).find(
        (m) => m.name === 'RederivePatientArms1764700000000',
      );
      await migration!.up(runner);
    } finally {
      await runner.release();
    }

    expect([
      (await patientId(ctx, 'A1')).arm,
      (await patientId(ctx, 'A2')).arm,
      (await patientId(ctx, 'B1')).arm,
    ]).toEqual(['FFS', 'FFS', 'BUNDLE']);
    const audit = await ctx.dataSource.query(
      `SELECT actor, detail->>'before' AS before, detail->>'after' AS after FROM audit_log WHERE action = 'patient.arm-rederive'`,
    );
    expect(audit).toEqual([
      { actor: 'migration:RederivePatientArms1764700000000', before: 'BUNDLE', after: 'FFS' },
      { actor: 'migration:RederivePatientArms1764700000000', before: 'BUNDLE', after: 'FFS' },
    ]);
    // One full recompute announced for the experiment.
    const announced = await ctx.dataSource.query(
      `SELECT patient_id, reason FROM indicator_outbox ORDER BY id OFFSET $1`,
      [outboxBefore],
    );
    expect(announced).toEqual([{ patient_id: null, reason: 'contract' }]);
    await expectTwoAndTwo(ctx);
  });

  it('should refuse a PATCH, a DELETE and an import that leave intakes and sessions uncovered, naming them, and change nothing', async () => {
    const id = await contractId(ctx, A);
    const [a1, a2] = [await patientId(ctx, 'A1'), await patientId(ctx, 'A2')];
    const before = await countRecords(ctx);
    const auditBefore = await ctx.count('audit_log');
    // Ending A's contract on 02-09 leaves both intakes (02-10) and all six sessions of each without a contract.
    const sessions = SESSIONS.map(([date, kind]) => `${date} ${kind}`).join(', ');
    const expected = (path: string) => [
      ...[a1, a2]
        .sort((x, y) => (x.pseudonym < y.pseudonym ? -1 : 1))
        .map((p) => ({
          code: 'CONTRACT.INTAKE_UNCOVERED',
          path,
          params: expect.objectContaining({ pseudonym: p.pseudonym, intakeDate: '2025-02-10' }),
        })),
      ...[a1, a2]
        .sort((x, y) => (x.pseudonym < y.pseudonym ? -1 : 1))
        .map((p) => ({
          code: 'CONTRACT.SESSION_UNCOVERED',
          path,
          params: expect.objectContaining({ pseudonym: p.pseudonym, count: 6, sessions }),
        })),
    ];
    const codes = (errors: { code: string; path: string; params: unknown }[]) =>
      errors.map(({ code, path, params }) => ({ code, path, params }));

    const patched = await ctx
      .http()
      .patch(`/api/v1/contracts/${id}`)
      .send({ validTo: '2025-02-09' })
      .expect(422);
    expect(patched.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(patched.body.code).toBe('CONTRACT.INVALID');
    expect(codes(patched.body.errors)).toEqual(expected('validTo'));
    expect(patched.body.errors[0].message).toContain(
      `patiënt ${patched.body.errors[0].params.pseudonym} (patiëntnummer A`,
    );

    const deleted = await ctx.http().delete(`/api/v1/contracts/${id}`).expect(422);
    expect(codes(deleted.body.errors)).toEqual(expected(''));

    const imported = await ctx
      .http()
      .post('/api/v1/experiment-data')
      .send(contractsDocument([contract(A, { validTo: '2025-02-09' })]))
      .expect(422);
    expect(imported.body.code).toBe('IMPORT.REJECTED');
    expect(codes(imported.body.errors)).toEqual(expected('$.contracts[0].validTo'));

    expect(await countRecords(ctx)).toEqual(before);
    expect(await ctx.count('audit_log')).toBe(auditBefore);
    const stored = (await ctx.http().get(`/api/v1/contracts/${id}`).expect(200)).body;
    expect(stored).toMatchObject({ arm: 'BUNDLE', validTo: '2025-12-31' });
  });
});

describe("a patient's corrected intake date and a later contract correction both go through armAtIntake", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestApp();
    const doc = contractsDocument([
      contract(A, { validTo: '2025-06-30' }),
      contract(A, { arm: 'FFS', validFrom: '2025-07-01', validTo: '2025-12-31' }),
    ]);
    doc.patients = [
      { ...baseDocument().patients[0], ref: 'Q', intakeDate: '2025-03-03', referralDate: '2025-02-20' },
    ];
    await ctx.http().post('/api/v1/experiment-data').send(doc).expect(200);
  });
  afterAll(() => ctx.close());

  it("should move Q to FFS when its intake is corrected into the FFS contract, and back to BUNDLE when that contract's arm is", async () => {
    const q = await patientId(ctx, 'Q');
    expect(q.arm).toBe('BUNDLE'); // intake 03-03 under the BUNDLE contract (01-01..06-30)
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: [A] });
    await practice().patch(`/api/v1/patients/${q.id}`).send({ intakeDate: '2025-07-07', reason: 'Intakedatum gecorrigeerd' }).expect(200);
    expect((await patientId(ctx, 'Q')).arm).toBe('FFS'); // 07-07 under the FFS contract (07-01..12-31)

    await ctx
      .http()
      .patch(`/api/v1/contracts/${await contractId(ctx, A, '2025-07-01')}`)
      .send({ arm: 'BUNDLE' })
      .expect(200);
    expect((await patientId(ctx, 'Q')).arm).toBe('BUNDLE');
    // The first contract no longer covers Q's intake: shortening it is now allowed, the second must keep 07-07.
    await ctx
      .http()
      .patch(`/api/v1/contracts/${await contractId(ctx, A)}`)
      .send({ validTo: '2025-03-31' })
      .expect(200);
    const refused = await ctx
      .http()
      .patch(`/api/v1/contracts/${await contractId(ctx, A, '2025-07-01')}`)
      .send({ validTo: '2025-07-06' })
      .expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        code: 'CONTRACT.INTAKE_UNCOVERED',
        path: 'validTo',
        params: { pseudonym: q.pseudonym, ref: 'Q', intakeDate: '2025-07-07' },
      }),
    ]);
  });
});
