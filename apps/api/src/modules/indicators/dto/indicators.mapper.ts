import type {
  Arm,
  ArmResult,
  CaseMix,
  ClusteredArm,
  ClusteredIntervals,
  ComparisonResult,
  DifferenceResult,
  IndicatorResult,
} from '@copd/domain';
import type { IndicatorsService } from '../indicators.service';
import {
  ArmResultDto,
  CaseMixDto,
  ClusteredArmDto,
  ClusteredIntervalsDto,
  ComparisonDto,
  ComparisonFiltersDto,
  DifferenceDto,
  IndicatorResultDto,
} from './comparison.dto';
import { IndicatorJobDto, IndicatorStatusDto, JobStateName, RecomputeAnswerDto } from './indicator-jobs.dto';
import { PatientFactsDto } from './patient-facts.dto';

/*
 * Every response of the indicators module goes through a mapper that lists its fields (as patient.mapper.ts does), so
 * a field the service or the domain adds does not reach a client unseen, and the documented schemas (closed, in the
 * dto files) stay what is sent. The mappers copy values: the figures are the service's, unchanged.
 */

type Answer<M extends keyof IndicatorsService> = IndicatorsService[M] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

/** The comparison as the service builds it: freshness and filters, then the domain's result as the reader may see it. */
interface ComparisonAnswer {
  experiment: string;
  analysisDate: string;
  computedAt: string | null;
  stale: boolean;
  filters: Record<string, unknown>;
  practices: ComparisonResult['practices'];
  /** Absent for an insurer. */
  caseMix?: ComparisonResult['caseMix'];
  /** withheld: present when small cells were withheld (libs/domain indicators/disclosure.ts). */
  indicators: (IndicatorResult & { withheld?: Arm[] })[];
}

export function toComparisonDto(answer: Answer<'comparison'>): ComparisonDto {
  // The service types the domain part of its answer loosely (an index signature); ComparisonAnswer names it.
  const c = answer as unknown as ComparisonAnswer;
  return {
    experiment: c.experiment,
    analysisDate: c.analysisDate,
    computedAt: c.computedAt,
    stale: c.stale,
    filters: toFiltersDto(c.filters),
    practices: { BUNDLE: c.practices.BUNDLE, FFS: c.practices.FFS },
    ...(c.caseMix
      ? { caseMix: { BUNDLE: toCaseMixDto(c.caseMix.BUNDLE), FFS: toCaseMixDto(c.caseMix.FFS) } }
      : {}),
    indicators: c.indicators.map(toIndicatorDto),
  };
}

function toFiltersDto(filters: Record<string, unknown>): ComparisonFiltersDto {
  const f = filters as ComparisonFiltersDto;
  const dto: ComparisonFiltersDto = {};
  if (f.practice !== undefined) dto.practice = f.practice;
  if (f.insurer !== undefined) dto.insurer = f.insurer;
  if (f.region !== undefined) dto.region = f.region;
  if (f.goldStage !== undefined) dto.goldStage = f.goldStage;
  if (f.profile !== undefined) dto.profile = f.profile;
  if (f.intakeFrom !== undefined) dto.intakeFrom = f.intakeFrom;
  if (f.intakeTo !== undefined) dto.intakeTo = f.intakeTo;
  return dto;
}

function toCaseMixDto(mix: CaseMix): CaseMixDto {
  const { goldStage: g, profile: p } = mix;
  return {
    goldStage: { '2': g['2'], '3': g['3'], '4': g['4'] },
    profile: { '1': p['1'], '2': p['2'], '3': p['3'], '4': p['4'], '5': p['5'], '6': p['6'] },
    meanAge: mix.meanAge,
  };
}

function toIndicatorDto(indicator: IndicatorResult & { withheld?: Arm[] }): IndicatorResultDto {
  return {
    code: indicator.code,
    unit: indicator.unit,
    kind: indicator.kind,
    mcid: indicator.mcid,
    arms: { BUNDLE: toArmDto(indicator.arms.BUNDLE), FFS: toArmDto(indicator.arms.FFS) },
    difference: toDifferenceDto(indicator.difference),
    clustered: indicator.clustered === null ? null : toClusteredDto(indicator.clustered),
    ...(indicator.withheld ? { withheld: [...indicator.withheld] } : {}),
  };
}

