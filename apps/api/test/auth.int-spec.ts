import { createHash } from 'node:crypto';
import request from 'supertest';
import { loadConfig, oidcEnabled } from '../src/core/config/app-config';
import { Http, startTestApp, TestContext } from './support/test-app';
import { aContract, anInsurer, aPatient, aPractice } from './fixtures/builders';

const PASSWORD = 'een lang genoeg wachtwoord';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The value of a Set-Cookie header for the cookie, with its attributes. */
function setCookie(response: request.Response, name: string): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((c) => c.startsWith(`${name}=`));
}

function cookieOf(response: request.Response): string {
  return setCookie(response, 'copd_session')!.split(';')[0];
}

describe('accounts, sign-in, API tokens and the audit trail (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;
  let patientId: string;
  let pseudonym: string;
  const raw = () => request(ctx.app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.http().post('/api/v1/experiments').send({ code: 'COPD-2025', name: 'E', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' }).expect(201);
    await ctx.http('ADMIN').post('/api/v1/insurers').send(anInsurer()).expect(201);
    await ctx.http('ADMIN').post('/api/v1/practices').send(aPractice()).expect(201);
    await ctx.http('ADMIN').post('/api/v1/practices').send({ agb: '87654321', name: 'Fysio Het Veer', region: 'Utrecht' }).expect(201);
    await ctx
      .http()
      .post('/api/v1/contracts')
      .send(aContract())
      .expect(201);
    practice = await ctx.signIn({ role: 'PRACTICE', practices: ['12345678'] }, 'praktijk-test');
    const patient = await practice()
      .post('/api/v1/patients')
      .send(aPatient({ ref: 'R-1', profile: 2 }))
      .expect(201);
    patientId = patient.body.id;
    pseudonym = patient.body.pseudonym;
  });
  afterAll(() => ctx.close());

  async function createUser(body: Record<string, unknown>): Promise<string> {
    return (await ctx.http('ADMIN').post('/api/v1/users').send({ password: PASSWORD, ...body }).expect(201)).body.id;
  }

  describe('sign-in and sign-out (the dashboard contract)', () => {
    beforeAll(async () => {
      await createUser({ username: 'j.jansen', displayName: 'Jan Jansen', role: 'PRACTICE', practices: ['12345678'] });
    });

    it('should answer 200 with the user and set an httpOnly SameSite=Strict session cookie when the password is right', async () => {
      const response = await raw().post('/api/v1/auth/login').send({ username: 'J.Jansen', password: PASSWORD }).expect(200);
      expect(response.body).toEqual({
        user: {
          id: expect.any(String),
          username: 'j.jansen',
          displayName: 'Jan Jansen',
          role: 'PRACTICE',
          practices: [{ agb: '12345678', name: 'Fysio De Brug' }],
          insurer: null,
        },
      });
      const cookie = setCookie(response, 'copd_session')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/); // COOKIE_SECURE is off in tests
      const me = await raw().get('/api/v1/auth/me').set('Cookie', cookieOf(response)).expect(200);
      expect(me.body).toEqual(response.body);
      // Only the SHA-256 of the cookie's secret is stored.
      const secret = cookieOf(response).split('=')[1];
      const stored: { token_hash: string }[] = await ctx.dataSource.query(`SELECT token_hash FROM user_sessions WHERE token_hash = $1`, [sha256(decodeURIComponent(secret))]);
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(await ctx.dataSource.query(`SELECT * FROM user_sessions`))).not.toContain(secret);
    });

    it('should delete sign-in attempts older than 90 days when someone signs in, and keep the newer ones', async () => {
      await ctx.dataSource.query(
        `INSERT INTO sign_in_attempts (username, source, outcome, attempted_at)
         VALUES ('old.attempt', '192.0.2.1', 'FAILURE', now() - interval '91 days'),
                ('recent.attempt', '192.0.2.1', 'FAILURE', now() - interval '89 days')`,
      );
      await raw().post('/api/v1/auth/login').send({ username: 'J.Jansen', password: PASSWORD }).expect(200);
      const rows: { username: string }[] = await ctx.dataSource.query(
        `SELECT username FROM sign_in_attempts WHERE username IN ('old.attempt', 'recent.attempt')`,
      );
      expect(rows.map((r) => r.username)).toEqual(['recent.attempt']);
    });

    it('should store the password only as an argon2id hash when a user is created with one', async () => {
      const [{ password_hash }] = await ctx.dataSource.query(`SELECT password_hash FROM users WHERE username = 'j.jansen'`);
      expect(password_hash).toMatch(/^\$argon2id\$/);
      expect(JSON.stringify(await ctx.dataSource.query(`SELECT * FROM users`))).not.toContain(PASSWORD);
    });

    it('should answer the same 401 AUTH.INVALID_CREDENTIALS when the user is unknown or the password wrong', async () => {
      const wrong = await raw().post('/api/v1/auth/login').send({ username: 'j.jansen', password: 'verkeerd wachtwoord' }).expect(401);
      const unknown = await raw().post('/api/v1/auth/login').send({ username: 'niemand', password: 'verkeerd wachtwoord' }).expect(401);
      expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toMatchObject({ status: 401, code: 'AUTH.INVALID_CREDENTIALS' });
      expect(setCookie(wrong, 'copd_session')).toBeUndefined();
    });

    it('should end the session on the server when signing out, so the same cookie answers 401 AUTH.REQUIRED', async () => {
      const login = await raw().post('/api/v1/auth/login').send({ username: 'j.jansen', password: PASSWORD }).expect(200);
      const cookie = cookieOf(login);
      await raw().get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
      const out = await raw().post('/api/v1/auth/logout').set('Cookie', cookie).expect(204);
      expect(setCookie(out, 'copd_session')).toMatch(/Expires=Thu, 01 Jan 1970/);
      const after = await raw().get('/api/v1/auth/me').set('Cookie', cookie).expect(401);
      expect(after.body.code).toBe('AUTH.REQUIRED');
      const secret = decodeURIComponent(cookie.split('=')[1]);
      expect(await ctx.dataSource.query(`SELECT 1 FROM user_sessions WHERE token_hash = $1`, [sha256(secret)])).toEqual([]);
    });

    it('should answer 401 AUTH.REQUIRED without credentials and with a made-up cookie or token', async () => {
      expect((await raw().get('/api/v1/patients').expect(401)).body.code).toBe('AUTH.REQUIRED');
      expect((await raw().get('/api/v1/patients').set('Cookie', 'copd_session=made-up').expect(401)).body.code).toBe('AUTH.REQUIRED');
      expect((await raw().get('/api/v1/patients').set('Authorization', 'Bearer copd_made-up').expect(401)).body.code).toBe('AUTH.REQUIRED');
    });

    it('should audit every sign-in, failed or not, and every sign-out with who, from where and the outcome', async () => {
      const rows: { actor: string; actor_role: string; organisation: string | null; action: string; outcome: string; source: string }[] = await ctx.dataSource.query(
        `SELECT actor, actor_role, organisation, action, outcome, source FROM audit_log WHERE action LIKE 'auth.%' ORDER BY id`,
      );
      expect(rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actor: 'j.jansen', actor_role: 'PRACTICE', organisation: '12345678', action: 'auth.sign-in', outcome: 'SUCCESS' }),
          expect.objectContaining({ actor: 'j.jansen', actor_role: 'ANONYMOUS', action: 'auth.sign-in', outcome: 'FAILURE' }),
          expect.objectContaining({ actor: 'niemand', action: 'auth.sign-in', outcome: 'FAILURE' }),
          expect.objectContaining({ actor: 'j.jansen', action: 'auth.sign-out', outcome: 'SUCCESS' }),
        ]),
      );
      expect(rows.every((r) => r.source)).toBe(true);
    });
  });

  describe('lock-out', () => {
    it('should lock a username out with 429 AUTH.LOCKED_OUT and a Dutch retry time after 5 failures, even for the right password', async () => {
      await createUser({ username: 'p.pieters', displayName: 'Piet', role: 'EVALUATOR' });
      for (let i = 0; i < 5; i++) await raw().post('/api/v1/auth/login').send({ username: 'p.pieters', password: `fout ${i} fout fout` }).expect(401);
      const locked = await raw().post('/api/v1/auth/login').send({ username: 'p.pieters', password: PASSWORD }).expect(429);
      expect(locked.body).toMatchObject({ status: 429, code: 'AUTH.LOCKED_OUT', retryAt: expect.any(String) });
      expect(locked.body.detail).toMatch(/Probeer het opnieuw na \d\d:\d\d \(over 1[45] minuten\)/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      // Another user from the same address is not locked.
      await createUser({ username: 'k.klaassen', displayName: 'Klaas', role: 'EVALUATOR' });
      await raw().post('/api/v1/auth/login').send({ username: 'k.klaassen', password: PASSWORD }).expect(200);
      const denied = await ctx.dataSource.query(`SELECT detail FROM audit_log WHERE actor = 'p.pieters' AND outcome = 'DENIED'`);
      expect(denied).toEqual([{ detail: { method: 'password', reason: 'locked' } }]);
    });
  });

  describe('API tokens for practice software', () => {
    it('should show the token once, keep only its hash, act as the practice and stop working when revoked', async () => {
      const created = await ctx.http('ADMIN').post('/api/v1/api-tokens').send({ name: 'FysioRoster', practice: '12345678' }).expect(201);
      const token: string = created.body.token;
      expect(token).toMatch(/^copd_/);
      expect(created.body).toMatchObject({ role: 'PRACTICE', practice: '12345678', insurer: null, revokedAt: null });
      const listed = await ctx.http('ADMIN').get('/api/v1/api-tokens').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(token);
      expect(JSON.stringify(await ctx.dataSource.query(`SELECT * FROM api_tokens`))).not.toContain(token.slice(12));
      expect(await ctx.dataSource.query(`SELECT 1 FROM api_tokens WHERE token_hash = $1`, [sha256(token)])).toHaveLength(1);

      const bearer = () => ({ Authorization: `Bearer ${token}` });
      await raw().post(`/api/v1/patients/${patientId}/sessions`).set(bearer()).send({ date: '2025-02-12', kind: 'INDIVIDUAL' }).expect(201);
      const [row] = await ctx.dataSource.query(`SELECT actor, actor_role, organisation FROM audit_log WHERE action = 'session.create' ORDER BY id DESC LIMIT 1`);
      expect(row).toEqual({ actor: expect.stringMatching(/^api-token:copd_/), actor_role: 'PRACTICE', organisation: '12345678' });
      // Scoped like its practice: the other practice's data is not there, and it cannot mint tokens.
      expect((await raw().get('/api/v1/practices').set(bearer()).expect(200)).body.items.map((p: { agb: string }) => p.agb)).toEqual(['12345678']);
      expect((await raw().post('/api/v1/api-tokens').set(bearer()).send({ name: 'x', practice: '12345678' }).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
      expect((await raw().get('/api/v1/auth/me').set(bearer()).expect(200)).body.user).toMatchObject({ role: 'PRACTICE', practices: [{ agb: '12345678' }] });

      await ctx.http('ADMIN').delete(`/api/v1/api-tokens/${created.body.id}`).expect(204);
      expect((await raw().get('/api/v1/patients').set(bearer()).expect(401)).body.code).toBe('AUTH.REQUIRED');
      const audit = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY id`, [created.body.id]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['api-token.create', 'api-token.revoke']);
    });

    it('should let a practice user manage tokens of its own practice only, answering 404 for another practice', async () => {
      await practice().post('/api/v1/api-tokens').send({ name: 'Eigen', practice: '12345678' }).expect(201);
      const foreign = await practice().post('/api/v1/api-tokens').send({ name: 'Vreemd', practice: '87654321' }).expect(404);
      const unknown = await practice().post('/api/v1/api-tokens').send({ name: 'Onbekend', practice: '11112222' }).expect(404);
      expect(foreign.body.code).toBe(unknown.body.code);
    });
  });

  describe('users and permissions', () => {
    it('should end the sessions of a user and audit before and after when an administrator changes its role', async () => {
      const id = await createUser({ username: 'e.evers', displayName: 'Eva', role: 'EVALUATOR' });
      const cookie = cookieOf(await raw().post('/api/v1/auth/login').send({ username: 'e.evers', password: PASSWORD }).expect(200));
      await raw().get('/api/v1/patients').set('Cookie', cookie).expect(200);
      const changed = await ctx.http('ADMIN').patch(`/api/v1/users/${id}`).send({ role: 'INSURER', insurer: '3311' }).expect(200);
      expect(changed.body).toMatchObject({ role: 'INSURER', insurer: { uzovi: '3311', name: 'Zorgverzekeraar Noord' }, practices: [] });
      await raw().get('/api/v1/patients').set('Cookie', cookie).expect(401);
      const [row] = await ctx.dataSource.query(`SELECT actor, actor_role, detail FROM audit_log WHERE action = 'user.update' AND resource_id = $1`, [id]);
      expect(row).toMatchObject({
        actor: 'test-admin',
        actor_role: 'ADMIN',
        detail: { before: { role: 'EVALUATOR', insurer: null }, after: { role: 'INSURER', insurer: '3311' }, sessionsEnded: 1 },
      });
    });

    it('should reject a practice user without an AGB code and an insurer user with practices, with every reason', async () => {
      const response = await ctx.http('ADMIN').post('/api/v1/users').send({ username: 'fout', displayName: 'Fout', role: 'INSURER', practices: ['12345678'] }).expect(422);
      expect(response.body.errors.map((e: { code: string }) => e.code).sort()).toEqual(['USER.INSURER_REQUIRED', 'USER.PRACTICES_NOT_ALLOWED']);
    });
  });

  describe('what an insurer sees', () => {
    it('should show an insurer its insured without clinical detail and refuse it clinical records', async () => {
      const insurer = await ctx.signIn({ role: 'INSURER', insurer: '3311' });
      const got = await insurer().get(`/api/v1/patients/${patientId}`).expect(200);
      expect(Object.keys(got.body).sort()).toEqual(['arm', 'createdAt', 'endDate', 'experiment', 'id', 'insurer', 'intakeDate', 'practice', 'pseudonym', 'updatedAt']);
      const listed = await insurer().get('/api/v1/patients').expect(200);
      expect(listed.body.items[0]).not.toHaveProperty('goldStage');
      expect((await insurer().get(`/api/v1/patients/${patientId}/measurements`).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
      await insurer().get(`/api/v1/patients/${patientId}/pricing`).expect(200);
      await insurer().post(`/api/v1/patients/${patientId}/sessions`).send({ date: '2025-02-19', kind: 'INDIVIDUAL' }).expect(403);
    });
  });

  describe('the audit trail', () => {
    it('should let an evaluator search by patient, user and time, and a practice see who accessed its own patients', async () => {
      await ctx.http().get(`/api/v1/patients/${patientId}`).expect(200);
      const byPatient = await ctx.http().get(`/api/v1/audit-log?patient=${pseudonym}&user=test-evaluator`).expect(200);
      expect(byPatient.body.items.map((e: { action: string }) => e.action)).toContain('patient.read');
      expect(byPatient.body.items.every((e: { actor: string; patientPseudonym: string }) => e.actor === 'test-evaluator' && e.patientPseudonym === pseudonym)).toBe(true);
      const future = await ctx.http().get(`/api/v1/audit-log?from=2100-01-01`).expect(200);
      expect(future.body.total).toBe(0);

      const mine = await practice().get('/api/v1/audit-log/my-patients').expect(200);
      expect(mine.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'test-evaluator', role: 'EVALUATOR', action: 'patient.read', patientPseudonym: pseudonym })]));
      expect(mine.body.items[0]).not.toHaveProperty('source');
      const other = await ctx.signIn({ role: 'PRACTICE', practices: ['87654321'] });
      expect((await other().get('/api/v1/audit-log/my-patients').expect(200)).body.total).toBe(0);
      await practice().get('/api/v1/audit-log').expect(403);
    });

    it('should refuse UPDATE, DELETE and TRUNCATE on the audit table in the database itself', async () => {
      const before = await ctx.count('audit_log');
      // Even the schema's owner, who has the privileges the application role lacks (database-roles.int-spec), meets the trigger.
      await ctx.db.asOwner(async (owner) => {
        await expect(owner.query(`UPDATE audit_log SET outcome = 'SUCCESS' WHERE outcome <> 'SUCCESS'`)).rejects.toThrow(/append-only/);
        await expect(owner.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
        await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      });
      expect(await ctx.count('audit_log')).toBe(before);
    });

    it('should leave no audit row claiming success when the data write fails at commit', async () => {
      // A deferred constraint trigger fails the transaction at COMMIT, after the session row and its audit row
      // were both written: they must go together.
      // The application role may not create triggers: the schema's owner does.
      await ctx.db.asOwner((owner) => owner.query(`
        CREATE FUNCTION test_refuse_session() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test: refused at commit'; END $$`));
      await ctx.db.asOwner((owner) => owner.query(`
        CREATE CONSTRAINT TRIGGER test_refuse_session AFTER INSERT ON therapy_sessions
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.date = '2025-03-03') EXECUTE FUNCTION test_refuse_session()`));
      try {
        const sessionsBefore = await ctx.count('therapy_sessions');
        const response = await practice().post(`/api/v1/patients/${patientId}/sessions`).send({ date: '2025-03-03', kind: 'INDIVIDUAL' }).expect(500);
        // No stack and no SQL in the answer.
        expect(response.body).toEqual({ type: expect.any(String), title: 'Internal Server Error', status: 500, detail: expect.any(String), instance: expect.any(String), code: 'INTERNAL' });
        expect(JSON.stringify(response.body)).not.toMatch(/refused|therapy_sessions|trigger|at .*\.ts/);
        expect(await ctx.count('therapy_sessions')).toBe(sessionsBefore);
        const claimed = await ctx.dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'session.create' AND detail->>'date' = '2025-03-03'`);
        expect(claimed).toEqual([]);
      } finally {
        await ctx.db.asOwner((owner) => owner.query(`DROP TRIGGER test_refuse_session ON therapy_sessions; DROP FUNCTION test_refuse_session()`));
      }
    });
  });

  describe('OpenID Connect and hardening', () => {
    it('should keep OpenID Connect off by default and refuse a partial or insecure configuration', async () => {
      const off = await raw().get('/api/v1/auth/oidc/login').expect(404);
      expect(off.body.code).toBe('AUTH.OIDC_DISABLED');
      const base = { DATABASE_URL: 'postgres://x', PSEUDONYM_KEY: 'k'.repeat(32) };
      expect(oidcEnabled(loadConfig(base))).toBe(false);
      expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://idp.example.nl' })).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI missing/);
      const full = { OIDC_ISSUER: 'https://idp.example.nl/realms/zorg', OIDC_CLIENT_ID: 'copd', OIDC_CLIENT_SECRET: 's', OIDC_REDIRECT_URI: 'https://copd.example.nl/api/v1/auth/oidc/callback' };
      expect(oidcEnabled(loadConfig({ ...base, ...full }))).toBe(true);
      expect(() => loadConfig({ ...base, ...full, OIDC_ISSUER: 'http://idp.example.nl' })).toThrow(/OIDC_ISSUER: must use https/);
      expect(() => loadConfig({ ...base, ...full, OIDC_REDIRECT_URI: 'not a url' })).toThrow(/OIDC_REDIRECT_URI must be a URL/);
    });

    it('should send security headers, no CORS grant to a foreign origin and refuse an oversized body with 413', async () => {
      const response = await raw().get('/health').set('Origin', 'https://evil.example').expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBeDefined();
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
      const big = { username: 'x', password: 'y'.repeat(1_100_000) };
      expect((await raw().post('/api/v1/auth/login').send(big).expect(413)).body.code).toBe('REQUEST.TOO_LARGE');
    });
  });
});
