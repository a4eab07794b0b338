import Ajv from 'ajv';
import { countRecords, Http, startTestApp, TestContext } from './support/test-app';
import { createRegisters } from './support/test-registers';
import { recomputeNow } from './support/test-worker';
import { aContract, anInsurer, aPatient, aPractice, workedExampleSessions } from './fixtures/builders';

/**
 * Issue 14, corrections: PATCH and DELETE of sessions, measurements, events and the enrolment need a reason, which
 * the audit log keeps with who and when; without one nothing changes. Another practice's records answer 404 and
 * are audited as such. The history lists the writes newest first with from/to. A corrected record gives the same
 * figures as the record written right at once.
 *
 * Practice 12345678 (user "praktijk-brug") and practice 87654321, both BUNDLE with insurer 3311 in 2025
 * (contract C of DOMAIN.md 9: intake 9000, quarter 36000; FFS intake 6000, session 4000, home +2000, group 2000).
 */
const OWN = '12345678';
const OTHER = '87654321';
const REASON = 'Verkeerd overgenomen uit het dossier';

type Violation = { code: string; path: string; params?: Record<string, unknown> };
type AuditRow = { action: string; actor: string; reason: string | null; detail: Record<string, unknown>; occurred_at: Date };

describe('corrections with a reason (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let other: () => Http;
  let insurer: () => Http;
  let patientId: string;
  let pseudonym: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    await createRegisters(ctx, { insurers: [anInsurer()], practices: [aPractice(), aPractice({ agb: OTHER, name: 'Fysio Elders' })] });
    await ctx.http().post('/api/v1/contracts').send(aContract()).expect(201);
    await ctx.http().post('/api/v1/contracts').send(aContract({ practice: OTHER })).expect(201);
    practice = await ctx.signIn({ role: 'PRACTICE', practices: [OWN] }, 'praktijk-brug');
    await ctx.dataSource.query(`UPDATE users SET display_name = 'M. de Brug' WHERE username = 'praktijk-brug'`);
    other = await ctx.signIn({ role: 'PRACTICE', practices: [OTHER] });
    insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' });
    const created = await practice().post('/api/v1/patients').send(aPatient({ ref: 'K-1' })).expect(201);
    patientId = created.body.id;
    pseudonym = created.body.pseudonym;
  });
  afterAll(() => ctx.close());

  const auditCount = async () => ctx.count('audit_log');
  const lastAudit = async (action: string): Promise<AuditRow> =>
    (await ctx.dataSource.query(`SELECT action, actor, reason, detail, occurred_at FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`, [action]))[0];
  const outboxOf = async (id: string): Promise<string[]> =>
    (await ctx.dataSource.query(`SELECT reason FROM indicator_outbox WHERE patient_id = $1 ORDER BY id`, [id])).map((r: { reason: string }) => r.reason);
  const post = async (path: string, body: object) => (await practice().post(`/api/v1/patients/${patientId}/${path}`).send(body).expect(201)).body;

  /** Every way of leaving the reason out, each refused at path 'reason' with nothing changed (rows and audit log). */
  async function expectRefusedWithoutReason(send: (body: object) => Promise<{ status: number; body: { code: string; errors: Violation[] } }>, read: () => Promise<unknown>) {
    const before = { records: await countRecords(ctx), audit: await auditCount(), row: await read(), outbox: await ctx.count('indicator_outbox') };
    const cases: [object, string][] = [
      [{}, 'CORRECTION.REASON_REQUIRED'],
      [{ reason: '     ' }, 'CORRECTION.REASON_REQUIRED'],
      [{ reason: ' ab ' }, 'CORRECTION.REASON_REQUIRED'], // 2 characters after trimming: under the minimum of 3
      [{ reason: 42 }, 'CORRECTION.REASON_REQUIRED'],
      [{ reason: 'x'.repeat(501) }, 'CORRECTION.REASON_TOO_LONG'],
    ];
    for (const [body, code] of cases) {
      const response = await send(body);
      expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code });
      expect(response.body.errors).toEqual([expect.objectContaining({ code, path: 'reason', message: expect.stringMatching(/reden/i) })]);
    }
    expect({ records: await countRecords(ctx), audit: await auditCount(), row: await read(), outbox: await ctx.count('indicator_outbox') }).toEqual(before);
  }

  describe('sessions', () => {
    it('should correct the kind, keep the reason with actor and time in the audit log and announce a recompute when a reason is given', async () => {
      const session = await post('sessions', { date: '2025-03-05', kind: 'INDIVIDUAL' });
      const outboxBefore = (await outboxOf(patientId)).length;
      const started = Date.now();
      const response = await practice().patch(`/api/v1/sessions/${session.id}`).send({ kind: 'GROUP', reason: `  ${REASON}  ` }).expect(200);
      expect(response.body).toEqual({ ...session, kind: 'GROUP' });
      const row = await lastAudit('session.update');
      expect(row).toMatchObject({ actor: 'praktijk-brug', reason: REASON, detail: { date: '2025-03-05', kind: 'GROUP', changes: [{ field: 'kind', from: 'INDIVIDUAL', to: 'GROUP' }] } });
      expect(Math.abs(new Date(row.occurred_at).getTime() - started)).toBeLessThan(10_000);
      expect((await outboxOf(patientId)).slice(outboxBefore)).toEqual(['session']);
    });

    it('should refuse a correction and a deletion and change nothing when the reason is missing, blank, too short or too long', async () => {
      const session = await post('sessions', { date: '2025-03-12', kind: 'INDIVIDUAL' });
      const read = async () => ctx.dataSource.query(`SELECT date::text, kind FROM therapy_sessions WHERE id = $1`, [session.id]);
      await expectRefusedWithoutReason((body) => practice().patch(`/api/v1/sessions/${session.id}`).send({ kind: 'HOME', ...body }), read);
      await expectRefusedWithoutReason((body) => practice().delete(`/api/v1/sessions/${session.id}`).send(body), read);
      // A DELETE without any body is refused the same way.
      const bare = await practice().delete(`/api/v1/sessions/${session.id}`).expect(400);
      expect(bare.body.code).toBe('CORRECTION.REASON_REQUIRED');
      expect(await read()).toEqual([{ date: '2025-03-12', kind: 'INDIVIDUAL' }]);
    });

    it('should apply the rules of recording when the corrected date lies before the intake or the key is taken', async () => {
      const session = await post('sessions', { date: '2025-03-19', kind: 'INDIVIDUAL' });
      await post('sessions', { date: '2025-03-26', kind: 'INDIVIDUAL' });
      const early = await practice().patch(`/api/v1/sessions/${session.id}`).send({ date: '2025-02-01', reason: REASON }).expect(422);
      expect(early.body.errors).toEqual([expect.objectContaining({ code: 'SESSION.BEFORE_INTAKE', path: 'date' })]);
      const taken = await practice().patch(`/api/v1/sessions/${session.id}`).send({ date: '2025-03-26', reason: REASON }).expect(409);
      expect(taken.body.code).toBe('SESSION.KEY_TAKEN');
      const [row] = await ctx.dataSource.query(`SELECT date::text FROM therapy_sessions WHERE id = $1`, [session.id]);
      expect(row.date).toBe('2025-03-19');
    });

    it('should delete the session and audit the reason when a reason is given', async () => {
      const session = await post('sessions', { date: '2025-04-02', kind: 'HOME' });
      const rows = await ctx.count('therapy_sessions');
      await practice().delete(`/api/v1/sessions/${session.id}`).send({ reason: 'Dubbel ingevoerd' }).expect(204);
      expect(await ctx.count('therapy_sessions')).toBe(rows - 1);
      expect(await lastAudit('session.delete')).toMatchObject({
        actor: 'praktijk-brug',
        reason: 'Dubbel ingevoerd',
        detail: { changes: [{ field: 'date', from: '2025-04-02', to: null }, { field: 'kind', from: 'HOME', to: null }] },
      });
    });
  });

  describe('measurements', () => {
    it('should correct the value in the unit users read and audit it with the reason when a reason is given', async () => {
      const measurement = await post('measurements', { date: '2025-02-10', instrument: 'CCQ', value: 1.6 });
      const response = await practice().patch(`/api/v1/measurements/${measurement.id}`).send({ value: 2.1, reason: REASON }).expect(200);
      expect(response.body).toMatchObject({ id: measurement.id, instrument: 'CCQ', value: 2.1 });
      // CCQ is stored in tenths: 2.1 -> 21.
      const [stored] = await ctx.dataSource.query(`SELECT value FROM measurements WHERE id = $1`, [measurement.id]);
      expect(stored.value).toBe(21);
      expect(await lastAudit('measurement.update')).toMatchObject({ reason: REASON, detail: { changes: [{ field: 'value', from: 1.6, to: 2.1 }] } });
    });

    it('should refuse a correction and a deletion and change nothing when the reason is missing, blank, too short or too long', async () => {
      const measurement = await post('measurements', { date: '2025-02-10', instrument: 'CAT', value: 20 });
      const read = async () => ctx.dataSource.query(`SELECT date::text, instrument, value FROM measurements WHERE id = $1`, [measurement.id]);
      await expectRefusedWithoutReason((body) => practice().patch(`/api/v1/measurements/${measurement.id}`).send({ value: 25, ...body }), read);
      await expectRefusedWithoutReason((body) => practice().delete(`/api/v1/measurements/${measurement.id}`).send(body), read);
    });

    it('should apply the instrument range and keep the value when the corrected value is out of range', async () => {
      const measurement = await post('measurements', { date: '2025-02-11', instrument: 'MMRC', value: 2 });
      const response = await practice().patch(`/api/v1/measurements/${measurement.id}`).send({ value: 7, reason: REASON }).expect(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'value' })]);
      const [row] = await ctx.dataSource.query(`SELECT value FROM measurements WHERE id = $1`, [measurement.id]);
      expect(row.value).toBe(2);
    });

    it('should refuse a POST that would overwrite a stored value without a reason, and correct it with one', async () => {
      await post('measurements', { date: '2025-02-12', instrument: 'SIX_MWT', value: 400 });
      const before = { records: await countRecords(ctx), audit: await auditCount() };
      const refused = await practice()
        .post(`/api/v1/patients/${patientId}/measurements`)
        .send({ date: '2025-02-12', instrument: 'SIX_MWT', value: 350 })
        .expect(409);
      expect(refused.body.code).toBe('MEASUREMENT.CORRECTION_NEEDS_REASON');
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ code: 'MEASUREMENT.CORRECTION_NEEDS_REASON', path: 'reason', params: { value: 350, stored: 400, date: '2025-02-12', instrument: 'SIX_MWT' } }),
      ]);
      expect({ records: await countRecords(ctx), audit: await auditCount() }).toEqual(before);
      // Sent again unchanged, it needs no reason (issue 10 L5: an identical repeat is a 200 no-op).
      await practice().post(`/api/v1/patients/${patientId}/measurements`).send({ date: '2025-02-12', instrument: 'SIX_MWT', value: 400 }).expect(200);
      const corrected = await practice()
        .post(`/api/v1/patients/${patientId}/measurements`)
        .send({ date: '2025-02-12', instrument: 'SIX_MWT', value: 350, reason: REASON })
        .expect(200);
      expect(corrected.body.value).toBe(350);
      expect(await lastAudit('measurement.correct')).toMatchObject({ reason: REASON, detail: { oldValue: 400, newValue: 350, changes: [{ field: 'value', from: 400, to: 350 }] } });
    });

    it('should delete the measurement and audit the reason when a reason is given', async () => {
      const measurement = await post('measurements', { date: '2025-02-13', instrument: 'STEPS', value: 4000 });
      await practice().delete(`/api/v1/measurements/${measurement.id}`).send({ reason: REASON }).expect(204);
      expect(await ctx.dataSource.query(`SELECT id FROM measurements WHERE id = $1`, [measurement.id])).toEqual([]);
      expect(await lastAudit('measurement.delete')).toMatchObject({ reason: REASON, detail: { instrument: 'STEPS', value: 4000 } });
    });
  });

  describe('the audit log search', () => {
    it('should show a correction\'s values and reason to the evaluator and hide them from the administrator when both search the audit log', async () => {
      const search = async (as: 'EVALUATOR' | 'ADMIN') =>
        (await ctx.http(as).get('/api/v1/audit-log?action=measurement.correct&limit=1').expect(200)).body.items[0];
      expect(await search('EVALUATOR')).toMatchObject({
        reason: REASON,
        detail: { oldValue: 400, newValue: 350, changes: [{ field: 'value', from: 400, to: 350 }] },
      });
      // Issue 10 L4: clinical values only for evaluators; the field names stay. The free-text reason may name them too.
      expect(await search('ADMIN')).toMatchObject({
        reason: '[verborgen]',
        detail: { oldValue: '[verborgen]', newValue: '[verborgen]', changes: [{ field: 'value', from: '[verborgen]', to: '[verborgen]' }] },
      });
    });
  });

  describe('events', () => {
    it('should correct the kind and date and audit the reason when a reason is given', async () => {
      const event = await post('events', { date: '2025-03-01', kind: 'HOSPITAL_ADMISSION' });
      const response = await practice().patch(`/api/v1/events/${event.id}`).send({ date: '2025-03-02', kind: 'EXACERBATION_SEVERE', reason: REASON }).expect(200);
      expect(response.body).toMatchObject({ id: event.id, date: '2025-03-02', kind: 'EXACERBATION_SEVERE' });
      expect(await lastAudit('event.update')).toMatchObject({
        reason: REASON,
        detail: { changes: [{ field: 'date', from: '2025-03-01', to: '2025-03-02' }, { field: 'kind', from: 'HOSPITAL_ADMISSION', to: 'EXACERBATION_SEVERE' }] },
      });
    });

    it('should refuse a correction and a deletion and change nothing when the reason is missing, blank, too short or too long', async () => {
      const event = await post('events', { date: '2025-03-08', kind: 'EXACERBATION_MODERATE' });
      const read = async () => ctx.dataSource.query(`SELECT date::text, kind FROM events WHERE id = $1`, [event.id]);
      await expectRefusedWithoutReason((body) => practice().patch(`/api/v1/events/${event.id}`).send({ kind: 'DEATH', ...body }), read);
      await expectRefusedWithoutReason((body) => practice().delete(`/api/v1/events/${event.id}`).send(body), read);
      await practice().delete(`/api/v1/events/${event.id}`).send({ reason: REASON }).expect(204);
      expect(await read()).toEqual([]);
    });
  });

  describe('the enrolment', () => {
    it('should refuse a correction of the enrolment without a reason and keep the reason of one with it', async () => {
      const read = async () => (await ctx.dataSource.query(`SELECT gold_stage FROM patients WHERE id = $1`, [patientId]))[0];
      await expectRefusedWithoutReason((body) => practice().patch(`/api/v1/patients/${patientId}`).send({ goldStage: 4, ...body }), read);
      await practice().patch(`/api/v1/patients/${patientId}`).send({ goldStage: 4, reason: 'GOLD-stadium uit de longfunctie van februari' }).expect(200);
      expect(await read()).toEqual({ gold_stage: 4 });
      expect(await lastAudit('patient.update')).toMatchObject({
        reason: 'GOLD-stadium uit de longfunctie van februari',
        detail: { changed: ['goldStage'], changes: [{ field: 'goldStage', from: 3, to: 4 }] },
      });
    });

    it('should end an enrolment without a reason when only the end date and end reason are set on an open enrolment', async () => {
      const open = await practice().post('/api/v1/patients').send(aPatient({ ref: 'K-END' })).expect(201);
      await practice().patch(`/api/v1/patients/${open.body.id}`).send({ endDate: '2025-08-31', endReason: 'COMPLETED' }).expect(200);
      expect(await lastAudit('patient.update')).toMatchObject({
        reason: null,
        detail: { changes: [{ field: 'endDate', from: null, to: '2025-08-31' }, { field: 'endReason', from: null, to: 'COMPLETED' }] },
      });
      // Once ended, moving the end is a correction: it needs a reason.
      const moved = await practice().patch(`/api/v1/patients/${open.body.id}`).send({ endDate: '2025-09-15', endReason: 'COMPLETED' }).expect(400);
      expect(moved.body.code).toBe('CORRECTION.REASON_REQUIRED');
    });

    it('should delete a patient only with a reason when the practice removes the enrolment', async () => {
      const doomed = await practice().post('/api/v1/patients').send(aPatient({ ref: 'K-DEL' })).expect(201);
      const read = async () => ctx.dataSource.query(`SELECT id FROM patients WHERE id = $1`, [doomed.body.id]);
      await expectRefusedWithoutReason((body) => practice().delete(`/api/v1/patients/${doomed.body.id}`).send(body), read);
      await practice().delete(`/api/v1/patients/${doomed.body.id}`).send({ reason: 'Ingeschreven bij de verkeerde praktijk' }).expect(204);
      expect(await read()).toEqual([]);
      expect(await lastAudit('patient.delete')).toMatchObject({ reason: 'Ingeschreven bij de verkeerde praktijk' });
    });
  });

  describe("another practice's records", () => {
    it('should answer 404, change nothing and audit the attempt under the owning patient when another practice corrects or deletes', async () => {
      const session = await post('sessions', { date: '2025-04-09', kind: 'INDIVIDUAL' });
      const measurement = await post('measurements', { date: '2025-02-14', instrument: 'CAT', value: 12 });
      const event = await post('events', { date: '2025-04-10', kind: 'EXACERBATION_MODERATE' });
      const attempts: [string, string, object][] = [
        ['patch', `/api/v1/sessions/${session.id}`, { kind: 'HOME', reason: REASON }],
        ['delete', `/api/v1/sessions/${session.id}`, { reason: REASON }],
        ['patch', `/api/v1/measurements/${measurement.id}`, { value: 30, reason: REASON }],
        ['delete', `/api/v1/measurements/${measurement.id}`, { reason: REASON }],
        ['patch', `/api/v1/events/${event.id}`, { kind: 'DEATH', reason: REASON }],
        ['delete', `/api/v1/events/${event.id}`, { reason: REASON }],
        ['patch', `/api/v1/patients/${patientId}`, { goldStage: 2, reason: REASON }],
        ['delete', `/api/v1/patients/${patientId}`, { reason: REASON }],
        // Without a reason too: the record's existence is not revealed by a 400 instead of a 404.
        ['delete', `/api/v1/sessions/${session.id}`, {}],
      ];
      const before = await countRecords(ctx);
      const auditBefore = await ctx.dataSource.query(`SELECT coalesce(max(id), 0)::int AS last FROM audit_log`);
      for (const [method, path, body] of attempts) {
        const response = await (method === 'patch' ? other().patch(path) : other().delete(path)).send(body);
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      }
      expect(await countRecords(ctx)).toEqual(before);
      const audited = await ctx.dataSource.query(
        `SELECT action, outcome, patient_pseudonym AS "patientPseudonym", reason FROM audit_log WHERE id > $1 ORDER BY id`,
        [auditBefore[0].last],
      );
      expect(audited).toEqual(attempts.map(() => ({ action: 'access.not-found', outcome: 'NOT_FOUND', patientPseudonym: pseudonym, reason: null })));
    });
  });

  describe('history', () => {
    it('should list the corrections newest first with from, to, reason and the display name when the practice or the evaluator reads it', async () => {
      const fresh = await practice().post('/api/v1/patients').send(aPatient({ ref: 'K-HIST' })).expect(201);
      const id = fresh.body.id;
      const measurement = (await practice().post(`/api/v1/patients/${id}/measurements`).send({ date: '2025-02-10', instrument: 'CAT', value: 2 }).expect(201)).body;
      await practice().patch(`/api/v1/measurements/${measurement.id}`).send({ value: 20, reason: 'Een nul vergeten' }).expect(200);
      const session = (await practice().post(`/api/v1/patients/${id}/sessions`).send({ date: '2025-02-12', kind: 'INDIVIDUAL' }).expect(201)).body;
      await practice().delete(`/api/v1/sessions/${session.id}`).send({ reason: 'Afspraak ging niet door' }).expect(204);

      const history = (await practice().get(`/api/v1/patients/${id}/history`).expect(200)).body;
      expect(history.items.map((i: { action: string; entity: string }) => `${i.action} ${i.entity}`)).toEqual([
        'DELETE SESSION',
        'CREATE SESSION',
        'UPDATE MEASUREMENT',
        'CREATE MEASUREMENT',
        'CREATE PATIENT',
      ]);
      expect(history.items[0]).toEqual({
        at: expect.any(String),
        actor: 'M. de Brug',
        action: 'DELETE',
        entity: 'SESSION',
        entityId: session.id,
        date: '2025-02-12',
        reason: 'Afspraak ging niet door',
        changes: [{ field: 'date', from: '2025-02-12', to: null }, { field: 'kind', from: 'INDIVIDUAL', to: null }],
      });
      expect(history.items[2]).toMatchObject({
        entity: 'MEASUREMENT',
        entityId: measurement.id,
        date: '2025-02-10',
        reason: 'Een nul vergeten',
        changes: [{ field: 'value', from: 2, to: 20 }],
      });
      // The answer is the closed schema the OpenAPI document promises (the dashboard's types come from it).
      const doc = (await ctx.http().get('/api/docs-json').expect(200)).body;
      const ajv = new Ajv({ allErrors: true, strict: true });
      ajv.addVocabulary(['example', 'discriminator', 'components']);
      const validate = ajv.compile({ ...doc.paths['/api/v1/patients/{id}/history'].get.responses['200'].content['application/json'].schema, components: doc.components });
      expect({ valid: validate(history), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
      const times = history.items.map((i: { at: string }) => Date.parse(i.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect((await ctx.http().get(`/api/v1/patients/${id}/history`).expect(200)).body).toEqual(history);
      await other().get(`/api/v1/patients/${id}/history`).expect(404);
      await insurer().get(`/api/v1/patients/${id}/history`).expect(403);
    });
  });

  describe('figures', () => {
    it('should give the same facts as the data written right at once when wrong data is corrected and deleted with reasons', async () => {
      const enrol = async (ref: string) => (await practice().post('/api/v1/patients').send(aPatient({ ref })).expect(201)).body.id as string;
      const right = await enrol('K-RIGHT');
      const wrong = await enrol('K-WRONG');
      const write = (id: string, path: string, body: object) => practice().post(`/api/v1/patients/${id}/${path}`).send(body).expect(201);

      // Written right: P's six sessions, a CAT baseline of 20 on the intake day, a 6MWT of 420 at intake + 91 days
      // (2025-02-10 + 91 = 2025-05-12, the 3-month target) and one moderate exacerbation.
      for (const s of workedExampleSessions()) await write(right, 'sessions', s);
      await write(right, 'measurements', { date: '2025-02-10', instrument: 'CAT', value: 20 });
      await write(right, 'measurements', { date: '2025-05-12', instrument: 'SIX_MWT', value: 420 });
      await write(right, 'events', { date: '2025-03-01', kind: 'EXACERBATION_MODERATE' });

      // Written wrong: the GROUP session of 2025-03-05 as INDIVIDUAL, the session of 2025-05-20 on 2025-05-21, an
      // extra session on 2025-06-03, CAT 2 instead of 20, the 6MWT on 2025-06-10 (intake + 120, outside the 3-month
      // window [intake + 70, intake + 112]) and the exacerbation as a hospital admission.
      const ids: Record<string, string> = {};
      for (const s of workedExampleSessions()) {
        const sent = s.date === '2025-03-05' ? { ...s, kind: 'INDIVIDUAL' } : s.date === '2025-05-20' ? { ...s, date: '2025-05-21' } : s;
        ids[s.date] = (await write(wrong, 'sessions', sent)).body.id;
      }
      const extra = (await write(wrong, 'sessions', { date: '2025-06-03', kind: 'INDIVIDUAL' })).body.id;
      const cat = (await write(wrong, 'measurements', { date: '2025-02-10', instrument: 'CAT', value: 2 })).body.id;
      const walk = (await write(wrong, 'measurements', { date: '2025-06-10', instrument: 'SIX_MWT', value: 420 })).body.id;
      const event = (await write(wrong, 'events', { date: '2025-03-01', kind: 'HOSPITAL_ADMISSION' })).body.id;

      await recomputeNow(ctx);
      const facts = async (id: string) => {
        const [row] = await ctx.dataSource.query(
          `SELECT arm, care_quarters, sessions, paid_cents::int AS paid, counterfactual_cents::int AS counterfactual, unpriced_items,
                  judged_quarters, low_intensity_quarters, baseline_complete, six_mwt_base, six_mwt_3m, cat_base, cat_3m,
                  ccq_base_tenths, followup_days, exacerbations, admissions
           FROM patient_facts WHERE patient_id = $1`,
          [id],
        );
        const quarters = await ctx.dataSource.query(
          `SELECT quarter_index, start_date::text, sessions, bundle_cents::int AS bundle, ffs_cents::int AS ffs
           FROM care_quarter_facts WHERE patient_id = $1 ORDER BY quarter_index`,
          [id],
        );
        return { ...row, quarters };
      };
      // Before the corrections the figures differ: 7 sessions instead of 6, no admission-free record.
      expect(await facts(wrong)).toMatchObject({ sessions: 7, cat_base: 2, six_mwt_3m: null, admissions: 1, exacerbations: 0 });

      const announced = (await outboxOf(wrong)).length;
      const fix = (path: string, body: object) => practice().patch(path).send({ ...body, reason: REASON }).expect(200);
      await fix(`/api/v1/sessions/${ids['2025-03-05']}`, { kind: 'GROUP' });
      await fix(`/api/v1/sessions/${ids['2025-05-20']}`, { date: '2025-05-20' });
      await practice().delete(`/api/v1/sessions/${extra}`).send({ reason: 'Afspraak ging niet door' }).expect(204);
      await fix(`/api/v1/measurements/${cat}`, { value: 20 });
      await fix(`/api/v1/measurements/${walk}`, { date: '2025-05-12' });
      await fix(`/api/v1/events/${event}`, { kind: 'EXACERBATION_MODERATE' });
      // Each correction and the deletion announced the patient's recompute like any write.
      expect((await outboxOf(wrong)).slice(announced)).toEqual(['session', 'session', 'session', 'measurement', 'measurement', 'event']);
      await recomputeNow(ctx);

      const corrected = await facts(wrong);
      expect(corrected).toEqual(await facts(right));
      // Contract C, analysis date 2025-09-30 (DOMAIN.md 9): Q1 bundle 9000 + 36000 = 45000, Q2 and Q3 36000 each,
      // paid 45000 + 36000 + 36000 = 117000; FFS Q1 6000 + 4000 + 4000 + 2000 (group) + 6000 (home) = 22000, Q2 and Q3
      // 4000 each, counterfactual 22000 + 4000 + 4000 = 30000.
      expect(corrected).toMatchObject({
        arm: 'BUNDLE',
        care_quarters: 3,
        sessions: 6,
        paid: 117000,
        counterfactual: 30000,
        cat_base: 20,
        six_mwt_3m: 420,
        exacerbations: 1,
        admissions: 0,
      });
      expect(corrected.quarters.map((q: { bundle: number; ffs: number }) => [q.bundle, q.ffs])).toEqual([
        [45000, 22000],
        [36000, 4000],
        [36000, 4000],
      ]);
    });
  });
});
