import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * The tables a snapshot copies as `snapshot_<table>` (snapshot_id, then exactly the live columns; migration
 * 1764800000000): the experiment's input records and its materialised facts.
 */
export const SNAPSHOT_COPIED_TABLES = [
  'experiments',
  'insurers',
  'practices',
  'contracts',
  'patients',
  'therapy_sessions',
  'measurements',
  'events',
  'patient_facts',
  'care_quarter_facts',
] as const;

export type CopiedTable = (typeof SNAPSHOT_COPIED_TABLES)[number];
export type RecordTable = Exclude<CopiedTable, 'patient_facts' | 'care_quarter_facts'>;

/**
 * The input records of an experiment, in the canonical order of the snapshot digest, with the columns that are
 * their content: what a user entered or imported. Timestamps and what the database derives from other rows
 * (a patient's arm from the contracts, a session's care quarter and contract) are left out, so a recompute or a
 * re-derivation is not a "correction", while a changed date, kind, value or tariff is.
 */
export const RECORD_CONTENT: Record<RecordTable, readonly string[]> = {
  experiments: ['code', 'name', 'policy_reference', 'start_date', 'end_date', 'analysis_date'],
  insurers: ['uzovi', 'name'],
  practices: ['agb', 'name', 'region'],
  contracts: [
    'practice_id',
    'insurer_id',
    'arm',
    'valid_from',
    'valid_to',
    'bundle_intake_cents',
    'bundle_quarter_cents',
    'ffs_intake_cents',
    'ffs_session_cents',
    'ffs_home_supplement_cents',
    'ffs_group_session_cents',
  ],
  patients: [
    'practice_id',
    'insurer_id',
    'ref',
    'pseudonym',
    'bsn_hmac',
    'birth_year',
    'sex',
    'gold_stage',
    'profile',
    'referral_date',
    'intake_date',
    'end_date',
    'end_reason',
  ],
  therapy_sessions: ['patient_id', 'date', 'kind'],
  measurements: ['patient_id', 'date', 'instrument', 'value'],
  events: ['patient_id', 'date', 'kind'],
};

export const RECORD_TABLES = Object.keys(RECORD_CONTENT) as RecordTable[];

/**
 * The tables stored packed (migration 1764800000000): one row per patient in snapshot_<table>_packed with an
 * array per live column; the view snapshot_<table> unpacks them. Millions of sessions cost a
 * fraction of the time and space as a hundred thousand rows of arrays.
 */
const PACKED: Partial<Record<RecordTable, readonly string[]>> = {
  therapy_sessions: ['id', 'date', 'kind', 'created_at', 'care_quarter', 'contract_id'],
  measurements: ['id', 'date', 'instrument', 'value', 'created_at', 'updated_at'],
};

/** Where a snapshot's records are read from: the live tables (now) or one snapshot's copies. */
export type RecordSource = { kind: 'now' } | { kind: 'snapshot'; snapshotId: string };

/** Added, corrected and deleted records of one table for one practice (null: records of no practice, e.g. insurers). */
export interface RecordChangeRow {
  table: RecordTable;
  practiceId: string | null;
  added: number;
  /** Added records dated on or before the earlier side's analysis date: sessions, measurements and events by
   *  their date, patients by their intake date. They change figures already published: late registrations. */
  late: number;
  corrected: number;
  deleted: number;
}

export interface SnapshotRow {
  id: string;
  experiment_id: string;
  experiment_code: string;
  analysis_date: string;
  label: string;
  taken_at: Date;
  taken_by_name: string;
  code_version: string;
  facts_computed_at: Date;
  input_digest: string;
  record_counts: Record<string, number>;
  comparison: unknown;
  by_insurer: unknown;
  by_region: unknown;
}

/**
 * The experiment's own rows of a table, from the live tables or a snapshot's copies. The copies have the live
 * columns (plus snapshot_id), so the same WHERE applies to both. $1 is the experiment id, $2 the snapshot id.
 */