function toArmDto(arm: ArmResult): ArmResultDto {
  return {
    n: arm.n,
    value: arm.value,
    ciLow: arm.ciLow,
    ciHigh: arm.ciHigh,
    adjusted: arm.adjusted,
    adjustedNote: arm.adjustedNote,
    // WAIT_DAYS only: the key is present exactly when the domain set it.
    ...('p90' in arm ? { p90: arm.p90 ?? null } : {}),
  };
}

function toDifferenceDto(d: DifferenceResult): DifferenceDto {
  return { value: d.value, ciLow: d.ciLow, ciHigh: d.ciHigh, mdd: d.mdd };
}

function toClusteredDto(c: ClusteredIntervals): ClusteredIntervalsDto {
  const arm = (a: ClusteredArm): ClusteredArmDto => ({
    clusters: a.clusters,
    ciLow: a.ciLow,
    ciHigh: a.ciHigh,
    designEffect: a.designEffect,
  });
  const d = c.difference;
  return {
    arms: { BUNDLE: arm(c.arms.BUNDLE), FFS: arm(c.arms.FFS) },
    difference: { ciLow: d.ciLow, ciHigh: d.ciHigh, df: d.df, mdd: d.mdd },
  };
}

/** BullMQ's progress may be any JSON value; the recompute processor reports percents (0 until it starts). */
function percent(progress: unknown): number {
  return typeof progress === 'number' ? progress : 0;
}

export function toIndicatorStatusDto(status: Answer<'status'>): IndicatorStatusDto {
  const { lastComputed: last, outboxBacklog } = status;
  return {
    experiment: status.experiment,
    analysisDate: status.analysisDate,
    lastComputed: last
      ? {
          computedAt: last.computedAt,
          analysisDate: last.analysisDate,
          patients: last.patients,
          full: last.full,
          durationMs: last.durationMs,
        }
      : null,
    outboxBacklog: { rows: outboxBacklog.rows, oldest: outboxBacklog.oldest },
    queueReachable: status.queueReachable,
    jobs: status.jobs.map((job) => ({
      id: String(job.id),
      name: job.name,
      progress: percent(job.progress),
      attempts: job.attempts,
    })),
  };
}

export function toIndicatorJobDto(job: Answer<'job'>): IndicatorJobDto {
  const result = job.result as IndicatorJobDto['result'];
  return {
    id: String(job.id),
    name: job.name,
    state: job.state as JobStateName,
    progress: percent(job.progress),
    attempts: job.attempts,
    result: result
      ? { status: result.status, patients: result.patients, full: result.full, outboxRows: result.outboxRows }
      : null,
    failedReason: job.failedReason,
    queueReachable: job.queueReachable,
    pendingChanges: job.pendingChanges,
  };
}

export function toRecomputeAnswerDto(answer: Answer<'requestRecompute'>): RecomputeAnswerDto {
  return answer.queued
    ? { jobId: answer.jobId, queued: true }
    : { queued: false, reason: answer.reason, detail: answer.detail };
}

/** The facts rows come typed unknown from the repository; pg-types reads their dates as text and bigints as numbers. */
export function toPatientFactsDto(facts: Answer<'patientFacts'>): PatientFactsDto {
  return {
    patient: facts.patient as string,
    computed: facts.computed,
    analysisDate: facts.analysisDate as string | null,
    arm: facts.arm as Arm | null,
    careQuarters: facts.careQuarters as number | null,
    sessions: facts.sessions as number | null,
    paidCents: facts.paidCents as number | null,
    counterfactualCents: facts.counterfactualCents as number | null,
    unpricedItems: facts.unpricedItems as number | null,
    quarters: facts.quarters.map((q) => ({
      index: q.index as number,
      start: q.start as string,
      endExclusive: q.endExclusive as string,
      sessions: q.sessions as number,
      isCareQuarter: q.isCareQuarter as boolean,
      ended: q.ended as boolean,
      bundleCents: q.bundleCents as number,
      ffsCents: q.ffsCents as number,
      paidCents: q.paidCents as number,
      counterfactualCents: q.counterfactualCents as number,
    })),
  };
}
