import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Arm, ComparisonFilters } from '@copd/domain';
import { DataScope } from '../../../core/actor/actor';
import { CompletenessCounts, completenessCounts, readCompletenessCounts } from '../../../core/database/facts-fragments';
import { factsWhere } from '../../../core/database/where-builder';

export interface CompletenessRow extends CompletenessCounts {
  agb: string;
  name: string;
  region: string;
  arms: Arm[];
  patients: number;
}

/** Baseline and follow-up completeness per practice over the materialised facts. */
@Injectable()
export class CompletenessRepository {
  /** Per practice, with the eligibility of BASELINE_COMPLETE and FOLLOWUP_*_COMPLETE (the comparison's counts). */
  async completeness(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<CompletenessRow[]> {
    const where = factsWhere(experimentId, filters, scope);
    const rows = await manager.query(
      `SELECT pr.agb, pr.name, pr.region, array_agg(DISTINCT f.arm ORDER BY f.arm) AS arms, count(*)::int AS patients,
              ${completenessCounts('f')}
       FROM patient_facts f JOIN practices pr ON pr.id = f.practice_id
       WHERE ${where.toSql()}
       GROUP BY pr.agb, pr.name, pr.region`,
      where.params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      agb: r.agb as string,
      name: r.name as string,
      region: r.region as string,
      arms: r.arms as Arm[],
      patients: r.patients as number,
      ...readCompletenessCounts(r),
    }));
  }
}
