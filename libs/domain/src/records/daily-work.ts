import { addDays, daysBetween } from '../dates/calendar-date';
import type { Instrument, IsoDate } from '../model';
import {
  GUIDELINE_YEAR_DAYS,
  hasGuidelineMaximum,
  isAboveGuideline,
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOWS,
  WORKLIST_UPCOMING_DAYS,
  type MeasurementMilestone,
} from '../indicators/definitions';
import { careQuarterOf } from '../pricing/care-quarters';

/*
 * A practice's daily work judged on TODAY (Europe/Amsterdam), not on the analysis date: the worklist of
 * measurements, the "next measurement due" of the patient list and the data problems of a record (issue 14).
 * The indicators keep the analysis date; these tell a practice what to do now. Each rule here has an SQL twin
 * named in its comment; apps/api/test/worklist-today.int-spec.ts and patient-records.int-spec.ts check the two
 * agree.
 */

/**
 * A window that is open today is CLOSING when it closes within 14 days (its last day in [today, today + 14]):
 * a product choice (issue 14), the same two weeks as WORKLIST_UPCOMING_DAYS.
 */
export const WORKLIST_CLOSING_DAYS = 14;

/**
 * An active enrolment with no session in the last 90 days needs attention (issue 14, "no session in the last
 * 90 days"): a product choice, about one care quarter without care.
 */
export const NO_RECENT_SESSION_DAYS = 90;

/** What the worklist asks to measure per window: the 6MWT, and a CCQ or a CAT (either counts). */
export const WORKLIST_INSTRUMENTS = ['SIX_MWT', 'CCQ_OR_CAT'] as const;
export type WorklistInstrument = (typeof WORKLIST_INSTRUMENTS)[number];

/** The stored instruments that satisfy a worklist instrument. */
export const WORKLIST_INSTRUMENT_MEMBERS: Readonly<Record<WorklistInstrument, readonly Instrument[]>> = {
  SIX_MWT: ['SIX_MWT'],
  CCQ_OR_CAT: ['CCQ', 'CAT'],
};

export const WORKLIST_STATUSES = ['DUE', 'CLOSING', 'MISSED', 'UPCOMING'] as const;
export type WorklistStatus = (typeof WORKLIST_STATUSES)[number];

export const PATIENT_PROBLEMS = ['MISSING_BASELINE', 'ABOVE_KNGF_MAXIMUM', 'NO_RECENT_SESSION'] as const;
export type PatientProblem = (typeof PATIENT_PROBLEMS)[number];

/** The calendar dates of a measurement window of one intake (DOMAIN.md 6: closed, relative to the intake date). */
export interface WindowDates {
  milestone: MeasurementMilestone;
  windowStart: IsoDate;
  windowEnd: IsoDate;
  target: IsoDate;
}

/**
 * The three measurement windows of an intake as dates: baseline [intake - 30, intake + 14], 3 months
 * [+70, +112] with target +91, 12 months [+320, +410] with target +365 (MEASUREMENT_WINDOWS, DOMAIN.md 6).
 * Unit: calendar dates.
 */
export function windowDatesOf(intakeDate: IsoDate): WindowDates[] {
  return MEASUREMENT_MILESTONES.map((milestone) => {
    const { from, to, target } = MEASUREMENT_WINDOWS[milestone];
    return {
      milestone,
      windowStart: addDays(intakeDate, from),
      windowEnd: addDays(intakeDate, to),
      target: addDays(intakeDate, target),
    };
  });
}

/**
 * The status of one measurement window of one instrument on `today`: null when a value is recorded in it (up to
 * today), when it opens more than WORKLIST_UPCOMING_DAYS after today, or when it opens after the enrolment's end
 * date; otherwise UPCOMING (opens within 14 days), MISSED (closed before today), CLOSING (open, its last day
 * within WORKLIST_CLOSING_DAYS of today) or DUE (open). Unit: status.
 * Twin of apps/api/src/modules/insights/read-models/worklist.repository.ts: windowStatusSql.
 */
export function worklistStatus(
  window: { windowStart: IsoDate; windowEnd: IsoDate },
  today: IsoDate,
  hasValue: boolean,
  endDate?: IsoDate | null,
): WorklistStatus | null {
  if (hasValue) return null;
  if (endDate != null && window.windowStart > endDate) return null;
  if (window.windowStart > today) return window.windowStart <= addDays(today, WORKLIST_UPCOMING_DAYS) ? 'UPCOMING' : null;
  if (window.windowEnd < today) return 'MISSED';
  return window.windowEnd <= addDays(today, WORKLIST_CLOSING_DAYS) ? 'CLOSING' : 'DUE';
}

/**
 * The date a worklist row pre-fills in the measurement form: today while the window is open, else its first day
 * (an upcoming window; a missed one keeps its first day too, though no date in it can be entered any more
 * without a reason to). Always inside the window. Unit: calendar date.
 */
export function suggestedDate(window: { windowStart: IsoDate; windowEnd: IsoDate }, today: IsoDate): IsoDate {
  return window.windowStart <= today && today <= window.windowEnd ? today : window.windowStart;
}

/** Whether a recorded measurement of `instrument` dated `date` counts for the worklist instrument in the window. */
function fills(
  wanted: WorklistInstrument,
  window: { windowStart: IsoDate; windowEnd: IsoDate },
  today: IsoDate,
  m: { date: IsoDate; instrument: Instrument },
): boolean {
  return (
    WORKLIST_INSTRUMENT_MEMBERS[wanted].includes(m.instrument) &&
    m.date >= window.windowStart &&
    m.date <= window.windowEnd &&
    m.date <= today
  );
}

