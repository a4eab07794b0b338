import {
  addDays,
  addMonthsClamped,
  calendarQuarterLastDay,
  calendarQuarterOf,
  compareDates,
  daysBetween,
  isAfter,
  isBefore,
  isCalendarQuarterComplete,
  isIsoDate,
  isOnOrAfter,
  isOnOrBefore,
  isWithinInclusive,
  maxDate,
  minDate,
  todayInZone,
} from './calendar-date';

describe('isIsoDate', () => {
  it.each([
    ['2025-02-10', true],
    ['2024-02-29', true], // 2024 is a leap year
    ['2025-02-29', false], // 2025 is not
    ['1900-02-29', false], // century rule: 1900 is not a leap year
    ['2000-02-29', true], // 400-year rule: 2000 is
    ['2025-02-28', true], // the last day every month has: no calendar needed
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-1-5', false],
    ['2025-01-05T00:00', false],
    [' 2025-01-05', false],
    ['05-01-2025', false],
    ['+2025-01-05', false],
    ['', false],
    [20250105, false],
    [null, false],
    [undefined, false],
  ])('should return %p -> %p when checking strict YYYY-MM-DD calendar dates', (input, expected) => {
    expect(isIsoDate(input)).toBe(expected);
  });
});

describe('addMonthsClamped', () => {
  it.each([
    // Months are added to the given date itself; past the month's last day it clamps (DOMAIN.md 5).
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-01-31', 3, '2025-04-30'],
    ['2025-01-31', 6, '2025-07-31'], // not 2025-07-30: never chained from 04-30
    ['2025-01-31', 9, '2025-10-31'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2023-11-30', 3, '2024-02-29'], // leap year
    ['2025-08-31', 3, '2025-11-30'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2025-02-10', 3, '2025-05-10'],
    ['2025-02-10', 0, '2025-02-10'],
    ['2025-03-31', -1, '2025-02-28'],
  ])('should give %s + %i months = %s when clamping to month end', (date, months, expected) => {
    expect(addMonthsClamped(date, months)).toBe(expected);
  });

  it('should throw when the date is not a calendar date', () => {
    expect(() => addMonthsClamped('2025-02-29', 1)).toThrow(RangeError);
  });
});

describe('addDays and daysBetween', () => {
  it.each([
    ['2025-02-28', 1, '2025-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-05-10', -1, '2025-05-09'],
    ['2025-02-10', 365, '2026-02-10'],
  ])('should give %s + %i days = %s when adding days', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2025-01-27', '2025-02-10', 14], // worked example wait: 4 days of January + 10 of February
    ['2025-02-10', '2025-01-27', -14],
    ['2024-01-01', '2025-01-01', 366], // leap year
    ['2025-03-29', '2025-03-31', 2], // across the DST switch: calendar days, no hour drift
    ['2025-06-01', '2025-06-01', 0],
  ])('should give daysBetween(%s, %s) = %i when counting b - a', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });
});

describe('comparisons', () => {
  it('should order dates when comparing', () => {
    expect(['2025-03-01', '2024-12-31', '2025-01-15'].sort(compareDates)).toEqual([
      '2024-12-31',
      '2025-01-15',
      '2025-03-01',
    ]);
    expect(compareDates('2025-01-01', '2025-01-01')).toBe(0);
    expect(isBefore('2025-01-01', '2025-01-02')).toBe(true);
    expect(isAfter('2025-01-01', '2025-01-02')).toBe(false);
    expect(isOnOrBefore('2025-01-02', '2025-01-02')).toBe(true);
    expect(isOnOrAfter('2025-01-01', '2025-01-02')).toBe(false);
    expect(isWithinInclusive('2025-12-31', '2025-01-01', '2025-12-31')).toBe(true);
    expect(isWithinInclusive('2026-01-01', '2025-01-01', '2025-12-31')).toBe(false);
  });

  it('should pick the earliest and latest date when given several', () => {
    expect(minDate('2025-05-01', '2025-02-01', '2025-09-01')).toBe('2025-02-01');
    expect(maxDate('2025-05-01', '2025-02-01', '2025-09-01')).toBe('2025-09-01');
    expect(minDate('2025-05-01')).toBe('2025-05-01');
  });
});

describe('calendarQuarterOf', () => {
  it.each([
    ['2025-01-01', '2025-Q1'],
    ['2025-03-31', '2025-Q1'],
    ['2025-04-01', '2025-Q2'],
    ['2025-08-10', '2025-Q3'],
    ['2025-12-31', '2025-Q4'],
  ])('should place %s in %s when grouping by calendar quarter', (date, expected) => {
    expect(calendarQuarterOf(date)).toBe(expected);
  });
});

describe('calendarQuarterLastDay', () => {
  it.each([
    ['2025-01-01', '2025-03-31'], // Q1: January-March
    ['2025-02-10', '2025-03-31'],
    ['2025-04-01', '2025-06-30'], // Q2 ends on 30 June
    ['2025-08-10', '2025-09-30'],
    ['2025-10-01', '2025-12-31'], // Q4 ends on 31 December, the day before 2026-01-01
    ['2028-12-31', '2028-12-31'],
  ])('should end the quarter of %s on %s when it is asked for the last day', (date, expected) => {
    expect(calendarQuarterLastDay(date)).toBe(expected);
  });
});

describe('isCalendarQuarterComplete', () => {
  it.each([
    // 2025-Q3 runs 2025-07-01..2025-09-30: complete when its last day 09-30 <= the analysis date.
    ['2025-07-01', '2025-09-30', true], // analysis date = last day of the quarter
    ['2025-07-01', '2025-09-29', false], // one day before: the quarter still runs on 09-30
    ['2025-08-10', '2025-10-01', true], // a care quarter starting mid-quarter is placed in 2025-Q3 as well
    ['2025-08-10', '2025-07-01', false], // the analysis date inside the quarter
    ['2025-10-01', '2025-12-31', true], // 2025-Q4 on its last day
    ['2025-10-01', '2025-12-30', false],
    ['2024-01-01', '2024-03-31', true], // leap year: Q1 still ends on 31 March
    ['2025-04-01', '2025-06-30', true],
    ['2025-04-01', '2025-06-29', false],
  ])('should judge the quarter of %s when the analysis date is %s (complete: %s)', (date, analysisDate, expected) => {
    expect(isCalendarQuarterComplete(date, analysisDate)).toBe(expected);
  });
});

describe('todayInZone', () => {
  it.each([
    ['2025-06-30T23:30:00Z', 'Europe/Amsterdam', '2025-07-01'], // CEST = UTC+2: already 01:30 on 1 July
    ['2025-06-30T21:59:59Z', 'Europe/Amsterdam', '2025-06-30'], // 23:59:59 local
    ['2025-06-30T22:00:00Z', 'Europe/Amsterdam', '2025-07-01'], // midnight local
    ['2025-12-31T22:59:59Z', 'Europe/Amsterdam', '2025-12-31'], // CET = UTC+1
    ['2025-12-31T23:00:00Z', 'Europe/Amsterdam', '2026-01-01'],
    ['2025-06-30T23:30:00Z', 'UTC', '2025-06-30'],
  ])('should give the calendar date when the instant is %s in %s', (instant, zone, expected) => {
    expect(todayInZone(new Date(instant), zone)).toBe(expected);
  });

  it('should default to Europe/Amsterdam when no zone is given', () => {
    expect(todayInZone(new Date('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
  });
});
