import type { Arm, ContractTerms, SessionRecord } from '../model';
import { armAtIntake } from '../validation/contract-rules';
import { priceEnrolment } from './pricing';

/** Contract C of DOMAIN.md 9. */
const contractC: ContractTerms = {
  practice: '12345678',
  insurer: '3311',
  arm: 'BUNDLE',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
};

const workedSessions: SessionRecord[] = [
  { date: '2025-02-12', kind: 'INDIVIDUAL' },
  { date: '2025-02-19', kind: 'INDIVIDUAL' },
  { date: '2025-03-05', kind: 'GROUP' },
  { date: '2025-04-02', kind: 'HOME' },
  { date: '2025-05-20', kind: 'INDIVIDUAL' },
  { date: '2025-08-14', kind: 'REMOTE' },
];

const patientP = { intakeDate: '2025-02-10', endDate: null, arm: 'BUNDLE' as Arm };

describe('priceEnrolment: DOMAIN.md 9 worked example', () => {
  const price = priceEnrolment(patientP, workedSessions, [contractC], '2025-09-30');

  it('should give three quarters with 4/1/1 sessions when analysis is 2025-09-30', () => {
    expect(
      price.quarters.map(({ index, start, endExclusive, sessionCount, isCareQuarter }) => ({
        index,
        start,
        endExclusive,
        sessionCount,
        isCareQuarter,
      })),
    ).toEqual([
      { index: 1, start: '2025-02-10', endExclusive: '2025-05-10', sessionCount: 4, isCareQuarter: true },
      { index: 2, start: '2025-05-10', endExclusive: '2025-08-10', sessionCount: 1, isCareQuarter: true },
      { index: 3, start: '2025-08-10', endExclusive: '2025-11-10', sessionCount: 1, isCareQuarter: true },
    ]);
  });

  it.each([
    // Q1 bundle: intake 9000 + quarter 36000 = 45000; Q2, Q3: quarter 36000 each
    // Q1 FFS: intake 6000 + 4000 + 4000 + group 2000 + home (4000 + 2000) = 22000; Q2 4000; Q3 remote 4000
    [1, 45000, 22000, '2025-Q1', true], // last day 05-09 <= 09-30
    [2, 36000, 4000, '2025-Q2', true], // last day 08-09 <= 09-30
    [3, 36000, 4000, '2025-Q3', false], // last day 11-09 > 09-30: still running
  ])(
    'should price Q%i at bundle %i and FFS %i when priced per quarter',
    (index, bundle, ffs, calendarQuarter, ended) => {
      const quarter = price.quarters[index - 1];
      expect(quarter).toMatchObject({
        bundleCents: bundle,
        ffsCents: ffs,
        paidCents: bundle, // arm BUNDLE
        counterfactualCents: ffs,
        calendarQuarter,
        ended,
      });
    },
  );

  it('should list the items each quarter is made of when priced, summing to its amounts', () => {
    // Q1: intake 9000 / 6000; quarter tariff 36000 / 0; 02-12, 02-19 individual 0 / 4000; 03-05 group 0 / 2000;
    // 04-02 home 0 / 4000 + 2000. Bundle 9000 + 36000 = 45000; FFS 6000 + 4000 + 4000 + 2000 + 6000 = 22000.
    expect(price.quarters[0].items.map((i) => [i.item, i.sessionKind, i.bundleCents, i.ffsCents, i.priced])).toEqual([
      ['INTAKE', null, 9000, 6000, true],
      ['QUARTER', null, 36000, 0, true],
      ['SESSION', 'INDIVIDUAL', 0, 4000, true],
      ['SESSION', 'INDIVIDUAL', 0, 4000, true],
      ['SESSION', 'GROUP', 0, 2000, true],
      ['SESSION', 'HOME', 0, 6000, true],
    ]);
    for (const q of price.quarters) {
      expect(q.items.reduce((sum, i) => sum + i.bundleCents, 0)).toBe(q.bundleCents);
      expect(q.items.reduce((sum, i) => sum + i.ffsCents, 0)).toBe(q.ffsCents);
    }
  });

  it('should total paid 117000 and counterfactual 30000 when the arm is BUNDLE', () => {
    expect(price.totals).toEqual({
      bundleCents: 117000, // 9000 + 3 x 36000
      ffsCents: 30000, // 22000 + 4000 + 4000
      paidCents: 117000,
      counterfactualCents: 30000,
      careQuarterCount: 3,
      sessionCount: 6,
    });
    expect(price.unpriced).toEqual([]);
  });

  it('should give the derived figures of the example when dividing by care quarters', () => {
    const { paidCents, counterfactualCents, careQuarterCount, sessionCount } = price.totals;
    expect(paidCents / careQuarterCount).toBe(39000); // 117000 / 3 = EUR 390.00
    expect(paidCents - counterfactualCents).toBe(87000); // EUR 870.00
    expect(sessionCount / careQuarterCount).toBe(2); // 6 / 3
  });

  it('should swap paid and counterfactual when the arm is FFS', () => {
    const ffs = priceEnrolment({ ...patientP, arm: 'FFS' }, workedSessions, [contractC], '2025-09-30');
    expect(ffs.totals).toMatchObject({ paidCents: 30000, counterfactualCents: 117000 });
    expect(ffs.quarters.map((q) => q.paidCents)).toEqual([22000, 4000, 4000]);
    expect(ffs.quarters.map((q) => q.counterfactualCents)).toEqual([45000, 36000, 36000]);
  });
});

