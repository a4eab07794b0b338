import { isIsoDate } from '../dates/calendar-date';
import { isAgbCode, isUzoviCode } from '../identity/care-codes';
import { ARMS, type Arm, type ContractTerms, type IsoDate, type Violation } from '../model';
import { VIOLATION_CODES } from './violation-codes';
import { includes, nlDate, paramOf, shown, violation } from './violation';

const C = VIOLATION_CODES.CONTRACT;

/**
 * The contract of one practice x insurer whose [validFrom, validTo] (inclusive) contains the date; contracts never
 * overlap (validateContract), so at most one matches. Unit: ContractTerms or undefined. Source: DOMAIN.md 3.
 */
export function contractInForce(
  contracts: readonly ContractTerms[],
  date: IsoDate,
): ContractTerms | undefined {
  return contracts.find((c) => c.validFrom <= date && date <= c.validTo);
}

/**
 * The patient's arm: that of the contract in force on the intake date, kept for the whole enrolment even when a
 * renewal changes it. Unit: Arm, or undefined without a contract then. Source: DOMAIN.md 3.
 */
export function armAtIntake(contracts: readonly ContractTerms[], intakeDate: IsoDate): Arm | undefined {
  return contractInForce(contracts, intakeDate)?.arm;
}

export interface ContractValidationContext {
  /** The other contracts of the same practice x insurer, without the one being created or changed. */
  others: readonly ContractTerms[];
  /** Dates of the recorded sessions of patients of this practice x insurer: each must stay covered. */
  recordedSessionDates: readonly IsoDate[];
}

/**
 * The highest tariff accepted, in euro cents (EUR 25,000). DOMAIN.md 3 asks integer cents >= 0 and sets no
 * maximum; no single physiotherapy item costs this much, so a larger value is a typing error (euros typed
 * as cents, an extra zero). The cap also keeps a care quarter's amount below 2^31 cents: at most 368
 * sessions (4 kinds x 92 days) x (session + home supplement) + intake = 737 x 2,500,000 = 1,842,500,000.
 * The database enforces the same bound (migration 1764500000000), and the recompute relies on it.
 */
export const MAX_TARIFF_CENTS = 2_500_000;
const MAX_TARIFF_EUROS = (MAX_TARIFF_CENTS / 100).toLocaleString('nl-NL', { minimumFractionDigits: 2 });

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
 * its practice x insurer, recorded sessions left uncovered. Unit: Violation[], all at once. Source: DOMAIN.md 3-4.
 */
export function validateContract(c: ContractTerms, ctx: ContractValidationContext): Violation[] {
  const found: Violation[] = [];
  if (!isAgbCode(c.practice)) {
    found.push(
      violation(
        C.PRACTICE_INVALID,
        'practice',
        `De AGB-code ${shown(c.practice)} is ongeldig: een AGB-code bestaat uit precies 8 cijfers.`,
        {
          practice: paramOf(c.practice),
        },
      ),
    );
  }
  if (!isUzoviCode(c.insurer)) {
    found.push(
      violation(
        C.INSURER_INVALID,
        'insurer',
        `De UZOVI-code ${shown(c.insurer)} is ongeldig: een UZOVI-code bestaat uit precies 4 cijfers.`,
        {
          insurer: paramOf(c.insurer),
        },
      ),
    );
  }
  if (!includes(ARMS, c.arm)) {
    found.push(
      violation(
        C.ARM_INVALID,
        'arm',
        `De bekostigingsvorm ${shown(c.arm)} is onbekend; kies BUNDLE of FFS.`,
        {
          arm: paramOf(c.arm),
        },
      ),
    );
  }
  for (const path of ['validFrom', 'validTo'] as const) {
    if (!isIsoDate(c[path])) {
      found.push(
        violation(
          C.DATE_INVALID,
          path,
          `De datum ${shown(c[path])} is geen geldige datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-01-01).`,
          { [path]: paramOf(c[path]) },
        ),
      );
    }
  }
  for (const [set, name] of TARIFF_PATHS) {
    const value: unknown = (c[set] as unknown as Record<string, unknown> | undefined)?.[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_TARIFF_CENTS) {
      found.push(
        violation(
          C.TARIFF_INVALID,
          `${set}.${name}`,
          `Het tarief ${set}.${name} (${shown(value)}) moet een geheel aantal eurocenten van 0 tot en met ` +
            `${MAX_TARIFF_CENTS} (€ ${MAX_TARIFF_EUROS}) zijn (bijv. 4000 voor € 40,00).`,
          { value: paramOf(value) },
        ),
      );
    }
  }

  const periodValid = isIsoDate(c.validFrom) && isIsoDate(c.validTo);
  if (periodValid && c.validFrom > c.validTo) {
    found.push(
      violation(
        C.VALID_TO_BEFORE_VALID_FROM,
        'validTo',
        `De einddatum van het contract (${nlDate(c.validTo)}) ligt vóór de begindatum (${nlDate(c.validFrom)}).`,
        { validFrom: c.validFrom, validTo: c.validTo },
      ),
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
          `De periode ${nlDate(c.validFrom)} t/m ${nlDate(c.validTo)} overlapt met een ander contract van deze ` +
            `praktijk en zorgverzekeraar (${nlDate(other.validFrom)} t/m ${nlDate(other.validTo)}). ` +
            `Contracten mogen elkaar niet overlappen: pas een van beide periodes aan.`,
          { otherValidFrom: other.validFrom, otherValidTo: other.validTo, otherId: other.id ?? null },
        ),
      );
    }
  }
  const uncovered = uncoveredSessionViolation([...ctx.others, c], ctx.recordedSessionDates, (first) =>
    first < c.validFrom ? 'validFrom' : 'validTo',
  );
  if (uncovered) found.push(uncovered);
  return found;
}

/**
 * Violations of removing a contract: the remaining contracts of the practice x insurer must still cover every
 * recorded session. Unit: Violation[] (empty when allowed). Source: DOMAIN.md 4.
 */
export function validateContractRemoval(
  remaining: readonly ContractTerms[],
  recordedSessionDates: readonly IsoDate[],
): Violation[] {
  const uncovered = uncoveredSessionViolation(remaining, recordedSessionDates, () => '');
  return uncovered ? [uncovered] : [];
}

function uncoveredSessionViolation(
  contracts: readonly ContractTerms[],
  sessionDates: readonly IsoDate[],
  pathOf: (firstUncovered: IsoDate) => string,
): Violation | undefined {
  const uncovered = sessionDates.filter((d) => contractInForce(contracts, d) === undefined);
  if (uncovered.length === 0) return undefined;
  const first = uncovered.reduce((min, d) => (d < min ? d : min));
  const count = uncovered.length;
  return violation(
    C.SESSION_UNCOVERED,
    pathOf(first),
    `Door deze wijziging ${count === 1 ? 'zou 1 vastgelegde behandeling' : `zouden ${count} vastgelegde behandelingen`} ` +
      `buiten elk contract vallen, de eerste op ${nlDate(first)}. Elke vastgelegde behandeling moet onder een ` +
      `contract vallen: kies een periode die ze dekt.`,
    { firstUncoveredDate: first, count },
  );
}
