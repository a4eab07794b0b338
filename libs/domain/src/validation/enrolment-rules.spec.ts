import type { ContractTerms, Enrolment } from '../model';
import { ageAtIntake, validateEnrolment } from './enrolment-rules';

/** Contract C and patient P of DOMAIN.md 9 (P's open fields filled with plausible values). */
const contractC: ContractTerms = {
  practice: '12345678',
  insurer: '3311',
  arm: 'BUNDLE',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
};
const patientP: Enrolment = {
  ref: 'P',
  practice: '12345678',
  insurer: '3311',
  birthYear: 1956,
  sex: 'F',
  goldStage: 3,
  profile: 4,
  referralDate: '2025-01-27',
  intakeDate: '2025-02-10',
  endDate: null,
  endReason: null,
};
const ctx = { contracts: [contractC], today: '2025-09-30' };
const codesOf = (changes: Partial<Record<keyof Enrolment, unknown>>, context = ctx) =>
  validateEnrolment({ ...patientP, ...changes } as Enrolment, context).map((v) => v.code);

describe('validateEnrolment', () => {
  it.each<[string, Partial<Record<keyof Enrolment, unknown>>, string[]]>([
    ['should accept when the enrolment is patient P', {}, []],
    ['should accept when the patient turns 18 in the intake year', { birthYear: 2007 }, []], // 2025 - 2007 = 18
    [
      'should reject when the patient is 17 in the intake year',
      { birthYear: 2008 },
      ['ELIGIBILITY.AGE_UNDER_18'],
    ], // 2025 - 2008 = 17
    ['should reject when GOLD stage is 1', { goldStage: 1 }, ['ELIGIBILITY.GOLD_STAGE_TOO_LOW']],
    ['should reject when GOLD stage is 0', { goldStage: 0 }, ['ELIGIBILITY.GOLD_STAGE_TOO_LOW']],
    ['should accept when GOLD stage is 2', { goldStage: 2 }, []],
    ['should accept when GOLD stage is 4', { goldStage: 4 }, []],
    ['should reject when GOLD stage is 5', { goldStage: 5 }, ['ENROLMENT.GOLD_STAGE_INVALID']],
    ['should reject when GOLD stage is not an integer', { goldStage: 2.5 }, ['ENROLMENT.GOLD_STAGE_INVALID']],
    ['should reject when profile is 0', { profile: 0 }, ['ENROLMENT.PROFILE_INVALID']],
    ['should reject when profile is 7', { profile: 7 }, ['ENROLMENT.PROFILE_INVALID']],
    ['should accept when profile is 6', { profile: 6 }, []],
    ['should reject when sex is not F, M or X', { sex: 'V' }, ['ENROLMENT.SEX_INVALID']],
    ['should reject when ref is blank', { ref: '  ' }, ['ENROLMENT.REF_MISSING']],
    ['should reject when the AGB code has 7 digits', { practice: '1234567' }, ['ENROLMENT.PRACTICE_INVALID']],
    ['should reject when the UZOVI code has 5 digits', { insurer: '33110' }, ['ENROLMENT.INSURER_INVALID']],
    [
      'should reject when the birth year is not an integer',
      { birthYear: 1956.5 },
      ['ENROLMENT.BIRTH_YEAR_INVALID'],
    ],
    [
      'should reject when no contract is in force on the intake date',
      { intakeDate: '2024-12-31', referralDate: '2024-12-01' },
      ['ELIGIBILITY.NO_CONTRACT_IN_FORCE'],
    ],
    ['should accept when the intake is today', { intakeDate: '2025-09-30' }, []],
    ['should accept when referral equals intake', { referralDate: '2025-02-10' }, []],
    [
      'should reject when referral is after intake',
      { referralDate: '2025-02-11' },
      ['ENROLMENT.REFERRAL_AFTER_INTAKE'],
    ],
    [
      'should reject when intake and referral are in the future',
      { referralDate: '2025-10-01', intakeDate: '2025-10-01' },
      ['ENROLMENT.REFERRAL_IN_FUTURE', 'ENROLMENT.INTAKE_IN_FUTURE'],
    ],
    [
      'should reject when the intake date is not a calendar date',
      { intakeDate: '2025-02-30' },
      ['ENROLMENT.DATE_INVALID'],
    ],
    [
      'should reject when the end date is malformed',
      { endDate: '2025/06/01', endReason: 'MOVED' },
      ['ENROLMENT.DATE_INVALID'],
    ],
    ['should accept when the end date has a reason', { endDate: '2025-06-01', endReason: 'COMPLETED' }, []],
    [
      'should accept when the end date equals the intake date',
      { endDate: '2025-02-10', endReason: 'DROPPED_OUT' },
      [],
    ],
    [
      'should reject when the end date is before intake',
      { endDate: '2025-02-09', endReason: 'MOVED' },
      ['ENROLMENT.END_BEFORE_INTAKE'],
    ],
    [
      'should reject when an end date has no reason',
      { endDate: '2025-06-01' },
      ['ENROLMENT.END_REASON_MISSING'],
    ],
    [
      'should reject when a reason has no end date',
      { endReason: 'DECEASED' },
      ['ENROLMENT.END_REASON_WITHOUT_END_DATE'],
    ],
    [
      'should reject when the end reason is unknown',
      { endDate: '2025-06-01', endReason: 'HEALED' },
      ['ENROLMENT.END_REASON_INVALID'],
    ],
  ])('%s', (_name, changes, expected) => {
    expect(codesOf(changes)).toEqual(expected);
  });

  it('should return all four reasons at once when age 17, GOLD 1, no contract and referral after intake', () => {
    const violations = validateEnrolment(
      { ...patientP, birthYear: 2007, goldStage: 1, intakeDate: '2024-12-15', referralDate: '2024-12-20' },
      ctx,
    );
    // 2024 - 2007 = 17; contract C starts 2025-01-01; referral 12-20 > intake 12-15
    expect(violations.map((v) => v.code).sort()).toEqual([
      'ELIGIBILITY.AGE_UNDER_18',
      'ELIGIBILITY.GOLD_STAGE_TOO_LOW',
      'ELIGIBILITY.NO_CONTRACT_IN_FORCE',
      'ENROLMENT.REFERRAL_AFTER_INTAKE',
    ]);
    expect(violations.find((v) => v.code === 'ELIGIBILITY.AGE_UNDER_18')).toEqual({
      code: 'ELIGIBILITY.AGE_UNDER_18',
      path: 'birthYear',
      message:
        'De patiënt is op de intakedatum jonger dan 18 jaar (geboortejaar 2007, intake 2024): alleen volwassenen komen in aanmerking.',
      params: { birthYear: 2007, intakeYear: 2024, age: 17, value: 2007, minimum: 18 },
    });
    expect(violations.map((v) => v.path).sort()).toEqual([
      'birthYear',
      'goldStage',
      'intakeDate',
      'referralDate',
    ]);
  });

  it('should not throw and report every field when the input is garbage', () => {
    const garbage = {
      ref: 1,
      practice: null,
      insurer: 3311,
      birthYear: 'x',
      sex: 'Q',
      goldStage: 'two',
      profile: null,
      referralDate: 5,
      intakeDate: 'tomorrow',
      endDate: undefined,
      endReason: 'OOPS',
    };
    const codes = validateEnrolment(garbage as unknown as Enrolment, ctx).map((v) => v.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'ENROLMENT.REF_MISSING',
        'ENROLMENT.PRACTICE_INVALID',
        'ENROLMENT.INSURER_INVALID',
        'ENROLMENT.SEX_INVALID',
        'ENROLMENT.DATE_INVALID',
        'ENROLMENT.BIRTH_YEAR_INVALID',
        'ENROLMENT.GOLD_STAGE_INVALID',
        'ENROLMENT.PROFILE_INVALID',
        'ENROLMENT.END_REASON_WITHOUT_END_DATE',
        'ENROLMENT.END_REASON_INVALID',
      ]),
    );
  });

  it.each<
    [
      string,
      Partial<Enrolment>,
      { recordedSessionDates?: string[]; recordedObservationDates?: string[] },
      string[],
    ]
  >([
    [
      'should accept when recorded records stay inside the enrolment',
      {},
      { recordedSessionDates: ['2025-02-10'], recordedObservationDates: ['2025-01-27'] },
      [],
    ],
    [
      'should reject when a new end date strands recorded sessions',
      { endDate: '2025-04-30', endReason: 'MOVED' },
      { recordedSessionDates: ['2025-02-12', '2025-05-20', '2025-08-14'] },
      ['ENROLMENT.SESSIONS_OUTSIDE_ENROLMENT'],
    ],
    [
      'should reject when a later referral date strands a baseline measurement',
      { referralDate: '2025-02-01' },
      { recordedObservationDates: ['2025-01-28'] },
      ['ENROLMENT.OBSERVATIONS_OUTSIDE_ENROLMENT'],
    ],
  ])('%s', (_name, changes, recorded, expected) => {
    expect(
      validateEnrolment({ ...patientP, ...changes }, { ...ctx, ...recorded }).map((v) => v.code),
    ).toEqual(expected);
  });

  it('should name the first stranded session and the count when an end date strands two', () => {
    const [v] = validateEnrolment(
      { ...patientP, endDate: '2025-04-30', endReason: 'MOVED' },
      { ...ctx, recordedSessionDates: ['2025-08-14', '2025-05-20', '2025-02-12'] },
    );
    expect(v).toMatchObject({ path: 'endDate', params: { firstOutsideDate: '2025-05-20', count: 2 } });
  });
});

describe('ageAtIntake', () => {
  it.each([
    [1956, '2025-02-10', 69], // 2025 - 1956
    [2007, '2025-01-01', 18], // only the year counts, not the birthday
  ])('should give birth year %i at intake %s age %i when subtracting years', (birthYear, intake, age) => {
    expect(ageAtIntake(birthYear, intake)).toBe(age);
  });
});
