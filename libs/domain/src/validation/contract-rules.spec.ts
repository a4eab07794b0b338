import type { ContractTerms } from '../model';
import {
  armAtIntake,
  contractInForce,
  validateContract,
  validateContractRemoval,
  type EnrolledIntake,
  type RecordedSession,
} from './contract-rules';

/** Contract C of DOMAIN.md 9. */
const contractC: ContractTerms = {
  id: 'C',
  practice: '12345678',
  insurer: '3311',
  arm: 'BUNDLE',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
};
const renewal: ContractTerms = {
  ...contractC,
  id: 'R',
  arm: 'FFS',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
};

describe('contractInForce and armAtIntake', () => {
  it.each([
    ['2024-12-31', undefined],
    ['2025-01-01', 'C'], // validFrom inclusive
    ['2025-12-31', 'C'], // validTo inclusive
    ['2026-01-01', 'R'],
    ['2027-01-01', undefined],
  ])('should find contract %s -> %p when looking up by date', (date, id) => {
    expect(contractInForce([contractC, renewal], date)?.id).toBe(id);
  });

  it.each([
    ['2025-12-31', 'BUNDLE'],
    ['2026-01-01', 'FFS'],
    ['2024-06-01', undefined],
  ])('should give arm %p when the intake is %s', (intake, arm) => {
    expect(armAtIntake([contractC, renewal], intake)).toBe(arm);
  });
});

describe('validateContract', () => {
  const noContext = { others: [], enrolledIntakes: [], recordedSessions: [] };
  const codesOf = (c: Partial<ContractTerms>, ctx: Parameters<typeof validateContract>[1] = noContext) =>
    validateContract({ ...contractC, ...c }, ctx).map((v) => `${v.code}@${v.path}`);

  it.each<[string, Partial<ContractTerms>, string[]]>([
    ['should accept when the contract is contract C', {}, []],
    ['should accept when validFrom equals validTo', { validFrom: '2025-03-01', validTo: '2025-03-01' }, []],
    ['should accept when tariffs are 0', { bundle: { intake: 0, quarter: 0 } }, []],
    [
      'should reject when validTo is before validFrom',
      { validFrom: '2025-06-01', validTo: '2025-05-31' },
      ['CONTRACT.VALID_TO_BEFORE_VALID_FROM@validTo'],
    ],
    [
      'should reject when a date is not a calendar date',
      { validTo: '2025-02-29' },
      ['CONTRACT.DATE_INVALID@validTo'],
    ],
    ['should reject when the arm is unknown', { arm: 'MIXED' as never }, ['CONTRACT.ARM_INVALID@arm']],
    [
      'should reject when the AGB code is too short',
      { practice: '1234567' },
      ['CONTRACT.PRACTICE_INVALID@practice'],
    ],
    [
      'should reject when the UZOVI code is too long',
      { insurer: '33110' },
      ['CONTRACT.INSURER_INVALID@insurer'],
    ],
    [
      'should reject every bad tariff with its path when tariffs are negative, fractional or missing',
      {
        bundle: { intake: -1, quarter: 36000.5 },
        ffs: {
          intake: 6000,
          session: 4000,
          homeSupplement: undefined as never,
          groupSession: '2000' as never,
        },
      },
      [
        'CONTRACT.TARIFF_INVALID@bundle.intake',
        'CONTRACT.TARIFF_INVALID@bundle.quarter',
        'CONTRACT.TARIFF_INVALID@ffs.homeSupplement',
        'CONTRACT.TARIFF_INVALID@ffs.groupSession',
      ],
    ],
    [
      'should reject tariffs above EUR 25,000 (2,500,000 cents) and accept exactly that amount',
      {
        // 2,500,000 is the cap itself; 2,500,001 is one cent over; 3,000,000,000 would not fit the int column.
        bundle: { intake: 2_500_000, quarter: 2_500_001 },
        ffs: { intake: 0, session: 3_000_000_000, homeSupplement: 2000, groupSession: 2000 },
      },
      ['CONTRACT.TARIFF_INVALID@bundle.quarter', 'CONTRACT.TARIFF_INVALID@ffs.session'],
    ],
  ])('%s', (_name, changes, expected) => {
    expect(codesOf(changes)).toEqual(expected);
  });

  it.each<[string, Partial<ContractTerms>, string[]]>([
    [
      'should accept when the new contract starts the day after the other ends',
      { validFrom: '2026-01-01', validTo: '2026-12-31' },
      [],
    ],
    [
      'should reject at validFrom when the new contract starts inside the other',
      { validFrom: '2025-12-31', validTo: '2026-12-31' },
      ['CONTRACT.OVERLAP@validFrom'],
    ],
    [
      'should reject at validTo when the new contract ends inside the other',
      { validFrom: '2024-01-01', validTo: '2025-01-01' },
      ['CONTRACT.OVERLAP@validTo'],
    ],
  ])('%s', (_name, changes, expected) => {
    expect(
      codesOf({ id: 'N', ...changes }, { others: [contractC], enrolledIntakes: [], recordedSessions: [] }),
    ).toEqual(expected);
  });

  it('should name the other period when contracts overlap', () => {
    const [v] = validateContract(
      { ...contractC, id: 'N', validFrom: '2025-07-01', validTo: '2026-06-30' },
      { others: [contractC], enrolledIntakes: [], recordedSessions: [] },
    );
    expect(v.params).toEqual({
      validFrom: '2025-07-01',
      validTo: '2026-06-30',
      otherValidFrom: '2025-01-01',
      otherValidTo: '2025-12-31',
      otherId: 'C',
    });
    expect(v.message).toContain('01-01-2025 t/m 31-12-2025');
  });

  it('should name the cap in cents and euros when a tariff is over it', () => {
    const [violation] = validateContract(
      { ...contractC, bundle: { intake: 9000, quarter: 3_600_000 } },
      noContext,
    );
    // 3,600,000 cents is EUR 36,000 (36000 typed with two extra zeros); the cap is 2,500,000 cents = EUR 25,000.00.
    expect(violation.message).toBe(
      'Het tarief bundle.quarter (3600000) moet een geheel aantal eurocenten van 0 tot en met 2500000 (€ 25.000,00) ' +
        'zijn (bijv. 4000 voor € 40,00).',
    );
  });

  it('should report invalid fields together when several are wrong', () => {
    expect(codesOf({ arm: 'X' as never, validFrom: 'x', bundle: { intake: -5, quarter: 0 } })).toEqual([
      'CONTRACT.ARM_INVALID@arm',
      'CONTRACT.DATE_INVALID@validFrom',
      'CONTRACT.TARIFF_INVALID@bundle.intake',
    ]);
  });
});

