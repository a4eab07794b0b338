import { isIsoDate } from '../dates/calendar-date';
import { isAgbCode, isUzoviCode } from '../identity/care-codes';
import {
  END_REASONS,
  SEXES,
  type ContractTerms,
  type Enrolment,
  type IsoDate,
  type Violation,
} from '../model';
import { contractInForce } from './contract-rules';
import { VIOLATION_CODES } from './violation-codes';
import { includes, isPresent, paramOf, violation } from './violation';

const E = VIOLATION_CODES.ENROLMENT;
const ELIG = VIOLATION_CODES.ELIGIBILITY;

/** Coverage is for adults (Besluit zorgverzekering art. 2.6 lid 6). */
export const MIN_AGE_AT_INTAKE = 18;
/** Exercise therapy for COPD is covered from spirometric GOLD stage II. */
export const MIN_GOLD_STAGE = 2;
export const MAX_GOLD_STAGE = 4;

/**
 * Age at intake: intake year minus birth year (only the birth year is kept, for privacy).
 * Unit: years. Source: DOMAIN.md 4.
 */
export function ageAtIntake(birthYear: number, intakeDate: IsoDate): number {
  return Number(intakeDate.slice(0, 4)) - birthYear;
}

export interface EnrolmentValidationContext {
  /** Contracts of this enrolment's practice x insurer. */
  contracts: readonly ContractTerms[];
  /** Today in Europe/Amsterdam (todayInZone). */
  today: IsoDate;
  /** On a change: dates of the enrolment's recorded sessions, which must stay within [intake, end]. */
  recordedSessionDates?: readonly IsoDate[];
  /** On a change: dates of its recorded measurements and events, which must stay within [referral, end]. */
  recordedObservationDates?: readonly IsoDate[];
}

/**
 * Violations of one enrolment: adult, GOLD >= 2, profile 1-6, a contract in force at intake, referral <= intake <= end,
 * an end reason exactly with an end date, listed values. Unit: Violation[], all at once. Source: DOMAIN.md 3-4.
 */
