import {
  derivedSessionCopyChunk,
  SESSION_COPY_HEADER,
  SESSION_COPY_TRAILER,
  sessionCopyChunk,
  type SessionLoadRow,
} from './session-copy-rows';

/** RFC 9562 version 7: 48-bit millisecond, version digit 7, 12 random bits, variant 0b10 (8, 9, a or b), 62 bits. */
const V7 = /^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/;
const PATIENT = '5b531e1d-1dbc-4cbe-9172-76141e0eb9c6';

interface DecodedRow {
  id: string;
  patient: string;
  day: number;
  kind: string;
  /** Only in a derived chunk: null where the field is NULL (length -1). */
  quarter?: number | null;
  contract?: string | null;
}

/**
 * Reads the rows back as PostgreSQL does: per row a 16-bit field count, then per field a 32-bit length (-1: NULL, no
 * bytes) and the bytes. Every row must have 4 fields of 16, 16, 4 and any bytes; a derived chunk's 6, the last two
 * of 4 (or NULL) and 16 (or NULL) bytes.
 */
function decode(buffer: Buffer, derived = false): DecodedRow[] {
  const rows: DecodedRow[] = [];
  const shapes = new Set<string>();
  let at = 0;
  const field = () => {
    const length = buffer.readInt32BE(at);
    if (length === -1) {
      at += 4;
      return null;
    }
    const bytes = buffer.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return bytes;
  };
  while (at < buffer.length) {
    const count = buffer.readInt16BE(at);
    at += 2;
    const [id, patient, day, kind] = [field()!, field()!, field()!, field()!];
    shapes.add(`${count}: ${id.length} ${patient.length} ${day.length}`);
    const row: DecodedRow = { id: id.toString('hex'), patient: patient.toString('hex'), day: day.readInt32BE(0), kind: kind.toString('utf8') };
    if (derived) {
      const [quarter, contract] = [field(), field()];
      expect([quarter?.length ?? 4, contract?.length ?? 16]).toEqual([4, 16]);
      Object.assign(row, { quarter: quarter?.readInt32BE(0) ?? null, contract: contract?.toString('hex') ?? null });
    }
    rows.push(row);
  }
  expect([...shapes]).toEqual([derived ? '6: 16 16 4' : '4: 16 16 4']);
  expect(at).toBe(buffer.length);
  return rows;
}

