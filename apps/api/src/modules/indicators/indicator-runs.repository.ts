import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface IndicatorRun {
  experimentId: string;
  analysisDate: string;
  computedAt: Date;
  lastOutboxId: number;
  patients: number;
  fullRecompute: boolean;
  durationMs: number;
}

/** What a comparison read needs (IndicatorRunsRepository.comparisonReadState). */
export interface ComparisonReadState {
  run: IndicatorRun | null;
  /** Outbox rows of the experiment not yet processed. */
  backlogRows: number;
  /**
   * The cached document of the filters: the run it rests on, when it was cached, its version (the row version's
   * xmin and its computed_at), and the document unless it is the version the caller holds.
   */
  cached: { basedOn: Date | null; cachedAt: Date; version: string; document?: unknown } | null;
}

/** The condition of an experiment's outbox rows that no recompute has processed yet (experiment: its parameter). */
const pendingOf = (experiment: string) => `experiment_id = ${experiment} AND processed_at IS NULL`;

/** An indicator_runs row as read. */
function toRun(r: Record<string, unknown>): IndicatorRun {
  return {
    experimentId: r.experiment_id as string,
    analysisDate: r.analysis_date as string,
    computedAt: r.computed_at as Date,
    lastOutboxId: Number(r.last_outbox_id),
    patients: r.patients as number,
    fullRecompute: r.full_recompute as boolean,
    durationMs: r.duration_ms as number,
  };
}

export interface PendingChange {
  id: number;
  patientId: string | null;
}

/** Bookkeeping of recomputes: the outbox, the last run per experiment and the comparison cache. */
@Injectable()
export class IndicatorRunsRepository {
  /**
   * Locks the experiment's row for the recompute's transaction: a second recompute and a change of the analysis date
   * wait. FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key check of every write's outbox row takes FOR KEY SHARE on
   * this row, which FOR UPDATE would block, holding every write of the experiment back until the recompute commits.
   */
  async lockExperiment(manager: EntityManager, experimentId: string): Promise<{ analysisDate: string } | null> {
    const rows = await manager.query(`SELECT analysis_date FROM experiments WHERE id = $1 FOR NO KEY UPDATE`, [experimentId]);
    return rows[0] ? { analysisDate: rows[0].analysis_date } : null;
  }

  async pendingOutbox(manager: EntityManager, experimentId: string): Promise<PendingChange[]> {
    const rows = await manager.query(
      `SELECT id, patient_id FROM indicator_outbox WHERE ${pendingOf('$1')} ORDER BY id`,
      [experimentId],
    );
    return rows.map((r: { id: number; patient_id: string | null }) => ({ id: Number(r.id), patientId: r.patient_id }));
  }