/** One open item of a patient's worklist. */
export interface WorklistEntry extends WindowDates {
  instrument: WorklistInstrument;
  status: WorklistStatus;
  suggestedDate: IsoDate;
}

/** What the daily-work rules read of a patient. */
export interface DailyWorkFacts {
  intakeDate: IsoDate;
  endDate?: IsoDate | null;
  profile: number;
  sessionDates: readonly IsoDate[];
  measurements: readonly { date: IsoDate; instrument: Instrument }[];
}

/**
 * Every window x instrument of the patient that has a status on `today` (worklistStatus), milestone order then
 * SIX_MWT before CCQ_OR_CAT. Unit: worklist entries.
 * Twin of apps/api/src/modules/insights/read-models/worklist.repository.ts: WorklistRepository.worklist.
 */
export function worklistEntries(patient: DailyWorkFacts, today: IsoDate): WorklistEntry[] {
  return windowDatesOf(patient.intakeDate).flatMap((window) =>
    WORKLIST_INSTRUMENTS.flatMap((instrument): WorklistEntry[] => {
      const hasValue = patient.measurements.some((m) => fills(instrument, window, today, m));
      const status = worklistStatus(window, today, hasValue, patient.endDate);
      return status ? [{ ...window, instrument, status, suggestedDate: suggestedDate(window, today) }] : [];
    }),
  );
}

/** An enrolment is active on `today` while it has no end date or its end date is today or later. */
export function isActiveOn(endDate: IsoDate | null | undefined, today: IsoDate): boolean {
  return endDate == null || endDate >= today;
}

/**
 * The next measurement due of an active enrolment: among its DUE, CLOSING and UPCOMING entries, the one whose
 * window closes first (then milestone and instrument order); null when none or when the enrolment has ended.
 * Unit: worklist entry.
 * Twin of apps/api/src/modules/patient-records/patient-records.repository.ts: the next_due pick of list().
 */
export function nextDue(patient: DailyWorkFacts, today: IsoDate): WorklistEntry | null {
  if (!isActiveOn(patient.endDate, today)) return null;
  const pending = worklistEntries(patient, today).filter((e) => e.status !== 'MISSED');
  // worklistEntries is in milestone then instrument order; a stable sort on the window's end keeps that as tie-break.
  return [...pending].sort((a, b) => (a.windowEnd < b.windowEnd ? -1 : a.windowEnd > b.windowEnd ? 1 : 0))[0] ?? null;
}

/**
 * The care quarters started up to today (DOMAIN.md 5): Q1, and every later quarter holding a session dated on or
 * before today. Sessions lie inside [intake, end] (DOMAIN.md 4), so such a quarter starts before the end date.
 * Unit: count. Twin of the care_quarters column of PatientRecordsRepository.list (over the stored care quarter
 * of each session, therapy_sessions.care_quarter).
 */
export function careQuartersSoFar(intakeDate: IsoDate, sessionDates: readonly IsoDate[], today: IsoDate): number {
  if (intakeDate > today) return 0;
  const quarters = new Set<number>([1]);
  for (const date of sessionDates) {
    const k = date <= today ? careQuarterOf(intakeDate, date) : null;
    if (k !== null) quarters.add(k);
  }
  return quarters.size;
}

/**
 * The data problems of a patient's record on `today`, in PATIENT_PROBLEMS order:
 * - MISSING_BASELINE: the baseline window [intake - 30, intake + 14] has closed (today after its last day) without
 *   a 6MWT, or without a CCQ or CAT (BASELINE_COMPLETE's rule, DOMAIN.md 6, judged today);
 * - ABOVE_KNGF_MAXIMUM: strictly more sessions in the guideline year [intake, intake + 365) than the KNGF maximum
 *   of the profile (ABOVE_GUIDELINE_VOLUME's count, DOMAIN.md 6), flagged as soon as it happens, not only once the
 *   year is over; profile 6 has no maximum;
 * - NO_RECENT_SESSION: an active enrolment whose last session, or its intake when it has none, lies more than
 *   NO_RECENT_SESSION_DAYS before today.
 * Unit: problem codes. Twin of PatientRecordsRepository.list (apps/api/src/modules/patient-records/), its
 * problem columns.
 */
export function patientProblems(patient: DailyWorkFacts, today: IsoDate): PatientProblem[] {
  const problems: PatientProblem[] = [];
  const [baseline] = windowDatesOf(patient.intakeDate);
  if (
    baseline.windowEnd < today &&
    WORKLIST_INSTRUMENTS.some((instrument) => !patient.measurements.some((m) => fills(instrument, baseline, today, m)))
  )
    problems.push('MISSING_BASELINE');
  if (hasGuidelineMaximum(patient.profile)) {
    const yearEnd = addDays(patient.intakeDate, GUIDELINE_YEAR_DAYS);
    const inYear = patient.sessionDates.filter((d) => d >= patient.intakeDate && d < yearEnd).length;
    if (isAboveGuideline(patient.profile, inYear)) problems.push('ABOVE_KNGF_MAXIMUM');
  }
  if (isActiveOn(patient.endDate, today)) {
    const last = patient.sessionDates.reduce<IsoDate>((a, b) => (b > a ? b : a), patient.intakeDate);
    if (daysBetween(last, today) > NO_RECENT_SESSION_DAYS) problems.push('NO_RECENT_SESSION');
  }
  return problems;
}
