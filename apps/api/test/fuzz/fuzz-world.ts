import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestContext } from '../support/test-app';
import { recomputeNow } from '../support/test-worker';
import { aContract, Arm } from '../fixtures/builders';

export type FuzzRole = 'ANONYMOUS' | 'ADMIN' | 'EVALUATOR' | 'PRACTICE' | 'INSURER';
export const FUZZ_ROLES: readonly FuzzRole[] = ['ANONYMOUS', 'ADMIN', 'EVALUATOR', 'PRACTICE', 'INSURER'];

/**
 * The small experiment every fuzzed request runs against, and the real values the generators draw valid
 * requests from (so a request passes shape checks and reaches the rules and the SQL behind them).
 *
 * Two tenants: practice A (11111111) with insurer X (3311, BUNDLE contract), practice B (22222222) with
 * insurer Y (4422, FFS); the PRACTICE identity is A's user, the INSURER identity X's. Spare objects
 * (practice, insurer, contract, users, tokens) exist so the deletes have something to delete. There is one
 * experiment, so a request may leave its code out.
 */
export interface FuzzWorld {
  dataSource: DataSource;
  /** Cookie header value per signed-in role. */
  cookies: Record<Exclude<FuzzRole, 'ANONYMOUS'>, string>;
  /** A new session of the role's user, for a request that ends its own session (logout). */
  freshCookie(role: Exclude<FuzzRole, 'ANONYMOUS'>): Promise<string>;
  /** Real ids by the path segment that names their resource ('patients', 'sessions', 'users', ...). */
  ids: Record<string, string[]>;
  /** Real values by request field or query parameter name ('experiment', 'practice', 'user', ...). */
  values: Record<string, string[]>;
}