  async markProcessed(manager: EntityManager, ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE indicator_outbox SET processed_at = $2 WHERE id = ANY($1::bigint[])`, [ids, at]);
  }

  /** Whether outbox rows of the experiment written before `before` (the database's clock) are still pending. */
  async pendingWrittenBefore(manager: EntityManager, experimentId: string, before: Date): Promise<boolean> {
    const [{ pending }] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM indicator_outbox WHERE ${pendingOf('$1')} AND created_at < $2) AS pending`,
      [experimentId, before],
    );
    return pending;
  }

  async lastRun(manager: EntityManager, experimentId: string): Promise<IndicatorRun | null> {
    const rows = await manager.query(`SELECT * FROM indicator_runs WHERE experiment_id = $1`, [experimentId]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  /**
   * What a comparison read needs, in one statement and so from one snapshot: the experiment's last run, how many of
   * its outbox rows wait, and the cached document of the filters with its version. The document's text (about 20 KB)
   * is sent only when its version is not heldVersion, the one the caller already holds parsed: a row rewritten gets a
   * new xmin, and its computed_at is the time of that write. (Three statements until 12-03, stop 30: the run, the
   * backlog and the document, each read and parsed by every request.)
   */
  async comparisonReadState(
    manager: EntityManager,
    experimentId: string,
    filterKey: string,
    heldVersion: string | null,
  ): Promise<ComparisonReadState> {
    const [row] = await manager.query(
      `WITH cached AS (
         SELECT based_on, computed_at, xmin::text || '@' || to_char(computed_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') AS version, document
         FROM comparison_cache WHERE experiment_id = $1 AND filter_key = $2
       )
       SELECT r.experiment_id, r.analysis_date, r.computed_at, r.last_outbox_id, r.patients, r.full_recompute, r.duration_ms,
              (SELECT count(*)::int FROM indicator_outbox WHERE ${pendingOf('$1')}) AS backlog_rows,
              c.based_on AS cache_based_on, c.computed_at AS cache_computed_at, c.version AS cache_version,
              CASE WHEN c.version IS DISTINCT FROM $3 THEN c.document END AS cache_document
       FROM (SELECT 1) one
       LEFT JOIN indicator_runs r ON r.experiment_id = $1
       LEFT JOIN cached c ON TRUE`,
      [experimentId, filterKey, heldVersion],
    );
    return {
      run: row.experiment_id === null ? null : toRun(row),
      backlogRows: row.backlog_rows,
      cached:
        row.cache_version === null
          ? null
          : {
              basedOn: row.cache_based_on,
              cachedAt: row.cache_computed_at,
              version: row.cache_version,
              ...(row.cache_document === null ? {} : { document: row.cache_document }),
            },
    };
  }

  async saveRun(manager: EntityManager, run: IndicatorRun): Promise<void> {
    await manager.query(
      `INSERT INTO indicator_runs (experiment_id, analysis_date, computed_at, last_outbox_id, patients, full_recompute, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (experiment_id) DO UPDATE SET analysis_date = EXCLUDED.analysis_date, computed_at = EXCLUDED.computed_at,
         last_outbox_id = EXCLUDED.last_outbox_id, patients = EXCLUDED.patients,
         full_recompute = EXCLUDED.full_recompute, duration_ms = EXCLUDED.duration_ms`,
      [run.experimentId, run.analysisDate, run.computedAt, run.lastOutboxId, run.patients, run.fullRecompute, run.durationMs],
    );
  }

  async clearComparisonCache(manager: EntityManager, experimentId: string): Promise<void> {
    await manager.query(`DELETE FROM comparison_cache WHERE experiment_id = $1`, [experimentId]);
  }

  /**
   * Whether the experiment's last run is the one computed at computedAt; if so its row stays locked FOR SHARE until
   * the caller's transaction ends, so a next recompute cannot save its run (and cache its comparison) meanwhile.
   */
  async holdRunIfCurrent(manager: EntityManager, experimentId: string, computedAt: Date): Promise<boolean> {
    const rows = await manager.query(
      `SELECT 1 FROM indicator_runs WHERE experiment_id = $1 AND computed_at = $2::timestamptz FOR SHARE`,
      [experimentId, computedAt],
    );
    return rows.length === 1;
  }

  /**
   * Caches the document a recompute computed from its facts (the unfiltered comparison), in its transaction after
   * its run row is saved, or after holdRunIfCurrent. The other filters' documents stay: they are older than the run
   * (based_on), so a reader gets them marked stale while they are aggregated again (IndicatorsService.comparison).
   */
  async replaceComparisonCache(manager: EntityManager, experimentId: string, filterKey: string, document: unknown, basedOn: Date): Promise<void> {
    await manager.query(
      `INSERT INTO comparison_cache (experiment_id, filter_key, document, based_on) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (experiment_id, filter_key) DO UPDATE SET document = EXCLUDED.document, based_on = EXCLUDED.based_on, computed_at = now()`,
      [experimentId, filterKey, JSON.stringify(document), basedOn],
    );
  }

  /**
   * Experiments with patients but no computed run and nothing pending: after a PostgreSQL crash has
   * emptied the unlogged derived tables, or for data loaded around the application. Announces a full
   * recompute for each; returns how many.
   */
  async announceMissingRuns(manager: EntityManager): Promise<number> {
    const rows = await manager.query(
      `INSERT INTO indicator_outbox (experiment_id, patient_id, reason)
       SELECT e.id, NULL, 'recovery' FROM experiments e
       WHERE NOT EXISTS (SELECT 1 FROM indicator_runs r WHERE r.experiment_id = e.id)
         AND NOT EXISTS (SELECT 1 FROM indicator_outbox o WHERE o.experiment_id = e.id AND o.processed_at IS NULL)
         AND EXISTS (SELECT 1 FROM patients p WHERE p.experiment_id = e.id)
       RETURNING experiment_id`,
    );
    return rows.length;
  }

  /** Experiments with pending outbox rows and the highest pending id of each (what the relay enqueues). */
  async pendingByExperiment(manager: EntityManager): Promise<{ experimentId: string; upTo: number; rows: number }[]> {
    const rows = await manager.query(
      `SELECT experiment_id, max(id) AS up_to, count(*)::int AS n FROM indicator_outbox
       WHERE processed_at IS NULL GROUP BY experiment_id`,
    );
    return rows.map((r: { experiment_id: string; up_to: string; n: number }) => ({
      experimentId: r.experiment_id,
      upTo: Number(r.up_to),
      rows: r.n,
    }));
  }

  /** Pending outbox rows of the experiment (up to upToId, inclusive, when given: those a recompute job covers). */
  /** The highest outbox position of the experiment (the row just announced, inside the announcing transaction). */
  async lastOutboxId(manager: EntityManager, experimentId: string): Promise<number> {
    const [{ id }] = await manager.query(`SELECT max(id) AS id FROM indicator_outbox WHERE experiment_id = $1`, [
      experimentId,
    ]);
    return Number(id);
  }

  async backlog(manager: EntityManager, experimentId: string, upToId?: number): Promise<{ rows: number; oldest: Date | null }> {
    const rows = await manager.query(
      `SELECT count(*)::int AS n, min(created_at) AS oldest FROM indicator_outbox
       WHERE ${pendingOf('$1')} AND ($2::bigint IS NULL OR id <= $2::bigint)`,
      [experimentId, upToId ?? null],
    );
    return { rows: rows[0].n, oldest: rows[0].oldest };
  }

  /**
   * Caches a comparison with the run whose facts it was computed from (basedOn: that run's computed_at, read before the
   * aggregation, so the document holds those facts or newer ones, never older; null before any run). It replaces a
   * document of the same filters only if that one rests on an older run: a document is never stored as newer than it
   * is, and one aggregated while writes kept coming is still kept (a reader gets it marked stale) instead of being
   * thrown away and aggregated again by every next reader. Before any run, a document is cached only while there is
   * still none.
   */
  async cacheComparison(manager: EntityManager, experimentId: string, filterKey: string, document: unknown, basedOn: Date | null): Promise<void> {
    await manager.query(
      `INSERT INTO comparison_cache (experiment_id, filter_key, document, based_on)
       SELECT $1, $2, $3::jsonb, $4::timestamptz
       WHERE $4::timestamptz IS NOT NULL OR NOT EXISTS (SELECT 1 FROM indicator_runs WHERE experiment_id = $1)
       ON CONFLICT (experiment_id, filter_key) DO UPDATE SET document = EXCLUDED.document, based_on = EXCLUDED.based_on, computed_at = now()
       WHERE comparison_cache.based_on IS NULL OR comparison_cache.based_on < EXCLUDED.based_on`,
      [experimentId, filterKey, JSON.stringify(document), basedOn],
    );
  }
}
