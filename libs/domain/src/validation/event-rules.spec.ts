import type { EventRecord } from '../model';
import { validateEvent } from './event-rules';

describe('validateEvent', () => {
  const ctx = { enrolment: { referralDate: '2025-01-27', endDate: '2025-06-01' }, today: '2025-09-30' };

  it.each<[string, EventRecord, string[]]>([
    [
      'should accept when an exacerbation is inside the enrolment',
      { date: '2025-03-01', kind: 'EXACERBATION_MODERATE' },
      [],
    ],
    ['should accept when death is on the end date', { date: '2025-06-01', kind: 'DEATH' }, []],
    [
      'should accept when the event is on the referral date',
      { date: '2025-01-27', kind: 'HOSPITAL_ADMISSION' },
      [],
    ],
    [
      'should reject when the event is before referral',
      { date: '2025-01-26', kind: 'EXACERBATION_SEVERE' },
      ['EVENT.BEFORE_REFERRAL'],
    ],
    [
      'should reject when the event is after the end date',
      { date: '2025-06-02', kind: 'EXACERBATION_SEVERE' },
      ['EVENT.AFTER_END'],
    ],
    [
      'should reject when the kind is unknown',
      { date: '2025-03-01', kind: 'FLU' as never },
      ['EVENT.KIND_INVALID'],
    ],
    [
      'should reject when the date is not a calendar date',
      { date: '2025-02-29', kind: 'DEATH' },
      ['EVENT.DATE_INVALID'],
    ],
    [
      'should report every reason when kind, end and future are wrong',
      { date: '2025-10-01', kind: 'FLU' as never },
      ['EVENT.KIND_INVALID', 'EVENT.AFTER_END', 'EVENT.IN_FUTURE'],
    ],
  ])('%s', (_name, event, expected) => {
    expect(validateEvent(event, ctx).map((v) => v.code)).toEqual(expected);
  });
});