function rowsOf(
  table: CopiedTable,
  source: RecordSource,
  experimentParam: string,
  snapshotParam: string,
): string {
  const from = (t: CopiedTable) =>
    source.kind === 'now' ? t : `(SELECT * FROM snapshot_${t} WHERE snapshot_id = ${snapshotParam})`;
  const patients = `(SELECT id, practice_id FROM ${from('patients')} p WHERE p.experiment_id = ${experimentParam})`;
  switch (table) {
    case 'experiments':
      return `(SELECT x.*, NULL::uuid AS owner_practice, NULL::date AS record_date FROM ${from('experiments')} x WHERE x.id = ${experimentParam})`;
    case 'insurers':
      return `(SELECT x.*, NULL::uuid AS owner_practice, NULL::date AS record_date FROM ${from('insurers')} x WHERE x.id IN (
                 SELECT insurer_id FROM ${from('contracts')} c WHERE c.experiment_id = ${experimentParam}
                 UNION SELECT insurer_id FROM ${from('patients')} p WHERE p.experiment_id = ${experimentParam}))`;
    case 'practices':
      return `(SELECT x.*, x.id AS owner_practice, NULL::date AS record_date FROM ${from('practices')} x WHERE x.id IN (
                 SELECT practice_id FROM ${from('contracts')} c WHERE c.experiment_id = ${experimentParam}
                 UNION SELECT practice_id FROM ${from('patients')} p WHERE p.experiment_id = ${experimentParam}))`;
    case 'contracts':
      return `(SELECT x.*, x.practice_id AS owner_practice, NULL::date AS record_date FROM ${from(table)} x WHERE x.experiment_id = ${experimentParam})`;
    case 'patients':
      return `(SELECT x.*, x.practice_id AS owner_practice, x.intake_date AS record_date FROM ${from(table)} x WHERE x.experiment_id = ${experimentParam})`;
    case 'therapy_sessions':
    case 'measurements':
    case 'events':
      return `(SELECT x.*, p.practice_id AS owner_practice, x.date AS record_date FROM ${from(table)} x JOIN ${patients} p ON p.id = x.patient_id)`;
    case 'patient_facts':
    case 'care_quarter_facts':
      return `(SELECT x.* FROM ${from(table)} x WHERE x.experiment_id = ${experimentParam})`;
  }
}

interface TableDigest {
  n: number;
  digest: string;
}

function isRecordTable(table: CopiedTable): table is RecordTable {
  return table in RECORD_CONTENT;
}

/** count and SHA-256 over "<id>:<md5 of content>" lines by id, of the rows `r` of one table. */
function tableDigestColumns(table: RecordTable): string {
  return `count(*)::int AS n,
          encode(sha256(convert_to(coalesce(string_agg(r.id::text || ':' || ${contentDigest(table, 'r')}, E'\\n' ORDER BY r.id), ''), 'UTF8')), 'hex') AS digest`;
}

/**
 * The experiment's rows of a packed table as packed rows (patient_id and one array per column), grouped from
 * the live table's rows. The arrays keep no particular order (no sort of millions of rows): the digest orders
 * each patient's lines by id itself.
 */
function packedFromLive(table: RecordTable, experimentParam: string): string {
  const columns = PACKED[table]!;
  return `(SELECT x.patient_id, ${columns.map((c) => `array_agg(x.${c}) AS ${c}`).join(', ')}
           FROM ${rowsOf(table, { kind: 'now' }, experimentParam, '$0')} x GROUP BY x.patient_id)`;
}

/**
 * The digest of one patient's records of a packed table, over the packed row `r`: md5 of the lines
 * "<id>:<content columns as a row>" in id order, joined by newlines. One md5 per patient, not per record.
 */
function patientDigest(table: RecordTable): string {
  const columns = PACKED[table]!;
  const content = RECORD_CONTENT[table]
    .map((c) => (c === 'patient_id' ? 'r.patient_id' : `u.${c}`))
    .join(', ');
  return `md5(array_to_string(ARRAY(SELECT u.id::text || ':' || row(${content})::text
            FROM unnest(${columns.map((c) => `r.${c}`).join(', ')}) AS u(${columns.join(', ')})
            ORDER BY u.id), E'\\n'))`;
}

/** count and SHA-256 over the lines "<patient_id>:<patient digest>" by patient_id, over rows `r` that carry `digest`. */
const PACKED_DIGEST_COLUMNS = `coalesce(sum(r.n), 0)::int AS n,
  encode(sha256(convert_to(coalesce(string_agg(r.patient_id::text || ':' || r.digest, E'\\n' ORDER BY r.patient_id), ''), 'UTF8')), 'hex') AS digest`;

