/**
 * Nest's shutdown hooks close the queue and database connections on SIGTERM/SIGINT. When Redis or
 * PostgreSQL is already gone (the demo stops them together with the apps, an orchestrator kills a node),
 * closing a BullMQ connection can wait forever, and Nest ignores a second signal: the process would stay
 * behind. After the first signal this gives the hooks `graceMs` and then ends the process with exit code 1.
 */
export function exitIfShutdownHangs(name: string, graceMs = 10_000): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${name}: shutdown did not finish within ${graceMs} ms after ${signal}; exiting\n`);
        process.exit(1);
      }, graceMs).unref();
    });
  }
}
