import { EVENT_KINDS, type EventRecord, type Violation } from '../model';
import type { ObservationValidationContext } from './measurement-rules';
import { VIOLATION_CODES } from './violation-codes';
import { includes, paramOf, recordDateViolations, violation } from './violation';

const EV = VIOLATION_CODES.EVENT;

/**
 * Violations of an event: kind from the list, dated within [referral, end], not after today (outside every indicator
 * window it is kept but counts nowhere). Unit: Violation[], all at once. Source: DOMAIN.md 3-4.
 */
export function validateEvent(e: EventRecord, ctx: ObservationValidationContext): Violation[] {
  const found: Violation[] = [];
  if (!includes(EVENT_KINDS, e.kind)) {
    found.push(
      violation(EV.KIND_INVALID, 'kind', { kind: paramOf(e.kind), value: paramOf(e.kind), allowed: EVENT_KINDS.join(', ') }),
    );
  }
  found.push(
    ...recordDateViolations(e.date, {
      notBefore: { date: ctx.enrolment.referralDate, code: EV.BEFORE_REFERRAL },
      endDate: ctx.enrolment.endDate,
      today: ctx.today,
      codes: { dateInvalid: EV.DATE_INVALID, afterEnd: EV.AFTER_END, inFuture: EV.IN_FUTURE },
    }),
  );
  return found;
}
