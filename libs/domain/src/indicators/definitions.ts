import { daysBetween } from '../dates/calendar-date';
import type { EndReason, Instrument, IsoDate } from '../model';
import { KNGF_MAX_SESSIONS_FIRST_YEAR, MCID_STORED } from '../pricing/guideline-constants';

/*
 * The thresholds and windows of the indicator definitions (DOMAIN.md 6), each once, with its source. The facts
 * pipeline's SQL is built from these (apps/api/src/modules/indicators/facts.repository.ts and
 * comparison.repository.ts, the read models in apps/api/src/modules/insights/read-models/): a spec beside those
 * repositories fails when one of these numbers is typed into their SQL as a literal, and
 * apps/api/test/definition-parity.int-spec.ts checks every SQL twin against the function here.
 */

/**
 * Days in a patient-year: patient-years = follow-up days / 365.25 (DOMAIN.md 6, EXACERBATION_RATE and
 * ADMISSION_RATE). The Julian year, so leap years weigh in on average.
 */
export const DAYS_PER_YEAR = 365.25;

/** WAIT_DAYS reports, besides the median, this percentile by nearest rank (DOMAIN.md 6: "P90"). */
export const WAIT_DAYS_PERCENTILE = 0.9;

export const MEASUREMENT_MILESTONES = ['BASELINE', 'FOLLOWUP_3M', 'FOLLOWUP_12M'] as const;
export type MeasurementMilestone = (typeof MEASUREMENT_MILESTONES)[number];

/** A closed window of days relative to the intake date, and the day whose measurement it prefers. */
export interface MeasurementWindow {
  /** First day, intake + from (inclusive). */
  from: number;
  /** Last day, intake + to (inclusive). */
  to: number;
  /** The value closest to intake + target is picked; ties go to the earlier date. */
  target: number;
}

/**
 * Baseline and follow-up windows (DOMAIN.md 6, "Quality"): baseline [intake - 30, intake + 14] closest to the
 * intake; 3 months [+70, +112] closest to +91 (13 weeks); 12 months [+320, +410] closest to +365. All closed.
 */
export const MEASUREMENT_WINDOWS: Readonly<Record<MeasurementMilestone, MeasurementWindow>> = {
  BASELINE: { from: -30, to: 14, target: 0 },
  FOLLOWUP_3M: { from: 70, to: 112, target: 91 },
  FOLLOWUP_12M: { from: 320, to: 410, target: 365 },
};

/** The instruments whose baseline and follow-up values the facts keep (DOMAIN.md 6: 6MWT, CCQ, CAT). */
export const PICKED_INSTRUMENTS = ['SIX_MWT', 'CCQ', 'CAT'] as const;
export type PickedInstrument = (typeof PICKED_INSTRUMENTS)[number];

/** The indicators whose denominator needs a minimum time since intake. */
export const TIMED_INDICATORS = [
  'BASELINE_COMPLETE',
  'FOLLOWUP_3M_COMPLETE',
  'FOLLOWUP_12M_COMPLETE',
  'ABOVE_GUIDELINE_VOLUME',
] as const;
export type TimedIndicator = (typeof TIMED_INDICATORS)[number];

/**
 * "Intake at least N days ago" (analysis date - intake date >= N) for a patient to count in the indicator's
 * denominator (DOMAIN.md 6): BASELINE_COMPLETE 14, FOLLOWUP_3M_COMPLETE 112, FOLLOWUP_12M_COMPLETE 410 (each
 * the last day of its measurement window: judged once the window has closed), ABOVE_GUIDELINE_VOLUME 365
 * (the guideline's first year has passed).
 */
export const ELIGIBLE_AFTER_DAYS: Readonly<Record<TimedIndicator, number>> = {
  BASELINE_COMPLETE: 14,
  FOLLOWUP_3M_COMPLETE: 112,
  FOLLOWUP_12M_COMPLETE: 410,
  ABOVE_GUIDELINE_VOLUME: 365,
};

/**
 * The indicators a death before their day takes out of the denominator (DOMAIN.md 6: FOLLOWUP_3M_COMPLETE /
 * FOLLOWUP_12M_COMPLETE exclude enrolments ended with DECEASED before intake + 112 / 410). Other drop-outs stay:
 * missing data is what these watch.
 */
export const DEATH_LEAVES_DENOMINATOR: readonly TimedIndicator[] = [
  'FOLLOWUP_3M_COMPLETE',
  'FOLLOWUP_12M_COMPLETE',
];

/** The end reason that counts as a death for DEATH_LEAVES_DENOMINATOR (DOMAIN.md 3 end reasons). */
export const DECEASED: EndReason = 'DECEASED';

/**
 * ABOVE_GUIDELINE_VOLUME counts the sessions in the guideline's first year, the 365 days [intake, intake + 365)
 * (DOMAIN.md 6), against KNGF_MAX_SESSIONS_FIRST_YEAR (KNGF guideline COPD 2020).
 */
export const GUIDELINE_YEAR_DAYS = 365;

