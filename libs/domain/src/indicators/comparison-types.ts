import type { Arm, IsoDate } from '../model';
import type { ClusteredIntervals } from '../statistics/clustered-intervals';
import type { IndicatorCode, MeanIndicator, ProportionIndicator, RateIndicator } from './catalogue';

/** The population filters of DOMAIN.md section 6 (intake window inclusive at both ends). */
export interface ComparisonFilters {
  practiceIds?: string[];
  insurerIds?: string[];
  regions?: string[];
  goldStages?: number[];
  profiles?: number[];
  intakeFrom?: IsoDate;
  intakeTo?: IsoDate;
}

/** Mean of a per-patient value over the patients that have it (n), with the sample variance (n - 1). */
export interface MeanSummary {
  n: number;
  mean: number | null;
  variance: number | null;
}

/** successes of n units; for LOW_INTENSITY_QUARTERS the unit is the judged quarter and `patients` counts
 *  the patients with at least one judged quarter (the weights of the case-mix adjustment). */
export interface ProportionSummary {
  successes: number;
  n: number;
  patients?: number;
}

/** Pooled rate: events / person-years over n patients. */
export interface RateSummary {
  events: number;
  personYears: number;
  n: number;
}

/**
 * Sufficient statistics of one arm, for one GOLD stage (goldStage 2, 3, 4) or for all stages together
 * (goldStage null, the crude row). Produced by set-based SQL over the materialised patient facts.
 */
export interface ArmStratumSummary {
  arm: Arm;
  goldStage: number | null;
  /** Set on the rows of one practice of the arm (goldStage null): the clusters of DOMAIN.md 7a. */
  practice?: string;
  patients: number;
  practices: number;
  meanAge: number | null;
  /** Patients per KNGF profile '1'..'6'. */
  profiles: Record<string, number>;
  means: Record<MeanIndicator, MeanSummary>;
  proportions: Record<ProportionIndicator, ProportionSummary>;
  rates: Record<RateIndicator, RateSummary>;
  /** Median (mean of the two middle values for even n) and p90 by nearest rank; only meaningful on crude rows. */
  waitDays: { n: number; median: number | null; p90: number | null };
}

export type IndicatorKind = 'MEAN' | 'PROPORTION' | 'RATE' | 'MEDIAN' | 'COUNT';

/** One arm's figure: n, crude value with its 95% CI, and the case-mix (GOLD stage) adjusted value. */
export interface ArmResult {
  n: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  adjusted: number | null;
  /** Why adjusted is null or what it means, e.g. 'GOLD stage 4 has no patient in this arm'. */
  adjustedNote: string | null;
  /** WAIT_DAYS only: the 90th percentile by nearest rank. */
  p90?: number | null;
}

/** BUNDLE - FFS on the crude values, with its 95% CI and the minimal detectable difference (80% power). */
export interface DifferenceResult {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  mdd: number | null;
}

export interface IndicatorResult {
  code: IndicatorCode;
  unit: string;
  kind: IndicatorKind;
  /** Minimal clinically important difference in the indicator's unit, where one exists. */
  mcid: number | null;
  arms: Record<Arm, ArmResult>;
  difference: DifferenceResult;
  /** Practice-clustered intervals of DOMAIN.md 7a; null for WAIT_DAYS and ENROLLED, which have none. */
  clustered: ClusteredIntervals | null;
}

export interface CaseMix {
  goldStage: Record<string, number>;
  profile: Record<string, number>;
  meanAge: number | null;
}

export interface ComparisonResult {
  practices: Record<Arm, number>;
  caseMix: Record<Arm, CaseMix>;
  indicators: IndicatorResult[];
}
