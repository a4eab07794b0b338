import { DataSource } from 'typeorm';

/**
 * Opens every connection of the pool before the API takes its first request (main.ts), so that its first readers
 * do not each wait for a new backend and its authentication (106-726 ms each under load, 12-04); the pool keeps
 * them (data-source-options.ts: min = max). Measured in two benches at 25,000 patients: the warm-up p99 of two
 * freshly started processes was 324 / 889 ms with it against 645 / 1,068 ms before, so most of a fresh process's
 * slow start is something else. A connection that cannot be opened now is not an error here: the pool opens it
 * when a request needs it, and that request answers for it.
 */
export async function fillPool(dataSource: DataSource, size: number): Promise<void> {
  const runners = Array.from({ length: size }, () => dataSource.createQueryRunner());
  await Promise.allSettled(runners.map((runner) => runner.connect()));
  await Promise.all(runners.map((runner) => runner.release()));
}
