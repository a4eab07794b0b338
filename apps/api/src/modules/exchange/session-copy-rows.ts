import { randomFillSync } from 'node:crypto';
import type { IsoDate } from '@copd/domain';

/** A session row as a bulk load writes it; the derived columns are the database's business. */
export interface SessionLoadRow {
  patientId: string;
  date: IsoDate;
  kind: string;
}

/**
 * A session row with its derived columns (care quarter and contract id, null where none), for an initial load that
 * COPYs straight into therapy_sessions (SessionBulkLoadRepository.loadInitial).
 */
export interface DerivedSessionLoadRow extends SessionLoadRow {
  careQuarter: number | null;
  contractId: string | null;
}

/**
 * COPY's binary format (PostgreSQL documentation, "COPY", Binary Format) for the staging table (id uuid, patient_id
 * uuid, date date, kind text), or for therapy_sessions (the same, then care_quarter integer, contract_id uuid): a
 * header, then per row the field count and each field as its length and its bytes in the type's send format, then a
 * trailer.
 *
 * Binary rather than text because PostgreSQL parses text dates and uuids slowly: COPYing the 6.1 M staged rows of the
 * national benchmark from a file took 15.6-16.1 s as text and 3.7-4.3 s as binary (README "Bulk loads"). Written here
 * rather than with pg-copy-streams-binary: that library has no uuid or date type and encodes each row through an
 * object-mode stream, which at millions of rows costs more than PostgreSQL saves.
 *
 * Header: the 11-byte signature, a 32-bit flags field (0: no OIDs) and a 32-bit header-extension length (0).
 */
export const SESSION_COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** Trailer: a field count of -1. */
export const SESSION_COPY_TRAILER = Buffer.from([0xff, 0xff]);

/** Fields per row, and the fixed part of a row: count (2), id (4 + 16), patient (4 + 16), date (4 + 4), kind's length (4). */
const FIELDS = 4;
const FIXED_ROW_BYTES = 2 + 20 + 20 + 8 + 4;
/** The derived fields' lengths (a NULL is a length of -1 and no bytes): care_quarter (4 + 4), contract_id (4 + 16). */
const DERIVED_FIELDS = 2;
const NULL_LENGTH = -1;
/** Random bytes per id: 12 bits of rand_a (2 bytes), then 62 bits of rand_b with the variant (8 bytes). */
const RANDOM_BYTES = 10;
/** PostgreSQL's dates count days from 2000-01-01, which is day 10,957 of the Unix epoch. */
const POSTGRES_EPOCH_DAY = 10_957;
const MS_PER_DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rows of one chunk in COPY binary (between SESSION_COPY_HEADER and SESSION_COPY_TRAILER), each with a new
 * session id.
 *
 * The id is an RFC 9562 version 7 UUID, as uuid_v7() of migration 1765000000000 gives a single write: 48 bits of
 * Unix milliseconds (`now`), version 7, 12 random bits, the variant, 62 random bits, the random bits from Node's
 * CSPRNG. Made here, not by the column default, because PostgreSQL's gen_random_uuid() inside uuid_v7() cost about
 * 8.5 microseconds a row of a 100,000-row load (2,585 ms against 1,724 ms with the ids given).
 *
 * A patient id that is not a UUID or a date that is not a real ISO day throws before the chunk is sent, which fails
 * the COPY and the load (nothing written): in the text format PostgreSQL refused them, in binary it would read any
 * 16 bytes and any day number.
 */
export function sessionCopyChunk(rows: readonly SessionLoadRow[], now: () => number = Date.now): Buffer {
  return encodeChunk(rows, false, now);
}

/**
 * The rows of one chunk for therapy_sessions (id, patient_id, date, kind, care_quarter, contract_id): as
 * sessionCopyChunk, then each row's care quarter and contract id as given (NULL where none). A contract id that is
 * not a UUID throws before the chunk is sent.
 */
export function derivedSessionCopyChunk(rows: readonly DerivedSessionLoadRow[], now: () => number = Date.now): Buffer {
  return encodeChunk(rows, true, now);
}

