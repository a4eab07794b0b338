import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { careQuarters, contractInForce, type IsoDate } from '@copd/domain';
import { asQueryError } from '../../core/database/prepared-query';
import {
  derivedSessionCopyChunk,
  SESSION_COPY_HEADER,
  SESSION_COPY_TRAILER,
  sessionCopyChunk,
  type DerivedSessionLoadRow,
  type SessionLoadRow,
} from './session-copy-rows';

export type { SessionLoadRow } from './session-copy-rows';

/** Sessions written per patient by one load (rows already present are not counted). */
export type SessionsCreatedByPatient = Map<string, number>;

/** `rebuildKeys`: an initial load, the unique and foreign keys rebuilt once after the rows (insertStaged). */
export interface SessionLoadOptions {
  rebuildKeys?: boolean;
}

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
  /**
   * Writes rows given in memory (an import): COPY into the staging table in chunks, then the set-based insert; with
   * `rebuildKeys`, loadInitial.
   */
  async insert(client: ClientBase, rows: SessionLoadRow[], onChunk?: (n: number) => void, options: SessionLoadOptions = {}): Promise<SessionsCreatedByPatient> {
    const distinct = distinctRows(rows);
    if (options.rebuildKeys) return this.loadInitial(client, distinct, onChunk, rows.length - distinct.length);
    await this.createStaging(client);
    const staged = await this.stage(client, distinct, onChunk, rows.length - distinct.length);
    return this.insertStaged(client, staged, options);
  }

  /**
   * An initial load (the national benchmark's, or an operator's `--initial-load`), as the owner of therapy_sessions
   * (refused otherwise), under an ACCESS EXCLUSIVE lock until the transaction ends. Each (patient, date, kind) at most
   * once, as for stage.
   *
   * Into an EMPTY table the rows are COPYed straight into therapy_sessions with their care quarter and contract
   * derived here, by the domain's careQuarters and contractInForce (twins of care_quarter_of and of the trigger's
   * contract join; derivedRows), from the patients and contracts read under the lock. The table's keys (primary,
   * unique, foreign) and its row triggers that fire before an insert are dropped first and created again after the
   * rows, as pg_restore does: a BEFORE ROW trigger, even disabled or switched off by copd.session_keys, makes COPY
   * insert row by row, and keys maintained per row cost more than building them once. Lab, 6.1 M rows (README
   * "Bulk loads"): the staging path's INSERT ... SELECT took 24-29 s, this COPY 5-6 s with the primary key built
   * after it in 3-4 s. Nothing to prune into an empty table, so every row is created.
   *
   * A table that holds sessions already takes the staging path (stage, then insertStaged with the keys rebuilt),
   * which leaves the stored rows alone. Either way a repeated key or an unknown patient fails the load when the keys
   * are built again, and the rollback puts the table, its keys and its triggers back as they were. `onCopied` is
   * called when the rows are in PostgreSQL (in therapy_sessions, or staged), before the keys are built (the
   * benchmark times the two parts).
   */
  async loadInitial(
    client: ClientBase,
    rows: Iterable<SessionLoadRow>,
    onChunk?: (n: number) => void,
    dropped = 0,
    onCopied?: () => void,
  ): Promise<SessionsCreatedByPatient> {
    await lockForRebuild(client);
    const { rows: occupied } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM therapy_sessions) AS any`);
    if (occupied[0].any) {
      await this.createStaging(client);
      const staged = await this.stage(client, rows, onChunk, dropped);
      onCopied?.();
      return this.insertStaged(client, staged, { rebuildKeys: true });
    }
    const derive = await derivationInputs(client);
    const keys = await dropKeys(client, true);
    const triggers = await dropInsertTriggers(client);
    const created: SessionsCreatedByPatient = new Map();
    const sql = `COPY therapy_sessions (id, patient_id, date, kind, care_quarter, contract_id) FROM STDIN (FORMAT binary)`;
    const derived = derivedRows(rows, derive);
    await asQueryError(sql, undefined, () =>
      pipeline(Readable.from(copyChunks(derived, created, onChunk, dropped, derivedSessionCopyChunk)), client.query(copyFrom(sql))),
    );
    onCopied?.();
    if (keys.length > 0) await restoreKeys(client, keys);
    for (const definition of triggers) await client.query(definition);
    return created;
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
   * rows staged, plus `dropped` (repeats the caller left out) with the last chunk. Returns the rows staged per
   * patient, for insertStaged.
   */
  async stage(client: ClientBase, rows: Iterable<SessionLoadRow>, onChunk?: (n: number) => void, dropped = 0): Promise<StagedByPatient> {
    const sql = `COPY ${STAGING} (id, patient_id, date, kind) FROM STDIN (FORMAT binary)`;
    const staged: StagedByPatient = new Map();
    await asQueryError(sql, undefined, () => pipeline(Readable.from(copyChunks(rows, staged, onChunk, dropped)), client.query(copyFrom(sql))));
    return staged;
  }

  /**
   * Moves the staged rows into therapy_sessions and empties the staging table. Rows already stored are left alone:
   * they are first deleted from the staging table (counted per patient, so `staged`, what stage returned, minus
   * them is what was created), then the rest go in with one INSERT ... SELECT. The created counts come from Node,
   * not from `RETURNING` grouped in the statement: collecting and grouping the returned rows took 17 s of a 6.1 M-row
   * load (41.5 s against 24.2 s; README "Bulk loads").
   *
   * With `rebuildKeys` (an initial load: the national benchmark's, or an operator's into a near-empty table) the
   * table's unique and foreign-key constraints are dropped before the insert and added again after it, in the
   * caller's transaction, as pg_restore does: building the unique index once from the sorted rows and checking the
   * foreign key with one join costs far less than maintaining both row by row (6.1 M rows: insert and rebuild 32.6 s,
   * against 81.4 s with both maintained). The constraints come back with the names and definitions they had (read
   * from the catalog, so a migration that changes them is followed), and they are checked over every row: a
   * duplicate or an unknown patient fails the load as before, and the rollback restores the table as it was. The price
   * is an ACCESS EXCLUSIVE lock on therapy_sessions until the transaction ends (readers wait), and the table owner's
   * rights: copd_app has neither, so only the owner or a superuser may ask for it (refused otherwise).
   */
  async insertStaged(client: ClientBase, staged: StagedByPatient, options: SessionLoadOptions = {}): Promise<SessionsCreatedByPatient> {
    await client.query(`ANALYZE pg_temp.${STAGING}`);
    // Under the lock when rebuilding: nothing can store a key between the pruning and the rebuilt unique index.
    if (options.rebuildKeys) await lockForRebuild(client);
    const created = new Map(staged);
    const { rows: stored } = await client.query<{ patient_id: string; n: number }>(PRUNE_STORED_SESSIONS);
    for (const { patient_id: patientId, n } of stored) {
      const left = (created.get(patientId) ?? 0) - n;
      if (left > 0) created.set(patientId, left);
      else created.delete(patientId);
    }
    const dropped = options.rebuildKeys ? await dropKeys(client) : [];
    // The statement's hash joins in memory (at the default 4 MB a 100,000-row load spilled to disk), for this
    // statement only: the previous value is put back after it.
    const [{ work_mem: workMem }] = (await client.query<{ work_mem: string }>(`SHOW work_mem`)).rows;
    await client.query(`SELECT set_config('copd.session_keys', 'derived', true), set_config('work_mem', $1, true)`, [LOAD_WORK_MEM]);
    const { rowCount } = await asQueryError(INSERT_STAGED_SESSIONS, undefined, () => client.query(INSERT_STAGED_SESSIONS));
    await client.query(`SELECT set_config('copd.session_keys', '', true), set_config('work_mem', $1, true)`, [workMem]);
    if (dropped.length > 0) await restoreKeys(client, dropped);
    await client.query(`TRUNCATE pg_temp.${STAGING}`);
    const expected = [...created.values()].reduce((a, b) => a + b, 0);
    // Every staged row reaches the INSERT (outer joins, one contract in force at most): anything else is a bug.
    if (rowCount !== expected) throw new Error(`session load wrote ${rowCount} rows where ${expected} were staged and new`);
    return created;
  }
}

/** A constraint of therapy_sessions as the catalog defines it: its name and pg_get_constraintdef. */
interface KeyDefinition {
  name: string;
  definition: string;
}

/** maintenance_work_mem of the rebuild, so that the unique index of a national load (6.1 M rows) sorts in memory. */
const REBUILD_MAINTENANCE_WORK_MEM = '1GB';

/** The owner's check and the table lock of a rebuilding load (see insertStaged). */
async function lockForRebuild(client: ClientBase): Promise<void> {
  const [{ owner }] = (
    await client.query<{ owner: boolean }>(
      `SELECT pg_has_role(current_user, relowner, 'USAGE') AS owner FROM pg_class WHERE oid = 'therapy_sessions'::regclass`,
    )
  ).rows;
  if (!owner) {
    throw new Error(
      'An initial load that rebuilds the session keys needs the owner of therapy_sessions (MIGRATION_DATABASE_URL); ' +
        'the application role loads with the keys in place.',
    );
  }
  await client.query(`LOCK TABLE therapy_sessions IN ACCESS EXCLUSIVE MODE`);
}

/**
 * Drops the unique and foreign-key constraints of therapy_sessions, with `primary` the primary key too, and returns
 * their definitions (primary key first, then unique, then foreign keys: the order they are added again). The staging
 * path keeps the primary key: version 7 ids arrive in order, so maintaining it costs little next to its INSERT; into
 * an empty table (loadInitial) building it once after the COPY is cheaper (3-4 s against about 7 s at 6.1 M rows).
 * The table is locked (lockForRebuild).
 */
async function dropKeys(client: ClientBase, primary = false): Promise<KeyDefinition[]> {
  const { rows } = await client.query<KeyDefinition>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = 'therapy_sessions'::regclass AND contype = ANY ($1::"char"[])
     ORDER BY array_position(ARRAY['p', 'u', 'f']::"char"[], contype), conname`,
    [primary ? ['p', 'u', 'f'] : ['u', 'f']],
  );
  if (rows.length > 0) {
    await client.query(`ALTER TABLE therapy_sessions ${rows.map((k) => `DROP CONSTRAINT ${client.escapeIdentifier(k.name)}`).join(', ')}`);
  }
  return rows;
}

