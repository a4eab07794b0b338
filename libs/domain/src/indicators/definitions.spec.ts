import {
  ELIGIBLE_AFTER_DAYS,
  isAboveGuideline,
  isEligibleFor,
  isResponder,
  MEASUREMENT_WINDOWS,
  pickMeasurement,
  type EligibilityFacts,
  type MeasurementMilestone,
  type TimedIndicator,
} from './definitions';

describe('indicator definitions: constants of DOMAIN.md 6', () => {
  it('should close each completeness denominator on the last day of its window when read side by side', () => {
    // BASELINE_COMPLETE 14 = baseline window end 14; FOLLOWUP_3M 112 = 112; FOLLOWUP_12M 410 = 410.
    expect(ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE).toBe(MEASUREMENT_WINDOWS.BASELINE.to);
    expect(ELIGIBLE_AFTER_DAYS.FOLLOWUP_3M_COMPLETE).toBe(MEASUREMENT_WINDOWS.FOLLOWUP_3M.to);
    expect(ELIGIBLE_AFTER_DAYS.FOLLOWUP_12M_COMPLETE).toBe(MEASUREMENT_WINDOWS.FOLLOWUP_12M.to);
  });
});

describe('pickMeasurement', () => {
  // Intake 2025-02-10; day d is 2025-02-10 + d days.
  const intake = '2025-02-10';
  const m = (date: string, value: number) => ({ date, value });
  it.each<
    [
      string,
      MeasurementMilestone,
      string,
      { date: string; value: number }[],
      { date: string; value: number } | null,
    ]
  >([
    [
      'should take the first and last day of the baseline window when nothing is closer',
      'BASELINE',
      '2025-12-31',
      // 2025-01-11 = intake - 30 (in), 2025-01-10 = intake - 31 (out), 2025-02-24 = intake + 14 (in): 14 < 30, so +14 wins.
      [m('2025-01-10', 400), m('2025-01-11', 410), m('2025-02-24', 420)],
      m('2025-02-24', 420),
    ],
    [
      'should break a tie to the earlier date when two baseline days are equally close',
      'BASELINE',
      '2025-12-31',
      // 2025-02-07 = intake - 3, 2025-02-13 = intake + 3: |-3| = |3|, earlier wins.
      [m('2025-02-13', 380), m('2025-02-07', 390)],
      m('2025-02-07', 390),
    ],
    [
      'should pick nothing when the only 3-month values lie just outside [70, 112]',
      'FOLLOWUP_3M',
      '2025-12-31',
      // 2025-04-20 = intake + 69, 2025-06-03 = intake + 113.
      [m('2025-04-20', 400), m('2025-06-03', 410)],
      null,
    ],
    [
      'should prefer the day closest to +91 when the 3-month window holds several',
      'FOLLOWUP_3M',
      '2025-12-31',
      // +70 = 2025-04-21 (21 from 91), +95 = 2025-05-16 (4), +112 = 2025-06-02 (21).
      [m('2025-04-21', 1), m('2025-05-16', 2), m('2025-06-02', 3)],
      m('2025-05-16', 2),
    ],
    [
      'should ignore a measurement after the analysis date when it is closer to the target',
      'FOLLOWUP_12M',
      '2026-02-09',
      // +365 = 2026-02-10 (after the analysis date 2026-02-09), +320 = 2025-12-27 (45 from 365).
      [m('2026-02-10', 500), m('2025-12-27', 450)],
      m('2025-12-27', 450),
    ],
    [
      'should take the last day of the 12-month window when it is the only one',
      'FOLLOWUP_12M',
      '2026-12-31',
      // +410 = 2026-03-27 (in), +411 = 2026-03-28 (out).
      [m('2026-03-28', 1), m('2026-03-27', 2)],
      m('2026-03-27', 2),
    ],
  ])('%s', (_name, milestone, analysisDate, measurements, expected) => {
    expect(pickMeasurement(milestone, intake, analysisDate, measurements)).toEqual(expected);
  });
});

