import { isIsoDate } from '../dates/calendar-date';
import { isAgbCode, isUzoviCode } from '../identity/care-codes';
import { ARMS, type Arm, type ContractTerms, type IsoDate, type Violation } from '../model';
import { VIOLATION_CODES } from './violation-codes';
import { includes, paramOf, violation } from './violation';

const C = VIOLATION_CODES.CONTRACT;

/**
 * The contract of one practice x insurer whose [validFrom, validTo] (inclusive) contains the date; contracts never
 * overlap (validateContract), so at most one matches. Unit: the contract given (ContractTerms, or any record with
 * its period: the initial session load's) or undefined. Source: DOMAIN.md 3.
 * Twin of the contract join of the SQL trigger therapy_sessions_derive and of the bulk load's INSERT (c.valid_from
 * <= date <= c.valid_to); session-bulk-load.int-spec.ts checks the initial session load, which derives with this
 * function, against the trigger.
 */
export function contractInForce<C extends Pick<ContractTerms, 'validFrom' | 'validTo'>>(
  contracts: readonly C[],
  date: IsoDate,
): C | undefined {
  return contracts.find((c) => c.validFrom <= date && date <= c.validTo);
}

/**
 * The patient's arm: that of the contract in force on the intake date, kept for the whole enrolment even when a
 * renewal changes it. A correction of that contract (arm or period) is not a renewal: the arm is derived again with
 * this function from the corrected contracts, so the same stored data always gives the same arm, whatever order it
 * arrived in. Unit: Arm, or undefined without a contract then. Source: DOMAIN.md 3.
 */
export function armAtIntake(contracts: readonly ContractTerms[], intakeDate: IsoDate): Arm | undefined {
  return contractInForce(contracts, intakeDate)?.arm;
}

/** An enrolled patient's intake date: the contract in force on it gives the patient's arm, so it must stay covered. */
export interface EnrolledIntake {
  /** The patient's pseudonym, and the practice's own number for it (evaluators, who write contracts, see both). */
  pseudonym: string;
  ref: string;
  intakeDate: IsoDate;
}

/** A recorded session of a patient of the practice x insurer: it is priced by the contract in force on its date. */
export interface RecordedSession {
  pseudonym: string;
  ref: string;
  date: IsoDate;
  kind: string;
}

export interface ContractValidationContext {
  /** The other contracts of the same practice x insurer after the change, without the one being created or changed. */
  others: readonly ContractTerms[];
  /**
   * The contract as stored before this change; undefined for a new one. Only what it covered can be left without
   * a contract by the change (a date no contract covered before is not this change's doing).
   */
  previous?: ContractTerms;
  /** Intakes of the pair's enrolled patients (all of them, or at least those inside the previous period). */
  enrolledIntakes: readonly EnrolledIntake[];
  /** Recorded sessions of the pair's patients (all of them, or at least those inside the previous period). */
  recordedSessions: readonly RecordedSession[];
}

/**
 * The highest tariff accepted, in euro cents (EUR 25,000). DOMAIN.md 3 asks integer cents >= 0 and sets no
 * maximum; no single physiotherapy item costs this much, so a larger value is a typing error (euros typed
 * as cents, an extra zero). The cap also keeps a care quarter's amount below 2^31 cents: at most 368
 * sessions (4 kinds x 92 days) x (session + home supplement) + intake = 737 x 2,500,000 = 1,842,500,000.
 * The database enforces the same bound (migration 1764500000000), and the recompute relies on it.
 */
export const MAX_TARIFF_CENTS = 2_500_000;

const TARIFF_PATHS = [
  ['bundle', 'intake'],
  ['bundle', 'quarter'],
  ['ffs', 'intake'],
  ['ffs', 'session'],
  ['ffs', 'homeSupplement'],
  ['ffs', 'groupSession'],
] as const;

/**
 * Violations of a contract to create or change: period, arm, tariffs (integer cents >= 0), overlap with the others of
 * its practice x insurer, enrolled intakes and recorded sessions the change leaves without a contract (named per
 * patient). Unit: Violation[], all at once. Source: DOMAIN.md 3-4.
 */