describe('priceEnrolment: quarters and sessions', () => {
  const price = (sessions: SessionRecord[], analysisDate = '2025-09-30', endDate: string | null = null) =>
    priceEnrolment({ ...patientP, endDate }, sessions, [contractC], analysisDate);
  const ind = (date: string): SessionRecord => ({ date, kind: 'INDIVIDUAL' });

  it('should count Q1 as a care quarter with the intake only when Q1 has no sessions', () => {
    const p = price([], '2025-04-01');
    // bundle: intake 9000, no quarter tariff without sessions; FFS: intake 6000
    expect(p.quarters).toMatchObject([
      { index: 1, sessionCount: 0, isCareQuarter: true, bundleCents: 9000, ffsCents: 6000 },
    ]);
    expect(p.totals).toEqual({
      bundleCents: 9000,
      ffsCents: 6000,
      paidCents: 9000,
      counterfactualCents: 6000,
      careQuarterCount: 1,
      sessionCount: 0,
    });
  });

  it('should place a session in the quarter starting that day when it is on a quarter start', () => {
    const p = price([ind('2025-05-10')]);
    // Q1 [02-10, 05-10) has none; Q2 [05-10, 08-10) has it; Q3 has none
    expect(p.quarters.map((q) => q.sessionCount)).toEqual([0, 1, 0]);
    expect(p.quarters.map((q) => q.isCareQuarter)).toEqual([true, true, false]);
    expect(p.quarters.map((q) => q.bundleCents)).toEqual([9000, 36000, 0]); // Q1 intake only; Q2 quarter
    expect(p.totals).toMatchObject({ bundleCents: 45000, ffsCents: 10000, careQuarterCount: 2 }); // FFS 6000 + 4000
  });

  it('should ignore sessions after the analysis date when analysis falls inside a quarter', () => {
    const p = price(workedSessions, '2025-08-12');
    // Q3 [08-10, ...) exists (start <= 08-12) but its 08-14 session is after the analysis date
    expect(p.quarters.map((q) => q.sessionCount)).toEqual([4, 1, 0]);
    expect(p.totals).toMatchObject({
      bundleCents: 81000, // 9000 + 2 x 36000
      ffsCents: 26000, // 22000 + 4000
      careQuarterCount: 2,
      sessionCount: 5,
    });
  });

  it('should keep the quarter and its session when the analysis date is the quarter start', () => {
    const p = price([ind('2025-02-12'), ind('2025-08-10')], '2025-08-10');
    expect(p.quarters.map((q) => q.sessionCount)).toEqual([1, 0, 1]);
    // bundle 9000 + 36000 (Q1) + 36000 (Q3); FFS 6000 + 4000 + 4000
    expect(p.totals).toMatchObject({ bundleCents: 81000, ffsCents: 14000, careQuarterCount: 2 });
  });

  it('should drop quarters and sessions after the end date when the end date cuts care', () => {
    const p = price([ind('2025-02-12'), ind('2025-05-20')], '2025-09-30', '2025-05-09');
    // Only Q1 exists (Q2 would start 05-10 > end 05-09); the 05-20 session lies in no quarter
    expect(p.quarters).toHaveLength(1);
    expect(p.totals).toMatchObject({
      bundleCents: 45000,
      ffsCents: 10000,
      careQuarterCount: 1,
      sessionCount: 1,
    });
  });

  it('should ignore sessions before the intake when they fall in no quarter', () => {
    const p = price([ind('2025-02-01'), ind('2025-02-12')]);
    expect(p.totals.sessionCount).toBe(1);
  });

  it.each([
    ['2025-05-09', true], // Q1 last day 05-09 = analysis date: ended
    ['2025-05-08', false],
  ])('should mark Q1 ended=%p when the analysis date is %s', (analysisDate, ended) => {
    expect(price([], analysisDate).quarters[0].ended).toBe(ended);
  });

  it('should give no quarters and zero totals when the intake is after the analysis date', () => {
    const p = price(workedSessions, '2025-02-09');
    expect(p.quarters).toEqual([]);
    expect(p.totals).toEqual({
      bundleCents: 0,
      ffsCents: 0,
      paidCents: 0,
      counterfactualCents: 0,
      careQuarterCount: 0,
      sessionCount: 0,
    });
  });
});

