import { INSTRUMENTS, type Enrolment, type Instrument, type IsoDate, type Violation } from '../model';
import { INSTRUMENT_LABELS } from './field-labels';
import { VIOLATION_CODES } from './violation-codes';
import { includes, paramOf, recordDateViolations, violation } from './violation';

const M = VIOLATION_CODES.MEASUREMENT;

export interface MeasurementScale {
  /** Inclusive bounds in the unit the user enters. */
  min: number;
  max: number;
  /** Decimals allowed as entered; the stored value is the entered value x 10^decimals, an integer. */
  decimals: 0 | 1;
  unit: string;
  labelNl: string;
}

/** Instrument ranges of DOMAIN.md 3. CCQ is kept in tenths so that comparisons (MCID -0.4) are exact. */
export const MEASUREMENT_SCALES: Readonly<Record<Instrument, MeasurementScale>> = {
  SIX_MWT: { min: 0, max: 1200, decimals: 0, unit: 'm', labelNl: INSTRUMENT_LABELS.SIX_MWT.nl },
  CCQ: { min: 0, max: 6, decimals: 1, unit: 'score', labelNl: INSTRUMENT_LABELS.CCQ.nl },
  CAT: { min: 0, max: 40, decimals: 0, unit: 'score', labelNl: INSTRUMENT_LABELS.CAT.nl },
  MMRC: { min: 0, max: 4, decimals: 0, unit: 'grade', labelNl: INSTRUMENT_LABELS.MMRC.nl },
  STEPS: { min: 0, max: 60000, decimals: 0, unit: 'steps/day', labelNl: INSTRUMENT_LABELS.STEPS.nl },
};

/**
 * Whether a number as entered has at most `decimals` decimals. Scaling and dividing back is exact for what a
 * user can type: 16 / 10 is the very double the literal 1.6 parses to, while 2.25 or 1.05 do not come back.
 * (A tolerance test would wrongly accept 1.6000000001.)
 */
function hasAtMostDecimals(value: number, decimals: 0 | 1): boolean {
  if (decimals === 0) return Number.isInteger(value);
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor === value;
}

/**
 * The entered value in its stored integer unit: CCQ in tenths (1.6 -> 16), others unchanged.
 * Throws a RangeError rather than round (a CCQ of 2.25 is rejected, not rounded: DOMAIN.md 4); validate first.
 */
export function toStoredMeasurementValue(instrument: Instrument, value: number): number {
  const { decimals } = MEASUREMENT_SCALES[instrument];
  if (!Number.isFinite(value) || !hasAtMostDecimals(value, decimals)) {
    throw new RangeError(`${instrument} value ${value} has more than ${decimals} decimal(s)`);
  }
  return Math.round(value * 10 ** decimals);
}

/** The stored integer back in the unit users see: CCQ 16 -> 1.6. */
export function fromStoredMeasurementValue(instrument: Instrument, stored: number): number {
  const { decimals } = MEASUREMENT_SCALES[instrument];
  return decimals === 0 ? stored : stored / 10 ** decimals;
}

export interface ObservationValidationContext {
  enrolment: Pick<Enrolment, 'referralDate' | 'endDate'>;
  today: IsoDate;
}

/**
 * Violations of a measurement as the user sent it (CCQ 1.6, not 16): instrument, range, precision (never rounded),
 * dated within [referral, end], not after today. Unit: Violation[], all at once. Source: DOMAIN.md 3-4.
 */
export function validateMeasurement(
  m: { date: IsoDate; instrument: Instrument; value: number },
  ctx: ObservationValidationContext,
): Violation[] {
  const found: Violation[] = [];
  if (!includes(INSTRUMENTS, m.instrument)) {
    found.push(
      violation(M.INSTRUMENT_INVALID, 'instrument', {
        instrument: paramOf(m.instrument),
        value: paramOf(m.instrument),
        allowed: INSTRUMENTS.join(', '),
      }),
    );
  } else {
    found.push(...valueViolations(m.instrument, m.value));
  }
  found.push(
    ...recordDateViolations(m.date, {
      notBefore: { date: ctx.enrolment.referralDate, code: M.BEFORE_REFERRAL },
      endDate: ctx.enrolment.endDate,
      today: ctx.today,
      codes: { dateInvalid: M.DATE_INVALID, afterEnd: M.AFTER_END, inFuture: M.IN_FUTURE },
    }),
  );
  return found;
}

function valueViolations(instrument: Instrument, value: unknown): Violation[] {
  const scale = MEASUREMENT_SCALES[instrument];
  const params = { instrument, value: paramOf(value), min: scale.min, max: scale.max, decimals: scale.decimals };
  if (typeof value !== 'number' || !Number.isFinite(value)) return [violation(M.VALUE_INVALID, 'value', params)];
  const found: Violation[] = [];
  if (!hasAtMostDecimals(value, scale.decimals)) {
    found.push(violation(scale.decimals === 0 ? M.VALUE_NOT_INTEGER : M.VALUE_TOO_MANY_DECIMALS, 'value', params));
  }
  if (value < scale.min || value > scale.max) found.push(violation(M.VALUE_OUT_OF_RANGE, 'value', params));
  return found;
}