export function validateContract(c: ContractTerms, ctx: ContractValidationContext): Violation[] {
  const found: Violation[] = [];
  if (!isAgbCode(c.practice)) {
    found.push(violation(C.PRACTICE_INVALID, 'practice', { practice: paramOf(c.practice), value: paramOf(c.practice) }));
  }
  if (!isUzoviCode(c.insurer)) {
    found.push(violation(C.INSURER_INVALID, 'insurer', { insurer: paramOf(c.insurer), value: paramOf(c.insurer) }));
  }
  if (!includes(ARMS, c.arm)) {
    found.push(violation(C.ARM_INVALID, 'arm', { arm: paramOf(c.arm), value: paramOf(c.arm), allowed: ARMS.join(', ') }));
  }
  for (const path of ['validFrom', 'validTo'] as const) {
    if (!isIsoDate(c[path])) {
      found.push(violation(C.DATE_INVALID, path, { [path]: paramOf(c[path]), value: paramOf(c[path]) }));
    }
  }
  for (const [set, name] of TARIFF_PATHS) {
    const value: unknown = (c[set] as unknown as Record<string, unknown> | undefined)?.[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_TARIFF_CENTS) {
      found.push(violation(C.TARIFF_INVALID, `${set}.${name}`, { value: paramOf(value), min: 0, max: MAX_TARIFF_CENTS }));
    }
  }

  const periodValid = isIsoDate(c.validFrom) && isIsoDate(c.validTo);
  if (periodValid && c.validFrom > c.validTo) {
    found.push(
      violation(C.VALID_TO_BEFORE_VALID_FROM, 'validTo', { validFrom: c.validFrom, validTo: c.validTo }),
    );
  }
  // Overlap and coverage are only meaningful for a well-formed period; otherwise the reasons above suffice.
  if (!periodValid || c.validFrom > c.validTo) return found;

  for (const other of ctx.others) {
    if (c.validFrom <= other.validTo && other.validFrom <= c.validTo) {
      found.push(
        violation(
          C.OVERLAP,
          other.validFrom <= c.validFrom ? 'validFrom' : 'validTo',
          {
            validFrom: c.validFrom,
            validTo: c.validTo,
            otherValidFrom: other.validFrom,
            otherValidTo: other.validTo,
            otherId: other.id ?? null,
          },
        ),
      );
    }
  }
  if (ctx.previous) {
    found.push(
      ...leftUncovered(ctx.previous, [...ctx.others, c], ctx, (date) =>
        date < c.validFrom ? 'validFrom' : 'validTo',
      ),
    );
  }
  return found;
}

/**
 * Violations of removing a contract: the remaining contracts of the practice x insurer must still cover every
 * enrolled patient's intake and every recorded session the removed one covered. Unit: Violation[] (empty when
 * allowed), all at once. Source: DOMAIN.md 4.
 */
export function validateContractRemoval(
  removed: ContractTerms,
  ctx: Omit<ContractValidationContext, 'previous' | 'others'> & { remaining: readonly ContractTerms[] },
): Violation[] {
  return leftUncovered(removed, ctx.remaining, ctx, () => '');
}

/**
 * What the previous contract covered and the contracts after the change do not: one violation per patient whose
 * intake is left uncovered (the arm at intake would be undefined and the intake unpriced), then one per patient
 * with sessions left uncovered, naming each session. Ordered by date, then pseudonym, so the answer is stable.
 */
function leftUncovered(
  previous: ContractTerms,
  after: readonly ContractTerms[],
  items: Pick<ContractValidationContext, 'enrolledIntakes' | 'recordedSessions'>,
  pathOf: (date: IsoDate) => string,
): Violation[] {
  const stranded = (date: IsoDate): boolean =>
    previous.validFrom <= date && date <= previous.validTo && contractInForce(after, date) === undefined;
  const byDateThenPatient = (
    a: { date: IsoDate; pseudonym: string },
    b: { date: IsoDate; pseudonym: string },
  ) => compare(a.date, b.date) || compare(a.pseudonym, b.pseudonym);

  const intakes = items.enrolledIntakes
    .filter((p) => stranded(p.intakeDate))
    .map((p) => ({ ...p, date: p.intakeDate }))
    .sort(byDateThenPatient)
    .map((p) =>
      violation(C.INTAKE_UNCOVERED, pathOf(p.intakeDate), {
        pseudonym: p.pseudonym,
        ref: p.ref,
        intakeDate: p.intakeDate,
      }),
    );

  const sessionsByPatient = new Map<string, RecordedSession[]>();
  for (const s of items.recordedSessions) {
    if (!stranded(s.date)) continue;
    const list = sessionsByPatient.get(s.pseudonym);
    if (list) list.push(s);
    else sessionsByPatient.set(s.pseudonym, [s]);
  }
  const sessions = [...sessionsByPatient.values()]
    .map((list) => list.sort((a, b) => compare(a.date, b.date) || compare(a.kind, b.kind)))
    .sort((a, b) => byDateThenPatient(a[0], b[0]))
    .map((list) => {
      const [first] = list;
      return violation(C.SESSION_UNCOVERED, pathOf(first.date), {
        pseudonym: first.pseudonym,
        ref: first.ref,
        firstUncoveredDate: first.date,
        count: list.length,
        sessions: list.map((s) => `${s.date} ${s.kind}`).join(', '),
      });
    });
  return [...intakes, ...sessions];
}

/** Code-point order, the same in every locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
