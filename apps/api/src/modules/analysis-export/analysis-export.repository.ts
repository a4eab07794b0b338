import { Injectable } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { MEASUREMENT_MILESTONES, MEASUREMENT_WINDOWS, PICKED_INSTRUMENTS, type MeasurementMilestone } from '@copd/domain';

/** The live tables a snapshot copies (migration 1764800000000: snapshot_<table> = snapshot_id + the same columns). */
type SourceTable =
  | 'experiments'
  | 'insurers'
  | 'practices'
  | 'contracts'
  | 'patients'
  | 'therapy_sessions'
  | 'measurements'
  | 'events'
  | 'patient_facts'
  | 'care_quarter_facts';

/** A row as PostgreSQL returns it: dates as YYYY-MM-DD strings, booleans, numbers, null. */
export type ExportRow = Record<string, string | number | boolean | null>;

export interface SnapshotRow {
  id: string;
  experimentId: string;
  experimentCode: string;
  label: string;
  analysisDate: string;
  takenAt: string;
}

/** Where the export reads: the live tables ("now") or one snapshot's copies. */
export interface ExportSource {
  experimentId: string;
  snapshotId: string | null;
}

const UTC_TIMESTAMP = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * SQL of the analysis-ready export (issue 13, item 3). One SQL text per file serves both "now" and a snapshot:
 * every table is read through source(), which names either the live table or the snapshot's copy of it, with the
 * snapshot id as bind parameter $2 ($1 is always the experiment id). Each query's columns are named exactly as
 * the codebook's columns of its file (libs/domain/src/export/codebook.ts) and ordered by the file's key, so two
 * exports of the same data are byte-identical.
 */
