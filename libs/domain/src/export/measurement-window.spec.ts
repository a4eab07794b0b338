import { measurementWindowOf } from './measurement-window';

describe('measurementWindowOf', () => {
  // Intake 2025-02-10; the offsets are date - intake in days.
  it.each([
    ['should be NONE when the date is one day before the baseline window', '2025-01-10', 'NONE'], // -31
    ['should be BASELINE when the date is the first day of the baseline window', '2025-01-11', 'BASELINE'], // -30
    ['should be BASELINE when the date is the last day of the baseline window', '2025-02-24', 'BASELINE'], // +14
    ['should be NONE when the date is between baseline and 3 months', '2025-02-25', 'NONE'], // +15
    ['should be FOLLOWUP_3M when the date is the first day of its window', '2025-04-21', 'FOLLOWUP_3M'], // +70 (18 + 31 + 21)
    ['should be FOLLOWUP_3M when the date is the last day of its window', '2025-06-02', 'FOLLOWUP_3M'], // +112 (70 + 9 + 31 + 2)
    ['should be NONE when the date is one day after the 3-month window', '2025-06-03', 'NONE'], // +113
    ['should be FOLLOWUP_12M when the date is the first day of its window', '2025-12-27', 'FOLLOWUP_12M'], // +320
    ['should be FOLLOWUP_12M when the date is the last day of its window', '2026-03-27', 'FOLLOWUP_12M'], // +410 (320 + 4 + 31 + 28 + 27)
    ['should be NONE when the date is one day after the 12-month window', '2026-03-28', 'NONE'], // +411
  ])('%s', (_name, date, expected) => {
    expect(measurementWindowOf('2025-02-10', date)).toBe(expected);
  });
});
