import request from 'supertest';
import { startTestApp, TestContext } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

const STRONG = 'paars olifant fietst snel';
const NEWER = 'groene kikker zwemt traag';

type Problem = { code: string; errors: { code: string; path: string; message: string }[] };
const pairs = (body: Problem) => body.errors.map((e) => [e.path, e.code]);

function cookieOf(response: request.Response): string {
  const header = response.headers['set-cookie'] as unknown as string[];
  return header.find((c) => c.startsWith('copd_session='))!.split(';')[0];
}

/** Issue 16: the administration's API (every field error at once, reset, own password change, audit search and CSV). */
describe('administration: user form, password reset and change, audit search and export (real PostgreSQL)', () => {
  let ctx: TestContext;
  const raw = () => request(ctx.app.getHttpServer());
  const login = (username: string, password: string) => raw().post('/api/v1/auth/login').send({ username, password });

  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.http().post('/api/v1/experiments').send({ code: 'COPD-2025', name: 'E', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' }).expect(201);
    await ctx.http('ADMIN').post('/api/v1/insurers').send(anInsurer()).expect(201);
    await ctx.http('ADMIN').post('/api/v1/practices').send(aPractice()).expect(201);
    await ctx.http().post('/api/v1/contracts').send(aContract()).expect(201);
  });
  afterAll(() => ctx.close());

  describe('the user form: every field error at once', () => {
    it('should report the upper-case username, the practice role without an AGB and the weak password together when all three are wrong', async () => {
      const users = await ctx.count('users');
      const audit = await ctx.count('audit_log');
      const response = await ctx
        .http('ADMIN')
        .post('/api/v1/users')
        .send({ username: 'J.Jansen', displayName: 'Jan Jansen', role: 'PRACTICE', password: 'password1234' })
        .expect(422);
      expect(response.body.code).toBe('USER.INVALID');
      expect(pairs(response.body)).toEqual([
        ['username', 'USER.USERNAME_INVALID'],
        ['practices', 'USER.PRACTICE_REQUIRED'],
        ['password', 'USER.PASSWORD_WEAK'],
      ]);
      expect(response.body.errors[0].message).toBe(
        "De gebruikersnaam 'J.Jansen' is ongeldig: gebruik 2 tot 64 tekens, alleen kleine letters, cijfers en . _ @ -, en begin met een letter of cijfer (bijv. j.jansen).",
      );
      expect(await ctx.count('users')).toBe(users);
      expect(await ctx.count('audit_log')).toBe(audit);
    });

    it('should report a malformed field together with the rules of the other fields when the form has both', async () => {
      const response = await ctx
        .http('ADMIN')
        .post('/api/v1/users')
        .send({ username: 'k klaassen', displayName: '', role: 'INSURER', practices: ['12345678'], insurer: '99', password: 'kort' })
        .expect(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
      // shape first (displayName empty, insurer not 4 digits), then the rules of the well-formed fields: the username
      // has a space, an insurer user has no practice, and 'kort' is 4 characters (< 12) and easy to guess
      expect(pairs(response.body)).toEqual([
        ['displayName', 'SHAPE.REQUIRED'],
        ['insurer', 'SHAPE.PATTERN'],
        ['username', 'USER.USERNAME_INVALID'],
        ['practices', 'USER.PRACTICES_NOT_ALLOWED'],
        ['password', 'USER.PASSWORD_TOO_SHORT'],
        ['password', 'USER.PASSWORD_WEAK'],
      ]);
    });

    it('should word every error in English when the interface is English', async () => {
      const response = await ctx
        .http('ADMIN')
        .post('/api/v1/users')
        .set('Accept-Language', 'en')
        .send({ username: 'J.Jansen', displayName: 'Jan Jansen', role: 'INSURER', password: 'password1234' })
        .expect(422);
      expect(response.body.errors.map((e: { message: string }) => e.message)).toEqual([
        "The user name 'J.Jansen' is not valid: use 2 to 64 characters, only lower-case letters, digits and . _ @ -, starting with a letter or digit (e.g. j.jansen).",
        'An insurer user belongs to one health insurer; enter its UZOVI code.',
        expect.stringMatching(/^This password is too easy to guess\. .*Choose for example four or more random words/),
      ]);
    });

    it('should report a username that exists with the other errors when it is taken', async () => {
      await ctx.http('ADMIN').post('/api/v1/users').send({ username: 'bezet', displayName: 'Bezet', role: 'EVALUATOR', password: STRONG }).expect(201);
      const response = await ctx
        .http('ADMIN')
        .post('/api/v1/users')
        .send({ username: 'bezet', displayName: 'Bezet', role: 'PRACTICE', practices: ['99999999'], password: STRONG })
        .expect(422);
      expect(pairs(response.body)).toEqual([
        ['username', 'USER.USERNAME_TAKEN'],
        ['practices[0]', 'USER.UNKNOWN_PRACTICE'],
      ]);
    });

    it('should find users by part of their name or their practice\'s AGB code when searched', async () => {
      await ctx.http('ADMIN').post('/api/v1/users').send({ username: 'p.pieters', displayName: 'Piet Pieters', role: 'PRACTICE', practices: ['12345678'], password: STRONG }).expect(201);
      const byName = await ctx.http('ADMIN').get('/api/v1/users?q=PIETERS').expect(200);
      expect(byName.body.items.map((u: { username: string }) => u.username)).toEqual(['p.pieters']);
      const byAgb = await ctx.http('ADMIN').get('/api/v1/users?q=1234567').expect(200);
      // p.pieters is the only user bound to practice 12345678 (the test sessions' users are not bound to it)
      expect(byAgb.body.items.map((u: { username: string }) => u.username)).toEqual(['p.pieters']);
      const none = await ctx.http('ADMIN').get('/api/v1/users?q=%25').expect(200);
      expect(none.body.total).toBe(0); // '%' is matched literally, not as a wildcard
    });
  });

  describe('the API token form: every field error at once', () => {
    it('should report a malformed field with the rules of the others and create no token', async () => {
      const tokens = await ctx.count('api_tokens');
      const malformed = await ctx.http('ADMIN').post('/api/v1/api-tokens').send({ name: '', practice: '1', expiresOn: '2020-01-01' }).expect(400);
      // the name is empty and the AGB code not 8 digits (shape), and 2020-01-01 is before today (rule)
      expect(pairs(malformed.body)).toEqual([
        ['name', 'SHAPE.REQUIRED'],
        ['practice', 'SHAPE.PATTERN'],
        ['expiresOn', 'API_TOKEN.EXPIRES_IN_PAST'],
      ]);
      const rules = await ctx.http('ADMIN').post('/api/v1/api-tokens').set('Accept-Language', 'en').send({ name: 'Koppeling', expiresOn: '2020-01-01' }).expect(400);
      expect(rules.body.errors.map((e: { message: string }) => e.message)).toEqual([
        "Give exactly one organisation: a practice's AGB code or an insurer's UZOVI code.",
        expect.stringMatching(/^The last valid day '2020-01-01' is in the past; choose today \(\d{4}-\d{2}-\d{2}\) or later\.$/),
      ]);
      expect(await ctx.count('api_tokens')).toBe(tokens);
    });
  });

  describe('password reset by an administrator', () => {
    it('should give a one-time password once, end every session and keep the password out of the audit when reset', async () => {
      const created = await ctx.http('ADMIN').post('/api/v1/users').send({ username: 'r.reset', displayName: 'Rita Reset', role: 'EVALUATOR', password: STRONG }).expect(201);
      const session = cookieOf(await login('r.reset', STRONG).expect(200));
      const reset = await ctx.http('ADMIN').post(`/api/v1/users/${created.body.id}/password-reset`).expect(201);
      expect(reset.body).toEqual({ password: expect.stringMatching(/^[\w-]{20}$/), sessionsEnded: 1 });
      await raw().get('/api/v1/auth/me').set('Cookie', session).expect(401);
      await login('r.reset', STRONG).expect(401);
      await login('r.reset', reset.body.password).expect(200);
      const rows: { actor: string; detail: Record<string, unknown> }[] = await ctx.dataSource.query(
        `SELECT actor, detail FROM audit_log WHERE action = 'user.password-reset' AND resource_id = $1`,
        [created.body.id],
      );
      expect(rows).toEqual([{ actor: 'test-admin', detail: { username: 'r.reset', sessionsEnded: 1 } }]);
      expect(JSON.stringify(rows)).not.toContain(reset.body.password);
    });
  });

  describe('own password change', () => {
    let id: string;
    let here: string;
    let other: string;
    const change = (cookie: string, body: Record<string, unknown>) => raw().post('/api/v1/auth/password').set('Cookie', cookie).send(body);

    beforeAll(async () => {
      id = (await ctx.http('ADMIN').post('/api/v1/users').send({ username: 'w.wissel', displayName: 'Wim Wissel', role: 'PRACTICE', practices: ['12345678'], password: STRONG }).expect(201)).body.id;
      here = cookieOf(await login('w.wissel', STRONG).expect(200));
      other = cookieOf(await login('w.wissel', STRONG).expect(200));
    });

    it('should refuse a wrong current password and a weak new one at once and change nothing', async () => {
      const [before] = await ctx.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [id]);
      const response = await change(here, { currentPassword: 'niet mijn wachtwoord', newPassword: 'password1234' }).expect(422);
      expect(response.body.code).toBe('AUTH.PASSWORD_CHANGE_INVALID');
      expect(pairs(response.body)).toEqual([
        ['currentPassword', 'AUTH.CURRENT_PASSWORD_WRONG'],
        ['newPassword', 'USER.PASSWORD_WEAK'],
      ]);
      const [after] = await ctx.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [id]);
      expect(after.password_hash).toBe(before.password_hash);
      await raw().get('/api/v1/auth/me').set('Cookie', other).expect(200);
    });

    it('should refuse a new password of the policy\'s kind with its code when the current one is right', async () => {
      const weak = await change(here, { currentPassword: STRONG, newPassword: 'wimwissel2025' }).expect(422);
      expect(pairs(weak.body)).toEqual([['newPassword', 'USER.PASSWORD_WEAK']]);
      const same = await change(here, { currentPassword: STRONG, newPassword: STRONG }).expect(422);
      expect(pairs(same.body)).toEqual([['newPassword', 'AUTH.PASSWORD_UNCHANGED']]);
    });

    it('should end the other sessions and keep this one when the password is changed', async () => {
      await change(here, { currentPassword: STRONG, newPassword: NEWER }).expect(204);
      await raw().get('/api/v1/auth/me').set('Cookie', other).expect(401);
      const me = await raw().get('/api/v1/auth/me').set('Cookie', here).expect(200);
      expect(me.body.user.username).toBe('w.wissel');
      await login('w.wissel', STRONG).expect(401);
      here = cookieOf(await login('w.wissel', NEWER).expect(200));
      const rows = await ctx.dataSource.query(`SELECT actor, outcome, detail FROM audit_log WHERE action = 'auth.password-change' AND outcome = 'SUCCESS'`);
      expect(rows).toEqual([{ actor: 'w.wissel', outcome: 'SUCCESS', detail: { otherSessionsEnded: 1 } }]);
    });

    it('should lock the change out like sign-in when the current password is wrong five times', async () => {
      // LOGIN_MAX_FAILURES = 5 within LOGIN_LOCKOUT_MINUTES: the earlier wrong current password counted as 1
      // failure, but the successful sign-in after it started a new count; 5 more wrong ones lock the username.
      for (let i = 0; i < 5; i++) await change(here, { currentPassword: `fout ${i}`, newPassword: 'rode vos springt hoog' }).expect(422);
      const locked = await change(here, { currentPassword: NEWER, newPassword: 'rode vos springt hoog' }).expect(429);
      expect(locked.body.code).toBe('AUTH.LOCKED_OUT');
      await login('w.wissel', NEWER).expect(429);
    });
  });

  describe('the audit log: search filters and CSV export', () => {
    let pseudonym: string;

    beforeAll(async () => {
      await ctx.http('ADMIN').post('/api/v1/users').send({ username: 'a.zoeker', displayName: 'Anna Zoeker', role: 'PRACTICE', practices: ['12345678'], password: STRONG }).expect(201);
      const practice = cookieOf(await login('a.zoeker', STRONG).expect(200));
      await login('a.zoeker', 'verkeerd wachtwoord').expect(401);
      pseudonym = (await raw().post('/api/v1/patients').set('Cookie', practice).send(aPatient({ ref: 'Z-1' })).expect(201)).body.pseudonym;
      await login('=HYPERLINK("x")', 'wat dan ook').expect(401);
    });

    it('should count the rows of one user, one action, one outcome, one patient and one period when filtered', async () => {
      const search = async (query: string) => (await ctx.http('ADMIN').get(`/api/v1/audit-log?${query}`).expect(200)).body;
      // a.zoeker: auth.sign-in SUCCESS, auth.sign-in FAILURE, patient.create = 3 rows
      expect((await search('user=a.zoeker')).total).toBe(3);
      expect((await search('user=a.zoeker&action=auth.sign-in')).total).toBe(2);
      const failed = await search('user=a.zoeker&outcome=FAILURE');
      expect(failed.items.map((e: { action: string; outcome: string }) => [e.action, e.outcome])).toEqual([['auth.sign-in', 'FAILURE']]);
      const patient = await search(`patient=${pseudonym}`);
      expect(patient.items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([['patient.create', 'a.zoeker']]);
      expect((await search('user=a.zoeker&from=2099-01-01')).total).toBe(0);
      expect((await search('user=a.zoeker&to=2000-01-01')).total).toBe(0);
      expect((await search(`user=a.zoeker&from=${new Date(Date.now() - 3_600_000).toISOString()}`)).total).toBe(3);
    });

    it('should export the filtered rows as CSV with a header and neutralise a formula when exported', async () => {
      const response = await ctx.http('ADMIN').get('/api/v1/audit-log/export?user=a.zoeker').expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe('attachment; filename="auditlog.csv"');
      const lines = (response.text as string).trimEnd().split('\r\n');
      // header + the 3 rows of a.zoeker, newest first
      expect(lines).toHaveLength(1 + 3);
      expect(lines[0]).toBe('occurredAt,actor,role,organisation,action,resourceType,resourceId,patientPseudonym,patientPseudonyms,source,outcome,reason,detail');
      expect(lines[1]).toContain(`,patient.create,patient,`);
      expect(lines[1]).toContain(pseudonym);
      // sign-in lower-cases the typed username, so the failed attempt's actor is '=hyperlink("x")'
      const formula = await ctx.http('ADMIN').get(`/api/v1/audit-log/export?user=${encodeURIComponent('=hyperlink("x")')}`).expect(200);
      const [, row] = (formula.text as string).trimEnd().split('\r\n');
      expect(row.split(',')[1]).toBe(`"'=hyperlink(""x"")"`);
      const exports = await ctx.dataSource.query(`SELECT detail FROM audit_log WHERE action = 'audit-log.export' ORDER BY id`);
      expect(exports.map((r: { detail: { total: number } }) => r.detail.total)).toEqual([3, 1]);
    });

    it('should refuse the export to a practice and redact the correction reason for an administrator', async () => {
      const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] });
      await practice().get('/api/v1/audit-log/export').expect(403);
      await ctx.dataSource.query(
        `INSERT INTO audit_log (actor, actor_role, action, resource_type, outcome, reason) VALUES ('x', 'PRACTICE', 'session.update', 'session', 'SUCCESS', 'FEV1 was 1,2')`,
      );
      const admin = await ctx.http('ADMIN').get('/api/v1/audit-log/export?action=session.update').expect(200);
      expect(admin.text).toContain('[verborgen]');
      expect(admin.text).not.toContain('FEV1');
      const evaluator = await ctx.http().get('/api/v1/audit-log/export?action=session.update').expect(200);
      expect(evaluator.text).toContain('FEV1 was 1,2');
    });
  });
});
