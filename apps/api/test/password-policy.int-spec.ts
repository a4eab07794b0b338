import request from 'supertest';
import { systemActor } from '../src/core/actor/actor';
import { UsersService } from '../src/modules/users/users.service';
import { startTestApp, TestContext } from './support/test-app';
import { aPractice } from './fixtures/builders';

const STRONG = 'paars olifant fietst snel';

/** Issue 10 L3: every path that sets a password refuses common, blank and account-derived passwords. */
describe('password policy on user create, admin reset and the demo users (real PostgreSQL)', () => {
  let ctx: TestContext;
  const raw = () => request(ctx.app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.http('ADMIN').post('/api/v1/practices').send(aPractice()).expect(201);
  });
  afterAll(() => ctx.close());

  const create = (body: Record<string, unknown>) =>
    ctx.http('ADMIN').post('/api/v1/users').send({ username: 'm.devries', displayName: 'Marieke de Vries', role: 'EVALUATOR', ...body });

  it.each([
    ['aaaaaaaaaaaa', 'USER.PASSWORD_WEAK', 'Herhaalde tekens zoals "aaa" zijn makkelijk te raden.'],
    ['password1234', 'USER.PASSWORD_WEAK', 'Dit lijkt op een veel gebruikt wachtwoord.'],
    ['            ', 'USER.PASSWORD_BLANK', 'Het wachtwoord bestaat alleen uit spaties; kies woorden, letters of cijfers.'],
  ])('should refuse %j with 422 and a field error on password and create nothing when an administrator creates a user', async (password, code, advice) => {
    const users = await ctx.count('users');
    const audit = await ctx.count('audit_log');
    const response = await create({ password }).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('USER.INVALID');
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0]).toMatchObject({ code, path: 'password' });
    expect(response.body.errors[0].message).toContain(advice);
    expect(await ctx.count('users')).toBe(users);
    expect(await ctx.count('audit_log')).toBe(audit);
  });

  it('should refuse a password made of the username with the reason when an administrator creates a user', async () => {
    const response = await create({ password: 'm.devries2025' }).expect(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ code: 'USER.PASSWORD_WEAK', path: 'password' }),
    ]);
    expect(response.body.errors[0].message).toContain('Het bevat uw gebruikersnaam, naam, organisatie of een woord van deze toepassing.');
  });

  it('should report the password with every other reason at once when the organisation is unknown too', async () => {
    const response = await create({ username: 'k.klaassen', role: 'PRACTICE', practices: ['99999999'], password: 'password1234' }).expect(422);
    expect(response.body.errors.map((e: { code: string; path: string }) => [e.code, e.path])).toEqual([
      ['USER.UNKNOWN_PRACTICE', 'practices[0]'],
      ['USER.PASSWORD_WEAK', 'password'],
    ]);
  });

  it('should refuse a practice user\'s password made of its practice\'s name', async () => {
    const response = await create({ username: 'k.klaassen', role: 'PRACTICE', practices: ['12345678'], password: 'fysiodebrug12' }).expect(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ code: 'USER.PASSWORD_WEAK', path: 'password' })]);
  });

  it('should accept a strong passphrase and sign in with it when an administrator creates a user', async () => {
    const created = await create({ password: STRONG }).expect(201);
    expect(created.body).toMatchObject({ username: 'm.devries', hasPassword: true });
    await raw().post('/api/v1/auth/login').send({ username: 'm.devries', password: STRONG }).expect(200);
  });

  it('should refuse a weak password and keep the old one and the sessions when an administrator resets it', async () => {
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM users WHERE username = 'm.devries'`);
    await raw().post('/api/v1/auth/login').send({ username: 'm.devries', password: STRONG }).expect(200);
    const sessions = await ctx.count('user_sessions');
    const response = await ctx.http('ADMIN').patch(`/api/v1/users/${id}`).send({ password: 'MariekeDeVries1' }).expect(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ code: 'USER.PASSWORD_WEAK', path: 'password' })]);
    expect(await ctx.count('user_sessions')).toBe(sessions);
    await raw().post('/api/v1/auth/login').send({ username: 'm.devries', password: STRONG }).expect(200);
  });

  it('should refuse a weak demo password when the demo users are created from the CLI', async () => {
    const users = await ctx.count('users');
    const service = ctx.app.get(UsersService);
    await expect(service.ensureDemoUsers(systemActor('cli:test', 'cli'), { admin: 'wachtwoord12' })).rejects.toMatchObject({
      code: 'USER.INVALID',
      violations: [expect.objectContaining({ code: 'USER.PASSWORD_WEAK', path: 'password' })],
    });
    expect(await ctx.count('users')).toBe(users);
  });

  it('should create every demo user when the passwords are generated as npm run demo does', async () => {
    const service = ctx.app.get(UsersService);
    const created = await service.ensureDemoUsers(systemActor('cli:test', 'cli'), {});
    // no contracts in this database: admin and evaluator only, each with a random password that passes the policy
    expect(created.map((u) => u.username)).toEqual(['admin', 'evaluator']);
    for (const user of created) await raw().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  });
});
