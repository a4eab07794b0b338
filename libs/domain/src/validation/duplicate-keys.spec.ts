import { duplicateKeyViolations, findDuplicateKeys } from './duplicate-keys';

type Session = { patient: string; date: string; kind: string };
const keyOf = (s: Session) => JSON.stringify([s.patient, s.date, s.kind]);

describe('findDuplicateKeys', () => {
  it.each<[string, Session[], number[]]>([
    [
      'should find none when keys differ',
      [
        { patient: 'P', date: '2025-02-12', kind: 'INDIVIDUAL' },
        { patient: 'P', date: '2025-02-12', kind: 'GROUP' }, // same day, other kind: another key
      ],
      [],
    ],
    [
      'should give the indices of 2nd and later occurrences when keys repeat',
      [
        { patient: 'P', date: '2025-02-12', kind: 'INDIVIDUAL' },
        { patient: 'Q', date: '2025-02-12', kind: 'INDIVIDUAL' },
        { patient: 'P', date: '2025-02-12', kind: 'INDIVIDUAL' },
        { patient: 'P', date: '2025-02-12', kind: 'INDIVIDUAL' },
      ],
      [2, 3],
    ],
    ['should find none when the batch is empty', [], []],
  ])('%s', (_name, items, expected) => {
    expect(findDuplicateKeys(items, keyOf)).toEqual(expected);
  });

  it('should report each repeat with its path and the first occurrence when building violations', () => {
    const items = [
      { patient: 'P', date: '2025-02-12', kind: 'INDIVIDUAL' },
      { patient: 'P', date: '2025-02-12', kind: 'INDIVIDUAL' },
    ];
    expect(duplicateKeyViolations(items, keyOf, 'sessions')).toEqual([
      expect.objectContaining({
        code: 'BATCH.DUPLICATE_KEY',
        path: 'sessions[1]',
        params: { index: 1, firstIndex: 0, key: '["P","2025-02-12","INDIVIDUAL"]' },
      }),
    ]);
  });
});
