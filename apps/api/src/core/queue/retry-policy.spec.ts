import { loadConfig } from '../config/app-config';
import { retryPolicy } from './retry-policy';

/** The two variables loadConfig requires; everything else keeps its default. */
const REQUIRED = { DATABASE_URL: 'postgres://localhost/copd', PSEUDONYM_KEY: 'k'.repeat(32) };

describe('retryPolicy', () => {
  it('should give 8 attempts from 1 s and a failed job offered again after 60 s when nothing is set', () => {
    expect(retryPolicy(loadConfig(REQUIRED))).toEqual({ attempts: 8, backoffMs: 1000, retryFailedAfterMs: 60_000 });
  });

  it('should take the values from the environment when they are set', () => {
    const env = { ...REQUIRED, RECOMPUTE_ATTEMPTS: '2', RECOMPUTE_BACKOFF_MS: '100', RECOMPUTE_RETRY_FAILED_AFTER_MS: '1000' };
    expect(retryPolicy(loadConfig(env))).toEqual({ attempts: 2, backoffMs: 100, retryFailedAfterMs: 1000 });
  });

  it('should refuse to start when a value is not a whole number of at least 1', () => {
    expect(() => loadConfig({ ...REQUIRED, RECOMPUTE_ATTEMPTS: '0' })).toThrow(
      'RECOMPUTE_ATTEMPTS: must be a whole number of at least 1 (is "0")',
    );
    expect(() => loadConfig({ ...REQUIRED, RECOMPUTE_BACKOFF_MS: '1.5' })).toThrow('RECOMPUTE_BACKOFF_MS');
    expect(() => loadConfig({ ...REQUIRED, JOB_LOCK_DURATION_MS: '-1' })).toThrow('JOB_LOCK_DURATION_MS');
    expect(() => loadConfig({ ...REQUIRED, OUTBOX_RELAY_INTERVAL_MS: 'soon' })).toThrow('OUTBOX_RELAY_INTERVAL_MS');
  });

  it('should give the worker a 30 s job lock and a 200 ms relay interval when nothing is set', () => {
    const config = loadConfig(REQUIRED);
    expect([config.JOB_LOCK_DURATION_MS, config.OUTBOX_RELAY_INTERVAL_MS]).toEqual([30_000, 200]);
  });
});