/**
 * Two enrolled patients of practice 12345678 x insurer 3311 under contract C (2025-01-01..2025-12-31):
 * A (intake 02-10) with four sessions, B (intake 07-15) with one on its intake date.
 */
const intakes: EnrolledIntake[] = [
  { pseudonym: 'P-B', ref: 'B1', intakeDate: '2025-07-15' },
  { pseudonym: 'P-A', ref: 'A1', intakeDate: '2025-02-10' },
];
const sessions: RecordedSession[] = [
  { pseudonym: 'P-A', ref: 'A1', date: '2025-08-14', kind: 'REMOTE' },
  { pseudonym: 'P-B', ref: 'B1', date: '2025-07-15', kind: 'INDIVIDUAL' },
  { pseudonym: 'P-A', ref: 'A1', date: '2025-02-12', kind: 'INDIVIDUAL' },
  { pseudonym: 'P-A', ref: 'A1', date: '2025-06-30', kind: 'HOME' },
  { pseudonym: 'P-A', ref: 'A1', date: '2025-07-01', kind: 'GROUP' },
];
/** code@path who [what]: intakes name the patient, sessions the patient and how many. */
const summary = (violations: ReturnType<typeof validateContract>) =>
  violations.map((v) =>
    v.code === 'CONTRACT.INTAKE_UNCOVERED'
      ? `${v.code}@${v.path} ${v.params?.pseudonym} ${v.params?.intakeDate}`
      : `${v.code}@${v.path} ${v.params?.pseudonym} ${v.params?.sessions}`,
  );

