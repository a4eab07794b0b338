import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { asQueryError } from '../../core/database/prepared-query';
import { sessionCopyChunk, type SessionLoadRow } from './session-copy-rows';

export type { SessionLoadRow } from './session-copy-rows';

/** Sessions written per patient by one load (rows already present are not counted). */
export type SessionsCreatedByPatient = Map<string, number>;

/** The transaction's staging table: temporary (no WAL), dropped at commit or rollback. */
const STAGING = 'session_load_staging';
const COPY_CHUNK = 20_000;
/** work_mem of the set-based insert: its sorts of a large load stay in memory. */
const LOAD_WORK_MEM = '256MB';

/**
 * Bulk session writes (issue 17): the rows go into a temporary staging table with COPY, then into therapy_sessions
 * in ONE statement that derives every row's care quarter and contract with a join, instead of the row trigger
 * therapy_sessions_derive running a query per row.
 *
 * The two derivations are twins and must agree: the trigger (migration 1764300000000, single writes) and
 * INSERT_STAGED_SESSIONS below (bulk writes). Parity is tested in session-bulk-load.int-spec.ts, on every day of
 * 43 intakes over 30 months and across a contract gap, against rows written one at a time through the trigger.
 *
 * The setting copd.session_keys = 'derived' tells the trigger that this statement has derived the columns itself
 * (migration 1765000000000); it is transaction-local and cleared right after the statement, so a single write
 * later in the same transaction is derived by the trigger again.
 */
@Injectable()
export class SessionBulkLoadRepository {
  /** Writes rows given in memory (an import): COPY into the staging table in chunks, then the set-based insert. */
  async insert(client: ClientBase, rows: SessionLoadRow[], onChunk?: (n: number) => void): Promise<SessionsCreatedByPatient> {
    await this.createStaging(client);
    const distinct = distinctRows(rows);
    await this.stage(client, distinct, onChunk, rows.length - distinct.length);
    return this.insertStaged(client);
  }

  /** The staging table, empty; then stage and insertStaged (the national benchmark's generator stages itself). */
  async createStaging(client: ClientBase): Promise<void> {
    await client.query(`DROP TABLE IF EXISTS pg_temp.${STAGING}`);
    await client.query(`CREATE TEMPORARY TABLE ${STAGING} (id uuid NOT NULL, patient_id uuid, date date, kind text) ON COMMIT DROP`);
  }

  /**
   * COPYs rows into the staging table, each with a new session id, reading the rows as COPY takes them (a
   * generator is consumed while PostgreSQL parses what it was sent). A caller stages each (patient, date, kind) at
   * most once: a key staged twice fails the load with a unique violation, nothing written. Progress counts the
   * rows staged, plus `dropped` (repeats the caller left out) with the last chunk.
   */
  async stage(client: ClientBase, rows: Iterable<SessionLoadRow>, onChunk?: (n: number) => void, dropped = 0): Promise<void> {
    const sql = `COPY ${STAGING} (id, patient_id, date, kind) FROM STDIN`;
    await asQueryError(sql, undefined, () => pipeline(Readable.from(copyChunks(rows, onChunk, dropped)), client.query(copyFrom(sql))));
  }

  /** Moves the staged rows into therapy_sessions (rows already there are left alone) and empties the staging table. */
  async insertStaged(client: ClientBase): Promise<SessionsCreatedByPatient> {
    await client.query(`ANALYZE pg_temp.${STAGING}`);
    // The statement's hash joins in memory (at the default 4 MB a 100,000-row load spilled to disk), for this
    // statement only: the previous value is put back after it.
    const [{ work_mem: workMem }] = (await client.query<{ work_mem: string }>(`SHOW work_mem`)).rows;
    await client.query(`SELECT set_config('copd.session_keys', 'derived', true), set_config('work_mem', $1, true)`, [LOAD_WORK_MEM]);
    const { rows } = await asQueryError(INSERT_STAGED_SESSIONS, undefined, () => client.query<{ patient_id: string; created: number }>(INSERT_STAGED_SESSIONS));
    await client.query(`SELECT set_config('copd.session_keys', '', true), set_config('work_mem', $1, true)`, [workMem]);
    await client.query(`TRUNCATE pg_temp.${STAGING}`);
    return new Map(rows.map((r) => [r.patient_id, r.created]));
  }
}

/**
 * The set-based twin of the trigger therapy_sessions_derive: the care quarter from the patient's intake date
 * (care_quarter_of, DOMAIN.md 5) and the contract of the patient's experiment x practice x insurer in force on the
 * session's date. LEFT JOIN on patients so that a row naming no patient still reaches the foreign key and fails
 * there, instead of vanishing. A row already stored is left alone (NOT EXISTS); the staged rows are distinct (a row
 * repeated in an import is dropped before COPY). Not sorted: a load arrives grouped per patient (a file, a
 * generator), which keeps the unique index's writes local; sorting them first did not make a 6-million-row load faster
 * (48,300-50,300 rows/s without the sort against 49,800 with it).
 *
 * No ON CONFLICT: its speculative insertion cost about a quarter of the statement. A session with the same key
 * written by another transaction between this statement's check and its insert makes the whole load fail with a
 * unique violation (409 RECORD.DUPLICATE, nothing written); running it again then finds that session stored.
 */
const INSERT_STAGED_SESSIONS = `
  WITH ins AS (
    INSERT INTO therapy_sessions (id, patient_id, date, kind, care_quarter, contract_id)
    SELECT u.id, u.patient_id, u.date, u.kind, care_quarter_of(p.intake_date, u.date), c.id
    FROM ${STAGING} u
    LEFT JOIN patients p ON p.id = u.patient_id
    LEFT JOIN contracts c ON c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id
     AND c.insurer_id = p.insurer_id AND u.date BETWEEN c.valid_from AND c.valid_to
    WHERE NOT EXISTS (SELECT 1 FROM therapy_sessions s WHERE s.patient_id = u.patient_id AND s.date = u.date AND s.kind = u.kind)
    RETURNING patient_id)
  SELECT patient_id, count(*)::int AS created FROM ins GROUP BY patient_id`;

/** The rows without repeats of a (patient, date, kind), in their order (the first of each is kept). */
function distinctRows(rows: SessionLoadRow[]): SessionLoadRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.patientId}|${r.date}|${r.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * COPY chunks of COPY_CHUNK rows, each row with a new session id (sessionCopyChunk). Progress counts the rows
 * staged, and the repeats dropped before COPY with the last chunk.
 */
function* copyChunks(rows: Iterable<SessionLoadRow>, onChunk?: (n: number) => void, dropped = 0): Generator<Buffer> {
  let chunk: SessionLoadRow[] = [];
  for (const r of rows) {
    chunk.push(r);
    if (chunk.length === COPY_CHUNK) {
      yield sessionCopyChunk(chunk);
      onChunk?.(chunk.length);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield sessionCopyChunk(chunk);
  if (chunk.length + dropped > 0) onChunk?.(chunk.length + dropped);
}
