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
      `SELECT id, patient_id FROM indicator_outbox WHERE experiment_id = $1 AND processed_at IS NULL ORDER BY id`,
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
      `SELECT EXISTS (SELECT 1 FROM indicator_outbox WHERE experiment_id = $1 AND processed_at IS NULL AND created_at < $2) AS pending`,
      [experimentId, before],
    );
    return pending;
  }

  async lastRun(manager: EntityManager, experimentId: string): Promise<IndicatorRun | null> {
    const rows = await manager.query(`SELECT * FROM indicator_runs WHERE experiment_id = $1`, [experimentId]);
    const r = rows[0];
    return r
      ? {
          experimentId: r.experiment_id,
          analysisDate: r.analysis_date,
          computedAt: r.computed_at,
          lastOutboxId: Number(r.last_outbox_id),
          patients: r.patients,
          fullRecompute: r.full_recompute,
          durationMs: r.duration_ms,
        }
      : null;
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
       WHERE experiment_id = $1 AND processed_at IS NULL AND ($2::bigint IS NULL OR id <= $2::bigint)`,
      [experimentId, upToId ?? null],
    );
    return { rows: rows[0].n, oldest: rows[0].oldest };
  }

  /** The cached document for the filters, the run (computed_at) whose facts it was aggregated from, and when it was cached. */
  async cachedComparison(
    manager: EntityManager,
    experimentId: string,
    filterKey: string,
  ): Promise<{ document: unknown; basedOn: Date | null; cachedAt: Date } | null> {
    const rows = await manager.query(
      `SELECT document, based_on, computed_at FROM comparison_cache WHERE experiment_id = $1 AND filter_key = $2`,
      [experimentId, filterKey],
    );
    return rows.length === 0 ? null : { document: rows[0].document, basedOn: rows[0].based_on, cachedAt: rows[0].computed_at };
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