/** Adds the dropped constraints again, keys before foreign keys: their indexes are built and every row is checked. */
async function restoreKeys(client: ClientBase, keys: KeyDefinition[]): Promise<void> {
  const [{ maintenance_work_mem: previous }] = (await client.query<{ maintenance_work_mem: string }>(`SHOW maintenance_work_mem`)).rows;
  await client.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [REBUILD_MAINTENANCE_WORK_MEM]);
  const sql = `ALTER TABLE therapy_sessions ${keys.map((k) => `ADD CONSTRAINT ${client.escapeIdentifier(k.name)} ${k.definition}`).join(', ')}`;
  await asQueryError(sql, undefined, () => client.query(sql));
  await client.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [previous]);
}

/**
 * Drops the row triggers of therapy_sessions that fire before an insert (therapy_sessions_derive) and returns their
 * CREATE TRIGGER statements, to run again after the rows. The table is locked (lockForRebuild).
 */
async function dropInsertTriggers(client: ClientBase): Promise<string[]> {
  // tgtype bits (PostgreSQL's pg_trigger.h): 1 FOR EACH ROW, 2 BEFORE, 4 INSERT.
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS definition FROM pg_trigger
     WHERE tgrelid = 'therapy_sessions'::regclass AND NOT tgisinternal AND tgtype & 7 = 7 ORDER BY tgname`,
  );
  for (const { name } of rows) await client.query(`DROP TRIGGER ${client.escapeIdentifier(name)} ON therapy_sessions`);
  return rows.map((t) => t.definition);
}

/** What a session's derived columns depend on: its patient's intake date and the contracts of its practice x insurer. */
interface PatientTerms {
  intake: IsoDate;
  contracts: { id: string; validFrom: IsoDate; validTo: IsoDate }[];
}

/** Every patient's intake date and contracts, read under the load's lock. */
async function derivationInputs(client: ClientBase): Promise<Map<string, PatientTerms>> {
  const { rows: contracts } = await client.query<{ id: string; pair: string; valid_from: IsoDate; valid_to: IsoDate }>(
    `SELECT id, concat_ws('|', experiment_id, practice_id, insurer_id) AS pair,
            to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM contracts`,
  );
  const byPair = new Map<string, PatientTerms['contracts']>();
  for (const c of contracts) {
    const list = byPair.get(c.pair) ?? [];
    list.push({ id: c.id, validFrom: c.valid_from, validTo: c.valid_to });
    byPair.set(c.pair, list);
  }
  const { rows: patients } = await client.query<{ id: string; pair: string; intake: IsoDate }>(
    `SELECT id, concat_ws('|', experiment_id, practice_id, insurer_id) AS pair, to_char(intake_date, 'YYYY-MM-DD') AS intake FROM patients`,
  );
  return new Map(patients.map((p) => [p.id, { intake: p.intake, contracts: byPair.get(p.pair) ?? [] }]));
}

/**
 * Each row with the columns therapy_sessions_derive would give it: its care quarter (care_quarter_of) and the contract
 * in force on its date, from the domain's careQuarters and contractInForce. A row naming no known patient gets
 * neither, as the trigger's lookup finds nothing, and fails the rebuilt foreign key.
 *
 * Taken a run of one patient's rows at a time (a load arrives grouped per patient): the patient's quarters up to the
 * run's last day are computed once (careQuarters: [intake + 3(k-1) months, intake + 3k months), clamped), and each row
 * finds its own among them. careQuarterOf per row, which computes them again each time, cost 3.9 microseconds a row
 * (24 s of a 6.1 M-row load).
 */
function* derivedRows(rows: Iterable<SessionLoadRow>, terms: Map<string, PatientTerms>): Generator<DerivedSessionLoadRow> {
  let run: SessionLoadRow[] = [];
  for (const row of rows) {
    if (run.length > 0 && row.patientId !== run[0].patientId) {
      yield* derivedRun(run, terms.get(run[0].patientId));
      run = [];
    }
    run.push(row);
  }
  if (run.length > 0) yield* derivedRun(run, terms.get(run[0].patientId));
}

/** One patient's rows with their derived columns (derivedRows). */
function* derivedRun(run: SessionLoadRow[], patient: PatientTerms | undefined): Generator<DerivedSessionLoadRow> {
  const last = run.reduce((max, r) => (r.date > max ? r.date : max), run[0].date);
  // Every quarter whose start is on or before the last day: the days from the intake to it all fall in one of them.
  const quarters = patient === undefined ? [] : careQuarters(patient.intake, null, last);
  let q = 0;
  for (const { patientId, date, kind } of run) {
    let careQuarter: number | null = null;
    let contractId: string | null = null;
    if (patient !== undefined) {
      if (date >= patient.intake) {
        if (!(quarters[q].start <= date && date < quarters[q].endExclusive)) q = quarters.findIndex((p) => p.start <= date && date < p.endExclusive);
        careQuarter = quarters[q].index;
      }
      contractId = contractInForce(patient.contracts, date)?.id ?? null;
    }
    yield { patientId, date, kind, careQuarter, contractId };
  }
}

/**
 * The set-based twin of the trigger therapy_sessions_derive: the care quarter from the patient's intake date
 * (care_quarter_of, DOMAIN.md 5) and the contract of the patient's experiment x practice x insurer in force on the
 * session's date. LEFT JOIN on patients so that a row naming no patient still reaches the foreign key and fails
 * there, instead of vanishing. The staged rows are distinct (a row repeated in an import is dropped before COPY) and
 * none is stored (PRUNE_STORED_SESSIONS ran first). Not sorted: a load arrives grouped per patient (a file, a
 * generator), which keeps the unique index's writes local; sorting them first did not make a 6-million-row load faster
 * (48,300-50,300 rows/s without the sort against 49,800 with it).
 *
 * No ON CONFLICT: its speculative insertion cost about a quarter of the statement. A session with the same key
 * written by another transaction between the pruning and this insert makes the whole load fail with a unique
 * violation (409 RECORD.DUPLICATE, nothing written); running it again then finds that session stored.
 */
const INSERT_STAGED_SESSIONS = `
  INSERT INTO therapy_sessions (id, patient_id, date, kind, care_quarter, contract_id)
  SELECT u.id, u.patient_id, u.date, u.kind, care_quarter_of(p.intake_date, u.date), c.id
  FROM ${STAGING} u
  LEFT JOIN patients p ON p.id = u.patient_id
  LEFT JOIN contracts c ON c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id
   AND c.insurer_id = p.insurer_id AND u.date BETWEEN c.valid_from AND c.valid_to`;

/** Takes the staged rows that are already stored out of the staging table: how many, per patient. */
const PRUNE_STORED_SESSIONS = `
  WITH pruned AS (
    DELETE FROM ${STAGING} u USING therapy_sessions s
    WHERE s.patient_id = u.patient_id AND s.date = u.date AND s.kind = u.kind
    RETURNING u.patient_id)
  SELECT patient_id, count(*)::int AS n FROM pruned GROUP BY patient_id`;

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

/** Rows staged per patient (what a load creates, before the rows already stored are taken out). */
export type StagedByPatient = Map<string, number>;

/**
 * COPY binary: the header, chunks of COPY_CHUNK rows, each row with a new session id (sessionCopyChunk, or
 * derivedSessionCopyChunk for therapy_sessions itself), and the trailer; counting the rows per patient into
 * `staged`. Progress counts the rows staged, and the repeats dropped before COPY with the last chunk.
 */
function* copyChunks<R extends SessionLoadRow>(
  rows: Iterable<R>,
  staged: StagedByPatient,
  onChunk?: (n: number) => void,
  dropped = 0,
  encode: (rows: R[]) => Buffer = sessionCopyChunk,
): Generator<Buffer> {
  yield SESSION_COPY_HEADER;
  let chunk: R[] = [];
  // A load arrives grouped per patient: count a run of one patient's rows, then add it to the map.
  let patient = '';
  let run = 0;
  const flush = () => {
    if (run > 0) staged.set(patient, (staged.get(patient) ?? 0) + run);
  };
  for (const r of rows) {
    if (r.patientId !== patient) {
      flush();
      patient = r.patientId;
      run = 0;
    }
    run++;
    chunk.push(r);
    if (chunk.length === COPY_CHUNK) {
      yield encode(chunk);
      onChunk?.(chunk.length);
      chunk = [];
    }
  }
  flush();
  if (chunk.length > 0) yield encode(chunk);
  yield SESSION_COPY_TRAILER;
  if (chunk.length + dropped > 0) onChunk?.(chunk.length + dropped);
}
