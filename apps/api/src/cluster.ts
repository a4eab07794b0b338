import cluster from 'node:cluster';
import { answerClusterMetrics } from './core/metrics/cluster-metrics';

/**
 * HTTP entry for more than one core (issue 17): API_PROCESSES (default 1, at most 64) copies of main.ts share PORT through node:cluster
 * (the primary accepts connections and hands them round-robin to the copies). The API holds no state between
 * requests (sessions, caches and queues live in PostgreSQL and Redis), so any copy answers any request.
 * With API_PROCESSES=1 this is main.ts itself, in this process. The variable is read here, before any copy
 * exists, and not by AppConfig: only this entry uses it.
 *
 * A signal to the primary (SIGTERM, SIGINT, SIGHUP) is passed on as SIGTERM to every copy, which closes its
 * connections as main.ts does; the primary exits when they all have. A copy that dies on its own takes the
 * others down with it (exit code 1): a supervisor (the demo, an orchestrator) restarts the whole, rather than
 * a half-sized API running on unnoticed.
 */
function primary(processes: number): void {
  let stopping = false;
  const stop = (code: number) => {
    if (!stopping) {
      stopping = true;
      process.exitCode = code;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(0));
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`API process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); stopping the others\n`);
      stop(1);
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
  });
  // A scrape of GET /metrics reaches one copy, which asks here for the sum of every copy's metrics.
  answerClusterMetrics();
  for (let i = 0; i < processes; i++) cluster.fork();
}

/** API_PROCESSES as a whole number from 1 to 64; anything else stops the start with one line. */
function processesWanted(): number {
  const raw = (process.env.API_PROCESSES ?? '').trim();
  if (raw === '') return 1;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    process.stderr.write(`API failed to start: API_PROCESSES must be a whole number from 1 to 64 (is "${raw}")\n`);
    process.exit(1);
  }
  return value;
}

if (cluster.isPrimary) {
  const processes = processesWanted();
  if (processes === 1) void import('./main');
  else primary(processes);
} else {
  void import('./main');
}
