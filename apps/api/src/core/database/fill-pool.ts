import { DataSource } from 'typeorm';

/**
 * Opens every connection of the pool before the API takes its first request (main.ts), so that the first readers
 * after a start or a deploy do not each wait for a new backend and its authentication: measured 12-04, the two API
 * processes the bench starts for its second load run opened their connections in its first seconds at 106-726 ms
 * each, and that run's 20 s of warm-up had a p99 of 645-1,113 ms (four benches) against 103-570 ms for the first
 * run's process, which had served the bench's earlier reads (the connections' share of it not measured apart). The
 * pool keeps them
 * (data-source-options.ts: min = max). A connection that cannot be opened now is not an error here: the pool opens
 * it when a request needs it, and that request answers for it. Returns how many were opened.
 */
export async function fillPool(dataSource: DataSource, size: number): Promise<number> {
  const runners = Array.from({ length: size }, () => dataSource.createQueryRunner());
  const opened = await Promise.allSettled(runners.map((runner) => runner.connect()));
  await Promise.all(runners.map((runner) => runner.release()));
  return opened.filter((result) => result.status === 'fulfilled').length;
}