export function validateEnrolment(e: Enrolment, ctx: EnrolmentValidationContext): Violation[] {
  const found: Violation[] = [];
  const push = (...v: Violation[]): void => void found.push(...v);

  if (typeof e.ref !== 'string' || e.ref.trim() === '') {
    push(violation(E.REF_MISSING, 'ref', { value: paramOf(e.ref) }));
  }
  if (!isAgbCode(e.practice)) {
    push(violation(E.PRACTICE_INVALID, 'practice', { practice: paramOf(e.practice), value: paramOf(e.practice) }));
  }
  if (!isUzoviCode(e.insurer)) {
    push(violation(E.INSURER_INVALID, 'insurer', { insurer: paramOf(e.insurer), value: paramOf(e.insurer) }));
  }
  if (!includes(SEXES, e.sex)) {
    push(violation(E.SEX_INVALID, 'sex', { sex: paramOf(e.sex), value: paramOf(e.sex), allowed: SEXES.join(', ') }));
  }

  const intakeValid = isIsoDate(e.intakeDate);
  const referralValid = isIsoDate(e.referralDate);
  const hasEnd = isPresent(e.endDate);
  const endValid = hasEnd && isIsoDate(e.endDate);
  for (const [path, value, present] of [
    ['referralDate', e.referralDate, true],
    ['intakeDate', e.intakeDate, true],
    ['endDate', e.endDate, hasEnd],
  ] as const) {
    if (present && !isIsoDate(value)) {
      push(violation(E.DATE_INVALID, path, { [path]: paramOf(value), value: paramOf(value) }));
    }
  }

  const birthYearValid = Number.isInteger(e.birthYear) && e.birthYear >= 1900;
  if (!birthYearValid) {
    push(violation(E.BIRTH_YEAR_INVALID, 'birthYear', { birthYear: paramOf(e.birthYear), value: paramOf(e.birthYear) }));
  } else if (intakeValid) {
    const age = ageAtIntake(e.birthYear, e.intakeDate);
    if (age < MIN_AGE_AT_INTAKE) {
      push(
        violation(ELIG.AGE_UNDER_18, 'birthYear', {
          birthYear: e.birthYear,
          intakeYear: Number(e.intakeDate.slice(0, 4)),
          age,
          value: e.birthYear,
          minimum: MIN_AGE_AT_INTAKE,
        }),
      );
    }
  }

  if (Number.isInteger(e.goldStage) && e.goldStage < MIN_GOLD_STAGE) {
    push(
      violation(ELIG.GOLD_STAGE_TOO_LOW, 'goldStage', {
        goldStage: e.goldStage,
        minimum: MIN_GOLD_STAGE,
        value: e.goldStage,
      }),
    );
  } else if (!Number.isInteger(e.goldStage) || e.goldStage > MAX_GOLD_STAGE) {
    push(
      violation(E.GOLD_STAGE_INVALID, 'goldStage', {
        goldStage: paramOf(e.goldStage),
        value: paramOf(e.goldStage),
        min: MIN_GOLD_STAGE,
        max: MAX_GOLD_STAGE,
      }),
    );
  }
  if (!Number.isInteger(e.profile) || e.profile < 1 || e.profile > 6) {
    push(violation(E.PROFILE_INVALID, 'profile', { profile: paramOf(e.profile), value: paramOf(e.profile), min: 1, max: 6 }));
  }

  if (intakeValid && contractInForce(ctx.contracts, e.intakeDate) === undefined) {
    push(violation(ELIG.NO_CONTRACT_IN_FORCE, 'intakeDate', { intakeDate: e.intakeDate, value: e.intakeDate }));
  }
  if (referralValid && intakeValid && e.referralDate > e.intakeDate) {
    push(
      violation(E.REFERRAL_AFTER_INTAKE, 'referralDate', {
        referralDate: e.referralDate,
        intakeDate: e.intakeDate,
        value: e.referralDate,
      }),
    );
  }
  if (referralValid && isIsoDate(ctx.today) && e.referralDate > ctx.today) {
    push(
      violation(E.REFERRAL_IN_FUTURE, 'referralDate', {
        referralDate: e.referralDate,
        today: ctx.today,
        value: e.referralDate,
      }),
    );
  }
  if (intakeValid && isIsoDate(ctx.today) && e.intakeDate > ctx.today) {
    push(violation(E.INTAKE_IN_FUTURE, 'intakeDate', { intakeDate: e.intakeDate, today: ctx.today, value: e.intakeDate }));
  }
  if (endValid && intakeValid && e.endDate! < e.intakeDate) {
    push(violation(E.END_BEFORE_INTAKE, 'endDate', { endDate: e.endDate!, intakeDate: e.intakeDate, value: e.endDate! }));
  }

  const hasReason = isPresent(e.endReason);
  if (hasEnd && !hasReason) {
    push(violation(E.END_REASON_MISSING, 'endReason', { value: null, endDate: paramOf(e.endDate) }));
  } else if (!hasEnd && hasReason) {
    push(violation(E.END_REASON_WITHOUT_END_DATE, 'endReason', { endReason: paramOf(e.endReason), value: paramOf(e.endReason) }));
  }
  if (hasReason && !includes(END_REASONS, e.endReason)) {
    push(
      violation(E.END_REASON_INVALID, 'endReason', {
        endReason: paramOf(e.endReason),
        value: paramOf(e.endReason),
        allowed: END_REASONS.join(', '),
      }),
    );
  }

  if (ctx.recordedSessionDates && intakeValid && (!hasEnd || endValid)) {
    push(...outside(E.SESSIONS_OUTSIDE_ENROLMENT, ctx.recordedSessionDates, e.intakeDate, e.endDate));
  }
  if (ctx.recordedObservationDates && referralValid && (!hasEnd || endValid)) {
    push(...outside(E.OBSERVATIONS_OUTSIDE_ENROLMENT, ctx.recordedObservationDates, e.referralDate, e.endDate));
  }
  return found;
}

/** A change of intake, referral or end date must not strand records that were valid when recorded. */
function outside(
  code: typeof E.SESSIONS_OUTSIDE_ENROLMENT | typeof E.OBSERVATIONS_OUTSIDE_ENROLMENT,
  dates: readonly IsoDate[],
  from: IsoDate,
  to: IsoDate | null | undefined,
): Violation[] {
  const stranded = dates.filter((d) => d < from || (isPresent(to) && d > to));
  if (stranded.length === 0) return [];
  const first = stranded.reduce((min, d) => (d < min ? d : min));
  return [
    violation(
      code,
      first < from ? (code === E.SESSIONS_OUTSIDE_ENROLMENT ? 'intakeDate' : 'referralDate') : 'endDate',
      { firstOutsideDate: first, count: stranded.length },
    ),
  ];
}