function encodeChunk(rows: readonly (SessionLoadRow | DerivedSessionLoadRow)[], derived: boolean, now: () => number): Buffer {
  // A load arrives grouped per patient: the last patient's bytes, the chunk's days and kinds are made once.
  const days = new Map<string, number>();
  const kinds = new Map<string, Buffer>();
  let size = 0;
  for (const r of rows) {
    let kind = kinds.get(r.kind);
    if (kind === undefined) kinds.set(r.kind, (kind = Buffer.from(r.kind, 'utf8')));
    size += FIXED_ROW_BYTES + kind.length;
    if (derived) {
      const d = r as DerivedSessionLoadRow;
      size += (d.careQuarter === null ? 4 : 8) + (d.contractId === null ? 4 : 20);
    }
  }
  const contracts = new Map<string, Buffer>();
  const out = Buffer.allocUnsafe(size);
  const random = randomFillSync(Buffer.allocUnsafe(rows.length * RANDOM_BYTES));
  const time = Buffer.alloc(6);
  let millisecond = -1;
  let patientText = '';
  let patient: Buffer = Buffer.alloc(16);
  let at = 0;
  // Byte by byte rather than with Buffer's write and copy methods (a native call each): encoding 6.1 M rows took
  // 4.7 s of CPU with the methods and 2.3 s written out like this.
  const word = (n: number) => {
    out[at++] = n >>> 24;
    out[at++] = (n >>> 16) & 255;
    out[at++] = (n >>> 8) & 255;
    out[at++] = n & 255;
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.patientId !== patientText) {
      patient = uuidBytes(row.patientId, 'patient');
      patientText = row.patientId;
    }
    let day = days.get(row.date);
    if (day === undefined) days.set(row.date, (day = postgresDay(row.date)));
    const kind = kinds.get(row.kind) as Buffer;
    const ms = now();
    if (ms !== millisecond) {
      millisecond = ms;
      time.writeUIntBE(ms, 0, 6);
    }
    out[at++] = 0;
    out[at++] = derived ? FIELDS + DERIVED_FIELDS : FIELDS;
    // id: unix_ts_ms (48 bits), version 7 and rand_a (16 bits), variant 0b10 and rand_b (64 bits)
    word(16);
    for (let k = 0; k < 6; k++) out[at++] = time[k];
    const r = i * RANDOM_BYTES;
    out[at++] = 0x70 | (random[r] & 0x0f);
    out[at++] = random[r + 1];
    out[at++] = 0x80 | (random[r + 2] & 0x3f);
    for (let k = 3; k < RANDOM_BYTES; k++) out[at++] = random[r + k];
    word(16);
    for (let k = 0; k < 16; k++) out[at++] = patient[k];
    word(4);
    word(day);
    word(kind.length);
    for (let k = 0; k < kind.length; k++) out[at++] = kind[k];
    if (!derived) continue;
    const { careQuarter, contractId } = row as DerivedSessionLoadRow;
    if (careQuarter === null) word(NULL_LENGTH);
    else {
      word(4);
      word(careQuarter);
    }
    if (contractId === null) word(NULL_LENGTH);
    else {
      let contract = contracts.get(contractId);
      if (contract === undefined) contracts.set(contractId, (contract = uuidBytes(contractId, 'contract')));
      word(16);
      for (let k = 0; k < 16; k++) out[at++] = contract[k];
    }
  }
  return out;
}

/** A UUID's 16 bytes; anything else is refused. */
function uuidBytes(text: string, what: 'patient' | 'contract'): Buffer {
  if (!UUID.test(text)) throw new Error(`session field ${JSON.stringify(text)} cannot be loaded: not a ${what} id`);
  return Buffer.from(text.replace(/-/g, ''), 'hex');
}

/** An ISO day as PostgreSQL's date: days since 2000-01-01. A day that does not exist (2025-02-30) is refused. */
function postgresDay(text: string): number {
  const ms = ISO_DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new Error(`session field ${JSON.stringify(text)} cannot be loaded: not a date`);
  }
  return ms / MS_PER_DAY - POSTGRES_EPOCH_DAY;
}