/**
 * The practice worklist lists a measurement window as UPCOMING when it opens within 14 days of the as-of date
 * (a product choice, not DOMAIN.md: two weeks to plan the appointment; documented on the worklist's status in
 * apps/api/src/modules/insights/dto/insights.dto.ts).
 */
export const WORKLIST_UPCOMING_DAYS = 14;

/** The patient fields the eligibility rules read. */
export interface EligibilityFacts {
  intakeDate: IsoDate;
  profile: number;
  endDate?: IsoDate | null;
  endReason?: EndReason | null;
}

/**
 * Whether a patient is in the denominator of a timed indicator as of the analysis date (DOMAIN.md 6): intake
 * at least ELIGIBLE_AFTER_DAYS ago; ABOVE_GUIDELINE_VOLUME only for the profiles with a KNGF maximum (1-5);
 * the follow-ups leave out deaths before intake + their days. Unit: boolean.
 * Twin of apps/api/src/modules/indicators/facts.repository.ts: eligibleSql.
 */
export function isEligibleFor(
  indicator: TimedIndicator,
  patient: EligibilityFacts,
  analysisDate: IsoDate,
): boolean {
  const days = ELIGIBLE_AFTER_DAYS[indicator];
  if (daysBetween(patient.intakeDate, analysisDate) < days) return false;
  if (indicator === 'ABOVE_GUIDELINE_VOLUME' && !hasGuidelineMaximum(patient.profile)) return false;
  if (
    DEATH_LEAVES_DENOMINATOR.includes(indicator) &&
    patient.endReason === DECEASED &&
    patient.endDate != null
  ) {
    return daysBetween(patient.intakeDate, patient.endDate) >= days;
  }
  return true;
}

/** Profiles 1-5 have a KNGF maximum; profile 6 goes to secondary care and is not judged (guideline-constants.ts). */
export function hasGuidelineMaximum(profile: number): profile is keyof typeof KNGF_MAX_SESSIONS_FIRST_YEAR {
  return Object.prototype.hasOwnProperty.call(KNGF_MAX_SESSIONS_FIRST_YEAR, profile);
}

/**
 * ABOVE_GUIDELINE_VOLUME for one eligible patient: strictly more sessions in [intake, intake + 365) than the
 * KNGF maximum of the profile (DOMAIN.md 6; KNGF guideline COPD 2020). Unit: boolean.
 * Twin of apps/api/src/modules/indicators/facts.repository.ts: guidelineMaximumSql.
 */
export function isAboveGuideline(
  profile: keyof typeof KNGF_MAX_SESSIONS_FIRST_YEAR,
  sessionsInFirstYear: number,
): boolean {
  return sessionsInFirstYear > KNGF_MAX_SESSIONS_FIRST_YEAR[profile];
}

/**
 * The *_RESPONDER_* indicators: the change (follow-up - baseline, in the instrument's stored unit) reaches the
 * MCID: 6MWT >= +30 m, CCQ <= -4 tenths, CAT <= -2 (DOMAIN.md 6; MCID_STORED). Unit: boolean.
 * Twin of apps/api/src/modules/indicators/comparison.repository.ts: responderSql.
 */
export function isResponder(instrument: PickedInstrument, storedChange: number): boolean {
  const mcid = MCID_STORED[instrument];
  return instrument === 'SIX_MWT' ? storedChange >= mcid : storedChange <= mcid;
}

/** A dated value of one instrument, in its stored unit. */
export interface DatedValue {
  date: IsoDate;
  value: number;
}

/**
 * The baseline or follow-up value of one instrument (DOMAIN.md 6): among the measurements dated in the
 * milestone's closed window and on or before the analysis date, the one closest to intake + target; ties go to
 * the earlier date. At most one measurement per instrument and day exists (UNIQUE in the schema). Unit: the
 * measurement, or null when the window holds none.
 * Twin of apps/api/src/modules/indicators/facts.repository.ts: measurementPickSql.
 */
export function pickMeasurement(
  milestone: MeasurementMilestone,
  intakeDate: IsoDate,
  analysisDate: IsoDate,
  measurements: readonly DatedValue[],
): DatedValue | null {
  const { from, to, target } = MEASUREMENT_WINDOWS[milestone];
  let best: { m: DatedValue; distance: number; day: number } | null = null;
  for (const m of measurements) {
    if (m.date > analysisDate) continue;
    const day = daysBetween(intakeDate, m.date);
    if (day < from || day > to) continue;
    const distance = Math.abs(day - target);
    if (!best || distance < best.distance || (distance === best.distance && day < best.day))
      best = { m, distance, day };
  }
  return best?.m ?? null;
}

/** The same pick for an instrument out of a patient's mixed measurements. */
export function pickInstrument(
  instrument: Instrument,
  milestone: MeasurementMilestone,
  intakeDate: IsoDate,
  analysisDate: IsoDate,
  measurements: readonly (DatedValue & { instrument: Instrument })[],
): DatedValue | null {
  return pickMeasurement(
    milestone,
    intakeDate,
    analysisDate,
    measurements.filter((m) => m.instrument === instrument),
  );
}