describe('sessionCopyChunk: COPY binary of staged sessions with version 7 ids', () => {
  it('should frame the stream with the binary signature, zero flags and extension, and a -1 trailer', () => {
    // "PGCOPY\n\377\r\n\0", flags 0 (4 bytes), header extension length 0 (4 bytes); trailer: field count -1.
    expect(SESSION_COPY_HEADER.toString('hex')).toBe('5047434f50590aff0d0a00' + '00000000' + '00000000');
    expect(SESSION_COPY_TRAILER.readInt16BE(0)).toBe(-1);
  });

  it('should write id, patient, day number and kind for each of two rows', () => {
    const rows: SessionLoadRow[] = [
      { patientId: PATIENT, date: '2025-03-01', kind: 'HOME' },
      { patientId: PATIENT, date: '2025-03-04', kind: 'INDIVIDUAL' },
    ];
    const decoded = decode(sessionCopyChunk(rows, () => 0x0123456789ab));
    // Days since 2000-01-01: 25 years with 7 leap days (2000, 2004, ..., 2024) = 25 x 365 + 7 = 9,132 to 2025-01-01,
    // then January 31 + February 28 = 59: 2025-03-01 is 9,191, 2025-03-04 is 9,194.
    expect(decoded.map(({ patient, day, kind }) => [patient, day, kind])).toEqual([
      ['5b531e1d1dbc4cbe917276141e0eb9c6', 9191, 'HOME'],
      ['5b531e1d1dbc4cbe917276141e0eb9c6', 9194, 'INDIVIDUAL'],
    ]);
    // 0x0123456789ab ms = 1,250,999,896,491 ms: the first 12 hex digits of both ids.
    expect(decoded.map((r) => [r.id.slice(0, 12), V7.test(r.id)])).toEqual([
      ['0123456789ab', true],
      ['0123456789ab', true],
    ]);
    expect(decoded[0].id).not.toBe(decoded[1].id);
  });

  it('should write the days before 2000 as negative numbers and a leap day as its own', () => {
    const rows = ['1999-12-31', '2000-01-01', '2024-02-29'].map((date) => ({ patientId: PATIENT, date, kind: 'GROUP' }));
    // 2024-02-29: 24 years with 6 leap days (2000-2020) = 8,766 to 2024-01-01, + 31 + 28 = 8,825.
    expect(decode(sessionCopyChunk(rows)).map((r) => r.day)).toEqual([-1, 0, 8825]);
  });

  it('should give each row the millisecond it was written in when the clock moves within a chunk', () => {
    const clock = [1_000, 1_000, 1_001];
    const rows = Array.from({ length: 3 }, () => ({ patientId: PATIENT, date: '2025-03-01', kind: 'HOME' }));
    // 1,000 = 0x3e8 and 1,001 = 0x3e9, zero-padded to 12 hex digits.
    expect(decode(sessionCopyChunk(rows, () => clock.shift()!)).map((r) => r.id.slice(0, 12))).toEqual([
      '0000000003e8',
      '0000000003e8',
      '0000000003e9',
    ]);
  });

  it('should give 20,000 rows 20,000 distinct well-formed ids with every variant digit in use', () => {
    const rows = Array.from({ length: 20_000 }, () => ({ patientId: PATIENT, date: '2025-03-01', kind: 'GROUP' }));
    const ids = decode(sessionCopyChunk(rows)).map((r) => r.id);
    expect(ids).toHaveLength(20_000);
    expect(new Set(ids).size).toBe(20_000);
    expect(ids.every((id) => V7.test(id))).toBe(true);
    // Two random bits pick the variant digit: with 20,000 ids each of the four appears (missing one: 4 x 0.75^20000).
    expect([...new Set(ids.map((id) => id[16]))].sort()).toEqual(['8', '9', 'a', 'b']);
  });

  it.each([
    ['a patient id that is not a UUID', { patientId: 'P-0001', date: '2025-03-01' }, '"P-0001" cannot be loaded: not a patient id'],
    ['a day that does not exist', { patientId: PATIENT, date: '2025-02-30' }, '"2025-02-30" cannot be loaded: not a date'],
    ['a date without leading zeros', { patientId: PATIENT, date: '2025-3-1' }, '"2025-3-1" cannot be loaded: not a date'],
  ])('should refuse %s rather than send bytes PostgreSQL would take', (_, row, message) => {
    expect(() => sessionCopyChunk([{ ...row, kind: 'HOME' }])).toThrow(`session field ${message}`);
  });
});

describe('derivedSessionCopyChunk: COPY binary of sessions with their care quarter and contract', () => {
  const CONTRACT = '0195b2c4-8e1f-7a3b-9c4d-5e6f70819203';

  it('should write the six fields of therapy_sessions, the derived ones NULL where there is none', () => {
    const decoded = decode(
      derivedSessionCopyChunk([
        { patientId: PATIENT, date: '2025-02-28', kind: 'HOME', careQuarter: null, contractId: null },
        { patientId: PATIENT, date: '2025-03-01', kind: 'GROUP', careQuarter: 1, contractId: CONTRACT },
        { patientId: PATIENT, date: '2025-06-01', kind: 'HOME', careQuarter: 2, contractId: null },
      ]),
      true,
    );
    // 2025-03-01 is day 9,191 (above); 2025-02-28 the day before; 2025-06-01 = 9,191 + 31 + 30 + 31 = 9,283.
    expect(decoded.map(({ day, kind, quarter, contract }) => [day, kind, quarter, contract])).toEqual([
      [9190, 'HOME', null, null],
      [9191, 'GROUP', 1, '0195b2c48e1f7a3b9c4d5e6f70819203'],
      [9283, 'HOME', 2, null],
    ]);
    expect(decoded.every((r) => V7.test(r.id))).toBe(true);
  });

  it('should refuse a contract id that is not a UUID', () => {
    const row = { patientId: PATIENT, date: '2025-03-01', kind: 'HOME', careQuarter: 1, contractId: 'C-1' };
    expect(() => derivedSessionCopyChunk([row])).toThrow('session field "C-1" cannot be loaded: not a contract id');
  });
});