const EXPERIMENT = { code: 'COPD-2025', name: 'Experiment COPD', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' };

export async function buildFuzzWorld(ctx: TestContext): Promise<FuzzWorld> {
  const evaluator = () => ctx.http('EVALUATOR');
  const admin = () => ctx.http('ADMIN');
  const id = async (call: PromiseLike<{ body: { id: string } }>) => (await call).body.id;
  const ids: Record<string, string[]> = {
    experiments: [], practices: [], insurers: [], contracts: [], patients: [], sessions: [], measurements: [], events: [], users: [], 'api-tokens': [], jobs: [],
    snapshots: [],
  };

  ids.experiments.push(await id(evaluator().post('/api/v1/experiments').send(EXPERIMENT).expect(201)));
  for (const [uzovi, name] of [['3311', 'Verzekeraar X'], ['4422', 'Verzekeraar Y'], ['5533', 'Verzekeraar Reserve']])
    ids.insurers.push(await id(admin().post('/api/v1/insurers').send({ uzovi, name }).expect(201)));
  for (const [agb, name] of [['11111111', 'Fysio A'], ['22222222', 'Fysio B'], ['33333333', 'Fysio Reserve']])
    ids.practices.push(await id(admin().post('/api/v1/practices').send({ agb, name, region: 'Utrecht' }).expect(201)));
  const contract = (practice: string, insurer: string, arm: Arm, validFrom: string, validTo: string) =>
    id(evaluator().post('/api/v1/contracts').send(aContract({ practice, insurer, arm, validFrom, validTo })).expect(201));
  ids.contracts.push(await contract('11111111', '3311', 'BUNDLE', '2025-01-01', '2025-12-31'));
  ids.contracts.push(await contract('22222222', '4422', 'FFS', '2025-01-01', '2025-12-31'));
  ids.contracts.push(await contract('11111111', '3311', 'BUNDLE', '2026-01-01', '2026-12-31'));

  const users = {
    ADMIN: await userId(ctx.dataSource, 'test-admin'),
    EVALUATOR: await userId(ctx.dataSource, 'test-evaluator'),
    PRACTICE: await id(admin().post('/api/v1/users').send({ username: 'fuzz-praktijk', displayName: 'Praktijk A', role: 'PRACTICE', practices: ['11111111'] }).expect(201)),
    INSURER: await id(admin().post('/api/v1/users').send({ username: 'fuzz-verzekeraar', displayName: 'Verzekeraar X', role: 'INSURER', insurer: '3311' }).expect(201)),
  };
  const practiceB = await id(admin().post('/api/v1/users').send({ username: 'fuzz-praktijk-b', displayName: 'Praktijk B', role: 'PRACTICE', practices: ['22222222'] }).expect(201));
  const cookies = {
    ADMIN: await insertSession(ctx.dataSource, users.ADMIN),
    EVALUATOR: await insertSession(ctx.dataSource, users.EVALUATOR),
    PRACTICE: await insertSession(ctx.dataSource, users.PRACTICE),
    INSURER: await insertSession(ctx.dataSource, users.INSURER),
  };
  const cookieB = await insertSession(ctx.dataSource, practiceB);

  // Patients of practice A (and one of B, a foreign tenant's), each with a session, a measurement and an event.
  const pseudonyms: string[] = [];
  for (let n = 1; n <= 5; n++) {
    const practice = n === 5 ? '22222222' : '11111111';
    const insurer = n === 5 ? '4422' : '3311';
    const cookie = n === 5 ? cookieB : cookies.PRACTICE;
    const ref = `R-${n}`;
    const created = await ctx.http('ANONYMOUS').post('/api/v1/patients').set('Cookie', cookie)
      .send({ experiment: 'COPD-2025', practice, insurer, ref, birthYear: 1950, sex: 'F', goldStage: 3, profile: 2, referralDate: '2025-02-01', intakeDate: '2025-02-10' })
      .expect(201);
    const patient = created.body.id as string;
    ids.patients.push(patient);
    pseudonyms.push(created.body.pseudonym);
    const write = (what: string, body: object) =>
      id(ctx.http('ANONYMOUS').post(`/api/v1/patients/${patient}/${what}`).set('Cookie', cookie).send(body).expect(201));
    ids.sessions.push(await write('sessions', { date: '2025-02-12', kind: 'INDIVIDUAL' }));
    ids.sessions.push(await write('sessions', { date: '2025-05-12', kind: 'HOME' }));
    ids.measurements.push(await write('measurements', { date: '2025-02-10', instrument: 'CAT', value: 20 }));
    ids.events.push(await write('events', { date: '2025-03-01', kind: 'EXACERBATION_MODERATE' }));
  }

  // The record read model (issue 14) is addressed by the patient's id.
  ids['patient-records'] = ids.patients;
  ids.users.push(practiceB);
  for (const n of [1, 2, 3])
    ids.users.push(await id(admin().post('/api/v1/users').send({ username: `fuzz-reserve-${n}`, displayName: `Reserve ${n}`, role: 'EVALUATOR' }).expect(201)));
  for (const [name, owner] of [['Software A', { practice: '11111111' }], ['Software A2', { practice: '11111111' }], ['Systeem X', { insurer: '3311' }], ['Software B', { practice: '22222222' }]] as const)
    ids['api-tokens'].push(await id(admin().post('/api/v1/api-tokens').send({ name, ...owner }).expect(201)));
  const job = await evaluator().post('/api/v1/indicators/recompute').send({ experiment: 'COPD-2025' });
  if (typeof job.body?.jobId === 'string') ids.jobs.push(job.body.jobId);
  ids.jobs.push('recompute:unknown:1');
  // A snapshot needs fresh facts: the recompute's unit of work runs here (no worker), then one is frozen.
  await recomputeNow(ctx);
  ids.snapshots.push(await id(evaluator().post('/api/v1/snapshots').send({ label: 'Fuzz' }).expect(201).then((r) => ({ body: r.body.snapshot }))));

  const usernames = ['test-admin', 'test-evaluator', 'fuzz-praktijk', 'fuzz-verzekeraar', 'fuzz-reserve-1'];
  return {
    dataSource: ctx.dataSource,
    cookies,
    freshCookie: (role) => insertSession(ctx.dataSource, users[role]),
    ids,
    values: {
      // Weighted towards tenant A's codes, which the PRACTICE and INSURER identities may write and read.
      experiment: ['COPD-2025', 'COPD-2025', 'COPD-2025', 'OTHER-1'],
      practice: ['11111111', '11111111', '11111111', '22222222', '33333333'],
      insurer: ['3311', '3311', '3311', '4422', '5533'],
      agb: ['11111111', '44444444', '01234567'],
      uzovi: ['3311', '6644', '0123'],
      region: ['Utrecht', 'Noord-Holland'],
      patient: pseudonyms,
      user: usernames,
      username: [...usernames, 'nieuwe.gebruiker'],
      action: ['patient.read', 'patient.create', 'access.denied', 'auth.login'],
      jobId: ids.jobs,
      to: ['now', ...ids.snapshots],
      // The monitoring report: a PDF takes Chromium a second or more, so most fuzzed reports are HTML.
      format: ['html', 'html', 'html', 'html', 'pdf'],
      bsn: ['123456782', '111222333', '999999990'],
    },
  };
}

async function userId(dataSource: DataSource, username: string): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(`SELECT id FROM users WHERE username = $1`, [username]);
  return rows[0].id;
}

/** A live session of a user, inserted as sign-in would (the cookie secret is stored as its SHA-256). */
async function insertSession(dataSource: DataSource, user: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await dataSource.query(
    `INSERT INTO user_sessions (user_id, token_hash, source, expires_at) VALUES ($1, $2, 'fuzz', now() + interval '1 day')`,
    [user, createHash('sha256').update(secret).digest('hex')],
  );
  return `copd_session=${secret}`;
}
