import { randomBytes } from 'node:crypto';
import { AppModule } from '../src/app.module';
import { routeTable, RouteEntry, staticRouteTable } from '../src/core/auth/route-table';
import { Http, startTestApp, TestContext } from './support/test-app';
import { aContract, Arm } from './fixtures/builders';

/**
 * The authorisation matrix, generated from the application's own route table: every route x every identity
 * (anonymous, ADMIN, EVALUATOR, PRACTICE, INSURER) x own / foreign tenant. A new route is in it without
 * anyone adding it; a route without an @Allow policy fails it.
 *
 * Two tenants that share nothing: T1 = practice A (11111111) contracting insurer X (3311), T2 = practice B
 * (22222222) contracting insurer Y (4422). The PRACTICE identity is A's user, the INSURER identity X's, so
 * "foreign" objects are T2's. Expected:
 *  - anonymous: 401 AUTH.REQUIRED (public routes: never 401 AUTH.REQUIRED nor 403);
 *  - a role the route's policy does not list: 403 AUTH.FORBIDDEN;
 *  - an allowed role on its own tenant's object: not 401/403/404;
 *  - an allowed PRACTICE or INSURER on a foreign tenant's object (in the path or named in the body): 404,
 *    exactly as for a missing object;
 *  - never a 5xx, and no T2 identifier anywhere in a 2xx answer to a PRACTICE or INSURER (lists, comparisons,
 *    insights, exports).
 */
const ROUTES = staticRouteTable(AppModule);
const IDENTITIES = ['ANONYMOUS', 'ADMIN', 'EVALUATOR', 'PRACTICE', 'INSURER'] as const;
const TENANTS = ['own', 'foreign'] as const;
type IdentityName = (typeof IDENTITIES)[number];
type Tenant = (typeof TENANTS)[number];
type Resource = 'patient' | 'session' | 'measurement' | 'event' | 'contract' | 'practice' | 'insurer' | 'token' | 'experiment' | 'user' | 'job';

/** Resources a PRACTICE or INSURER may own; the rest (experiments, users, jobs) have no tenant. */
const TENANT_RESOURCES = new Set<Resource>(['patient', 'session', 'measurement', 'event', 'contract', 'practice', 'insurer', 'token']);
const SEGMENT_RESOURCE: Record<string, Resource> = {
  patients: 'patient', 'patient-records': 'patient', sessions: 'session', measurements: 'measurement', events: 'event', contracts: 'contract',
  practices: 'practice', insurers: 'insurer', 'api-tokens': 'token', experiments: 'experiment', users: 'user', jobs: 'job',
};
/** Bodies that name a tenant: the foreign case names T2's organisation. */
const TENANT_BODY_ROUTES = new Set(['POST /api/v1/patients', 'POST /api/v1/api-tokens']);

/** Logout deletes the session it is sent with, so each of its cases signs in afresh. */
function isLogout(r: RouteEntry): boolean {
  return r.path === '/api/v1/auth/logout';
}

/** The resource each path parameter refers to, by the segment before it (/patients/:id, /patients/:patientId/...). */
function paramResources(path: string): { name: string; resource: Resource | undefined }[] {
  const segments = path.split('/');
  return segments.flatMap((segment, i) => (segment.startsWith(':') ? [{ name: segment.slice(1), resource: SEGMENT_RESOURCE[segments[i - 1]] }] : []));
}

function isTenantRoute(r: RouteEntry): boolean {
  return TENANT_BODY_ROUTES.has(`${r.method} ${r.path}`) || paramResources(r.path).some((p) => p.resource !== undefined && TENANT_RESOURCES.has(p.resource));
}

type Expectation = 'AUTH_REQUIRED' | 'PUBLIC' | 'FORBIDDEN' | 'ALLOWED' | 'NOT_FOUND' | 'METRICS_TOKEN';

/** GET /metrics answers only to METRICS_TOKEN (core/metrics): no role's session grants it. */
const METRICS_TOKEN = 'authorisation-matrix-metrics-token';

