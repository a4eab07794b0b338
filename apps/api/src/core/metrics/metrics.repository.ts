import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface OutboxState {
  /** Outbox rows not yet processed by a recompute. */
  pendingRows: number;
  /** Age in seconds of the oldest pending row; 0 when none is pending. */
  lagSeconds: number;
}

export interface LastRun {
  experimentCode: string;
  durationMs: number;
  /** When the run was computed, in seconds since the epoch. */
  computedAtSeconds: number;
}

/** The SQL the metrics read at scrape time: the outbox's backlog and the last recompute of each experiment. */
@Injectable()
export class MetricsRepository {
  async outboxState(manager: EntityManager): Promise<OutboxState> {
    // The pending rows are few (a recompute marks its rows processed) and indexed (indicator_outbox_pending_idx).
    const [row] = await manager.query(
      `SELECT count(*)::int AS pending,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS lag_seconds
       FROM indicator_outbox WHERE processed_at IS NULL`,
    );
    return { pendingRows: row.pending, lagSeconds: Math.max(0, row.lag_seconds) };
  }

  async lastRuns(manager: EntityManager): Promise<LastRun[]> {
    const rows: { code: string; duration_ms: number; computed_at: number }[] = await manager.query(
      `SELECT e.code, r.duration_ms, EXTRACT(EPOCH FROM r.computed_at)::float8 AS computed_at
       FROM indicator_runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY e.code`,
    );
    return rows.map((r) => ({ experimentCode: r.code, durationMs: r.duration_ms, computedAtSeconds: r.computed_at }));
  }
}
