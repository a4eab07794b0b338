import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Arm } from '@copd/domain';
import { CompletenessCounts, completenessCounts, readCompletenessCounts } from '../../core/database/facts-fragments';

export interface SnapshotCompletenessRow extends CompletenessCounts {
  agb: string;
  name: string;
  region: string;
  arms: Arm[];
  patients: number;
}

export interface SnapshotExperimentRow {
  code: string;
  name: string;
  policyReference: string | null;
  startDate: string;
  endDate: string;
}

/**
 * What the monitoring report reads from a snapshot's own copies (migration 1764800000000: snapshot_<table> has
 * the live columns plus snapshot_id), so the report depends on nothing that arrives after the snapshot.
 */
@Injectable()
export class ReportRepository {
  /** The experiment as frozen. */
  async experiment(manager: EntityManager, snapshotId: string): Promise<SnapshotExperimentRow | null> {
    const rows: Record<string, string | null>[] = await manager.query(
      `SELECT e.code, e.name, e.policy_reference, e.start_date::text AS start_date, e.end_date::text AS end_date
       FROM snapshot_experiments e JOIN snapshots s ON s.id = e.snapshot_id AND s.experiment_id = e.id
       WHERE e.snapshot_id = $1`,
      [snapshotId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      code: row.code as string,
      name: row.name as string,
      policyReference: row.policy_reference,
      startDate: row.start_date as string,
      endDate: row.end_date as string,
    };
  }

  /**
   * Baseline and follow-up completeness per practice over the snapshot's patient facts: the live completeness
   * insight's counts (core/database/facts-fragments.ts completenessCounts, the eligibility the facts
   * materialised), in AGB order; the service orders them as the insight does.
   */
  async completeness(manager: EntityManager, snapshotId: string): Promise<SnapshotCompletenessRow[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT pr.agb, pr.name, pr.region, array_agg(DISTINCT f.arm::text ORDER BY f.arm::text) AS arms,
              count(*)::int AS patients,
              ${completenessCounts('f')}
       FROM snapshot_patient_facts f
       JOIN snapshot_practices pr ON pr.snapshot_id = f.snapshot_id AND pr.id = f.practice_id
       WHERE f.snapshot_id = $1
       GROUP BY pr.agb, pr.name, pr.region
       ORDER BY pr.agb`,
      [snapshotId],
    );
    return rows.map((r) => ({
      agb: r.agb as string,
      name: r.name as string,
      region: r.region as string,
      arms: r.arms as Arm[],
      patients: r.patients as number,
      ...readCompletenessCounts(r),
    }));
  }
}
