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
import { includes, isPresent, nlDate, paramOf, shown, violation } from './violation';

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
    push(violation(E.REF_MISSING, 'ref', 'Vul het patiëntnummer van de praktijk in (ref).'));
  }
  if (!isAgbCode(e.practice)) {
    push(
      violation(
        E.PRACTICE_INVALID,
        'practice',
        `De AGB-code ${shown(e.practice)} is ongeldig: een AGB-code bestaat uit precies 8 cijfers.`,
        {
          practice: paramOf(e.practice),
        },
      ),
    );
  }
  if (!isUzoviCode(e.insurer)) {
    push(
      violation(
        E.INSURER_INVALID,
        'insurer',
        `De UZOVI-code ${shown(e.insurer)} is ongeldig: een UZOVI-code bestaat uit precies 4 cijfers.`,
        {
          insurer: paramOf(e.insurer),
        },
      ),
    );
  }
  if (!includes(SEXES, e.sex)) {
    push(
      violation(E.SEX_INVALID, 'sex', `Het geslacht ${shown(e.sex)} is onbekend; kies F, M of X.`, {
        sex: paramOf(e.sex),
      }),
    );
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
      push(
        violation(
          E.DATE_INVALID,
          path,
          `De datum ${shown(value)} is geen geldige datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-02-10).`,
          { [path]: paramOf(value) },
        ),
      );
    }
  }

  const birthYearValid = Number.isInteger(e.birthYear) && e.birthYear >= 1900;
  if (!birthYearValid) {
    push(
      violation(
        E.BIRTH_YEAR_INVALID,
        'birthYear',
        `Het geboortejaar ${shown(e.birthYear)} is ongeldig; vul een jaartal in, bijv. 1956.`,
        {
          birthYear: paramOf(e.birthYear),
        },
      ),
    );
  } else if (intakeValid) {
    const age = ageAtIntake(e.birthYear, e.intakeDate);
    if (age < MIN_AGE_AT_INTAKE) {
      push(
        violation(
          ELIG.AGE_UNDER_18,
          'birthYear',
          `De patiënt is op de intakedatum jonger dan 18 jaar (geboortejaar ${e.birthYear}, intake ` +
            `${e.intakeDate.slice(0, 4)}): alleen volwassenen komen in aanmerking.`,
          { birthYear: e.birthYear, intakeYear: Number(e.intakeDate.slice(0, 4)), age },
        ),
      );
    }
  }

  if (Number.isInteger(e.goldStage) && e.goldStage < MIN_GOLD_STAGE) {
    push(
      violation(
        ELIG.GOLD_STAGE_TOO_LOW,
        'goldStage',
        `GOLD-stadium ${e.goldStage} komt niet in aanmerking: oefentherapie bij COPD wordt vergoed vanaf ` +
          `GOLD-stadium 2 (Besluit zorgverzekering art. 2.6 lid 6). Controleer de spirometrie-uitslag.`,
        { goldStage: e.goldStage, minimum: MIN_GOLD_STAGE },
      ),
    );
  } else if (!Number.isInteger(e.goldStage) || e.goldStage > MAX_GOLD_STAGE) {
    push(
      violation(
        E.GOLD_STAGE_INVALID,
        'goldStage',
        `Het GOLD-stadium ${shown(e.goldStage)} bestaat niet; kies 2, 3 of 4.`,
        {
          goldStage: paramOf(e.goldStage),
        },
      ),
    );
  }
  if (!Number.isInteger(e.profile) || e.profile < 1 || e.profile > 6) {
    push(
      violation(
        E.PROFILE_INVALID,
        'profile',
        `Het KNGF-profiel ${shown(e.profile)} bestaat niet; kies een profiel van 1 tot en met 6 (KNGF-richtlijn COPD).`,
        { profile: paramOf(e.profile) },
      ),
    );
  }

  if (intakeValid && contractInForce(ctx.contracts, e.intakeDate) === undefined) {
    push(
      violation(
        ELIG.NO_CONTRACT_IN_FORCE,
        'intakeDate',
        `Op de intakedatum (${nlDate(e.intakeDate)}) is geen contract van deze praktijk met deze zorgverzekeraar ` +
          `van kracht. Leg eerst een contract vast dat deze datum dekt, of controleer de intakedatum.`,
        { intakeDate: e.intakeDate },
      ),
    );
  }
  if (referralValid && intakeValid && e.referralDate > e.intakeDate) {
    push(
      violation(
        E.REFERRAL_AFTER_INTAKE,
        'referralDate',
        `De verwijsdatum (${nlDate(e.referralDate)}) ligt na de intakedatum (${nlDate(e.intakeDate)}): ` +
          `een verwijzing van huisarts of longarts moet er vóór of op de intake zijn.`,
        { referralDate: e.referralDate, intakeDate: e.intakeDate },
      ),
    );
  }
  if (referralValid && isIsoDate(ctx.today) && e.referralDate > ctx.today) {
    push(
      violation(
        E.REFERRAL_IN_FUTURE,
        'referralDate',
        `De verwijsdatum (${nlDate(e.referralDate)}) ligt in de toekomst (vandaag is ${nlDate(ctx.today)}).`,
        { referralDate: e.referralDate, today: ctx.today },
      ),
    );
  }
  if (intakeValid && isIsoDate(ctx.today) && e.intakeDate > ctx.today) {
    push(
      violation(
        E.INTAKE_IN_FUTURE,
        'intakeDate',
        `De intakedatum (${nlDate(e.intakeDate)}) ligt in de toekomst (vandaag is ${nlDate(ctx.today)}); ` +
          `schrijf de patiënt in na de intake.`,
        { intakeDate: e.intakeDate, today: ctx.today },
      ),
    );
  }
  if (endValid && intakeValid && e.endDate! < e.intakeDate) {
    push(
      violation(
        E.END_BEFORE_INTAKE,
        'endDate',
        `De einddatum (${nlDate(e.endDate!)}) ligt vóór de intakedatum (${nlDate(e.intakeDate)}).`,
        { endDate: e.endDate!, intakeDate: e.intakeDate },
      ),
    );
  }

  const hasReason = isPresent(e.endReason);
  if (hasEnd && !hasReason) {
    push(
      violation(
        E.END_REASON_MISSING,
        'endReason',
        'Er is een einddatum maar geen reden van beëindiging; kies een reden (bijv. COMPLETED of DROPPED_OUT).',
      ),
    );
  } else if (!hasEnd && hasReason) {
    push(
      violation(
        E.END_REASON_WITHOUT_END_DATE,
        'endReason',
        'Er is een reden van beëindiging maar geen einddatum; vul de einddatum in of verwijder de reden.',
        { endReason: paramOf(e.endReason) },
      ),
    );
  }
  if (hasReason && !includes(END_REASONS, e.endReason)) {
    push(
      violation(
        E.END_REASON_INVALID,
        'endReason',
        `De reden van beëindiging ${shown(e.endReason)} is onbekend; kies uit ${END_REASONS.join(', ')}.`,
        { endReason: paramOf(e.endReason) },
      ),
    );
  }

  if (ctx.recordedSessionDates && intakeValid && (!hasEnd || endValid)) {
    push(
      ...outside(
        E.SESSIONS_OUTSIDE_ENROLMENT,
        ctx.recordedSessionDates,
        e.intakeDate,
        e.endDate,
        'behandeling',
      ),
    );
  }
  if (ctx.recordedObservationDates && referralValid && (!hasEnd || endValid)) {
    push(
      ...outside(
        E.OBSERVATIONS_OUTSIDE_ENROLMENT,
        ctx.recordedObservationDates,
        e.referralDate,
        e.endDate,
        'meting of gebeurtenis',
      ),
    );
  }
  return found;
}

/** A change of intake, referral or end date must not strand records that were valid when recorded. */
function outside(
  code: typeof E.SESSIONS_OUTSIDE_ENROLMENT | typeof E.OBSERVATIONS_OUTSIDE_ENROLMENT,
  dates: readonly IsoDate[],
  from: IsoDate,
  to: IsoDate | null | undefined,
  noun: string,
): Violation[] {
  const stranded = dates.filter((d) => d < from || (isPresent(to) && d > to));
  if (stranded.length === 0) return [];
  const first = stranded.reduce((min, d) => (d < min ? d : min));
  const plural = noun === 'behandeling' ? 'behandelingen' : 'metingen of gebeurtenissen';
  return [
    violation(
      code,
      first < from ? (code === E.SESSIONS_OUTSIDE_ENROLMENT ? 'intakeDate' : 'referralDate') : 'endDate',
      `Met deze datums ${stranded.length === 1 ? `valt 1 vastgelegde ${noun}` : `vallen ${stranded.length} vastgelegde ${plural}`} ` +
        `buiten de behandelperiode, de eerste op ${nlDate(first)}. Pas de datums aan of corrigeer eerst die registraties.`,
      { firstOutsideDate: first, count: stranded.length },
    ),
  ];
}
