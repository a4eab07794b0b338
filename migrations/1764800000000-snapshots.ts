import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables a snapshot copies: the experiment's records as they were, and its materialised facts. Each copy is
 * `snapshot_<table>`: snapshot_id, then exactly the columns of the live table (LIKE), so one SQL text reads
 * either (the analysis export and the snapshot comparison do). A later migration that adds a column to a live
 * table adds it to its copy too (snapshots.int-spec checks). The application's list is
 * apps/api/src/modules/snapshots/snapshot.repository.ts SNAPSHOT_COPIED_TABLES; this one is frozen history.
 */
const SNAPSHOT_COPIED_TABLES = [
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

/** The packed copies: every live column but patient_id as an array, in the live table's column order. */
const PACKED: Record<string, [string, string][]> = {
  therapy_sessions: [
    ['id', 'uuid'],
    ['date', 'date'],
    ['kind', 'text'],
    ['created_at', 'timestamptz'],
    ['care_quarter', 'integer'],
    ['contract_id', 'uuid'],
  ],
  measurements: [
    ['id', 'uuid'],
    ['date', 'date'],
    ['instrument', 'text'],
    ['value', 'integer'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
  ],
};

/**
 * Frozen snapshots (issue 13): an evaluator freezes an experiment as of its analysis date. The snapshot row
 * holds the comparison (overall, per insurer, per region), the digest of every input record in canonical order,
 * the code version and the time; the copies hold the records and facts themselves, so the figures, the report
 * and the analysis export of a snapshot never depend on what arrives later.
 *
 * Immutable twice over: copd_app may only SELECT and INSERT (no UPDATE, DELETE, TRUNCATE), and a trigger owned
 * by copd_owner refuses UPDATE, DELETE and TRUNCATE for everyone, the migrating role included.
 */
export class Snapshots1764800000000 implements MigrationInterface {
  name = 'Snapshots1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE snapshots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        experiment_id uuid NOT NULL REFERENCES experiments (id),
        analysis_date date NOT NULL,
        label text NOT NULL CHECK (length(label) >= 1 AND length(label) <= 200),
        taken_at timestamptz NOT NULL DEFAULT now(),
        taken_by uuid REFERENCES users (id),
        taken_by_name text NOT NULL,
        code_version text NOT NULL,
        facts_computed_at timestamptz NOT NULL,
        input_digest text NOT NULL CHECK (input_digest ~ '^[0-9a-f]{64}$'),
        record_counts jsonb NOT NULL,
        comparison jsonb NOT NULL,
        by_insurer jsonb NOT NULL,
        by_region jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX snapshots_experiment_idx ON snapshots (experiment_id, taken_at)`);
    // The copies are written before the snapshot row, in the same transaction (the digest is computed while
    // copying). No foreign key: at national scale it would queue and check millions of rows, and a copy cannot
    // lose its snapshot (the row is never deleted) nor outlive a failed one (the transaction rolls back).
    for (const table of SNAPSHOT_COPIED_TABLES.filter((t) => !(t in PACKED))) {
      await q.query(`CREATE TABLE snapshot_${table} (snapshot_id uuid NOT NULL, LIKE ${table})`);
    }
    // Sessions and measurements (millions at national scale) are stored packed: one row per patient with a
    // column array per live column and the digest of that patient's records (README: Snapshots). A view of the
    // live table's name unpacks them, so readers see snapshot_id and then exactly the live columns.
    for (const [table, columns] of Object.entries(PACKED)) {
      await q.query(
        `CREATE TABLE snapshot_${table}_packed (snapshot_id uuid NOT NULL, patient_id uuid NOT NULL, digest text NOT NULL, ` +
          `${columns.map(([name, type]) => `${name} ${type}[] NOT NULL`).join(', ')}, PRIMARY KEY (snapshot_id, patient_id))`,
      );
      const names = columns.map(([name]) => name);
      const live = ['id', 'patient_id', ...names.filter((n) => n !== 'id')];
      await q.query(
        `CREATE VIEW snapshot_${table} AS
         SELECT k.snapshot_id, ${live.map((n) => (n === 'patient_id' ? 'k.patient_id' : `u.${n}`)).join(', ')}
         FROM snapshot_${table}_packed k
         CROSS JOIN LATERAL unnest(${names.map((n) => `k.${n}`).join(', ')}) AS u(${names.join(', ')})`,
      );
      await q.query(
        `REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON snapshot_${table} FROM copd_app`,
      );
    }
    // Small tables get a primary key; the facts a BRIN index on snapshot_id only (a snapshot's rows are written
    // together, so its block ranges are its own; a btree over random uuids would cost more than the copy).
    for (const table of ['experiments', 'insurers', 'practices', 'contracts', 'patients', 'events']) {
      await q.query(`ALTER TABLE snapshot_${table} ADD PRIMARY KEY (snapshot_id, id)`);
    }
    for (const table of ['patient_facts', 'care_quarter_facts']) {
      await q.query(
        `CREATE INDEX snapshot_${table}_snapshot_brin ON snapshot_${table} USING brin (snapshot_id)`,
      );
    }

    await q.query(`
      CREATE FUNCTION snapshot_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'snapshots are immutable: % on % is not allowed', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    const stored = SNAPSHOT_COPIED_TABLES.map((t) =>
      t in PACKED ? `snapshot_${t}_packed` : `snapshot_${t}`,
    );
    for (const table of ['snapshots', ...stored]) {
      await q.query(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
                     FOR EACH ROW EXECUTE FUNCTION snapshot_is_immutable()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
                     FOR EACH STATEMENT EXECUTE FUNCTION snapshot_is_immutable()`);
      // The default privileges of the least-privilege migration gave copd_app UPDATE and DELETE on new tables.
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM copd_app`);
      // PostgreSQL 17's MAINTAIN lets the application ANALYZE the copies it has just written (a snapshot at
      // national scale adds millions of rows at once); it changes no row.
      await q.query(`GRANT MAINTAIN ON ${table} TO copd_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...SNAPSHOT_COPIED_TABLES].reverse()) {
      if (table in PACKED) {
        await q.query(`DROP VIEW snapshot_${table}`);
        await q.query(`DROP TABLE snapshot_${table}_packed`);
      } else {
        await q.query(`DROP TABLE snapshot_${table}`);
      }
    }
    await q.query(`DROP TABLE snapshots`);
    await q.query(`DROP FUNCTION snapshot_is_immutable()`);
  }
}
