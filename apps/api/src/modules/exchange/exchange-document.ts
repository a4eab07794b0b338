import type { Arm, BundleTariffs, EndReason, EventKind, FfsTariffs, Instrument, IsoDate, Sex, SessionKind } from '@copd/domain';

/**
 * The exchange document of DOMAIN.md section 8: one experiment with its parties and records, amounts in euro
 * cents, dates 'YYYY-MM-DD', measurement values in the unit users enter (CCQ 1.6, not 16). Import, export and
 * the demo generator all speak this shape; property order here is the order export writes.
 */
export interface ExchangeExperiment {
  code: string;
  name: string;
  start: IsoDate;
  end: IsoDate;
  analysisDate: IsoDate;
}

export interface ExchangeInsurer {
  uzovi: string;
  name: string;
}

export interface ExchangePractice {
  agb: string;
  name: string;
  region: string;
}

export interface ExchangeContract {
  practice: string;
  insurer: string;
  arm: Arm;
  validFrom: IsoDate;
  validTo: IsoDate;
  bundle: BundleTariffs;
  ffs: FfsTariffs;
}

export interface ExchangePatient {
  ref: string;
  practice: string;
  insurer: string;
  birthYear: number;
  sex: Sex;
  goldStage: number;
  profile: number;
  referralDate: IsoDate;
  intakeDate: IsoDate;
  endDate?: IsoDate | null;
  endReason?: EndReason | null;
}

export interface ExchangeSession {
  patient: string;
  practice: string;
  date: IsoDate;
  kind: SessionKind;
}

export interface ExchangeMeasurement {
  patient: string;
  practice: string;
  date: IsoDate;
  instrument: Instrument;
  value: number;
}

export interface ExchangeEvent {
  patient: string;
  practice: string;
  date: IsoDate;
  kind: EventKind;
}

export interface ExchangeDocument {
  experiment: ExchangeExperiment;
  insurers: ExchangeInsurer[];
  practices: ExchangePractice[];
  contracts: ExchangeContract[];
  patients: ExchangePatient[];
  sessions: ExchangeSession[];
  measurements: ExchangeMeasurement[];
  events: ExchangeEvent[];
}

/** The record collections in document order; error lists and progress follow this order. */
export const COLLECTIONS = ['insurers', 'practices', 'contracts', 'patients', 'sessions', 'measurements', 'events'] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** What an import did, per entity: a re-import of the same document reports everything unchanged. */
export interface ImportResult {
  experiment: string;
  /** sha256 (hex) of the document's JSON serialisation, as recorded in the audit log. */
  sha256: string;
  counts: Record<'experiment' | Collection, EntityCounts>;
}

/** Progress of a long import or export, for the CLI's progress bars: `done` of `total` items of a phase. */
export type ProgressListener = (event: { phase: string; done: number; total: number }) => void;