function combineDigests(perTable: Map<RecordTable, TableDigest>): {
  digest: string;
  counts: Record<RecordTable, number>;
} {
  const counts = {} as Record<RecordTable, number>;
  const lines = RECORD_TABLES.map((table) => {
    const { n, digest } = perTable.get(table)!;
    counts[table] = n;
    return `${table}:${n}:${digest}`;
  });
  return { digest: createHash('sha256').update(lines.join('\n')).digest('hex'), counts };
}

/** md5 of a record's content columns, as text: the per-record digest of the snapshot. */
function contentDigest(table: RecordTable, alias: string): string {
  return `md5(row(${RECORD_CONTENT[table].map((c) => `${alias}.${c}`).join(', ')})::text)`;
}

export interface NewSnapshot {
  experimentId: string;
  analysisDate: string;
  label: string;
  takenBy: string | null;
  takenByName: string;
  codeVersion: string;
  factsComputedAt: Date;
  inputDigest: string;
  recordCounts: Record<string, number>;
  comparison: unknown;
  byInsurer: unknown;
  byRegion: unknown;
}

const SNAPSHOT_COLUMNS = `id, experiment_id, (SELECT code FROM experiments e WHERE e.id = experiment_id) AS experiment_code,
  to_char(analysis_date, 'YYYY-MM-DD') AS analysis_date, label, taken_at, taken_by_name,
  code_version, facts_computed_at, input_digest, record_counts`;

@Injectable()
export class SnapshotRepository {
  /**
   * A snapshot's input digest recomputed from its own copies: per table (canonical order RECORD_TABLES), SHA-256
   * over the lines "<id>:<md5 of the content columns>" sorted by id (packed tables: over "<patient_id>:<patient
   * digest>" by patient, each patient digest recomputed from the arrays, never read from the stored column); then
   * SHA-256 over the lines "<table>:<count>:<table digest>". `create` computes the same from the rows it copies.
   */
  async snapshotDigest(
    manager: EntityManager,
    snapshotId: string,
  ): Promise<{ digest: string; counts: Record<RecordTable, number> }> {
    const perTable = new Map<RecordTable, TableDigest>();
    for (const table of RECORD_TABLES) {
      // The copies are the experiment's rows by construction: read as they are, without the live tables' joins.
      const sql = PACKED[table]
        ? `SELECT ${PACKED_DIGEST_COLUMNS} FROM (SELECT r.patient_id, cardinality(r.id) AS n, ${patientDigest(table)} AS digest
             FROM snapshot_${table}_packed r WHERE r.snapshot_id = $1) r`
        : `SELECT ${tableDigestColumns(table)} FROM snapshot_${table} r WHERE r.snapshot_id = $1`;
      const [row]: TableDigest[] = await manager.query(sql, [snapshotId]);
      perTable.set(table, row);
    }
    return combineDigests(perTable);
  }

