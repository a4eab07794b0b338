import {
  careQuartersSoFar,
  nextDue,
  patientProblems,
  suggestedDate,
  windowDatesOf,
  worklistEntries,
  worklistStatus,
  type DailyWorkFacts,
} from './daily-work';

describe('windowDatesOf', () => {
  it('should give the three DOMAIN.md 6 windows as dates when the intake is 2026-09-01', () => {
    expect(windowDatesOf('2026-09-01')).toEqual([
      // -30: 2026-08-02; +14: 2026-09-15.
      { milestone: 'BASELINE', windowStart: '2026-08-02', windowEnd: '2026-09-15', target: '2026-09-01' },
      // +70: 29 days to 09-30, 31 to 10-31, 10 more = 2026-11-10; +91 = 11-10 + 21 = 12-01; +112 = 12-01 + 21 = 12-22.
      { milestone: 'FOLLOWUP_3M', windowStart: '2026-11-10', windowEnd: '2026-12-22', target: '2026-12-01' },
      // +365 = 2027-09-01; +320 = 09-01 - 45 = 2027-07-18; +410 = 09-01 + 45 = 2027-10-16.
      { milestone: 'FOLLOWUP_12M', windowStart: '2027-07-18', windowEnd: '2027-10-16', target: '2027-09-01' },
    ]);
  });
});

describe('worklistStatus', () => {
  // The 3-month window of intake 2026-09-01: 2026-11-10 .. 2026-12-22.
  const window = { windowStart: '2026-11-10', windowEnd: '2026-12-22' };
  it.each([
    ['should be null when the window opens more than 14 days later', '2026-10-26', false, null, null], // 10-26 + 14 = 11-09 < 11-10
    ['should be UPCOMING when the window opens exactly 14 days later', '2026-10-27', false, null, 'UPCOMING'], // 10-27 + 14 = 11-10
    ['should be DUE when the window opens today and closes in 42 days', '2026-11-10', false, null, 'DUE'],
    ['should be DUE when the window closes in 15 days', '2026-12-07', false, null, 'DUE'], // 12-07 + 14 = 12-21 < 12-22
    ['should be CLOSING when the window closes in 14 days', '2026-12-08', false, null, 'CLOSING'], // 12-08 + 14 = 12-22
    ['should be CLOSING when today is the last day of the window', '2026-12-22', false, null, 'CLOSING'],
    ['should be MISSED when the window closed yesterday without a value', '2026-12-23', false, null, 'MISSED'],
    ['should be null when a value is recorded', '2026-11-20', true, null, null],
    ['should be null when the window opens after the end date', '2026-11-20', false, '2026-11-09', null],
    ['should be DUE when the enrolment ends inside the window', '2026-11-20', false, '2026-11-30', 'DUE'],
  ])('%s', (_name, today, hasValue, endDate, expected) => {
    expect(worklistStatus(window, today, hasValue, endDate)).toBe(expected);
  });
});

describe('suggestedDate', () => {
  const window = { windowStart: '2026-11-10', windowEnd: '2026-12-22' };
  it.each([
    ['should be today when the window is open', '2026-12-01', '2026-12-01'],
    ['should be the first day when the window is still to open', '2026-11-01', '2026-11-10'],
    ['should be the first day when the window has closed', '2026-12-30', '2026-11-10'],
  ])('%s', (_name, today, expected) => {
    expect(suggestedDate(window, today)).toBe(expected);
  });
});

/** Intake 2026-09-01, profile 2 (KNGF maximum 6 in the first year). */
function patient(over: Partial<DailyWorkFacts> = {}): DailyWorkFacts {
  return { intakeDate: '2026-09-01', endDate: null, profile: 2, sessionDates: [], measurements: [], ...over };
}

describe('worklistEntries and nextDue', () => {
  it('should list the missed baseline and the closing 3-month window when judged on 2026-12-10', () => {
    // Baseline closed 2026-09-15 with only a CAT on 09-01: the 6MWT is MISSED. The 3-month window closes 12-22,
    // within 14 days of 12-10 (12-24): CLOSING for both instruments. The 12-month window opens 2027-07-18: not listed.
    const p = patient({ measurements: [{ date: '2026-09-01', instrument: 'CAT' }] });
    const entries = worklistEntries(p, '2026-12-10');
    expect(entries.map((e) => [e.milestone, e.instrument, e.status, e.suggestedDate])).toEqual([
      ['BASELINE', 'SIX_MWT', 'MISSED', '2026-08-02'],
      ['FOLLOWUP_3M', 'SIX_MWT', 'CLOSING', '2026-12-10'],
      ['FOLLOWUP_3M', 'CCQ_OR_CAT', 'CLOSING', '2026-12-10'],
    ]);
    expect(nextDue(p, '2026-12-10')).toMatchObject({ milestone: 'FOLLOWUP_3M', instrument: 'SIX_MWT', status: 'CLOSING' });
  });

  it('should not count a value dated after today nor one of another instrument when checking a window', () => {
    const p = patient({ measurements: [{ date: '2026-11-20', instrument: 'STEPS' }] });
    expect(worklistEntries(p, '2026-11-20').filter((e) => e.milestone === 'FOLLOWUP_3M').map((e) => e.status)).toEqual(['DUE', 'DUE']);
  });

  it('should give no next measurement when the enrolment has ended', () => {
    expect(nextDue(patient({ endDate: '2026-11-01' }), '2026-11-20')).toBeNull();
  });
});

