import { sessionCopyChunk, type SessionLoadRow } from './session-copy-rows';

/** RFC 9562 version 7: 48-bit millisecond, version digit 7, 12 random bits, variant 0b10 (8, 9, a or b), 62 bits. */
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PATIENT = '5b531e1d-1dbc-4cbe-9172-76141e0eb9c6';

const lines = (buffer: Buffer) => buffer.toString('latin1').split('\n');

describe('sessionCopyChunk: COPY text of staged sessions with version 7 ids', () => {
  it('should write id, patient, date and kind tab-separated, one line per row, when given two rows', () => {
    const rows: SessionLoadRow[] = [
      { patientId: PATIENT, date: '2025-03-01', kind: 'HOME' },
      { patientId: PATIENT, date: '2025-03-04', kind: 'INDIVIDUAL' },
    ];
    // 0x0123456789ab ms = 1,250,999,896,491 ms: the first 12 hex digits of both ids, split 8 + 4 by the dash.
    const text = lines(sessionCopyChunk(rows, () => 0x0123456789ab));
    expect(text).toHaveLength(3); // two lines and the empty string after the last newline
    expect(text[2]).toBe('');
    const fields = text.slice(0, 2).map((line) => line.split('\t'));
    expect(fields.map((f) => f.slice(1))).toEqual([
      [PATIENT, '2025-03-01', 'HOME'],
      [PATIENT, '2025-03-04', 'INDIVIDUAL'],
    ]);
    expect(fields.map((f) => [f[0].slice(0, 15), V7.test(f[0])])).toEqual([
      ['01234567-89ab-7', true],
      ['01234567-89ab-7', true],
    ]);
    expect(fields[0][0]).not.toBe(fields[1][0]);
  });

  it('should give each row the millisecond it was written in when the clock moves within a chunk', () => {
    const clock = [1_000, 1_000, 1_001];
    const ids = lines(sessionCopyChunk(Array.from({ length: 3 }, () => ({ patientId: PATIENT, date: '2025-03-01', kind: 'HOME' })), () => clock.shift()!))
      .slice(0, 3)
      .map((line) => line.split('\t')[0]);
    // 1,000 = 0x3e8 and 1,001 = 0x3e9, zero-padded to 12 hex digits.
    expect(ids.map((id) => id.slice(0, 13))).toEqual(['00000000-03e8', '00000000-03e8', '00000000-03e9']);
  });

  it('should give 20,000 rows 20,000 distinct well-formed ids with every variant digit in use', () => {
    const rows = Array.from({ length: 20_000 }, () => ({ patientId: PATIENT, date: '2025-03-01', kind: 'GROUP' }));
    const ids = lines(sessionCopyChunk(rows)).slice(0, -1).map((line) => line.split('\t')[0]);
    expect(ids).toHaveLength(20_000);
    expect(new Set(ids).size).toBe(20_000);
    expect(ids.every((id) => V7.test(id))).toBe(true);
    // Two random bits pick the variant digit: with 20,000 ids each of the four appears (missing one: 4 x 0.75^20000).
    expect([...new Set(ids.map((id) => id[19]))].sort()).toEqual(['8', '9', 'a', 'b']);
  });

  it.each([
    ['a tab', 'HO\tME'],
    ['a newline', 'HOME\n'],
    ['a backslash', 'HO\\ME'],
    ['a letter outside ASCII', 'HOMÉ'],
  ])('should refuse a kind with %s rather than escape it', (_, kind) => {
    expect(() => sessionCopyChunk([{ patientId: PATIENT, date: '2025-03-01', kind }])).toThrow(`session field ${JSON.stringify(kind)} cannot be loaded`);
  });
});
