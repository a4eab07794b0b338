import { loadConfig } from '../../core/config/app-config';
import { coalescingWindowEnd, LOCK_RETRY_FIRST_MS, LOCK_RETRY_MAX_MS, lockRetryDelayMs } from './indicators.processor';

/** The two variables loadConfig requires; everything else keeps its default. */
const REQUIRED = { DATABASE_URL: 'postgres://localhost/copd', PSEUDONYM_KEY: 'k'.repeat(32) };

describe('lockRetryDelayMs', () => {
  it.each([
    [0, 50], // the first wait: LOCK_RETRY_FIRST_MS
    [1, 100], // 50 x 2
    [2, 200], // 50 x 4
    [3, 400], // 50 x 8
    [4, 500], // 50 x 16 = 800, capped at LOCK_RETRY_MAX_MS
    [20, 500], // 50 x 2^20, capped
  ])('should wait %i earlier waits -> %i ms when the experiment is still locked', (waits, ms) => {
    expect(lockRetryDelayMs(waits)).toBe(ms);
  });

  it('should wait the first delay when BullMQ reports fewer starts than attempts (a negative count)', () => {
    expect(lockRetryDelayMs(-1)).toBe(LOCK_RETRY_FIRST_MS);
    expect([LOCK_RETRY_FIRST_MS, LOCK_RETRY_MAX_MS]).toEqual([50, 500]);
  });
});

describe('coalescingWindowEnd (RECOMPUTE_COALESCE_MS)', () => {
  const committed = 10_000; // the last recompute of the experiment committed at t = 10,000 ms

  it('should end the window 1,000 ms after the last commit, and be null from then on', () => {
    expect(coalescingWindowEnd(committed, 1000, 10_050)).toBe(11_000); // 10,000 + 1,000
    expect(coalescingWindowEnd(committed, 1000, 10_999)).toBe(11_000);
    expect(coalescingWindowEnd(committed, 1000, 11_000)).toBeNull();
    expect(coalescingWindowEnd(committed, 1000, 12_500)).toBeNull();
  });

  it('should be null when this process has not recomputed the experiment yet, or when coalescing is off (0)', () => {
    expect(coalescingWindowEnd(undefined, 1000, 10_050)).toBeNull();
    expect(coalescingWindowEnd(committed, 0, 10_050)).toBeNull();
  });

  it('should read RECOMPUTE_COALESCE_MS from the environment, 1000 when unset', () => {
    expect(loadConfig({ ...REQUIRED }).RECOMPUTE_COALESCE_MS).toBe(1000);
    expect(loadConfig({ ...REQUIRED, RECOMPUTE_COALESCE_MS: '0' }).RECOMPUTE_COALESCE_MS).toBe(0);
    expect(() => loadConfig({ ...REQUIRED, RECOMPUTE_COALESCE_MS: '-5' })).toThrow(/RECOMPUTE_COALESCE_MS/);
  });
});

describe('WORKER_CONCURRENCY', () => {
  it('should run 2 jobs per worker process with a pool of 10 when nothing is set', () => {
    const config = loadConfig(REQUIRED);
    expect([config.WORKER_CONCURRENCY, config.DB_POOL_SIZE]).toEqual([2, 10]);
  });

  it('should take the value from the environment when the pool is larger than it', () => {
    expect(loadConfig({ ...REQUIRED, WORKER_CONCURRENCY: '4', DB_POOL_SIZE: '9' }).WORKER_CONCURRENCY).toBe(4);
  });

  it('should refuse to start the worker when its pool is not larger than the concurrency (every job could hold its lock and wait)', () => {
    expect(() => loadConfig({ ...REQUIRED, APP_NAME: 'worker', WORKER_CONCURRENCY: '10' })).toThrow(
      'DB_POOL_SIZE: must be larger than WORKER_CONCURRENCY (10); each running job takes two connections, so 2 x WORKER_CONCURRENCY + 1 is best',
    );
    expect(() => loadConfig({ ...REQUIRED, WORKER_CONCURRENCY: '0' })).toThrow(
      'WORKER_CONCURRENCY: must be a whole number of at least 1 (is "0")',
    );
  });

  it('should let the API start with a small pool when WORKER_CONCURRENCY is larger (the API runs no jobs)', () => {
    expect(loadConfig({ ...REQUIRED, APP_NAME: 'api', DB_POOL_SIZE: '2' }).DB_POOL_SIZE).toBe(2);
  });
});