describe('validateContract: enrolled intakes and recorded sessions must stay covered', () => {
  const nextFromJuly: ContractTerms = {
    ...contractC,
    id: 'N',
    arm: 'FFS',
    validFrom: '2025-07-01',
    validTo: '2025-12-31',
  };

  it.each<[string, Partial<ContractTerms>, ContractTerms | undefined, ContractTerms[], string[]]>([
    [
      "should name the intake and each patient's sessions after the new end when validTo moves to 06-30",
      { validTo: '2025-06-30' },
      contractC,
      [],
      // 06-30 stays covered (inclusive); B's intake 07-15 and the sessions 07-01, 07-15 and 08-14 fall out.
      [
        'CONTRACT.INTAKE_UNCOVERED@validTo P-B 2025-07-15',
        'CONTRACT.SESSION_UNCOVERED@validTo P-A 2025-07-01 GROUP, 2025-08-14 REMOTE',
        'CONTRACT.SESSION_UNCOVERED@validTo P-B 2025-07-15 INDIVIDUAL',
      ],
    ],
    [
      'should point at validFrom when the start moves past an intake',
      { validFrom: '2025-03-01' },
      contractC,
      [],
      // A's intake 02-10 and its session 02-12 lie before the new start 03-01.
      [
        'CONTRACT.INTAKE_UNCOVERED@validFrom P-A 2025-02-10',
        'CONTRACT.SESSION_UNCOVERED@validFrom P-A 2025-02-12 INDIVIDUAL',
      ],
    ],
    [
      'should keep an intake on the new last day covered when validTo is the intake date',
      { validTo: '2025-07-15' },
      contractC,
      [],
      // validTo is inclusive: B (07-15) stays; only A's 08-14 session falls out.
      ['CONTRACT.SESSION_UNCOVERED@validTo P-A 2025-08-14 REMOTE'],
    ],
    [
      'should accept when another contract covers what the change leaves',
      { validTo: '2025-06-30' },
      contractC,
      [nextFromJuly],
      [],
    ],
    ['should accept when only the arm is corrected', { arm: 'FFS' }, contractC, [], []],
    ['should accept when the period grows', { validTo: '2026-06-30' }, contractC, [], []],
    [
      'should accept when the contract is new (a new contract only adds coverage)',
      { id: 'N', validFrom: '2026-01-01', validTo: '2026-12-31' },
      undefined,
      [contractC],
      [],
    ],
    [
      'should not blame a change for dates the previous version did not cover either',
      { bundle: { intake: 9500, quarter: 36000 } },
      // Stored earlier as 01-01..06-30 (before this rule): B and the July/August sessions were already uncovered.
      { ...contractC, validTo: '2025-06-30' },
      [],
      [],
    ],
  ])('%s', (_name, changes, previous, others, expected) => {
    const violations = validateContract(
      {
        ...contractC,
        ...(previous ? { validFrom: previous.validFrom, validTo: previous.validTo } : {}),
        ...changes,
      },
      { others, previous, enrolledIntakes: intakes, recordedSessions: sessions },
    );
    expect(summary(violations)).toEqual(expected);
  });

  it("should give the patient, the practice's number, the date and a Dutch instruction when an intake is left uncovered", () => {
    const [intake, session] = validateContract(
      { ...contractC, validFrom: '2025-03-01' },
      { others: [], previous: contractC, enrolledIntakes: intakes, recordedSessions: sessions },
    );
    expect(intake).toEqual({
      code: 'CONTRACT.INTAKE_UNCOVERED',
      path: 'validFrom',
      message:
        'Door deze wijziging zou de intake van patiënt P-A (patiëntnummer A1) op 10-02-2025 buiten elk contract vallen. ' +
        'De bekostigingsvorm van een patiënt volgt uit het contract op de intakedatum: kies een periode die de intake ' +
        'dekt, of corrigeer eerst de inschrijving.',
      params: { pseudonym: 'P-A', ref: 'A1', intakeDate: '2025-02-10' },
    });
    expect(session).toEqual({
      code: 'CONTRACT.SESSION_UNCOVERED',
      path: 'validFrom',
      message:
        'Door deze wijziging zou 1 vastgelegde behandeling van patiënt P-A (patiëntnummer A1) buiten elk contract ' +
        'vallen: 12-02-2025 (individueel). Elke vastgelegde behandeling moet onder een contract vallen: kies een ' +
        'periode die ze dekt.',
      params: {
        pseudonym: 'P-A',
        ref: 'A1',
        firstUncoveredDate: '2025-02-12',
        count: 1,
        sessions: '2025-02-12 INDIVIDUAL',
      },
    });
  });

  it('should name ten sessions in the message and all of them in the params when twelve are left uncovered', () => {
    // Twelve weekly sessions from 2025-09-01 (09-01, 09-08, ..., 11-17); the contract now ends 08-31.
    const weekly: RecordedSession[] = Array.from({ length: 12 }, (_, i) => ({
      pseudonym: 'P-A',
      ref: 'A1',
      date: new Date(Date.UTC(2025, 8, 1 + 7 * i)).toISOString().slice(0, 10),
      kind: 'GROUP',
    }));
    const [v] = validateContract(
      { ...contractC, validTo: '2025-08-31' },
      { others: [], previous: contractC, enrolledIntakes: [], recordedSessions: weekly },
    );
    expect(v.params).toMatchObject({ count: 12, firstUncoveredDate: '2025-09-01' });
    expect(String(v.params?.sessions).split(', ')).toHaveLength(12);
    // The tenth named is 09-01 + 9 x 7 days = 11-03; 12 - 10 = 2 more.
    expect(v.message).toContain('03-11-2025 (groep) en nog 2. ');
    expect(v.message).not.toContain('10-11-2025');
  });
});

describe('validateContractRemoval', () => {
  it.each<[string, ContractTerms, ContractTerms[], string[]]>([
    [
      'should name both intakes and every session when removing contract C leaves only the 2026 renewal',
      contractC,
      [renewal],
      [
        'CONTRACT.INTAKE_UNCOVERED@ P-A 2025-02-10',
        'CONTRACT.INTAKE_UNCOVERED@ P-B 2025-07-15',
        'CONTRACT.SESSION_UNCOVERED@ P-A 2025-02-12 INDIVIDUAL, 2025-06-30 HOME, 2025-07-01 GROUP, 2025-08-14 REMOTE',
        'CONTRACT.SESSION_UNCOVERED@ P-B 2025-07-15 INDIVIDUAL',
      ],
    ],
    ['should accept when nothing recorded lies in the removed period', renewal, [contractC], []],
  ])('%s', (_name, removed, remaining, expected) => {
    expect(
      summary(
        validateContractRemoval(removed, { remaining, enrolledIntakes: intakes, recordedSessions: sessions }),
      ),
    ).toEqual(expected);
  });

  it('should accept when the pair has no patients', () => {
    expect(
      validateContractRemoval(contractC, { remaining: [], enrolledIntakes: [], recordedSessions: [] }),
    ).toEqual([]);
  });
});