describe('priceEnrolment: contracts changing during care', () => {
  const base = { practice: '12345678', insurer: '3311' };
  const first: ContractTerms = { ...contractC, ...base, validFrom: '2025-01-01', validTo: '2025-06-30' };
  const renewal: ContractTerms = {
    ...base,
    arm: 'FFS',
    validFrom: '2025-07-01',
    validTo: '2025-12-31',
    bundle: { intake: 10000, quarter: 40000 },
    ffs: { intake: 7000, session: 5000, homeSupplement: 2500, groupSession: 2500 },
  };

  it('should price later items only with the new tariffs when a contract is renewed mid-care', () => {
    const contracts = [first, renewal];
    const arm = armAtIntake(contracts, '2025-02-10');
    expect(arm).toBe('BUNDLE'); // the renewal's FFS arm does not move the patient
    const p = priceEnrolment(
      { intakeDate: '2025-02-10', endDate: null, arm: arm! },
      [
        { date: '2025-02-12', kind: 'INDIVIDUAL' }, // Q1, old contract
        { date: '2025-05-20', kind: 'INDIVIDUAL' }, // Q2, old contract
        { date: '2025-07-15', kind: 'INDIVIDUAL' }, // Q2, new contract
        { date: '2025-08-14', kind: 'REMOTE' }, // Q3, new contract
      ],
      contracts,
      '2025-09-30',
    );
    // Q1: bundle 9000 + 36000; FFS 6000 + 4000
    // Q2 starts 05-10 under the old contract: quarter 36000 even though 07-15 is under the new one;
    //    FFS 4000 (05-20, old) + 5000 (07-15, new)
    // Q3 starts 08-10 under the new contract: quarter 40000; FFS 5000
    expect(p.quarters.map((q) => [q.bundleCents, q.ffsCents])).toEqual([
      [45000, 10000],
      [36000, 9000],
      [40000, 5000],
    ]);
    expect(p.totals).toMatchObject({
      bundleCents: 121000, // 45000 + 36000 + 40000
      ffsCents: 24000, // 10000 + 9000 + 5000
      paidCents: 121000,
      counterfactualCents: 24000,
    });
    expect(p.unpriced).toEqual([]);
  });

  it('should price the quarter tariff on the first session date when no contract is in force at the quarter start', () => {
    const early: ContractTerms = { ...first, validTo: '2025-05-31' };
    const late: ContractTerms = { ...renewal, arm: 'BUNDLE', validFrom: '2025-06-15' };
    const p = priceEnrolment(
      { intakeDate: '2025-03-05', endDate: null, arm: 'BUNDLE' },
      [
        { date: '2025-03-10', kind: 'INDIVIDUAL' }, // Q1 [03-05, 06-05)
        { date: '2025-06-20', kind: 'HOME' }, // Q2 [06-05, 09-05): first session, late contract
        { date: '2025-07-01', kind: 'GROUP' },
      ],
      [early, late],
      '2025-09-04', // Q3 would start 09-05
    );
    // Q1: bundle 9000 + 36000 (early); FFS 6000 + 4000
    // Q2 starts 06-05 in the gap 06-01..06-14: quarter tariff from 06-20 -> late 40000;
    //    FFS home 5000 + 2500 + group 2500 = 10000
    expect(p.quarters.map((q) => [q.bundleCents, q.ffsCents])).toEqual([
      [45000, 10000],
      [40000, 10000],
    ]);
    expect(p.totals).toMatchObject({ bundleCents: 85000, ffsCents: 20000 });
    expect(p.unpriced).toEqual([]);
  });

  it('should price 0 and list the items when no contract is in force for them', () => {
    const late: ContractTerms = { ...renewal, arm: 'BUNDLE', validFrom: '2025-06-15' };
    const p = priceEnrolment(
      { intakeDate: '2025-03-05', endDate: null, arm: 'BUNDLE' },
      [
        { date: '2025-03-10', kind: 'INDIVIDUAL' }, // no contract: unpriced session, and Q1's quarter unpriced
        { date: '2025-06-20', kind: 'HOME' }, // late contract
      ],
      [late],
      '2025-09-04', // Q3 would start 09-05
    );
    // Q1: nothing priced; Q2: quarter 40000 (first session 06-20), FFS 5000 + 2500
    expect(p.quarters.map((q) => [q.bundleCents, q.ffsCents])).toEqual([
      [0, 0],
      [40000, 7500],
    ]);
    expect(p.unpriced).toEqual([
      { item: 'INTAKE', date: '2025-03-05', quarterIndex: 1 },
      { item: 'QUARTER', date: '2025-03-05', quarterIndex: 1 },
      { item: 'SESSION', date: '2025-03-10', quarterIndex: 1 },
    ]);
  });
});
