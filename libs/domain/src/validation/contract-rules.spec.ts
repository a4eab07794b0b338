import type { ContractTerms } from '../model';
import { armAtIntake, contractInForce, validateContract, validateContractRemoval } from './contract-rules';

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
  const noContext = { others: [], recordedSessionDates: [] };
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
    expect(codesOf({ id: 'N', ...changes }, { others: [contractC], recordedSessionDates: [] })).toEqual(
      expected,
    );
  });

  it('should name the other period when contracts overlap', () => {
    const [v] = validateContract(
      { ...contractC, id: 'N', validFrom: '2025-07-01', validTo: '2026-06-30' },
      { others: [contractC], recordedSessionDates: [] },
    );
    expect(v.params).toEqual({ otherValidFrom: '2025-01-01', otherValidTo: '2025-12-31', otherId: 'C' });
    expect(v.message).toContain('01-01-2025 t/m 31-12-2025');
  });

  it('should reject with the first uncovered date and count when shortening leaves sessions uncovered', () => {
    const violations = validateContract(
      { ...contractC, validTo: '2025-06-30' },
      { others: [], recordedSessionDates: ['2025-08-14', '2025-02-12', '2025-07-01', '2025-06-30'] },
    );
    // 07-01 and 08-14 fall after the new validTo 06-30; 06-30 itself stays covered (inclusive)
    expect(violations).toEqual([
      expect.objectContaining({
        code: 'CONTRACT.SESSION_UNCOVERED',
        path: 'validTo',
        params: { firstUncoveredDate: '2025-07-01', count: 2 },
      }),
    ]);
  });

  it('should accept when another contract covers the sessions the change leaves', () => {
    const shortened = { ...contractC, validTo: '2025-06-30' };
    const next = { ...contractC, id: 'N', validFrom: '2025-07-01' };
    expect(
      validateContract(shortened, { others: [next], recordedSessionDates: ['2025-07-01', '2025-08-14'] }),
    ).toEqual([]);
  });

  it('should name the cap in cents and euros when a tariff is over it', () => {
    const [violation] = validateContract({ ...contractC, bundle: { intake: 9000, quarter: 3_600_000 } }, noContext);
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

describe('validateContractRemoval', () => {
  it.each<[string, ContractTerms[], string[], unknown[]]>([
    ['should accept when no session depends on the removed contract', [contractC], ['2025-03-01'], []],
    ['should accept when there are no sessions', [], [], []],
    [
      'should reject when removing the contract leaves sessions uncovered',
      [renewal],
      ['2025-03-01', '2025-02-12', '2026-02-01'],
      // 2025 sessions lose contract C; the 2026 one stays under the renewal: first 02-12, count 2
      [
        {
          code: 'CONTRACT.SESSION_UNCOVERED',
          path: '',
          params: { firstUncoveredDate: '2025-02-12', count: 2 },
        },
      ],
    ],
  ])('%s', (_name, remaining, dates, expected) => {
    expect(validateContractRemoval(remaining, dates)).toEqual(
      expected.map((e) => expect.objectContaining(e as object)),
    );
  });
});