  /**
   * Copies every input and facts table of the experiment into the snapshot's tables under a new id, computing
   * the input digest from the rows as they are written (one read of each table), and then writes the snapshot
   * row. The caller's transaction (REPEATABLE READ) makes the copies, the facts and the comparisons one moment.
   */
  async create(
    manager: EntityManager,
    input: Omit<NewSnapshot, 'inputDigest' | 'recordCounts'>,
  ): Promise<{ id: string; digest: string; counts: Record<RecordTable, number> }> {
    const [{ id }]: { id: string }[] = await manager.query(`SELECT gen_random_uuid() AS id`);
    const perTable = new Map<RecordTable, TableDigest>();
    for (const table of SNAPSHOT_COPIED_TABLES) {
      // The copy has snapshot_id and then exactly the live columns, in order (the migration's LIKE).
      const columns: { column_name: string }[] = await manager.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const list = columns.map((c) => `r.${c.column_name}`).join(', ');
      const copy = `INSERT INTO snapshot_${table} SELECT $2::uuid, ${list} FROM ${rowsOf(table, { kind: 'now' }, '$1', '$2')} r`;
      if (isRecordTable(table) && PACKED[table]) {
        const packed = PACKED[table]!;
        const [row]: TableDigest[] = await manager.query(
          `WITH r AS (INSERT INTO snapshot_${table}_packed (snapshot_id, patient_id, digest, ${packed.join(', ')})
                      SELECT $2::uuid, r.patient_id, ${patientDigest(table)}, ${packed.map((c) => `r.${c}`).join(', ')}
                      FROM ${packedFromLive(table, '$1')} r
                      RETURNING patient_id, digest, cardinality(id) AS n)
           SELECT ${PACKED_DIGEST_COLUMNS} FROM r`,
          [input.experimentId, id],
        );
        perTable.set(table, row);
      } else if (isRecordTable(table)) {
        const [row]: TableDigest[] = await manager.query(
          `WITH r AS (${copy} RETURNING *) SELECT ${tableDigestColumns(table)} FROM r`,
          [input.experimentId, id],
        );
        perTable.set(table, row);
      } else {
        await manager.query(copy, [input.experimentId, id]);
      }
    }
    const { digest, counts } = combineDigests(perTable);
    // Fresh statistics for the copies, so the comparison with later data plans hash joins over millions of rows
    // instead of the nested loops an empty-looking table gets (copd_app holds MAINTAIN on them for this).
    // Packed: only the columns the later joins use (statistics of the large arrays would cost seconds and help nothing).
    await manager.query(
      `ANALYZE ${SNAPSHOT_COPIED_TABLES.map((t) =>
        isRecordTable(t) && PACKED[t] ? `snapshot_${t}_packed (snapshot_id, patient_id)` : `snapshot_${t}`,
      ).join(', ')}`,
    );
    await manager.query(
      `INSERT INTO snapshots (id, experiment_id, analysis_date, label, taken_by, taken_by_name, code_version, facts_computed_at,
                              input_digest, record_counts, comparison, by_insurer, by_region)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12::jsonb, $13::jsonb)`,
      [
        id,
        input.experimentId,
        input.analysisDate,
        input.label,
        input.takenBy,
        input.takenByName,
        input.codeVersion,
        input.factsComputedAt,
        digest,
        JSON.stringify(counts),
        JSON.stringify(input.comparison),
        JSON.stringify(input.byInsurer),
        JSON.stringify(input.byRegion),
      ],
    );
    return { id, digest, counts };
  }

  async list(manager: EntityManager, experimentId: string): Promise<SnapshotRow[]> {
    return manager.query(
      `SELECT ${SNAPSHOT_COLUMNS}, NULL AS comparison, NULL AS by_insurer, NULL AS by_region
       FROM snapshots WHERE experiment_id = $1 ORDER BY taken_at DESC, id`,
      [experimentId],
    );
  }