@Injectable()
export class AnalysisExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findSnapshot(id: string): Promise<SnapshotRow | null> {
    const rows: SnapshotRow[] = await this.dataSource.query(
      `SELECT s.id, s.experiment_id AS "experimentId", e.code AS "experimentCode", s.label, s.analysis_date AS "analysisDate",
              to_char(s.taken_at AT TIME ZONE 'UTC', ${UTC_TIMESTAMP}) AS "takenAt"
       FROM snapshots s JOIN experiments e ON e.id = s.experiment_id WHERE s.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * A read-only REPEATABLE READ transaction on its own connection: every file of one export sees the same data,
   * also while writes go on. Call release() when done (also on failure or a client that went away).
   */
  async openReader(source: ExportSource): Promise<ExportReader> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // Every file reads whole tables: plan for the whole result, not for the first 10% (the default for cursors),
      // and without nested loops: a snapshot's copies have no statistics until autovacuum analyses them, and the
      // planner's guess of a handful of rows made a nested loop over the session copies take minutes (the facts
      // repository's full rebuild turns them off for the same reason).
      await runner.query('SET LOCAL cursor_tuple_fraction = 1.0');
      await runner.query('SET LOCAL enable_nestloop = off');
    } catch (error) {
      await runner.release();
      throw error;
    }
    return new ExportReader(runner, source);
  }
}

/** The queries of one export, inside its transaction. */
export class ExportReader {
  private readonly params: string[];
  private readonly snapshot: boolean;
  private cursors = 0;

  constructor(
    private readonly runner: QueryRunner,
    source: ExportSource,
  ) {
    this.params = source.snapshotId ? [source.experimentId, source.snapshotId] : [source.experimentId];
    this.snapshot = source.snapshotId !== null;
  }

  /** The live table, or the snapshot's copy of it restricted to the snapshot ($2, a bind parameter). */
  private src(table: SourceTable): string {
    return this.snapshot ? `(SELECT * FROM snapshot_${table} WHERE snapshot_id = $2::uuid)` : table;
  }

  async experiment(): Promise<ExportRow | null> {
    const rows: ExportRow[] = await this.runner.query(
      `SELECT e.code AS experiment_code, e.name, e.policy_reference, e.start_date, e.end_date, e.analysis_date,
              (SELECT to_char(max(f.computed_at) AT TIME ZONE 'UTC', ${UTC_TIMESTAMP}) FROM ${this.src('patient_facts')} f
               WHERE f.experiment_id = $1::uuid) AS facts_computed_at
       FROM ${this.src('experiments')} e WHERE e.id = $1::uuid`,
      this.params,
    );
    return rows[0] ?? null;
  }

  /** Every patient's pseudonym, sorted: the audit row's list of exported patients. */
  async pseudonyms(): Promise<string[]> {
    const rows: { pseudonyms: string[] }[] = await this.runner.query(
      `SELECT coalesce(array_agg(pseudonym ORDER BY pseudonym COLLATE "C"), '{}') AS pseudonyms
       FROM ${this.src('patients')} p WHERE p.experiment_id = $1::uuid`,
      this.params,
    );
    return rows[0].pseudonyms;
  }

  /** The rows of one export file in batches, through a server-side cursor (memory stays flat at any size). */
  async *rows(file: ExportFileQuery, batchSize = 5000): AsyncGenerator<ExportRow[]> {
    const cursor = `analysis_export_${++this.cursors}`;
    await this.runner.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${this.sql(file)}`, this.params);
    try {
      for (;;) {
        const batch: ExportRow[] = await this.runner.query(`FETCH ${batchSize} FROM ${cursor}`);
        if (batch.length > 0) yield batch;
        if (batch.length < batchSize) return;
      }
    } finally {
      await this.runner.query(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  async release(): Promise<void> {
    try {
      if (!this.runner.isReleased) await this.runner.query('ROLLBACK');
    } finally {
      if (!this.runner.isReleased) await this.runner.release();
    }
  }

  private sql(file: ExportFileQuery): string {
    const patientsOf = `p.experiment_id = $1::uuid`;
    const patientJoins = `JOIN ${this.src('practices')} pr ON pr.id = p.practice_id JOIN ${this.src('insurers')} i ON i.id = p.insurer_id`;
    const experimentJoin = `JOIN ${this.src('experiments')} e ON e.id = p.experiment_id`;
    switch (file) {
      case 'practices':
        return `SELECT pr.agb AS practice_agb, pr.name, pr.region FROM ${this.src('practices')} pr
                WHERE pr.id IN (SELECT practice_id FROM ${this.src('contracts')} c WHERE c.experiment_id = $1::uuid
                                UNION SELECT practice_id FROM ${this.src('patients')} p WHERE ${patientsOf})
                ORDER BY pr.agb COLLATE "C"`;
      case 'insurers':
        return `SELECT i.uzovi AS insurer_uzovi, i.name FROM ${this.src('insurers')} i
                WHERE i.id IN (SELECT insurer_id FROM ${this.src('contracts')} c WHERE c.experiment_id = $1::uuid
                               UNION SELECT insurer_id FROM ${this.src('patients')} p WHERE ${patientsOf})
                ORDER BY i.uzovi COLLATE "C"`;
      case 'contracts':
        return `SELECT pr.agb AS practice_agb, i.uzovi AS insurer_uzovi, c.arm, c.valid_from, c.valid_to,
                       c.bundle_intake_cents, c.bundle_quarter_cents, c.ffs_intake_cents, c.ffs_session_cents,
                       c.ffs_home_supplement_cents, c.ffs_group_session_cents
                FROM ${this.src('contracts')} c JOIN ${this.src('practices')} pr ON pr.id = c.practice_id
                JOIN ${this.src('insurers')} i ON i.id = c.insurer_id
                WHERE c.experiment_id = $1::uuid ORDER BY pr.agb COLLATE "C", i.uzovi COLLATE "C", c.valid_from`;
      case 'patients':
        return `SELECT p.pseudonym, pr.agb AS practice_agb, i.uzovi AS insurer_uzovi, p.arm, p.birth_year, p.sex, p.gold_stage,
                       p.profile, p.referral_date, p.intake_date, p.end_date, p.end_reason,
                       p.intake_date <= e.analysis_date AS in_population
                FROM ${this.src('patients')} p ${patientJoins} ${experimentJoin}
                WHERE ${patientsOf} ORDER BY p.pseudonym COLLATE "C"`;
      case 'care_quarters':
        return `SELECT p.pseudonym, q.quarter_index, q.start_date, q.end_exclusive AS end_date_exclusive,
                       q.end_exclusive - 1 AS last_day, q.start_date AS calendar_quarter, q.sessions, q.is_care_quarter,
                       q.ended, q.bundle_cents, q.ffs_cents, q.paid_cents, q.counterfactual_cents, q.unpriced_items
                FROM ${this.src('care_quarter_facts')} q JOIN ${this.src('patients')} p ON p.id = q.patient_id
                WHERE q.experiment_id = $1::uuid ORDER BY p.pseudonym COLLATE "C", q.quarter_index`;
      case 'sessions':
        return `SELECT p.pseudonym, s.date, s.kind, s.care_quarter, s.date > e.analysis_date AS after_analysis_date
                FROM ${this.src('therapy_sessions')} s JOIN ${this.src('patients')} p ON p.id = s.patient_id ${experimentJoin}
                WHERE ${patientsOf} ORDER BY p.pseudonym COLLATE "C", s.date, s.kind COLLATE "C"`;
      case 'measurements':
        // picked: the pick of the facts (measurementPickSql in facts.repository.ts, twin of pickMeasurement):
        // in the window, on or before the analysis date, closest to the target day, ties to the earlier date.
        return `WITH m AS (
                  SELECT p.pseudonym, m.date, m.instrument, m.value, m.date - p.intake_date AS day,
                         ${measurementWindowSql('(m.date - p.intake_date)')} AS win,
                         m.date <= e.analysis_date AND p.intake_date <= e.analysis_date AS countable
                  FROM ${this.src('measurements')} m JOIN ${this.src('patients')} p ON p.id = m.patient_id ${experimentJoin}
                  WHERE ${patientsOf})
                SELECT pseudonym, date, instrument, value, day AS day_from_intake, win AS "window",
                       win <> 'NONE' AND countable AND instrument IN (${PICKED_INSTRUMENTS.map((i) => `'${i}'`).join(', ')})
                         AND row_number() OVER (PARTITION BY pseudonym, instrument, win, countable
                                                ORDER BY abs(day - ${windowTargetSql('win')}), date) = 1 AS picked
                FROM m ORDER BY pseudonym COLLATE "C", instrument COLLATE "C", date`;
      case 'events':
        // The rates' follow-up (facts.repository.ts, event counts): [intake, earliest of end, analysis date, experiment end].
        return `SELECT p.pseudonym, ev.date, ev.kind, ev.date - p.intake_date AS day_from_intake,
                       p.intake_date <= e.analysis_date
                         AND ev.date BETWEEN p.intake_date AND LEAST(COALESCE(p.end_date, e.analysis_date), e.analysis_date, e.end_date)
                         AS in_followup
                FROM ${this.src('events')} ev JOIN ${this.src('patients')} p ON p.id = ev.patient_id ${experimentJoin}
                WHERE ${patientsOf} ORDER BY p.pseudonym COLLATE "C", ev.date, ev.kind COLLATE "C"`;
      case 'patient_indicators':
        return `SELECT p.pseudonym, pr.agb AS practice_agb, i.uzovi AS insurer_uzovi, f.region, f.arm, f.gold_stage, f.profile,
                       f.age_at_intake, f.intake_date, f.wait_days, f.care_quarters, f.sessions, f.paid_cents,
                       f.counterfactual_cents, f.unpriced_items, f.judged_quarters, f.low_intensity_quarters,
                       f.guideline_eligible, f.above_guideline, f.baseline_eligible, f.baseline_complete,
                       f.followup_3m_eligible, f.followup_12m_eligible, f.six_mwt_base, f.six_mwt_3m, f.six_mwt_12m,
                       f.ccq_base_tenths AS ccq_base, f.ccq_3m_tenths AS ccq_3m, f.ccq_12m_tenths AS ccq_12m,
                       f.cat_base, f.cat_3m, f.cat_12m, f.followup_days, f.exacerbations, f.admissions
                FROM ${this.src('patient_facts')} f JOIN ${this.src('patients')} p ON p.id = f.patient_id
                JOIN ${this.src('practices')} pr ON pr.id = f.practice_id JOIN ${this.src('insurers')} i ON i.id = f.insurer_id
                WHERE f.experiment_id = $1::uuid ORDER BY p.pseudonym COLLATE "C"`;
    }
  }
}

/** The files read from the database (experiment.csv is one row, read by experiment()). */
export const EXPORT_FILE_QUERIES = [
  'practices',
  'insurers',
  'contracts',
  'patients',
  'care_quarters',
  'sessions',
  'measurements',
  'events',
  'patient_indicators',
] as const;
export type ExportFileQuery = (typeof EXPORT_FILE_QUERIES)[number];

/**
 * The window label of a measurement from its day offset to the intake, built from MEASUREMENT_WINDOWS.
 * Twin of libs/domain/src/export/measurement-window.ts: measurementWindowOf (the int-spec checks every exported row).
 */
export function measurementWindowSql(day: string): string {
  const branches = MEASUREMENT_MILESTONES.map((m) => `WHEN ${day} BETWEEN ${MEASUREMENT_WINDOWS[m].from} AND ${MEASUREMENT_WINDOWS[m].to} THEN '${m}'`);
  return `CASE ${branches.join(' ')} ELSE 'NONE' END`;
}

/** The target day of a window label (NONE: 0, never used since NONE is never picked). */
function windowTargetSql(label: string): string {
  const branches = MEASUREMENT_MILESTONES.map((m: MeasurementMilestone) => `WHEN '${m}' THEN ${MEASUREMENT_WINDOWS[m].target}`);
  return `CASE ${label} ${branches.join(' ')} ELSE 0 END`;
}
