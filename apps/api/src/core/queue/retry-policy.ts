/**
 * How a recompute job is retried. A job retries with exponential backoff (defaults: 8 attempts, 1 s doubling, so
 * 1 + 2 + ... + 64 = 127 s of retrying); a job that has used its attempts stays in the failed set for inspection,
 * and the outbox relay offers it again, attempts reset, once it has been failed for RECOMPUTE_RETRY_FAILED_AFTER_MS
 * while its outbox rows are still pending: an outage longer than the retries never strands the indicators.
 * Read from the environment when the queue is registered, so an operator (or a test) can change them.
 */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  retryFailedAfterMs: number;
}

export const RETRY_POLICY_DEFAULTS: RetryPolicy = { attempts: 8, backoffMs: 1000, retryFailedAfterMs: 60_000 };

export function retryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  return {
    attempts: positiveInteger(env, 'RECOMPUTE_ATTEMPTS', RETRY_POLICY_DEFAULTS.attempts),
    backoffMs: positiveInteger(env, 'RECOMPUTE_BACKOFF_MS', RETRY_POLICY_DEFAULTS.backoffMs),
    retryFailedAfterMs: positiveInteger(env, 'RECOMPUTE_RETRY_FAILED_AFTER_MS', RETRY_POLICY_DEFAULTS.retryFailedAfterMs),
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`Invalid configuration:\n  ${name}: must be a whole number of at least 1 (is "${raw}")`);
  return value;
}