  async find(manager: EntityManager, id: string): Promise<SnapshotRow | null> {
    const [row] = await manager.query(
      `SELECT ${SNAPSHOT_COLUMNS}, comparison, by_insurer, by_region FROM snapshots WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The snapshot taken before this one of the same experiment, if any. */
  async previous(manager: EntityManager, snapshot: SnapshotRow): Promise<SnapshotRow | null> {
    const [row] = await manager.query(
      `SELECT ${SNAPSHOT_COLUMNS}, comparison, by_insurer, by_region FROM snapshots
       WHERE experiment_id = $1 AND (taken_at, id) < ($2, $3) ORDER BY taken_at DESC, id DESC LIMIT 1`,
      [snapshot.experiment_id, snapshot.taken_at, snapshot.id],
    );
    return row ?? null;
  }

  /**
   * Records added, corrected (same id, other content) and deleted between two sources, per table and per
   * practice (sessions, measurements and events count at their patient's practice; insurers and the experiment
   * at none). Late registrations are the added rows dated before the earlier source's analysis date.
   */
  async recordChanges(
    manager: EntityManager,
    experimentId: string,
    from: RecordSource,
    to: RecordSource,
    fromAnalysisDate: string,
  ): Promise<RecordChangeRow[]> {
    const params: unknown[] = [experimentId, fromAnalysisDate];
    const bind = (source: RecordSource) => {
      if (source.kind === 'now') return '$0';
      params.push(source.snapshotId);
      return `$${params.length}`;
    };
    const fromParam = bind(from);
    const toParam = bind(to);
    // Packed tables: only the patients whose digest differs between the sides are unpacked and compared record
    // by record (a snapshot's digests are stored; the live ones are computed).
    const digests = (table: RecordTable, source: RecordSource, param: string) =>
      source.kind === 'snapshot'
        ? `(SELECT patient_id, digest FROM snapshot_${table}_packed WHERE snapshot_id = ${param})`
        : `(SELECT r.patient_id, ${patientDigest(table)} AS digest FROM ${packedFromLive(table, '$1')} r)`;
    const only = (table: RecordTable) =>
      PACKED[table]
        ? `WHERE r.patient_id IN (SELECT COALESCE(x.patient_id, y.patient_id) FROM ${digests(table, from, fromParam)} x
             FULL JOIN ${digests(table, to, toParam)} y ON x.patient_id = y.patient_id WHERE x.digest IS DISTINCT FROM y.digest)`
        : '';
    const parts = RECORD_TABLES.map(
      (table) => `
      SELECT '${table}' AS tbl, COALESCE(b.owner_practice, a.owner_practice) AS practice_id,
             count(*) FILTER (WHERE a.id IS NULL)::int AS added,
             count(*) FILTER (WHERE a.id IS NULL AND b.record_date <= $2::date)::int AS late,
             count(*) FILTER (WHERE a.id IS NOT NULL AND b.id IS NOT NULL AND a.h <> b.h)::int AS corrected,
             count(*) FILTER (WHERE b.id IS NULL)::int AS deleted
      FROM (SELECT r.id, r.owner_practice, ${contentDigest(table, 'r')} AS h FROM ${rowsOf(table, from, '$1', fromParam)} r ${only(table)}) a
      FULL JOIN (SELECT r.id, r.owner_practice, r.record_date, ${contentDigest(table, 'r')} AS h
                 FROM ${rowsOf(table, to, '$1', toParam)} r ${only(table)}) b
        ON a.id = b.id
      GROUP BY 2
      HAVING count(*) FILTER (WHERE a.id IS NULL OR b.id IS NULL OR a.h <> b.h) > 0`,
    );
    const rows: {
      tbl: RecordTable;
      practice_id: string | null;
      added: number;
      late: number;
      corrected: number;
      deleted: number;
    }[] = await manager.query(parts.join('\nUNION ALL\n') + '\nORDER BY 1, 2', params);
    return rows.map((r) => ({
      table: r.tbl,
      practiceId: r.practice_id,
      added: r.added,
      late: r.late,
      corrected: r.corrected,
      deleted: r.deleted,
    }));
  }

  /** The insurers and regions of the experiment's population (patient_facts), for the per-group comparisons. */
  async groups(
    manager: EntityManager,
    experimentId: string,
  ): Promise<{ insurers: { id: string; uzovi: string; name: string }[]; regions: string[] }> {
    const insurers = await manager.query(
      `SELECT i.id, i.uzovi, i.name FROM insurers i
       WHERE i.id IN (SELECT insurer_id FROM patient_facts WHERE experiment_id = $1) ORDER BY i.uzovi`,
      [experimentId],
    );
    const regions: { region: string }[] = await manager.query(
      `SELECT DISTINCT region FROM patient_facts WHERE experiment_id = $1 ORDER BY region`,
      [experimentId],
    );
    return { insurers, regions: regions.map((r) => r.region) };
  }

  /** AGB and name of practices, from the live table or, for one gone since, from the snapshots' copies. */
  async practiceNames(
    manager: EntityManager,
    ids: string[],
    snapshotIds: string[],
  ): Promise<Map<string, { agb: string; name: string }>> {
    const rows: { id: string; agb: string; name: string }[] = await manager.query(
      `SELECT DISTINCT ON (id) id, agb, name FROM (
         SELECT id, agb, name, 0 AS pref FROM practices WHERE id = ANY($1::uuid[])
         UNION ALL
         SELECT id, agb, name, 1 AS pref FROM snapshot_practices WHERE id = ANY($1::uuid[]) AND snapshot_id = ANY($2::uuid[])
       ) x ORDER BY id, pref`,
      [ids, snapshotIds],
    );
    return new Map(rows.map((r) => [r.id, { agb: r.agb, name: r.name }]));
  }
}
