/**
 * Response shapes of the API routes the dashboard reads, generated from the OpenAPI document
 * (schema.d.ts, kept current by apps/api/test/insights-openapi.int-spec.ts).
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Arm = 'BUNDLE' | 'FFS';
export const ARMS: Arm[] = ['BUNDLE', 'FFS'];

export type Experiment = Schemas['ExperimentDto'];
export type Practice = Schemas['PracticeDto'];
export type Insurer = Schemas['InsurerDto'];
export type Contract = Schemas['ContractDto'];
export type Patient = Schemas['PatientDto'];
export type CostSeries = Schemas['CostSeriesDto'];
export type CostSeriesRow = Schemas['CostSeriesRowDto'];
export type Completeness = Schemas['CompletenessDto'];
export type CompletenessRow = Schemas['CompletenessRowDto'];
export type WaitDays = Schemas['WaitDaysDto'];
export type WaitDaysArm = Schemas['WaitDaysArmDto'];
export type PeerDistribution = Schemas['PeerDistributionDto'];
export type PeerIndicator = Schemas['PeerIndicatorDto'];
export type Worklist = Schemas['WorklistDto'];
export type WorklistItem = Schemas['WorklistItemDto'];
export type InsurerCosts = Schemas['InsurerCostsDto'];
export type CreatePatient = Schemas['CreatePatientDto'];
export type CreateSession = Schemas['CreateSessionDto'];
export type CreateMeasurement = Schemas['CreateMeasurementDto'];
export type CreateEvent = Schemas['CreateEventDto'];

export type Comparison = Schemas['ComparisonDto'];
export type Indicator = Schemas['IndicatorResultDto'];
export type IndicatorCode = Schemas['IndicatorCode'];
/** Absent from an insurer's comparison (clinical case mix). */
export type CaseMixPerArm = Schemas['CaseMixPerArmDto'];
export type CaseMix = Schemas['CaseMixDto'];
export type IndicatorStatus = Schemas['IndicatorStatusDto'];
export type RecomputeAnswer = Schemas['RecomputeQueuedDto'] | Schemas['RecomputeNotQueuedDto'];
/** queueReachable is false while Redis does not answer: state is then "unknown" (issue 10 M4). */
export type RecomputeJob = Schemas['IndicatorJobDto'];
export type PatientFacts = Schemas['PatientFactsDto'];

/** Frozen snapshots (issue 13): metadata, the frozen comparisons, the digest check and what changed since. */
export type Snapshot = Schemas['SnapshotDto'];
export type SnapshotDetail = Schemas['SnapshotDetailDto'];
export type SnapshotVerification = Schemas['SnapshotVerificationDto'];
export type SnapshotChanges = Schemas['SnapshotChangesDto'];
export type ChangeSide = Schemas['ChangeSideDto'];
export type FigureChange = Schemas['FigureChangeDto'];
export type PracticeChanges = Schemas['PracticeChangesDto'];
export type RecordChangeCounts = Schemas['RecordChangeCountsDto'];
export type RecordCounts = Schemas['RecordCountsDto'];

/** The signed-in user (issue 4 sign-in contract). */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: 'ADMIN' | 'EVALUATOR' | 'PRACTICE' | 'INSURER';
  practices: { agb: string; name: string }[];
  insurer: { uzovi: string; name: string } | null;
}
