import { addDays } from '../dates/calendar-date';
import { careQuarterOf, careQuarters } from './care-quarters';

const q = (index: number, start: string, endExclusive: string) => ({ index, start, endExclusive });

describe('careQuarters', () => {
  it.each([
    [
      'should give the worked example quarters when intake is 2025-02-10 and analysis 2025-09-30',
      '2025-02-10',
      null,
      '2025-09-30',
      // Q4 would start 2025-11-10 > 2025-09-30
      [q(1, '2025-02-10', '2025-05-10'), q(2, '2025-05-10', '2025-08-10'), q(3, '2025-08-10', '2025-11-10')],
    ],
    [
      'should clamp each start to month end from the intake itself when intake is 2025-01-31',
      '2025-01-31',
      null,
      '2025-12-31',
      // +3 -> 04-30, +6 -> 07-31 (not 07-30: never chained), +9 -> 10-31, +12 -> 2026-01-31
      [
        q(1, '2025-01-31', '2025-04-30'),
        q(2, '2025-04-30', '2025-07-31'),
        q(3, '2025-07-31', '2025-10-31'),
        q(4, '2025-10-31', '2026-01-31'),
      ],
    ],
    [
      'should clamp to 28 February when intake is 2024-11-30',
      '2024-11-30',
      null,
      '2025-06-30',
      // +3 -> 2025-02-28 (no 29th in 2025), +6 -> 2025-05-30, +9 -> 2025-08-30 > analysis
      [q(1, '2024-11-30', '2025-02-28'), q(2, '2025-02-28', '2025-05-30'), q(3, '2025-05-30', '2025-08-30')],
    ],
    [
      'should clamp to 29 February in a leap year when intake is 2023-11-30',
      '2023-11-30',
      null,
      '2024-03-31',
      [q(1, '2023-11-30', '2024-02-29'), q(2, '2024-02-29', '2024-05-30')],
    ],
    [
      'should clamp to 30 November and 28 February when intake is 2025-08-31',
      '2025-08-31',
      null,
      '2026-03-01',
      // +3 -> 2025-11-30, +6 -> 2026-02-28, +9 -> 2026-05-31 > analysis
      [q(1, '2025-08-31', '2025-11-30'), q(2, '2025-11-30', '2026-02-28'), q(3, '2026-02-28', '2026-05-31')],
    ],
    [
      'should keep a quarter starting on the end date when the end date is 2025-05-10',
      '2025-02-10',
      '2025-05-10',
      '2025-09-30',
      [q(1, '2025-02-10', '2025-05-10'), q(2, '2025-05-10', '2025-08-10')],
    ],
    [
      'should cut quarters after the end date when the end date is 2025-05-09',
      '2025-02-10',
      '2025-05-09',
      '2025-09-30',
      [q(1, '2025-02-10', '2025-05-10')],
    ],
    [
      'should keep a quarter starting on the analysis date when analysis is 2025-08-10',
      '2025-02-10',
      null,
      '2025-08-10',
      [q(1, '2025-02-10', '2025-05-10'), q(2, '2025-05-10', '2025-08-10'), q(3, '2025-08-10', '2025-11-10')],
    ],
    [
      'should cut quarters starting after the analysis date when analysis is 2025-08-09',
      '2025-02-10',
      null,
      '2025-08-09',
      [q(1, '2025-02-10', '2025-05-10'), q(2, '2025-05-10', '2025-08-10')],
    ],
    [
      'should give only Q1 when intake equals the analysis date',
      '2025-02-10',
      null,
      '2025-02-10',
      [q(1, '2025-02-10', '2025-05-10')],
    ],
    ['should give no quarters when intake is after the analysis date', '2025-10-01', null, '2025-09-30', []],
  ])('%s', (_name, intake, end, analysis, expected) => {
    expect(careQuarters(intake, end, analysis)).toEqual(expected);
  });
});

describe('careQuarterOf', () => {
  it.each([
    // Intake 2025-01-31: Q2 starts 2025-04-30 (clamped), Q3 2025-07-31 (from the intake, not chained), Q4 2025-10-31.
    ['should give no quarter when the day is before the intake', '2025-01-31', '2025-01-30', null],
    ['should give Q1 on the intake day itself', '2025-01-31', '2025-01-31', 1],
    ['should give Q1 on the day before the clamped Q2 start', '2025-01-31', '2025-04-29', 1],
    ['should give Q2 on the clamped Q2 start 2025-04-30', '2025-01-31', '2025-04-30', 2],
    [
      'should give Q2 on 2025-07-30 when Q3 starts 2025-07-31 (never chained from 04-30)',
      '2025-01-31',
      '2025-07-30',
      2,
    ],
    ['should give Q3 on 2025-07-31', '2025-01-31', '2025-07-31', 3],
    // Intake 2023-11-30: + 3 months = 2024-02-29 (leap year), + 6 = 2024-05-30.
    ['should give Q2 on 29 February when the clamped start is a leap day', '2023-11-30', '2024-02-29', 2],
    ['should give Q1 on 28 February when Q2 starts on the leap day', '2023-11-30', '2024-02-28', 1],
    // Intake 2024-02-29: + 12 months = 2025-02-28, so Q5 starts 2025-02-28 and 2025-02-27 is still in Q4.
    ['should give Q4 on 2025-02-27 when the intake is 29 February', '2024-02-29', '2025-02-27', 4],
    ['should give Q5 on 2025-02-28 when the intake is 29 February', '2024-02-29', '2025-02-28', 5],
    // Intake 2025-02-10: Q9 = [2027-02-10, 2027-05-10).
    ['should give Q9 two years on when the intake is 2025-02-10', '2025-02-10', '2027-05-09', 9],
  ])('%s', (_name, intake, day, expected) => {
    expect(careQuarterOf(intake, day)).toBe(expected);
  });

  it('should agree with careQuarters for every day of the first ten quarters when the intake is near a month end of 2024', () => {
    // Reference: the periods of careQuarters (built from addMonthsClamped); every day of each gets its index.
    // Intakes on the 1st and the 28th-31st of every month of 2024 (where clamping happens): 12 x 5 - 2 (no
    // 30 or 31 February; 2024 has a 29th) - 4 (no 31st in April, June, September, November) = 54 intakes.
    let days = 0;
    let intakes = 0;
    const wrong: string[] = [];
    const near = ['01', '28', '29', '30', '31'];
    for (let intake = '2024-01-01'; intake <= '2024-12-31'; intake = addDays(intake, 1)) {
      if (!near.includes(intake.slice(8))) continue;
      intakes++;
      for (const q of careQuarters(intake, null, '2027-12-31').slice(0, 10)) {
        for (let d = q.start; d < q.endExclusive; d = addDays(d, 1)) {
          days++;
          if (careQuarterOf(intake, d) !== q.index) wrong.push(`${intake} ${d}`);
        }
      }
    }
    expect(intakes).toBe(54);
    // Each intake's ten quarters are its 30 months: between 30 x 30 = 900 and 30 x 31 = 930 days.
    expect(days).toBeGreaterThanOrEqual(54 * 900);
    expect(days).toBeLessThanOrEqual(54 * 930);
    expect(wrong).toEqual([]);
  });
});
