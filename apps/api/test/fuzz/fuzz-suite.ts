import { createHash } from 'node:crypto';
import { AppModule } from '../../src/app.module';
import { staticRouteTable } from '../../src/core/auth/route-table';
import { startTestApp, TestContext } from '../support/test-app';
import { FuzzHarness, RouteReport } from './fuzz-runner';
import { buildTarget, fuzzedRoutes, FuzzTarget } from './fuzz-targets';
import { buildFuzzWorld } from './fuzz-world';
import { installRowCounters } from './row-fingerprint';
import { OpenApiDocument } from './schema-arbitraries';

/** The routes in the order they are fuzzed, known without starting the application. */
export const FUZZED_ROUTES = fuzzedRoutes(staticRouteTable(AppModule));

export function routeName(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

/** A fixed seed per route, so a run is reproducible; FUZZ_SEED overrides it for every route. */
export function seedOf(name: string, override?: string): number {
  if (override !== undefined && override !== '') return Number(override) | 0;
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

export interface FuzzSuite {
  ctx: TestContext;
  harness: FuzzHarness;
  targets: Map<string, FuzzTarget>;
  close(): Promise<void>;
}

/** The application on a fresh test database with the fuzz world seeded, and one target per route. */
export async function startFuzzSuite(): Promise<FuzzSuite> {
  // GET /metrics is fuzzed behind its token check (401), not as the 404 it answers while unconfigured.
  process.env.METRICS_TOKEN ??= 'fuzz-suite-metrics-token-0123456789';
  const ctx = await startTestApp();
  const world = await buildFuzzWorld(ctx);
  await installRowCounters((work) => ctx.db.asOwner(work));
  const harness = await FuzzHarness.start(ctx.app, world);
  const doc = (await harness.openApiDocument()) as OpenApiDocument;
  const targets = new Map(FUZZED_ROUTES.map((route) => [routeName(route), buildTarget(route, doc, world)]));
  return {
    ctx,
    harness,
    targets,
    close: async () => {
      harness.close();
      await ctx.close();
    },
  };
}

/** A failed route's report as a message: the seed, and each distinct failure with its first request. */
export function describeFailures(report: RouteReport): string {
  const lines = [
    `${report.route}: ${report.failures.length} distinct failure(s) in ${report.requests} requests, fast-check seed ${report.seed}`,
    `  (the same sequence, on a freshly seeded world: npm run fuzz -- --route "${report.route}" --runs ${report.requests} --seed ${report.seed})`,
  ];
  for (const f of report.failures) {
    lines.push(`- ${f.property}: ${f.status} ${f.reason} (x${f.count}, first at run ${f.path})`);
    lines.push(`  request:  ${JSON.stringify({ ...f.example, body: f.example.body?.slice(0, 400) })}`);
    if (f.response) lines.push(`  response: ${f.response.slice(0, 300)}`);
  }
  return lines.join('\n');
}
