import { INestApplication, LoggerService } from '@nestjs/common';
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { FuzzRequest, FuzzTarget } from './fuzz-targets';
import { FuzzWorld } from './fuzz-world';
import { changedTables, fingerprint } from './row-fingerprint';

export interface FuzzResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A distinct way a route failed a property, with the first request that showed it. */
export interface FuzzFailure {
  property: 'no 5xx' | 'problem+json' | 'no row changed' | 'no SUCCESS audit on refusal' | 'answers';
  status: number;
  /** The problem code, the server's logged error for a 5xx, or the changed tables. */
  reason: string;
  count: number;
  /** fast-check run index: with the seed, `--seed S --path I` replays exactly this request. */
  path: string;
  example: FuzzRequest;
  response: string;
}

export interface RouteReport {
  route: string;
  seed: number;
  requests: number;
  status5xx: number;
  rowChanges: number;
  /** Answers per status class, to see how deep the generated requests got (2xx = through every check). */
  statuses: Record<string, number>;
  /** Answers per status and problem code ("422 ELIGIBILITY.GOLD_STAGE_TOO_LOW"): which checks the requests met. */
  codes: Record<string, number>;
  failures: FuzzFailure[];
  ms: number;
}

/**
 * The HTTP application listening on a loopback port, with the errors it logs captured so a 5xx can be
 * reported with its cause (the problem document of a 500 says nothing on purpose).
 */
export class FuzzHarness {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private lastErrors: string[] = [];
  private constructor(
    private readonly port: number,
    private readonly world: FuzzWorld,
  ) {}

  static async start(app: INestApplication, world: FuzzWorld): Promise<FuzzHarness> {
    const harness = new FuzzHarness(0, world);
    app.useLogger(harness.logger());
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    return Object.assign(harness, { port });
  }

  close(): void {
    this.agent.destroy();
  }

  /** The OpenAPI document the application serves (GET /api/docs-json), which the generators read. */
  async openApiDocument(): Promise<unknown> {
    const response = await this.send({ role: 'ANONYMOUS', method: 'GET', url: '/api/docs-json' });
    return JSON.parse(response.body);
  }

  /** Runs `numRuns` generated requests against one route and checks every answer; never throws on a finding. */
  async run(target: FuzzTarget, options: { numRuns: number; seed?: number; path?: string }): Promise<RouteReport> {
    const started = Date.now();
    const seed = options.seed ?? Date.now() ^ (Math.random() * 0x100000000);
    const report: RouteReport = { route: target.name, seed, requests: 0, status5xx: 0, rowChanges: 0, statuses: {}, codes: {}, failures: [], ms: 0 };
    const byKey = new Map<string, FuzzFailure>();
    const note = (failure: Omit<FuzzFailure, 'count' | 'path'>, runIndex: number) => {
      const key = `${failure.property}|${failure.status}|${failure.reason}`;
      const known = byKey.get(key);
      if (known) known.count++;
      else byKey.set(key, { ...failure, count: 1, path: options.path ?? String(runIndex) });
    };
    let before = await fingerprint(this.world.dataSource);
    let runIndex = 0;
    // The property records instead of throwing, so one run counts every failure (and fast-check does not
    // shrink: the first request of each distinct failure is reported as generated).
    await fc.assert(
      fc.asyncProperty(target.arbitrary, async (generated) => {
        const index = runIndex++;
        this.lastErrors = [];
        let response: FuzzResponse;
        try {
          response = await this.send(generated);
        } catch (error) {
          note({ property: 'answers', status: 0, reason: (error as Error).message, example: generated, response: '' }, index);
          report.requests++;
          return;
        }
        report.requests++;
        const statusClass = `${Math.floor(response.status / 100)}xx`;
        report.statuses[statusClass] = (report.statuses[statusClass] ?? 0) + 1;
        const after = await fingerprint(this.world.dataSource);
        const code = problemCode(response.body);
        const answer = `${response.status}${code ? ` ${code}` : ''}`;
        report.codes[answer] = (report.codes[answer] ?? 0) + 1;
        if (response.status >= 500) {
          report.status5xx++;
          const cause = this.lastErrors[0] ?? code ?? 'no logged error';
          note({ property: 'no 5xx', status: response.status, reason: normalise(cause), example: generated, response: response.body.slice(0, 500) }, index);
        }
        if (response.status >= 400) {
          if (!response.contentType.startsWith('application/problem+json'))
            note({ property: 'problem+json', status: response.status, reason: response.contentType || 'no Content-Type', example: generated, response: response.body.slice(0, 300) }, index);
          const changed = changedTables(before, after);
          if (changed.length > 0) {
            report.rowChanges++;
            note({ property: 'no row changed', status: response.status, reason: changed.join(', '), example: generated, response: response.body.slice(0, 300) }, index);
          }
          const audited: { action: string }[] =
            after.auditMax === before.auditMax
              ? []
              : await this.world.dataSource.query(`SELECT action FROM audit_log WHERE id > $1 AND outcome = 'SUCCESS' ORDER BY id`, [before.auditMax]);
          if (audited.length > 0)
            note({ property: 'no SUCCESS audit on refusal', status: response.status, reason: audited.map((a) => a.action).join(', '), example: generated, response: response.body.slice(0, 300) }, index);
        }
        before = after;
      }),
      { numRuns: options.numRuns, seed, path: options.path },
    );
    report.failures = [...byKey.values()];
    report.ms = Date.now() - started;
    return report;
  }

  async send(req: FuzzRequest): Promise<FuzzResponse> {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (req.role !== 'ANONYMOUS') {
      // Signing out ends the session it is sent with, so each sign-out gets a session of its own.
      headers.Cookie = req.url.startsWith('/api/v1/auth/logout') ? await this.world.freshCookie(req.role) : this.world.cookies[req.role];
    }
    const payload = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    if (req.contentType !== undefined) headers['Content-Type'] = req.contentType;
    if (payload) headers['Content-Length'] = payload.length;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port: this.port, method: req.method, path: req.url, headers, agent: this.agent, timeout: 30_000 },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, contentType: String(incoming.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 30 s')));
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Keeps what the application logs as an error (the filter logs every 5xx with its exception). */
  private logger(): LoggerService {
    const keep = (message: unknown, ...rest: unknown[]) => {
      const err = [message, ...rest].map((m) => (m as { err?: unknown })?.err ?? m).find((m) => m instanceof Error) as Error | undefined;
      this.lastErrors.push(err ? `${err.name}: ${err.message}` : String(typeof message === 'object' ? JSON.stringify(message) : message));
    };
    const ignore = () => undefined;
    return { log: ignore, warn: ignore, debug: ignore, verbose: ignore, fatal: keep, error: keep };
  }
}

function problemCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

/** Groups failures by cause: ids, numbers and quoted values vary per request, the cause does not. */
function normalise(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 200);
}

/** One line per route for logs and the script's output. */
export function summarise(report: RouteReport): Record<string, unknown> {
  return {
    route: report.route,
    seed: report.seed,
    requests: report.requests,
    status5xx: report.status5xx,
    rowChanges: report.rowChanges,
    statuses: report.statuses,
    codes: report.codes,
    ms: report.ms,
    failures: report.failures.map((f) => ({ property: f.property, status: f.status, reason: f.reason, count: f.count, path: f.path, example: f.example, response: f.response })),
  };
}