function expectationOf(r: RouteEntry, identity: IdentityName, tenant: Tenant): Expectation {
  if (r.path === '/metrics') return 'METRICS_TOKEN';
  if (r.policy?.public) return 'PUBLIC';
  if (identity === 'ANONYMOUS') return 'AUTH_REQUIRED';
  if (!r.policy || !r.policy.roles.includes(identity)) return 'FORBIDDEN';
  const scoped = identity === 'PRACTICE' || identity === 'INSURER';
  return scoped && tenant === 'foreign' && isTenantRoute(r) ? 'NOT_FOUND' : 'ALLOWED';
}

const CASES = ROUTES.flatMap((route) =>
  IDENTITIES.flatMap((identity) => TENANTS.map((tenant) => ({ route, identity, tenant, expected: expectationOf(route, identity, tenant) }))),
);

interface TenantObjects {
  agb: string;
  uzovi: string;
  practice: string;
  insurer: string;
  contract: string;
  patient: string;
  pseudonym: string;
  session: string;
  measurement: string;
  event: string;
  practiceToken: string;
  insurerToken: string;
}

describe(`authorisation matrix: ${ROUTES.length} routes x ${IDENTITIES.length} identities x ${TENANTS.length} tenants = ${CASES.length} cases`, () => {
  let ctx: TestContext;
  const as = {} as Record<IdentityName, () => Http>;
  const t = {} as Record<'T1' | 'T2', TenantObjects>;
  let experimentId: string;
  let fixtureUserId: string;
  /** Everything that identifies tenant T2, as it would appear in a JSON answer. */
  let foreignMarkers: RegExp[] = [];
  let serial = 0;

  beforeAll(async () => {
    process.env.METRICS_TOKEN = METRICS_TOKEN;
    ctx = await startTestApp();
    as.ANONYMOUS = () => ctx.http('ANONYMOUS');
    as.ADMIN = () => ctx.http('ADMIN');
    as.EVALUATOR = () => ctx.http('EVALUATOR');
    const ids = async (call: Promise<{ body: { id: string } }>) => (await call).body.id;
    const experiment = { code: 'COPD-2025', name: 'Experiment', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' };
    experimentId = await ids(as.EVALUATOR().post('/api/v1/experiments').send(experiment).expect(201));
    const tenant = async (agb: string, uzovi: string, name: string, arm: Arm): Promise<TenantObjects> => {
      const insurer = await ids(as.ADMIN().post('/api/v1/insurers').send({ uzovi, name: `Verzekeraar ${name}` }).expect(201));
      const practice = await ids(as.ADMIN().post('/api/v1/practices').send({ agb, name: `Fysio ${name}`, region: 'Utrecht' }).expect(201));
      const contract = await ids(as.EVALUATOR().post('/api/v1/contracts').send(aContract({ practice: agb, insurer: uzovi, arm })).expect(201));
      const user = await ctx.signIn({ role: 'PRACTICE', practices: [agb] });
      const created = await user()
        .post('/api/v1/patients')
        .send({ experiment: 'COPD-2025', practice: agb, insurer: uzovi, ref: 'R-1', birthYear: 1950, sex: 'F', goldStage: 3, profile: 2, referralDate: '2025-02-01', intakeDate: '2025-02-10' })
        .expect(201);
      const patient = created.body.id as string;
      const session = await ids(user().post(`/api/v1/patients/${patient}/sessions`).send({ date: '2025-02-12', kind: 'INDIVIDUAL' }).expect(201));
      const measurement = await ids(user().post(`/api/v1/patients/${patient}/measurements`).send({ date: '2025-02-10', instrument: 'CAT', value: 20 }).expect(201));
      const event = await ids(user().post(`/api/v1/patients/${patient}/events`).send({ date: '2025-03-01', kind: 'EXACERBATION_MODERATE' }).expect(201));
      const practiceToken = await ids(as.ADMIN().post('/api/v1/api-tokens').send({ name: `Software ${name}`, practice: agb }).expect(201));
      const insurerToken = await ids(as.ADMIN().post('/api/v1/api-tokens').send({ name: `Systeem ${name}`, insurer: uzovi }).expect(201));
      return { agb, uzovi, practice, insurer, contract, patient, pseudonym: created.body.pseudonym, session, measurement, event, practiceToken, insurerToken };
    };
    t.T1 = await tenant('11111111', '3311', 'Eigen', 'BUNDLE');
    t.T2 = await tenant('22222222', '4422', 'Vreemd', 'FFS');
    as.PRACTICE = await ctx.signIn({ role: 'PRACTICE', practices: ['11111111'] }, 'matrix-praktijk');
    as.INSURER = await ctx.signIn({ role: 'INSURER', insurer: '3311' }, 'matrix-verzekeraar');
    fixtureUserId = await ids(as.ADMIN().post('/api/v1/users').send({ username: 'fixture-user', displayName: 'Fixture', role: 'EVALUATOR' }).expect(201));
    const tokenPrefixes: { prefix: string }[] = await ctx.dataSource.query(`SELECT prefix FROM api_tokens WHERE id = ANY($1::uuid[])`, [[t.T2.practiceToken, t.T2.insurerToken]]);
    const { agb, uzovi, pseudonym, ...uuids } = t.T2;
    // Codes as whole numbers (not inside a uuid or a timestamp), names and ids anywhere.
    const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    foreignMarkers = [
      ...[agb, uzovi].map((code) => new RegExp(`(^|[^0-9a-f-])${code}([^0-9a-f-]|$)`)),
      ...[pseudonym, 'Fysio Vreemd', 'Verzekeraar Vreemd', 'Software Vreemd', 'Systeem Vreemd', ...Object.values(uuids), ...tokenPrefixes.map((r) => r.prefix)].map(literal),
    ];
  });
  afterAll(() => ctx.close());

  it('should cover exactly the routes the running application serves, each with a declared policy', () => {
    const live = routeTable(ctx.app).map((r) => `${r.method} ${r.path}`);
    expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(live);
    expect(ROUTES.filter((r) => !r.policy).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual([]);
    expect(CASES).toHaveLength(ROUTES.length * IDENTITIES.length * TENANTS.length);
  });

  it('should serve GET /metrics to the METRICS_TOKEN bearer token alone, without any session', async () => {
    await as.ANONYMOUS().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
  });

  function freshSession(identity: Exclude<IdentityName, 'ANONYMOUS'>): Promise<() => Http> {
    if (identity === 'PRACTICE') return ctx.signIn({ role: 'PRACTICE', practices: ['11111111'] });
    if (identity === 'INSURER') return ctx.signIn({ role: 'INSURER', insurer: '3311' });
    return ctx.signIn({ role: identity });
  }

  /** A fresh object to delete, so deleting never takes a fixture with it. */
  async function disposable(resource: Resource, tenant: 'T1' | 'T2', identity: IdentityName): Promise<string> {
    const n = ++serial;
    const o = t[tenant];
    const insert = async (sql: string, params: unknown[]) => (await ctx.dataSource.query(sql, params))[0].id as string;
    const day = `2025-03-01`;
    switch (resource) {
      case 'patient':
        return insert(
          `INSERT INTO patients (experiment_id, practice_id, insurer_id, ref, pseudonym, arm, birth_year, sex, gold_stage, profile, referral_date, intake_date)
           VALUES ($1, $2, $3, $4, $5, 'BUNDLE', 1950, 'F', 3, 2, '2025-02-01', '2025-02-10') RETURNING id`,
          [experimentId, o.practice, o.insurer, `D-${n}`, `P-D${String(n).padStart(15, '0')}`],
        );
      case 'session':
        return insert(`INSERT INTO therapy_sessions (patient_id, date, kind) VALUES ($1, $2::date + $3::int, 'HOME') RETURNING id`, [o.patient, day, n]);
      case 'measurement':
        return insert(`INSERT INTO measurements (patient_id, date, instrument, value) VALUES ($1, $2::date + $3::int, 'MMRC', 2) RETURNING id`, [o.patient, day, n]);
      case 'event':
        return insert(`INSERT INTO events (patient_id, date, kind) VALUES ($1, $2::date + $3::int, 'HOSPITAL_ADMISSION') RETURNING id`, [o.patient, day, n]);
      case 'contract':
        return insert(
          `INSERT INTO contracts (experiment_id, practice_id, insurer_id, arm, valid_from, valid_to, bundle_intake_cents, bundle_quarter_cents,
                                  ffs_intake_cents, ffs_session_cents, ffs_home_supplement_cents, ffs_group_session_cents)
           VALUES ($1, $2, $3, 'BUNDLE', make_date(2030 + $4::int, 1, 1), make_date(2030 + $4::int, 12, 31), 1, 1, 1, 1, 1, 1) RETURNING id`,
          [experimentId, o.practice, o.insurer, n],
        );
      case 'practice':
        return insert(`INSERT INTO practices (agb, name, region) VALUES ($1, 'Wegwerp', 'X') RETURNING id`, [String(90000000 + n)]);
      case 'insurer':
        return insert(`INSERT INTO insurers (uzovi, name) VALUES ($1, 'Wegwerp') RETURNING id`, [String(9000 + n)]);
      case 'experiment':
        return insert(`INSERT INTO experiments (code, name, start_date, end_date, analysis_date) VALUES ($1, 'Wegwerp', '2025-01-01', '2025-12-31', '2025-06-30') RETURNING id`, [`DISP-${n}`]);
      case 'user':
        return insert(`INSERT INTO users (username, display_name, role) VALUES ($1, 'Wegwerp', 'EVALUATOR') RETURNING id`, [`disposable-${n}`]);
      case 'token':
        return insert(
          `INSERT INTO api_tokens (name, token_hash, prefix, role, practice_id, insurer_id) VALUES ('Wegwerp', $1, 'copd_x', $2, $3, $4) RETURNING id`,
          identity === 'INSURER'
            ? [randomBytes(32).toString('hex'), 'INSURER', null, o.insurer]
            : [randomBytes(32).toString('hex'), 'PRACTICE', o.practice, null],
        );
      case 'job':
        return 'no-such-job';
    }
  }

  /** The id an existing (not deleted) fixture of the resource has in the tenant, as this identity would address it. */
  function fixture(resource: Resource | undefined, tenant: 'T1' | 'T2', identity: IdentityName): string {
    const o = t[tenant];
    switch (resource) {
      case 'patient': return o.patient;
      case 'session': return o.session;
      case 'measurement': return o.measurement;
      case 'event': return o.event;
      case 'contract': return o.contract;
      case 'practice': return o.practice;
      case 'insurer': return o.insurer;
      case 'token': return identity === 'INSURER' ? o.insurerToken : o.practiceToken;
      case 'experiment': return experimentId;
      case 'user': return fixtureUserId;
      case 'job': return 'no-such-job';
      default: return '00000000-0000-4000-8000-000000000000';
    }
  }

  /** A valid body where we know the route, so the request reaches the scope check instead of stopping at validation. */
  function bodyFor(route: RouteEntry, tenant: 'T1' | 'T2', identity: IdentityName): unknown {
    const o = t[tenant];
    switch (`${route.method} ${route.path}`) {
      case 'POST /api/v1/patients':
        return { experiment: 'COPD-2025', practice: o.agb, insurer: o.uzovi, ref: `M-${++serial}`, birthYear: 1950, sex: 'M', goldStage: 2, profile: 1, referralDate: '2025-02-01', intakeDate: '2025-02-10' };
      case 'POST /api/v1/api-tokens':
        return identity === 'INSURER' ? { name: `M-${++serial}`, insurer: o.uzovi } : { name: `M-${++serial}`, practice: o.agb };
      case 'POST /api/v1/patients/:patientId/sessions':
        return { date: '2025-04-01', kind: 'GROUP' };
      case 'POST /api/v1/patients/:patientId/sessions/batch':
        return [{ date: '2025-04-02', kind: 'GROUP' }];
      case 'POST /api/v1/patients/:patientId/measurements':
        return { date: '2025-04-01', instrument: 'STEPS', value: 4000 };
      case 'POST /api/v1/patients/:patientId/events':
        return { date: '2025-04-01', kind: 'EXACERBATION_SEVERE' };
      case 'POST /api/v1/auth/login':
        return { username: `nobody-${++serial}`, password: 'wrong password' };
      case 'PATCH /api/v1/users/:id':
        return { displayName: 'Fixture' };
      case 'PUT /api/v1/experiments/:id/analysis-date':
        return { analysisDate: '2025-10-31', reason: 'Autorisatiematrix: peildatum verzet' };
      // Corrections and deletions of records need a reason (issue 14).
      case 'PATCH /api/v1/patients/:id':
        return { reason: 'Autorisatiematrix: correctie' };
      case 'PATCH /api/v1/sessions/:id':
        return { kind: 'HOME', reason: 'Autorisatiematrix: correctie' };
      case 'PATCH /api/v1/measurements/:id':
        return { value: 21, reason: 'Autorisatiematrix: correctie' };
      case 'PATCH /api/v1/events/:id':
        return { kind: 'EXACERBATION_SEVERE', reason: 'Autorisatiematrix: correctie' };
      case 'DELETE /api/v1/patients/:id':
      case 'DELETE /api/v1/sessions/:id':
      case 'DELETE /api/v1/measurements/:id':
      case 'DELETE /api/v1/events/:id':
        return { reason: 'Autorisatiematrix: verwijderd' };
      default:
        return route.method === 'DELETE' ? undefined : {};
    }
  }

  it.each(CASES.map((c) => [`${c.route.method} ${c.route.path} as ${c.identity}, ${c.tenant} tenant: ${c.expected}`, c] as const))(
    '%s',
    async (_name, { route, identity, tenant, expected }) => {
      const tenantKey = tenant === 'own' ? 'T1' : 'T2';
      let path = route.path;
      for (const { name, resource } of paramResources(route.path)) {
        const id = route.method === 'DELETE' && resource && path.endsWith(`:${name}`) ? await disposable(resource, tenantKey, identity) : fixture(resource, tenantKey, identity);
        path = path.replace(`:${name}`, id);
      }
      const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
      const http = isLogout(route) && identity !== 'ANONYMOUS' ? await freshSession(identity) : as[identity];
      const request = http()[method](path);
      const body = method === 'get' ? undefined : bodyFor(route, tenantKey, identity);
      const response = await (body === undefined ? request : request.send(body as object));
      const what = `${route.method} ${path} as ${identity}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;

      expect({ what, serverError: response.status >= 500 }).toEqual({ what, serverError: false });
      switch (expected) {
        case 'AUTH_REQUIRED':
          expect({ what, status: response.status, code: response.body.code }).toEqual({ what, status: 401, code: 'AUTH.REQUIRED' });
          break;
        case 'PUBLIC':
          expect({ what, refused: response.body.code === 'AUTH.REQUIRED' || response.status === 403 }).toEqual({ what, refused: false });
          break;
        case 'FORBIDDEN':
          expect({ what, status: response.status, code: response.body.code }).toEqual({ what, status: 403, code: 'AUTH.FORBIDDEN' });
          break;
        case 'NOT_FOUND':
          expect({ what, status: response.status }).toEqual({ what, status: 404 });
          break;
        case 'METRICS_TOKEN':
          expect({ what, status: response.status, code: response.body.code }).toEqual({ what, status: 401, code: 'METRICS.TOKEN_REQUIRED' });
          break;
        case 'ALLOWED':
          expect({ what, refused: [401, 403].includes(response.status) || (isTenantRoute(route) && response.status === 404) }).toEqual({ what, refused: false });
          break;
      }
      if (isLogout(route) && response.status === 204) {
        expect((await http().get('/api/v1/auth/me')).status).toBe(401); // the session really ended
      }
      if ((identity === 'PRACTICE' || identity === 'INSURER') && response.status < 300) {
        const text = JSON.stringify(response.body ?? null) + (response.text ?? '');
        expect({ what, leaked: foreignMarkers.filter((m) => m.test(text)).map(String) }).toEqual({ what, leaked: [] });
      }
    },
  );
});
