import { isIsoDate } from '../dates/calendar-date';
import {
  SESSION_KINDS,
  type ContractTerms,
  type Enrolment,
  type IsoDate,
  type SessionRecord,
  type Violation,
} from '../model';
import { contractInForce } from './contract-rules';
import { VIOLATION_CODES } from './violation-codes';
import { includes, paramOf, recordDateViolations, violation } from './violation';

const S = VIOLATION_CODES.SESSION;

export interface SessionValidationContext {
  enrolment: Pick<Enrolment, 'intakeDate' | 'endDate'>;
  /** Contracts of the enrolment's practice x insurer. */
  contracts: readonly ContractTerms[];
  today: IsoDate;
}

/**
 * Violations of a session: kind from the list, dated within [intake, end], not after today, a contract in force on
 * its date (no contract, nothing to pay it from). Unit: Violation[], all at once. Source: DOMAIN.md 3-4.
 */
export function validateSession(s: SessionRecord, ctx: SessionValidationContext): Violation[] {
  const found: Violation[] = [];
  if (!includes(SESSION_KINDS, s.kind)) {
    found.push(
      violation(S.KIND_INVALID, 'kind', { kind: paramOf(s.kind), value: paramOf(s.kind), allowed: SESSION_KINDS.join(', ') }),
    );
  }
  found.push(
    ...recordDateViolations(s.date, {
      notBefore: { date: ctx.enrolment.intakeDate, code: S.BEFORE_INTAKE },
      endDate: ctx.enrolment.endDate,
      today: ctx.today,
      codes: { dateInvalid: S.DATE_INVALID, afterEnd: S.AFTER_END, inFuture: S.IN_FUTURE },
    }),
  );
  if (isIsoDate(s.date) && contractInForce(ctx.contracts, s.date) === undefined) {
    found.push(violation(S.NO_CONTRACT_IN_FORCE, 'date', { date: s.date, value: s.date }));
  }
  return found;
}
