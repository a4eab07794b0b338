/**
 * Keeps a child process running, as `npm run demo` does for the API, the worker and the dashboard server: a
 * process that exits on its own is started again after an exponential backoff (1 s, 2 s, 4 s ... at most
 * 30 s), and the backoff starts over once a run has lasted a minute. Every restart is reported with the
 * exit code or signal and the last lines the process wrote to stderr.
 */
import { ChildProcess } from 'node:child_process';

export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as good: the next failure waits initialDelayMs again. */
  resetAfterMs: number;
}

export const DEMO_BACKOFF: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restart number `failures` (1, 2, ...) in a row: initial x 2^(failures-1), capped. */
export function backoffDelay(failures: number, policy: BackoffPolicy): number {
  return Math.min(policy.initialDelayMs * 2 ** Math.max(0, failures - 1), policy.maxDelayMs);
}

export interface ExitReport {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ranMs: number;
  /** Failures in a row, this one included. */
  failures: number;
  restartInMs: number;
  /** The last lines the process wrote to stderr (at most 5). */
  lastLines: string[];
}

export interface SuperviseOptions {
  name: string;
  /** Starts the process; stderr must be a pipe (stdout and stderr may also go elsewhere, e.g. a log file). */
  start: () => ChildProcess;
  policy?: BackoffPolicy;
  onExit: (report: ExitReport) => void;
  now?: () => number;
}

export interface Supervised {
  readonly child: ChildProcess;
  readonly restarts: number;
  /** Stops the process (SIGTERM, SIGKILL after killAfterMs) and restarts it no more. */
  stop(killAfterMs?: number): Promise<void>;
}

export function supervise(options: SuperviseOptions): Supervised {
  const policy = options.policy ?? DEMO_BACKOFF;
  const now = options.now ?? Date.now;
  let failures = 0;
  let restarts = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let child!: ChildProcess;

  const run = () => {
    const startedAt = now();
    const lastLines: string[] = [];
    child = options.start();
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        lastLines.push(line.trimEnd());
        if (lastLines.length > 5) lastLines.shift();
      }
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const ranMs = now() - startedAt;
      failures = ranMs >= policy.resetAfterMs ? 1 : failures + 1;
      const restartInMs = backoffDelay(failures, policy);
      options.onExit({ name: options.name, code, signal, ranMs, failures, restartInMs, lastLines: [...lastLines] });
      timer = setTimeout(() => {
        timer = undefined;
        if (stopping) return;
        restarts++;
        run();
      }, restartInMs);
    });
  };
  run();

  return {
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    stop: (killAfterMs = 10_000) => {
      stopping = true;
      if (timer) clearTimeout(timer);
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** One console line (plus the last stderr lines, indented) for a restart. */
export function describeExit(report: ExitReport): string {
  const how = report.signal ? `signal ${report.signal}` : `exit code ${report.code}`;
  const lines = [
    `${report.name} stopped (${how}) after ${(report.ranMs / 1000).toFixed(1)} s; restarting in ${report.restartInMs / 1000} s` +
      (report.failures > 1 ? ` (failure ${report.failures} in a row)` : ''),
    ...report.lastLines.map((line) => `    ${report.name} | ${line}`),
  ];
  return lines.join('\n');
}
