/**
 * Queue and job names are constants (never derived from class names, so a rename cannot strand queued
 * jobs), each job with its typed payload.
 */
export const INDICATORS_QUEUE = 'indicators';

export const JOB = {
  RECOMPUTE_EXPERIMENT: 'indicators.recompute-experiment',
} as const;

export interface RecomputeExperimentPayload {
  experimentId: string;
  /** Outbox rows up to this id (inclusive) are covered by the job. */
  upToOutboxId: number;
}

export interface JobResult {
  status: 'DONE' | 'NOTHING_TO_DO';
  patients: number;
  full: boolean;
  outboxRows: number;
}

/** Deterministic: the same experiment and outbox position always give the same id, so duplicates collapse. */
export function recomputeJobId(payload: RecomputeExperimentPayload): string {
  return `recompute:${payload.experimentId}:${payload.upToOutboxId}`;
}

/** The payload a recompute job id stands for, or null for any other id (the inverse of recomputeJobId). */
export function parseRecomputeJobId(jobId: string): RecomputeExperimentPayload | null {
  const match = /^recompute:([0-9a-f-]{36}):(\d+)$/i.exec(jobId);
  return match ? { experimentId: match[1], upToOutboxId: Number(match[2]) } : null;
}
