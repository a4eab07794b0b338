import { Actor } from '../src/core/actor/actor';
import { AppError } from '../src/core/errors/app-error';
import { ContractsService } from '../src/modules/contracts/contracts.service';
import { ContractQuery } from '../src/modules/contracts/dto/contract.dto';
import { PatientQuery } from '../src/modules/patients/dto/patient.dto';
import { PatientsService } from '../src/modules/patients/patients.service';
import { PricingService } from '../src/modules/pricing/pricing.service';
import { SessionsService } from '../src/modules/sessions/sessions.service';
import { createRegisters } from './support/test-registers';
import { startTestApp, TestContext, Http } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

// Valid BSNs (11-proef): 1*9+1*8+1*7+2*6+2*5+2*4+3*3+3*2-3*1 = 66 = 6 x 11; 1*9+2*8+...+8*2-2*1 = 154 = 14 x 11.
const BSNS = ['111222333', '123456782'];

const BASE = aPatient({ goldStage: 2, profile: 2 });

describe('privacy of patient data (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  const responses: string[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice(), aPractice({ agb: '87654321', name: 'Fysio Het Veer' })] });
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678', '87654321'] });
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send(aContract())
      .expect(201);
    // The second BSN as people copy it from a letter: dots are dropped before the 11-proef.
    for (const [i, bsn] of [BSNS[0], '1234.56.782'].entries()) {
      const created = await practice()
        .post('/api/v1/patients')
        .send({ ...BASE, ref: `PRIV-${i}`, bsn })
        .expect(201);
      ids.push(created.body.id);
      responses.push(JSON.stringify(created.body));
      await practice().patch(`/api/v1/patients/${created.body.id}`).send({ bsn, profile: 3, reason: 'BSN en profiel aangevuld' }).expect(200);
      await practice()
        .post(`/api/v1/patients/${created.body.id}/sessions`)
        .send({ date: '2025-02-12', kind: 'INDIVIDUAL' })
        .expect(201);
      responses.push(
        JSON.stringify((await ctx.http().get(`/api/v1/patients/${created.body.id}`).expect(200)).body),
      );
      responses.push(
        JSON.stringify(
          (await ctx.http().get(`/api/v1/patients/${created.body.id}/pricing`).expect(200)).body,
        ),
      );
    }
    responses.push(JSON.stringify((await ctx.http().get('/api/v1/patients').expect(200)).body));
  });
  afterAll(() => ctx.close());

  /** Every table.column of the database whose value, cast to text, contains the text. */
  async function columnsContaining(text: string): Promise<string[]> {
    const columns: { table_name: string; column_name: string }[] = await ctx.dataSource.query(
      `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       ORDER BY c.table_name, c.ordinal_position`,
    );
    expect(columns.length).toBeGreaterThan(50); // every column of every table, not a sample
    const hits: string[] = [];
    for (const { table_name, column_name } of columns) {
      const rows: { n: number }[] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE $1`,
        [`%${text}%`],
      );
      if (rows[0].n > 0) hits.push(`${table_name}.${column_name}`);
    }
    return hits;
  }

  it('should find the BSN digits in no column of any table when patients were enrolled with a BSN', async () => {
    // Control: the scan does find a code that is stored (the AGB of the second practice, in practices.agb).
    expect(await columnsContaining('87654321')).toContain('practices.agb');
    for (const bsn of BSNS) expect(await columnsContaining(bsn)).toEqual([]);
  });

  it('should keep only a keyed HMAC of the BSN when a BSN is given', async () => {
    const rows: { bsn_hmac: string }[] = await ctx.dataSource.query(
      `SELECT bsn_hmac FROM patients WHERE id = ANY($1::uuid[]) ORDER BY ref`,
      [ids],
    );
    expect(rows.map((r) => r.bsn_hmac)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);
  });

  it('should return neither the BSN nor its HMAC in any response when patients are created, read, listed or priced', async () => {
    const hmacs: { bsn_hmac: string }[] = await ctx.dataSource.query(
      `SELECT bsn_hmac FROM patients WHERE bsn_hmac IS NOT NULL`,
    );
    for (const body of responses) {
      for (const bsn of BSNS) expect(body).not.toContain(bsn);
      for (const { bsn_hmac } of hmacs) expect(body).not.toContain(bsn_hmac);
      expect(body).not.toMatch(/bsn/i);
    }
  });

  it('should audit patient reads and writes by pseudonym without the BSN when patient data is touched', async () => {
    const audit: { action: string; patient_pseudonym: string | null; text: string }[] =
      await ctx.dataSource.query(
        `SELECT action, patient_pseudonym, row_to_json(a)::text AS text FROM audit_log a ORDER BY id`,
      );
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'patient.create',
        'patient.update',
        'patient.read',
        'patient.list',
        'session.create',
        'pricing.read',
      ]),
    );
    for (const row of audit) for (const bsn of BSNS) expect(row.text).not.toContain(bsn);
    expect(
      audit
        .filter((a) => a.action === 'patient.read')
        .every((a) => /^P-[0-9A-F]{16}$/.test(a.patient_pseudonym ?? '')),
    ).toBe(true);
  });

  it('should answer NOT_FOUND exactly as for a missing patient when the patient is outside the actor scope', async () => {
    const practices = await ctx.http().get('/api/v1/practices?q=87654321').expect(200);
    const otherPractice: Actor = {
      id: 'practice-user',
      role: 'PRACTICE',
      source: 'test',
      scope: { practiceIds: [practices.body.items[0].id] },
    };
    const outOfScope = await ctx.app
      .get(PatientsService)
      .get(otherPractice, ids[0])
      .catch((e: unknown) => e);
    const missing = await ctx.app
      .get(PatientsService)
      .get(otherPractice, '00000000-0000-4000-8000-000000000000')
      .catch((e: unknown) => e);
    expect(outOfScope).toBeInstanceOf(AppError);
    expect((outOfScope as AppError).code).toBe('PATIENT.NOT_FOUND');
    expect((missing as AppError).code).toBe((outOfScope as AppError).code);

    const list = await ctx.app
      .get(PatientsService)
      .list(otherPractice, Object.assign(new PatientQuery(), { limit: 50, offset: 0 }));
    expect(list.total).toBe(0);
    const contracts = await ctx.app
      .get(ContractsService)
      .list(otherPractice, Object.assign(new ContractQuery(), { limit: 50, offset: 0 }));
    expect(contracts.total).toBe(0); // the only contract is of practice 12345678
    await expect(ctx.app.get(PricingService).priceOf(otherPractice, ids[0])).rejects.toMatchObject({
      code: 'PATIENT.NOT_FOUND',
    });
    await expect(
      ctx.app.get(SessionsService).record(otherPractice, ids[0], { date: '2025-02-19', kind: 'INDIVIDUAL' }),
    ).rejects.toMatchObject({ code: 'PATIENT.NOT_FOUND' });
  });
});
