import { retryPolicy } from './retry-policy';

describe('retryPolicy', () => {
  it('should give 8 attempts from 1 s and a failed job offered again after 60 s when nothing is set', () => {
    expect(retryPolicy({})).toEqual({ attempts: 8, backoffMs: 1000, retryFailedAfterMs: 60_000 });
  });

  it('should take the values from the environment when they are set', () => {
    const env = { RECOMPUTE_ATTEMPTS: '2', RECOMPUTE_BACKOFF_MS: '100', RECOMPUTE_RETRY_FAILED_AFTER_MS: '1000' };
    expect(retryPolicy(env)).toEqual({ attempts: 2, backoffMs: 100, retryFailedAfterMs: 1000 });
  });

  it('should refuse to start when a value is not a whole number of at least 1', () => {
    expect(() => retryPolicy({ RECOMPUTE_ATTEMPTS: '0' })).toThrow('RECOMPUTE_ATTEMPTS: must be a whole number of at least 1 (is "0")');
    expect(() => retryPolicy({ RECOMPUTE_BACKOFF_MS: '1.5' })).toThrow('RECOMPUTE_BACKOFF_MS');
  });
});
