import type { ComparisonFilters } from '@copd/domain';

/**
 * Queue and job names are constants (never derived from class names, so a rename cannot strand queued
 * jobs), each job with its typed payload.
 */
export const INDICATORS_QUEUE = 'indicators';

/**
 * The refreshes of filtered comparison documents that the API processes hand to the workers (IndicatorsService
 * .refreshInBackground, ComparisonRefreshProcessor): a queue of its own, so a refresh never waits behind a recompute
 * nor holds up one in the indicators queue's slots.
 */
export const COMPARISON_REFRESH_QUEUE = 'comparison-refreshes';

export const JOB = {
  RECOMPUTE_EXPERIMENT: 'indicators.recompute-experiment',
  REFRESH_COMPARISON: 'indicators.refresh-comparison',
} as const;

/** One filtered comparison document of an experiment to make again from the current facts. */
export interface RefreshComparisonPayload {
  experimentId: string;
  /** The reader's filters, as ComparisonContextService.filters gave them (JSON: arrays of ids, stages, dates). */
  filters: ComparisonFilters;
  /** The comparison cache's key of those filters. */
  filterKey: string;
}

/** What a refresh job did: made and cached the document, or let it go (not asked for lately, or the worker stopping). */
export interface RefreshResult {
  status: 'REFRESHED' | 'DROPPED';
  ms: number;
}

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
