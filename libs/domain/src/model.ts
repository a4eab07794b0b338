/**
 * The experiment's records as plain data (DOMAIN.md section 3).
 * Dates of care are ISO calendar dates 'YYYY-MM-DD' (no time zone); money is integer euro cents.
 */
export type IsoDate = string;
export type Cents = number;

export const ARMS = ['BUNDLE', 'FFS'] as const;
export type Arm = (typeof ARMS)[number];

export const SEXES = ['F', 'M', 'X'] as const;
export type Sex = (typeof SEXES)[number];

export const GOLD_STAGES = [2, 3, 4] as const;
export type GoldStage = (typeof GOLD_STAGES)[number];

export const KNGF_PROFILES = [1, 2, 3, 4, 5, 6] as const;
export type KngfProfile = (typeof KNGF_PROFILES)[number];

export const END_REASONS = [
  'COMPLETED',
  'DECEASED',
  'MOVED',
  'DROPPED_OUT',
  'REFERRED_TO_REHABILITATION',
  'OTHER',
] as const;
export type EndReason = (typeof END_REASONS)[number];

export const SESSION_KINDS = ['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const INSTRUMENTS = ['SIX_MWT', 'CCQ', 'CAT', 'MMRC', 'STEPS'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const EVENT_KINDS = [
  'EXACERBATION_MODERATE',
  'EXACERBATION_SEVERE',
  'HOSPITAL_ADMISSION',
  'DEATH',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Both tariff sets of a contract, in cents: the other arm's set makes the counterfactual possible. */
export interface BundleTariffs {
  intake: Cents;
  quarter: Cents;
}
export interface FfsTariffs {
  intake: Cents;
  session: Cents;
  homeSupplement: Cents;
  groupSession: Cents;
}

/** A contract between one practice and one insurer; validTo is inclusive. */
export interface ContractTerms {
  id?: string;
  practice: string; // AGB
  insurer: string; // UZOVI
  arm: Arm;
  validFrom: IsoDate;
  validTo: IsoDate;
  bundle: BundleTariffs;
  ffs: FfsTariffs;
}

/** One enrolment of a patient (pseudonymised: no BSN or name ever reaches the domain). */
export interface Enrolment {
  ref: string;
  practice: string; // AGB
  insurer: string; // UZOVI
  birthYear: number;
  sex: Sex;
  goldStage: number;
  profile: number;
  referralDate: IsoDate;
  intakeDate: IsoDate;
  endDate?: IsoDate | null;
  endReason?: EndReason | null;
}

export interface SessionRecord {
  date: IsoDate;
  kind: SessionKind;
}

/** value is in the instrument's stored unit: CCQ in tenths (1.6 -> 16), everything else as measured. */
export interface MeasurementRecord {
  date: IsoDate;
  instrument: Instrument;
  value: number;
}

export interface EventRecord {
  date: IsoDate;
  kind: EventKind;
}

/**
 * One reason a record is rejected. `code` is stable English (e.g. ELIGIBILITY.GOLD_STAGE_TOO_LOW),
 * `path` names the offending field relative to the record (e.g. 'goldStage'), `message` is Dutch text a
 * practice user can act on, `params` carries the values the message was built from.
 */
export interface Violation {
  code: string;
  path: string;
  message: string;
  params?: Record<string, string | number | null>;
}