describe('isEligibleFor', () => {
  const intake = '2025-01-01';
  const alive: EligibilityFacts = { intakeDate: intake, profile: 3 };
  it.each<[string, TimedIndicator, EligibilityFacts, string, boolean]>([
    // 2025-01-15 - 2025-01-01 = 14 days; 2025-01-14 = 13.
    [
      'should count a baseline on day 14 when the analysis is 14 days after intake',
      'BASELINE_COMPLETE',
      alive,
      '2025-01-15',
      true,
    ],
    [
      'should not count a baseline when the analysis is 13 days after intake',
      'BASELINE_COMPLETE',
      alive,
      '2025-01-14',
      false,
    ],
    // 2025-04-23 - 2025-01-01 = 31 + 28 + 31 + 22 = 112.
    [
      'should count the 3-month follow-up when 112 days have passed',
      'FOLLOWUP_3M_COMPLETE',
      alive,
      '2025-04-23',
      true,
    ],
    [
      'should not count the 3-month follow-up when 111 days have passed',
      'FOLLOWUP_3M_COMPLETE',
      alive,
      '2025-04-22',
      false,
    ],
    // 2026-02-15 - 2025-01-01 = 365 + 45 = 410.
    [
      'should count the 12-month follow-up when 410 days have passed',
      'FOLLOWUP_12M_COMPLETE',
      alive,
      '2026-02-15',
      true,
    ],
    [
      'should not count the 12-month follow-up when 409 days have passed',
      'FOLLOWUP_12M_COMPLETE',
      alive,
      '2026-02-14',
      false,
    ],
    // Died on day 111 (2025-04-22): out; died on day 112 (2025-04-23): in.
    [
      'should leave out a death before day 112 when judging the 3-month follow-up',
      'FOLLOWUP_3M_COMPLETE',
      { ...alive, endDate: '2025-04-22', endReason: 'DECEASED' },
      '2025-12-31',
      false,
    ],
    [
      'should keep a death on day 112 when judging the 3-month follow-up',
      'FOLLOWUP_3M_COMPLETE',
      { ...alive, endDate: '2025-04-23', endReason: 'DECEASED' },
      '2025-12-31',
      true,
    ],
    [
      'should keep a drop-out before day 112 when the reason is not a death',
      'FOLLOWUP_3M_COMPLETE',
      { ...alive, endDate: '2025-02-01', endReason: 'DROPPED_OUT' },
      '2025-12-31',
      true,
    ],
    [
      'should keep a death before day 14 when judging the baseline (deaths leave only the follow-ups)',
      'BASELINE_COMPLETE',
      { ...alive, endDate: '2025-01-05', endReason: 'DECEASED' },
      '2025-12-31',
      true,
    ],
    // 2026-01-01 - 2025-01-01 = 365.
    [
      'should judge the guideline volume when 365 days have passed for profile 5',
      'ABOVE_GUIDELINE_VOLUME',
      { intakeDate: intake, profile: 5 },
      '2026-01-01',
      true,
    ],
    [
      'should not judge the guideline volume when 364 days have passed',
      'ABOVE_GUIDELINE_VOLUME',
      { intakeDate: intake, profile: 5 },
      '2025-12-31',
      false,
    ],
    [
      'should not judge the guideline volume when the profile is 6',
      'ABOVE_GUIDELINE_VOLUME',
      { intakeDate: intake, profile: 6 },
      '2027-01-01',
      false,
    ],
  ])('%s', (_name, indicator, patient, analysisDate, expected) => {
    expect(isEligibleFor(indicator, patient, analysisDate)).toBe(expected);
  });
});

describe('isAboveGuideline and isResponder', () => {
  it.each<[string, 1 | 2 | 3 | 4 | 5, number, boolean]>([
    // KNGF maxima 0, 6, 42, 62, 70: strictly more is above.
    ['should flag one session when the profile is 1 (maximum 0)', 1, 1, true],
    ['should not flag 6 sessions when the profile is 2 (maximum 6)', 2, 6, false],
    ['should flag 43 sessions when the profile is 3 (maximum 42)', 3, 43, true],
    ['should not flag 62 sessions when the profile is 4 (maximum 62)', 4, 62, false],
    ['should flag 71 sessions when the profile is 5 (maximum 70)', 5, 71, true],
  ])('%s', (_name, profile, sessions, expected) => {
    expect(isAboveGuideline(profile, sessions)).toBe(expected);
  });

  it.each<[string, 'SIX_MWT' | 'CCQ' | 'CAT', number, boolean]>([
    ['should count +30 m as a 6MWT response when the MCID is +30', 'SIX_MWT', 30, true],
    ['should not count +29 m as a 6MWT response', 'SIX_MWT', 29, false],
    ['should count -4 tenths (-0.4) as a CCQ response', 'CCQ', -4, true],
    ['should not count -3 tenths (-0.3) as a CCQ response', 'CCQ', -3, false],
    ['should count -2 as a CAT response', 'CAT', -2, true],
    ['should not count -1 as a CAT response', 'CAT', -1, false],
  ])('%s', (_name, instrument, change, expected) => {
    expect(isResponder(instrument, change)).toBe(expected);
  });
});
