/**
 * The load run of issue 17 (target 4): 200 people using the API at once for 60 s, as people do, measured after 20 s
 * in which the same people already act (warm-up, printed apart). Each virtual
 * user is a loop with its own keep-alive connection (a browser's): one action, then a pause of 1-5 s (think
 * time), again. Evaluators read the arm comparison with varied filters (none, a practice, a region, an insurer,
 * GOLD stages, a profile, an intake year, region + GOLD); practice users, each bound to one practice, read
 * their patient list, a patient's record and their worklist, and record sessions (POST; a session already
 * recorded answers 200 "nothing changed", an expected answer, counted apart). Printed per action and overall:
 * requests, rate, p50/p90/p99; errors are answers other than the expected ones and failed connections. For the
 * comparisons also how far behind the records they were: how many answers were marked stale, and the age of the
 * facts each one showed (now minus its computedAt) on arrival.
 * Afterwards it waits for the outbox relay to catch up and checks that every accepted write (201) is in the
 * database with its date and kind, and in the facts: each written patient's patient_facts.sessions is its
 * count before the run plus its accepted writes.
 *
 * Why not autocannon here: autocannon fires each connection's next request as soon as the last one is
 * answered (or at a fixed rate), which measures a queue, not people who read before they click. The pauses
 * are what makes 200 users 200 users; autocannon measures the saturation point instead (saturation.ts).
 *
 * Alone, against an API that runs (the demo, a staging stack), with a database URL that may insert users
 * and sessions (the users and their sign-ins are written straight into the database, as the bench does):
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/load-run.ts \
 *     --api http://127.0.0.1:3000 --database-url postgres://... [--experiment CODE] [--users 200]
 *     [--evaluators 50] [--duration 60] [--warmup 20] [--seed 17] [--step-seconds 10] [--no-saturation]
 * Note that it records real sessions (dated within the last 120 days up to the analysis date) in that database.
 */
import http from 'node:http';
import { Client } from 'pg';
import { mulberry32 } from '@copd/domain';
import { evaluatorSession, onePracticeSession } from './bench-auth';
import { Figure, runSaturation, SATURATION_DEFAULTS } from './saturation';

export interface LoadRunOptions {
  users: number;
  evaluators: number;
  durationS: number;
  /**
   * Seconds the same users act before the measured durationS begins (the users arrive, the API's code is compiled,
   * each connection prepares its statements, the first reader of each filter makes its document): their answers are
   * printed apart (load_run_warmup_*), their writes are checked with the others.
   */
  warmupS: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  seed: number;
  /** Experiment code; omitted: the only experiment. */
  experiment?: string;
}

export const LOAD_RUN_DEFAULTS: LoadRunOptions = {
  users: 200,
  evaluators: 50,
  durationS: 60,
  warmupS: 20,
  thinkMinMs: 1000,
  thinkMaxMs: 5000,
  seed: 17,
};

type Action = 'comparison_unfiltered' | 'comparison_filtered' | 'patient_list' | 'patient_record' | 'worklist' | 'session_write';
const ACTIONS: Action[] = ['comparison_unfiltered', 'comparison_filtered', 'patient_list', 'patient_record', 'worklist', 'session_write'];

interface PoolPatient {
  id: string;
  firstWriteDay: number;
}

interface VirtualUser {
  cookie: string;
  agent: http.Agent;
  practice?: { agb: string; patients: PoolPatient[] };
}

