/**
 * The whole product for a browser test, in-process: a fresh test database with the API on a free port,
 * the queue worker, a small deterministic demo experiment, users with passwords for every role, a fresh
 * dashboard build served by the real dashboard server, and Debian's chromium driven by playwright-core.
 */
// The browser tests start the API, worker and seed in-process with the API's own test support, exactly as
// its integration specs do; that is the one place the dashboard reaches into apps/api.
/* eslint-disable @nx/enforce-module-boundaries */
import { INestApplicationContext } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { systemActor } from '../../api/src/core/actor/actor';
import { DemoDataService } from '../../api/src/modules/demo-data/demo-data.service';
import { startTestApp, TestContext } from '../../api/test/support/test-app';
import { startTestWorker, waitForIndicators } from '../../api/test/support/test-worker';
import { startDashboardServer } from '../server/serve';

// The specs wait for the recompute after a write of their own, as the stack does after seeding.
export { waitForIndicators };
// And build the records they write with the API specs' test-data builders.
export { aContractRow, aPatientRow } from '../../api/test/fixtures/builders';

export const repoRoot = path.resolve(__dirname, '../../..');
export const SCREENSHOTS = path.join(repoRoot, 'screenshots');
export const PASSWORD = 'e2e-wachtwoord-123';

export interface E2eUser {
  username: string;
  role: 'EVALUATOR' | 'ADMIN' | 'PRACTICE' | 'INSURER';
  practices?: string[];
  insurer?: string;
}

export interface E2eStack {
  ctx: TestContext;
  worker: INestApplicationContext;
  browser: Browser;
  baseUrl: string;
  users: Record<'evaluator' | 'admin' | 'practiceBundle' | 'practiceFfs' | 'insurer', E2eUser>;
  close(): Promise<void>;
}

/** Builds the dashboard into a throw-away folder (vite build; ~3 s), so a running demo's build is left alone. */
export function buildDashboard(): string {
  const outDir = mkdtempSync(path.join(tmpdir(), 'dashboard-e2e-'));
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/dashboard/vite.config.mts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', '--sourcemap', 'false'],
    // A production build, as users get it: jest runs with NODE_ENV=test, which would give Vite React's development build.
    { cwd: repoRoot, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } },
  );
  return outDir;
}

export async function startE2eStack(options: { practices: number; patients: number; seed: number }): Promise<E2eStack> {
  const staticDir = buildDashboard();
  const ctx = await startTestApp();
  await ctx.app.listen(0, '127.0.0.1');
  const apiPort = (ctx.app.getHttpServer().address() as AddressInfo).port;
  const worker = await startTestWorker();
  await ctx.app.get(DemoDataService).seed(systemActor('e2e', 'test'), options);
  await waitForIndicators(ctx.dataSource, 60_000);

  // One practice of each arm and the insurer with the most insured.
  const [bundle] = await ctx.dataSource.query(`SELECT pr.agb FROM practices pr JOIN patients p ON p.practice_id = pr.id WHERE p.arm = 'BUNDLE' GROUP BY pr.agb HAVING bool_and(p.arm = 'BUNDLE') ORDER BY count(*) DESC, pr.agb LIMIT 1`);
  const [ffs] = await ctx.dataSource.query(`SELECT pr.agb FROM practices pr JOIN patients p ON p.practice_id = pr.id WHERE p.arm = 'FFS' GROUP BY pr.agb HAVING bool_and(p.arm = 'FFS') ORDER BY count(*) DESC, pr.agb LIMIT 1`);
  const [insurer] = await ctx.dataSource.query(`SELECT i.uzovi FROM insurers i JOIN patients p ON p.insurer_id = i.id GROUP BY i.uzovi ORDER BY count(*) DESC, i.uzovi LIMIT 1`);
  const users: E2eStack['users'] = {
    evaluator: { username: 'e2e-evaluator', role: 'EVALUATOR' },
    admin: { username: 'e2e-admin', role: 'ADMIN' },
    practiceBundle: { username: 'e2e-praktijk-bundel', role: 'PRACTICE', practices: [bundle.agb] },
    practiceFfs: { username: 'e2e-praktijk-ffs', role: 'PRACTICE', practices: [ffs.agb] },
    insurer: { username: 'e2e-verzekeraar', role: 'INSURER', insurer: insurer.uzovi },
  };
  // Users are made the way an administrator makes them: through the API, with a password.
  for (const user of Object.values(users)) {
    await ctx
      .http('ADMIN')
      .post('/api/v1/users')
      .send({ ...user, displayName: `E2E ${user.username}`, password: PASSWORD })
      .expect(201);
  }

  const server: Server = await startDashboardServer({ port: 0, host: '127.0.0.1', apiUrl: `http://127.0.0.1:${apiPort}`, staticDir });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    ctx,
    worker,
    browser,
    baseUrl,
    users,
    close: async () => {
      await browser.close().catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
      await worker.close();
      await ctx.close();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser context (own cookies) signed in through the sign-in page. */
export async function signIn(stack: E2eStack, user: E2eUser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  const page = await context.newPage();
  await page.goto(stack.baseUrl + '/');
  await page.getByLabel('Gebruikersnaam').fill(user.username);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.getByTestId('signed-in-as').waitFor();
  return { context, page };
}
