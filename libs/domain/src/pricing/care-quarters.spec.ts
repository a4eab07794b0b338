import { careQuarters } from './care-quarters';

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
