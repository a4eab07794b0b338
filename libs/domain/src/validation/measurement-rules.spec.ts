import type { Instrument } from '../model';
import {
  fromStoredMeasurementValue,
  toStoredMeasurementValue,
  validateMeasurement,
} from './measurement-rules';

const ctx = { enrolment: { referralDate: '2025-01-27', endDate: null }, today: '2025-09-30' };
const check = (instrument: Instrument, value: number, date = '2025-02-10') =>
  validateMeasurement({ date, instrument, value }, ctx).map((v) => v.code);

describe('validateMeasurement values', () => {
  it.each<[Instrument, number, string[]]>([
    ['SIX_MWT', 0, []],
    ['SIX_MWT', 420, []],
    ['SIX_MWT', 1200, []],
    ['SIX_MWT', 1201, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['SIX_MWT', -1, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['SIX_MWT', 420.5, ['MEASUREMENT.VALUE_NOT_INTEGER']], // whole metres
    ['CCQ', 1.6, []],
    ['CCQ', 0.1, []],
    ['CCQ', 5.9, []], // 5.9 * 10 = 59.00000000000001 in floating point; still one decimal
    ['CCQ', 6.0, []],
    ['CCQ', 0, []],
    ['CCQ', 0.3, []], // 0.3 * 10 = 3.0000000000000004
    ['CCQ', 6.1, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['CCQ', -0.1, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['CCQ', 2.25, ['MEASUREMENT.VALUE_TOO_MANY_DECIMALS']], // rejected, not rounded
    ['CCQ', 1.05, ['MEASUREMENT.VALUE_TOO_MANY_DECIMALS']], // 1.05 * 10 = 10.5
    ['CCQ', 1.6000000000000003, ['MEASUREMENT.VALUE_TOO_MANY_DECIMALS']], // the double after 1.6
    ['CCQ', 6.05, ['MEASUREMENT.VALUE_TOO_MANY_DECIMALS', 'MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['CAT', 40, []],
    ['CAT', 41, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['CAT', 12.5, ['MEASUREMENT.VALUE_NOT_INTEGER']],
    ['MMRC', 4, []],
    ['MMRC', 5, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['STEPS', 60000, []],
    ['STEPS', 60001, ['MEASUREMENT.VALUE_OUT_OF_RANGE']],
    ['STEPS', Number.NaN, ['MEASUREMENT.VALUE_INVALID']],
    ['CAT', Number.POSITIVE_INFINITY, ['MEASUREMENT.VALUE_INVALID']],
  ])('should give %s %p -> %p when checking range and precision', (instrument, value, expected) => {
    expect(check(instrument, value)).toEqual(expected);
  });

  it('should reject when the value is a string', () => {
    expect(check('CAT', '12' as unknown as number)).toEqual(['MEASUREMENT.VALUE_INVALID']);
  });

  it('should reject when the instrument is unknown', () => {
    expect(check('FEV1' as Instrument, 1)).toEqual(['MEASUREMENT.INSTRUMENT_INVALID']);
  });
});

describe('validateMeasurement dates', () => {
  it.each<[string, string, { referralDate: string; endDate: string | null }, string[]]>([
    [
      'should accept when measured on the referral date (baseline before intake)',
      '2025-01-27',
      ctx.enrolment,
      [],
    ],
    [
      'should reject when measured before the referral date',
      '2025-01-26',
      ctx.enrolment,
      ['MEASUREMENT.BEFORE_REFERRAL'],
    ],
    [
      'should accept when measured on the end date',
      '2025-06-01',
      { referralDate: '2025-01-27', endDate: '2025-06-01' },
      [],
    ],
    [
      'should reject when measured after the end date',
      '2025-06-02',
      { referralDate: '2025-01-27', endDate: '2025-06-01' },
      ['MEASUREMENT.AFTER_END'],
    ],
    ['should accept when measured today', '2025-09-30', ctx.enrolment, []],
    ['should reject when measured tomorrow', '2025-10-01', ctx.enrolment, ['MEASUREMENT.IN_FUTURE']],
    ['should reject when the date is malformed', '2025-9-30', ctx.enrolment, ['MEASUREMENT.DATE_INVALID']],
  ])('%s', (_name, date, enrolment, expected) => {
    expect(
      validateMeasurement({ date, instrument: 'CAT', value: 12 }, { ...ctx, enrolment }).map((v) => v.code),
    ).toEqual(expected);
  });

  it('should report value and date reasons at once when both are wrong', () => {
    expect(check('CCQ', 2.25, '2025-10-01')).toEqual([
      'MEASUREMENT.VALUE_TOO_MANY_DECIMALS',
      'MEASUREMENT.IN_FUTURE',
    ]);
  });
});

describe('stored measurement values', () => {
  it.each<[Instrument, number, number]>([
    ['CCQ', 1.6, 16], // tenths
    ['CCQ', 0.1, 1],
    ['CCQ', 5.9, 59],
    ['CCQ', 6, 60],
    ['CCQ', 0.3, 3],
    ['SIX_MWT', 420, 420],
    ['STEPS', 6500, 6500],
  ])('should store %s %p as %p and read it back when converting', (instrument, value, stored) => {
    expect(toStoredMeasurementValue(instrument, value)).toBe(stored);
    expect(fromStoredMeasurementValue(instrument, stored)).toBe(value);
  });

  it('should make the CCQ MCID comparison exact when values are stored in tenths', () => {
    // 1.6 - 2.0 = -0.3999999999999999 in floating point; 16 - 20 = -4 exactly
    expect(1.6 - 2.0 <= -0.4).toBe(false);
    expect(toStoredMeasurementValue('CCQ', 1.6) - toStoredMeasurementValue('CCQ', 2.0)).toBe(-4);
  });

  it.each<[Instrument, number]>([
    ['CCQ', 2.25],
    ['CAT', 12.5],
    ['SIX_MWT', Number.NaN],
  ])('should throw rather than round when storing %s %p', (instrument, value) => {
    expect(() => toStoredMeasurementValue(instrument, value)).toThrow(RangeError);
  });
});
