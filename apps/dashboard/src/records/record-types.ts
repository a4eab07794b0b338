/**
 * The shapes of the patient-record routes (issue 14 contract, shared.md routes 1, 2 and 4): the patient list,
 * one record and its history of corrections. Written from the contract until the generated schema carries them.
 */
import type { Patient } from '../api/types';

export type Problem = 'MISSING_BASELINE' | 'ABOVE_KNGF_MAXIMUM' | 'NO_RECENT_SESSION';
export type Milestone = 'BASELINE' | 'FOLLOWUP_3M' | 'FOLLOWUP_12M';
export type DueStatus = 'DUE' | 'CLOSING' | 'UPCOMING';

export interface NextDue {
  instrument: string;
  milestone: Milestone;
  windowStart: string;
  windowEnd: string;
  status: DueStatus;
}

export interface PatientRecordRow {
  id: string;
  ref: string;
  pseudonym: string;
  practice: string;
  insurer: string;
  arm: 'BUNDLE' | 'FFS';
  goldStage: number;
  intakeDate: string;
  endDate: string | null;
  endReason: string | null;
  careQuarters: number;
  lastSession: string | null;
  nextDue: NextDue | null;
  problems: Problem[];
}

export interface PatientRecordPage {
  items: PatientRecordRow[];
  total: number;
  limit: number;
  offset: number;
  today: string;
}

interface TimelineBase {
  id: string;
  date: string;
}
export type TimelineEntry =
  | (TimelineBase & { kind: 'SESSION'; sessionKind?: string; type?: string })
  | (TimelineBase & { kind: 'MEASUREMENT'; instrument: string; value: number; window: Milestone | 'NONE' })
  | (TimelineBase & { kind: 'EVENT'; eventKind: string });

export interface CareQuarterRow {
  index: number;
  start: string;
  end: string;
  sessions: number;
  paidCents: number | null;
  counterfactualCents: number | null;
  complete: boolean;
}

export interface RecordWindow {
  milestone: Milestone;
  windowStart: string;
  windowEnd: string;
  target: string;
}

export interface PatientRecord {
  today: string;
  analysisDate: string;
  patient: Patient;
  insurerName: string | null;
  timeline: TimelineEntry[];
  careQuarters: CareQuarterRow[];
  problems: Problem[];
  windows: RecordWindow[];
}

export type HistoryEntity = 'PATIENT' | 'SESSION' | 'MEASUREMENT' | 'EVENT';

export interface HistoryItem {
  at: string;
  actor: string;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  entity: HistoryEntity;
  entityId: string;
  date: string | null;
  reason: string | null;
  changes: { field: string; from: unknown; to: unknown }[];
}

export interface PatientHistory {
  items: HistoryItem[];
}

/**
 * The session kind of a timeline entry. The contract names it "kind (session kind)" while `kind` also says
 * SESSION/MEASUREMENT/EVENT; the API may send it as sessionKind or type.
 */
export function sessionKindOf(entry: TimelineEntry): string | undefined {
  if (entry.kind !== 'SESSION') return undefined;
  return entry.sessionKind ?? entry.type;
}
