import type { ContractTerms, SessionRecord } from '../model';
import { validateSession } from './session-rules';

const contractC = {
  practice: '12345678',
  insurer: '3311',
  arm: 'BUNDLE',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
} satisfies ContractTerms;

describe('validateSession', () => {
  const ctx = (
    endDate: string | null = null,
    today = '2025-09-30',
    contracts: ContractTerms[] = [contractC],
  ) => ({
    enrolment: { intakeDate: '2025-02-10', endDate },
    contracts,
    today,
  });

  it.each<[string, SessionRecord, ReturnType<typeof ctx>, string[]]>([
    [
      'should accept when a session of the worked example is checked',
      { date: '2025-02-12', kind: 'INDIVIDUAL' },
      ctx(),
      [],
    ],
    ['should accept when the session is on the intake date', { date: '2025-02-10', kind: 'HOME' }, ctx(), []],
    [
      'should accept when the session is on the end date',
      { date: '2025-06-01', kind: 'GROUP' },
      ctx('2025-06-01'),
      [],
    ],
    ['should accept when the session is today', { date: '2025-09-30', kind: 'REMOTE' }, ctx(), []],
    [
      'should reject when the session is before intake',
      { date: '2025-02-09', kind: 'INDIVIDUAL' },
      ctx(),
      ['SESSION.BEFORE_INTAKE'],
    ],
    [
      'should reject when the session is after the end date',
      { date: '2025-06-02', kind: 'INDIVIDUAL' },
      ctx('2025-06-01'),
      ['SESSION.AFTER_END'],
    ],
    [
      'should reject when the session is tomorrow',
      { date: '2025-10-01', kind: 'INDIVIDUAL' },
      ctx(),
      ['SESSION.IN_FUTURE'],
    ],
    [
      'should reject when the kind is unknown',
      { date: '2025-02-12', kind: 'SWIM' as never },
      ctx(),
      ['SESSION.KIND_INVALID'],
    ],
    [
      'should reject when the date is not a calendar date',
      { date: '2025-02-30', kind: 'INDIVIDUAL' },
      ctx(),
      ['SESSION.DATE_INVALID'],
    ],
    [
      'should reject when no contract is in force on the session date',
      { date: '2026-01-05', kind: 'INDIVIDUAL' },
      ctx(null, '2026-01-31'),
      ['SESSION.NO_CONTRACT_IN_FORCE'],
    ],
    [
      'should report every reason when kind, end, future and contract are all wrong',
      { date: '2026-02-01', kind: 'SPA' as never },
      ctx('2025-12-31', '2026-01-31'),
      ['SESSION.KIND_INVALID', 'SESSION.AFTER_END', 'SESSION.IN_FUTURE', 'SESSION.NO_CONTRACT_IN_FORCE'],
    ],
  ])('%s', (_name, session, context, expected) => {
    expect(validateSession(session, context).map((v) => v.code)).toEqual(expected);
  });

  it('should explain in Dutch with dd-mm-jjjj dates when the session is before intake', () => {
    const [v] = validateSession({ date: '2025-02-09', kind: 'INDIVIDUAL' }, ctx());
    expect(v).toEqual({
      code: 'SESSION.BEFORE_INTAKE',
      path: 'date',
      message: 'De behandeling (09-02-2025) ligt vóór de intakedatum (10-02-2025); controleer de datum.',
      params: { date: '2025-02-09', limit: '2025-02-10', value: '2025-02-09' },
    });
  });
});
