import { Http, startTestApp, TestContext } from './support/test-app';
import { createRegisters } from './support/test-registers';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

const CONTRACT = aContract();
const PATIENT = aPatient({ ref: 'R-1', profile: 2 });

const NOTHING_STORED = 'Er ging iets mis aan onze kant; er is niets opgeslagen. Probeer het later opnieuw of meld het ons.';
const STORED =
  'Uw wijziging is opgeslagen, maar het antwoord kon niet worden gemaakt. Vernieuw de pagina om het resultaat te zien en stuur de wijziging niet opnieuw.';

/**
 * Issue 11: a 500 said "er is niets opgeslagen" even when the write had committed and only the answer failed
 * (the re-read after a patient update). Both failures are made real in PostgreSQL by test-only triggers of the
 * schema's owner; nothing in the application is stubbed.
 */
describe('a 500 says whether the change was stored (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let patientId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice()] });
    await ctx.http().post('/api/v1/contracts').send(CONTRACT).expect(201);
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
    patientId = (await practice().post('/api/v1/patients').send(PATIENT).expect(201)).body.id;
  });
  afterAll(() => ctx.close());

  async function stored(): Promise<{ goldStage: number; updates: number; outbox: number }> {
    return ctx.db.asOwner(async (owner) => {
      const [row] = (
        await owner.query(
          `SELECT p.gold_stage AS "goldStage",
                  (SELECT count(*)::int FROM audit_log a WHERE a.action = 'patient.update' AND a.resource_id = p.id::text) AS updates,
                  (SELECT count(*)::int FROM indicator_outbox o WHERE o.patient_id = p.id) AS outbox
           FROM patients p WHERE p.id = $1`,
          [patientId],
        )
      ).rows;
      return row;
    });
  }

  it('should say the change is stored when the update committed and only the re-read for the answer failed', async () => {
    // The trigger takes copd_app's SELECT on patients away inside the update's own transaction: the statements
    // of the transaction after the UPDATE do not read patients, so it commits, and the re-read that builds the
    // answer is refused (42501, permission denied), a real database failure after the commit.
    await ctx.db.asOwner((owner) =>
      owner.query(`
        CREATE FUNCTION test_revoke_patient_reads() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN REVOKE SELECT ON patients FROM copd_app; RETURN NULL; END $$;
        CREATE TRIGGER test_revoke_patient_reads AFTER UPDATE ON patients
          FOR EACH STATEMENT EXECUTE FUNCTION test_revoke_patient_reads();`),
    );
    const before = await stored();
    expect(before.goldStage).toBe(3);
    try {
      const response = await practice().patch(`/api/v1/patients/${patientId}`).send({ goldStage: 4, reason: 'GOLD-stadium herzien' }).expect(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.body).toEqual({
        type: 'urn:copd-tracker:problem:internal.after_commit',
        title: 'Internal Server Error',
        status: 500,
        detail: STORED,
        instance: `/api/v1/patients/${patientId}`,
        code: 'INTERNAL.AFTER_COMMIT',
      });
    } finally {
      await ctx.db.asOwner((owner) =>
        owner.query(`
          DROP TRIGGER test_revoke_patient_reads ON patients;
          DROP FUNCTION test_revoke_patient_reads();
          GRANT SELECT ON patients TO copd_app;`),
      );
    }
    // The change, its audit row and its outbox row are all stored: one more of each.
    expect(await stored()).toEqual({ goldStage: 4, updates: before.updates + 1, outbox: before.outbox + 1 });
    expect((await practice().get(`/api/v1/patients/${patientId}`).expect(200)).body.goldStage).toBe(4);
  });

  it('should say nothing is stored when the update fails at its commit, also right after a request that did commit', async () => {
    // A deferred constraint trigger refuses the transaction at COMMIT: everything before it ran, nothing stays.
    // Run after the test above, it also shows that one request's commit does not leak into the next one's answer.
    await ctx.db.asOwner((owner) =>
      owner.query(`
        CREATE FUNCTION test_refuse_patient_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test: refused at commit'; END $$;
        CREATE CONSTRAINT TRIGGER test_refuse_patient_update AFTER UPDATE ON patients
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_patient_update();`),
    );
    const before = await stored();
    try {
      const response = await practice().patch(`/api/v1/patients/${patientId}`).send({ goldStage: 2, reason: 'GOLD-stadium herzien' }).expect(500);
      expect(response.body).toEqual({
        type: 'urn:copd-tracker:problem:internal',
        title: 'Internal Server Error',
        status: 500,
        detail: NOTHING_STORED,
        instance: `/api/v1/patients/${patientId}`,
        code: 'INTERNAL',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/refused|trigger|patients_/);
    } finally {
      await ctx.db.asOwner((owner) =>
        owner.query(`DROP TRIGGER test_refuse_patient_update ON patients; DROP FUNCTION test_refuse_patient_update();`),
      );
    }
    // Nothing changed: GOLD stage still 4 from the test above, no audit row and no outbox row added.
    expect(await stored()).toEqual(before);
    expect(before.goldStage).toBe(4);
  });
});