describe('careQuartersSoFar', () => {
  it('should count Q1 and the quarters with a session when given the worked example on its analysis date', () => {
    // DOMAIN.md 9: Q1 [02-10, 05-10) 4 sessions, Q2 [05-10, 08-10) 1, Q3 [08-10, 11-10) 1: 3 care quarters.
    const sessions = ['2025-02-12', '2025-02-19', '2025-03-05', '2025-04-02', '2025-05-20', '2025-08-14'];
    expect(careQuartersSoFar('2025-02-10', sessions, '2025-09-30')).toBe(3);
    // On 2025-06-01 the session of 08-14 is still ahead: Q1 and Q2.
    expect(careQuartersSoFar('2025-02-10', sessions, '2025-06-01')).toBe(2);
  });

  it('should count Q1 alone when there is no session', () => {
    expect(careQuartersSoFar('2025-02-10', [], '2025-09-30')).toBe(1);
  });
});

describe('patientProblems', () => {
  it.each([
    // Baseline window [08-02, 09-15]: open on 09-15, closed on 09-16.
    ['should not flag the baseline while its window is open', patient(), '2026-09-15', []],
    ['should flag the baseline when its window has closed without values', patient({ sessionDates: ['2026-09-10'] }), '2026-09-16', ['MISSING_BASELINE']],
    [
      'should flag the baseline when only the 6MWT was measured',
      patient({ sessionDates: ['2026-09-10'], measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }] }),
      '2026-09-16',
      ['MISSING_BASELINE'],
    ],
    [
      'should not flag the baseline when a 6MWT and a CCQ are in its window',
      patient({ sessionDates: ['2026-09-10'], measurements: [{ date: '2026-08-20', instrument: 'SIX_MWT' }, { date: '2026-09-15', instrument: 'CCQ' }] }),
      '2026-09-16',
      [],
    ],
    [
      // Profile 2: maximum 6; 7 sessions in [2026-09-01, 2027-09-01) is strictly more.
      'should flag the KNGF maximum when the first year holds 7 sessions for profile 2',
      patient({
        sessionDates: ['2026-09-02', '2026-09-03', '2026-09-04', '2026-09-05', '2026-09-06', '2026-09-07', '2026-09-08'],
        measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }, { date: '2026-09-01', instrument: 'CAT' }],
      }),
      '2026-09-20',
      ['ABOVE_KNGF_MAXIMUM'],
    ],
    [
      'should not flag the KNGF maximum when 6 sessions are in the first year and one on day 365',
      patient({
        sessionDates: ['2026-09-02', '2026-09-03', '2026-09-04', '2026-09-05', '2026-09-06', '2026-09-07', '2027-09-01'],
        measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }, { date: '2026-09-01', instrument: 'CAT' }],
      }),
      '2027-09-02',
      [],
    ],
    [
      'should not flag profile 6 whatever its sessions',
      patient({ profile: 6, sessionDates: ['2026-09-02', '2026-09-03', '2026-09-04', '2026-09-05', '2026-09-06', '2026-09-07', '2026-09-08'] }),
      '2026-09-10',
      [],
    ],
    // Last session 2026-09-10: 2026-12-09 is 90 days later (20 + 31 + 30 + 9), 12-10 is 91.
    ['should not flag the last session 90 days ago', patient({ sessionDates: ['2026-09-10'], measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }, { date: '2026-09-01', instrument: 'CAT' }] }), '2026-12-09', []],
    ['should flag the last session 91 days ago', patient({ sessionDates: ['2026-09-10'], measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }, { date: '2026-09-01', instrument: 'CAT' }] }), '2026-12-10', ['NO_RECENT_SESSION']],
    // No session at all: counted from the intake 2026-09-01; +91 days = 2026-12-01.
    ['should flag an enrolment without sessions 91 days after its intake', patient({ measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }, { date: '2026-09-01', instrument: 'CAT' }] }), '2026-12-01', ['NO_RECENT_SESSION']],
    ['should not flag an ended enrolment for its sessions', patient({ endDate: '2026-10-01', measurements: [{ date: '2026-09-01', instrument: 'SIX_MWT' }, { date: '2026-09-01', instrument: 'CAT' }] }), '2026-12-10', []],
  ])('%s', (_name, facts, today, expected) => {
    expect(patientProblems(facts, today)).toEqual(expected);
  });
});