/** The users, their sign-ins and what they may pick from; made once, used by every run of this bench. */
export interface LoadRunPlan {
  experimentId: string;
  experimentQuery: string;
  analysisDate: string;
  lastWriteDay: number;
  users: VirtualUser[];
  catalogue: { agbs: string[]; regions: string[]; uzovis: string[] };
  evaluatorCookie: string;
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

export async function prepareLoadRun(db: Client, options: LoadRunOptions): Promise<LoadRunPlan> {
  const experiments = (
    await db.query(`SELECT id, code, analysis_date::text AS analysis_date FROM experiments WHERE $1::text IS NULL OR code = $1 ORDER BY code`, [
      options.experiment ?? null,
    ])
  ).rows as { id: string; code: string; analysis_date: string }[];
  if (experiments.length !== 1) {
    throw new Error(options.experiment ? `no experiment ${options.experiment}` : `${experiments.length} experiments: name one with --experiment`);
  }
  const [experiment] = experiments;
  const practices = (
    await db.query(
      `SELECT pr.id, pr.agb, pr.region FROM practices pr
       WHERE EXISTS (SELECT 1 FROM patients p WHERE p.practice_id = pr.id AND p.experiment_id = $1) ORDER BY pr.agb`,
      [experiment.id],
    )
  ).rows as { id: string; agb: string; region: string }[];
  const uzovis = (await db.query(`SELECT uzovi FROM insurers ORDER BY uzovi`)).rows.map((r) => r.uzovi as string);
  // Sessions are written no later than the analysis date (so the facts count them) and not in the future.
  const lastWriteDay = Math.min(dayOf(experiment.analysis_date), Math.floor(Date.now() / DAY_MS));

  const practiceUsers = options.users - options.evaluators;
  const chosen = Array.from({ length: practiceUsers }, (_, i) => practices[Math.floor((i * practices.length) / practiceUsers)]);
  const pools = new Map<string, PoolPatient[]>();
  const rows = (
    await db.query(
      `SELECT p.practice_id, p.id, p.intake_date::text AS intake FROM patients p
       WHERE p.experiment_id = $1 AND p.practice_id = ANY($2::uuid[]) AND (p.end_date IS NULL OR p.end_date >= $3::date)
         AND p.intake_date <= $3::date AND p.id IN (SELECT patient_id FROM patient_facts)
       ORDER BY p.ref`,
      [experiment.id, [...new Set(chosen.map((p) => p.id))], isoOf(lastWriteDay)],
    )
  ).rows as { practice_id: string; id: string; intake: string }[];
  for (const row of rows) {
    const pool = pools.get(row.practice_id) ?? [];
    pool.push({ id: row.id, firstWriteDay: Math.max(dayOf(row.intake), lastWriteDay - 120) });
    pools.set(row.practice_id, pool);
  }

  const users: VirtualUser[] = [];
  for (let i = 0; i < options.evaluators; i++) {
    users.push({ cookie: await evaluatorSession(db, `load-evaluator-${i}`), agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
  }
  for (const [i, practice] of chosen.entries()) {
    users.push({
      cookie: await onePracticeSession(db, `load-practice-${i}`, practice.id),
      agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
      practice: { agb: practice.agb, patients: pools.get(practice.id) ?? [] },
    });
  }
  return {
    experimentId: experiment.id,
    experimentQuery: options.experiment ? `experiment=${encodeURIComponent(options.experiment)}` : '',
    analysisDate: experiment.analysis_date,
    lastWriteDay,
    users,
    catalogue: {
      agbs: practices.map((p) => p.agb),
      regions: [...new Set(practices.map((p) => p.region))].sort(),
      uzovis,
    },
    evaluatorCookie: users[0]?.cookie ?? (await evaluatorSession(db, 'load-evaluator-0')),
  };
}

interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** One request on the user's own connection; the time runs until the last byte of the answer. */
function send(agent: http.Agent, base: URL, method: string, path: string, cookie: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      {
        agent,
        hostname: base.hostname,
        port: base.port,
        method,
        path,
        timeout: 30_000,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', reject);
    request.end(body);
  });
}

function comparisonFilter(random: () => number, plan: LoadRunPlan): string {
  const { agbs, regions, uzovis } = plan.catalogue;
  const stages = () => pick(random, ['2', '3', '4', '2,3', '3,4']);
  const choices: (() => string)[] = [
    () => `practice=${pick(random, agbs)}`,
    () => `region=${encodeURIComponent(pick(random, regions))}`,
    () => `insurer=${pick(random, uzovis)}`,
    () => `goldStage=${stages()}`,
    () => `profile=${1 + Math.floor(random() * 6)}`,
    () => {
      const year = pick(random, ['2025', '2026']);
      return `intakeFrom=${year}-01-01&intakeTo=${year}-12-31`;
    },
    () => `region=${encodeURIComponent(pick(random, regions))}&goldStage=${stages()}`,
  ];
  return pick(random, choices)();
}

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);

interface Accepted {
  id: string;
  patientId: string;
  date: string;
  kind: string;
}

async function caughtUp(db: Client, plan: LoadRunPlan, base: URL): Promise<boolean> {
  const pending = (
    await db.query(`SELECT count(*)::int AS n FROM indicator_outbox WHERE experiment_id = $1 AND processed_at IS NULL`, [plan.experimentId])
  ).rows[0].n as number;
  if (pending > 0) return false;
  const query = plan.experimentQuery ? `?${plan.experimentQuery}` : '';
  const answer = await send(new http.Agent(), base, 'GET', `/api/v1/indicators/comparison${query}`, plan.evaluatorCookie);
  return answer.status === 200 && (JSON.parse(answer.text) as { stale: boolean }).stale === false;
}

async function waitUntilCaughtUp(db: Client, plan: LoadRunPlan, base: URL, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await caughtUp(db, plan, base)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** The 60-second run of people; prints its figures and returns the overall p99 (ms). */
export async function runUsers(db: Client, plan: LoadRunPlan, api: string, options: LoadRunOptions, figure: Figure): Promise<number> {
  const base = new URL(api);
  const note = (message: string) => process.stderr.write(`[load-run] ${message}\n`);
  if (!(await waitUntilCaughtUp(db, plan, base, 10 * 60_000))) throw new Error('the facts were not up to date before the load run');
  const written = plan.users.flatMap((u) => u.practice?.patients.map((p) => p.id) ?? []);
  const before = new Map(
    (await db.query(`SELECT patient_id, sessions FROM patient_facts WHERE patient_id = ANY($1::uuid[])`, [written])).rows.map(
      (r) => [r.patient_id as string, r.sessions as number] as const,
    ),
  );

  const times = new Map<Action, number[]>(ACTIONS.map((a) => [a, []]));
  const warmupTimes: number[] = [];
  const unexpected = new Map<string, { count: number; example: string }>();
  const accepted: Accepted[] = [];
  let alreadyRecorded = 0;
  // Per comparison action: the age in seconds of the facts each measured answer showed, and how many were marked stale.
  const factsAges = new Map<Action, number[]>([['comparison_filtered', []], ['comparison_unfiltered', []]]);
  const staleAnswers = new Map<Action, number>();
  const durationMs = options.durationS * 1000;
  const started = Date.now();
  const measuredFrom = started + options.warmupS * 1000;
  const deadline = measuredFrom + durationMs;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const act = async (user: VirtualUser, random: () => number): Promise<void> => {
    const practice = user.practice;
    let action: Action;
    let method = 'GET';
    let path: string;
    let body: string | undefined;
    let patientId = '';
    const and = plan.experimentQuery ? `&${plan.experimentQuery}` : '';
    if (!practice) {
      const filtered = random() < 0.7;
      action = filtered ? 'comparison_filtered' : 'comparison_unfiltered';
      const query = [filtered ? comparisonFilter(random, plan) : '', plan.experimentQuery].filter(Boolean).join('&');
      path = `/api/v1/indicators/comparison${query ? `?${query}` : ''}`;
    } else {
      const r = random();
      const patient = practice.patients.length > 0 ? pick(random, practice.patients) : undefined;
      if (r < 0.3 || !patient) {
        action = 'patient_list';
        path = `/api/v1/patient-records?practice=${practice.agb}&sort=nextDue&offset=${random() < 0.7 ? 0 : 50}${and}`;
      } else if (r < 0.6) {
        action = 'patient_record';
        path = `/api/v1/patient-records/${patient.id}`;
      } else if (r < 0.75) {
        action = 'worklist';
        path = `/api/v1/insights/worklist?practice=${practice.agb}${and}`;
      } else {
        action = 'session_write';
        method = 'POST';
        patientId = patient.id;
        path = `/api/v1/patients/${patient.id}/sessions`;
        const day = patient.firstWriteDay + Math.floor(random() * (plan.lastWriteDay - patient.firstWriteDay + 1));
        body = JSON.stringify({ date: isoOf(day), kind: random() < 0.5 ? 'REMOTE' : 'INDIVIDUAL' });
      }
    }
    const fail = (what: string, example: string) => {
      const seen = unexpected.get(what) ?? { count: 0, example };
      seen.count++;
      unexpected.set(what, seen);
    };
    try {
      const measured = Date.now() >= measuredFrom;
      const answer = await send(user.agent, base, method, path, user.cookie, body);
      (measured ? times.get(action)! : warmupTimes).push(answer.ms);
      if (action === 'session_write' && answer.status === 201) {
        const session = JSON.parse(answer.text) as { id: string; date: string; kind: string };
        accepted.push({ id: session.id, patientId, date: session.date, kind: session.kind });
      } else if (action === 'session_write' && (answer.status === 200 || answer.status === 409)) {
        alreadyRecorded++;
      } else if (answer.status !== 200) {
        fail(`${action} ${answer.status}`, `${method} ${path} ${answer.text.slice(0, 300)}`);
      } else if (measured && (action === 'comparison_filtered' || action === 'comparison_unfiltered')) {
        // How far behind the records the comparison was: the age of the facts it shows (its computedAt) on arrival.
        const document = JSON.parse(answer.text) as { stale: boolean; computedAt: string | null };
        const ages = factsAges.get(action)!;
        ages.push(document.computedAt === null ? Infinity : (Date.now() - Date.parse(document.computedAt)) / 1000);
        if (document.stale) staleAnswers.set(action, (staleAnswers.get(action) ?? 0) + 1);
      }
    } catch (error) {
      fail(`${action} failed`, `${method} ${path} ${(error as Error).message}`);
    }
  };

  await Promise.all(
    plan.users.map(async (user, i) => {
      const random = mulberry32(options.seed * 1000 + i); // seeded: two runs make the same choices per user
      const think = () => options.thinkMinMs + random() * (options.thinkMaxMs - options.thinkMinMs);
      // Users arrive spread over the first pause, not all in the first millisecond.
      await sleep(random() * options.thinkMaxMs);
      while (Date.now() < deadline) {
        await act(user, random);
        const pause = think();
        if (Date.now() + pause >= deadline) break;
        await sleep(pause);
      }
    }),
  );
  const endedMs = Date.now() - measuredFrom;
  for (const user of plan.users) user.agent.destroy();

  const all = [...times.values()].flat().sort((a, b) => a - b);
  const errors = [...unexpected.values()].reduce((n, e) => n + e.count, 0);
  figure('load_run_users', plan.users.length, 'users', { evaluators: options.evaluators, thinkMs: [options.thinkMinMs, options.thinkMaxMs] });
  figure('load_run_duration_seconds', endedMs / 1000, 's');
  const warmup = warmupTimes.sort((a, b) => a - b);
  figure('load_run_warmup_seconds', options.warmupS, 's');
  figure('load_run_warmup_requests', warmup.length, 'requests');
  figure('load_run_warmup_p50_ms', quantile(warmup, 0.5), 'ms');
  figure('load_run_warmup_p99_ms', quantile(warmup, 0.99), 'ms');
  figure('load_run_warmup_max_ms', warmup[warmup.length - 1] ?? NaN, 'ms');
  figure('load_run_requests', all.length, 'requests');
  figure('load_run_rps', all.length / options.durationS, 'req/s');
  for (const action of ACTIONS) {
    const sorted = times.get(action)!.sort((a, b) => a - b);
    const extra = { action, requests: sorted.length };
    figure('load_run_action_p50_ms', quantile(sorted, 0.5), 'ms', extra);
    figure('load_run_action_p90_ms', quantile(sorted, 0.9), 'ms', extra);
    figure('load_run_action_p99_ms', quantile(sorted, 0.99), 'ms', extra);
  }
  for (const [action, ages] of factsAges) {
    const sorted = ages.sort((a, b) => a - b);
    const extra = { action, answers: sorted.length };
    figure('load_run_stale_answers', staleAnswers.get(action) ?? 0, 'answers', extra);
    figure('load_run_facts_age_p50_s', quantile(sorted, 0.5), 's', extra);
    figure('load_run_facts_age_p90_s', quantile(sorted, 0.9), 's', extra);
    figure('load_run_facts_age_max_s', sorted[sorted.length - 1] ?? NaN, 's', extra);
  }
  const p99 = quantile(all, 0.99);
  figure('load_run_p50_ms', quantile(all, 0.5), 'ms');
  figure('load_run_p90_ms', quantile(all, 0.9), 'ms');
  figure('load_run_p99_ms', p99, 'ms', { limit: 200, within: p99 < 200 });
  figure('load_run_max_ms', all[all.length - 1] ?? NaN, 'ms');
  figure('load_run_errors', errors, 'requests');
  for (const [what, { count, example }] of unexpected) note(`${count} x ${what}; e.g. ${example}`);
  figure('load_run_writes_already_recorded', alreadyRecorded, 'requests');
  figure('load_run_writes_accepted', accepted.length, 'sessions');

  // Every accepted write: in the database as answered, and in the facts once the relay has caught up.
  const [, catchUpMs] = await (async () => {
    const t = Date.now();
    const ok = await waitUntilCaughtUp(db, plan, base, 5 * 60_000);
    return [ok, Date.now() - t] as const;
  })();
  figure('load_run_catch_up_ms', catchUpMs, 'ms');
  const stored = (
    await db.query(
      `SELECT count(*)::int AS n FROM therapy_sessions s
       JOIN unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[]) AS a (id, patient_id, date, kind)
         ON s.id = a.id AND s.patient_id = a.patient_id AND s.date = a.date AND s.kind = a.kind`,
      [accepted.map((a) => a.id), accepted.map((a) => a.patientId), accepted.map((a) => a.date), accepted.map((a) => a.kind)],
    )
  ).rows[0].n as number;
  figure('load_run_writes_in_database', stored, 'sessions', { of: accepted.length });
  const perPatient = new Map<string, number>();
  for (const a of accepted) perPatient.set(a.patientId, (perPatient.get(a.patientId) ?? 0) + 1);
  const after = new Map(
    (await db.query(`SELECT patient_id, sessions FROM patient_facts WHERE patient_id = ANY($1::uuid[])`, [[...perPatient.keys()]])).rows.map(
      (r) => [r.patient_id as string, r.sessions as number] as const,
    ),
  );
  let inFacts = 0;
  let mismatched = 0;
  for (const [patientId, n] of perPatient) {
    const gained = (after.get(patientId) ?? NaN) - (before.get(patientId) ?? NaN);
    if (gained === n) inFacts += n;
    else mismatched++;
  }
  figure('load_run_writes_in_facts', inFacts, 'sessions', { of: accepted.length, writtenPatients: perPatient.size, mismatchedPatients: mismatched });
  return p99;
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function standalone(): Promise<void> {
  const api = flag('api') ?? 'http://127.0.0.1:3000';
  const databaseUrl = flag('database-url') ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('--database-url (or DATABASE_URL) is needed: the run signs its users in and checks its writes there');
  const number = (name: string, fallback: number) => (flag(name) === undefined ? fallback : Number(flag(name)));
  const options: LoadRunOptions = {
    ...LOAD_RUN_DEFAULTS,
    users: number('users', LOAD_RUN_DEFAULTS.users),
    evaluators: number('evaluators', Math.round(number('users', LOAD_RUN_DEFAULTS.users) / 4)),
    durationS: number('duration', LOAD_RUN_DEFAULTS.durationS),
    warmupS: number('warmup', LOAD_RUN_DEFAULTS.warmupS),
    seed: number('seed', LOAD_RUN_DEFAULTS.seed),
    experiment: flag('experiment'),
  };
  const figure: Figure = (name, value, unit, extra) =>
    process.stdout.write(JSON.stringify({ name, value: Number(value.toFixed(4)), unit, ...extra }) + '\n');
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const plan = await prepareLoadRun(db, options);
    await runUsers(db, plan, api, options, figure);
    if (!process.argv.includes('--no-saturation')) {
      const query = plan.experimentQuery ? `?${plan.experimentQuery}` : '';
      await runSaturation(
        {
          ...SATURATION_DEFAULTS,
          url: `${api}/api/v1/indicators/comparison${query}`,
          headers: { cookie: plan.evaluatorCookie },
          stepSeconds: number('step-seconds', SATURATION_DEFAULTS.stepSeconds),
        },
        figure,
      );
    }
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  standalone().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`[load-run] ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
