import type { AppConfig } from '../config/app-config';

/**
 * How a recompute job is retried. A job retries with exponential backoff (defaults: 8 attempts, 1 s doubling, so
 * 1 + 2 + ... + 64 = 127 s of retrying); a job that has used its attempts stays in the failed set for inspection,
 * and the outbox relay offers it again, attempts reset, once it has been failed for RECOMPUTE_RETRY_FAILED_AFTER_MS
 * while its outbox rows are still pending: an outage longer than the retries never strands the indicators.
 * The values come from the typed configuration (core/config/app-config.ts, validated at start-up), so an operator
 * (or a test) can change them.
 */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  retryFailedAfterMs: number;
}

export function retryPolicy(
  config: Pick<AppConfig, 'RECOMPUTE_ATTEMPTS' | 'RECOMPUTE_BACKOFF_MS' | 'RECOMPUTE_RETRY_FAILED_AFTER_MS'>,
): RetryPolicy {
  return {
    attempts: config.RECOMPUTE_ATTEMPTS,
    backoffMs: config.RECOMPUTE_BACKOFF_MS,
    retryFailedAfterMs: config.RECOMPUTE_RETRY_FAILED_AFTER_MS,
  };
}
