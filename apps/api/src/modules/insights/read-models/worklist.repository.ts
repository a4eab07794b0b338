import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOWS,
  WORKLIST_UPCOMING_DAYS,
  type Arm,
  type ComparisonFilters,
} from '@copd/domain';
import { DataScope } from '../../../core/actor/actor';
import { PATIENTS_POPULATION, populationWhere, WhereBuilder } from '../../../core/database/where-builder';

export interface WorklistRow {
  patientId: string;
  pseudonym: string;
  ref: string;
  practice: string;
  arm: Arm;
  intakeDate: string;
  milestone: 'BASELINE' | 'FOLLOWUP_3M' | 'FOLLOWUP_12M';
  status: 'UPCOMING' | 'DUE' | 'OVERDUE' | 'MISSED';
  windowStart: string;
  windowEnd: string;
  target: string;
  missing: ('SIX_MWT' | 'CCQ_OR_CAT')[];
}

/** The measurement worklist, read from the patients and their measurements themselves (not from the facts). */
@Injectable()
export class WorklistRepository {
  /**
   * Patients still enrolled on `asOf` whose baseline (6MWT and CCQ or CAT), 3-month or 12-month 6MWT is not
   * recorded inside its window (DOMAIN.md 6: [intake-30, intake+14], [intake+70, intake+112],
   * [intake+320, intake+410]: MEASUREMENT_WINDOWS). Windows that open within 14 days (WORKLIST_UPCOMING_DAYS)
   * are listed as UPCOMING.
   */
  async worklist(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
    asOf: string,
  ): Promise<WorklistRow[]> {
    const where = new WhereBuilder([experimentId, asOf])
      .raw('p.experiment_id = $1')
      .raw('p.intake_date <= $2::date')
      .raw('(p.end_date IS NULL OR p.end_date >= $2::date)')
      .scope(scope, 'p');
    populationWhere(where, filters, PATIENTS_POPULATION);
    // One row per milestone: (milestone, sort, lo, hi, target), from libs/domain's MEASUREMENT_WINDOWS.
    const milestones = MEASUREMENT_MILESTONES.map((milestone, i) => {
      const { from, to, target } = MEASUREMENT_WINDOWS[milestone];
      return `('${milestone}', ${i + 1}, ${from}, ${to}, ${target})`;
    }).join(', ');
    const rows = await manager.query(
      `WITH w AS (
         SELECT p.id, p.pseudonym, p.ref, pr.agb, p.arm, p.intake_date, m.milestone, m.sort,
                p.intake_date + m.lo AS window_start, p.intake_date + m.hi AS window_end, p.intake_date + m.target AS target
         FROM patients p
         JOIN practices pr ON pr.id = p.practice_id
         CROSS JOIN (VALUES ${milestones}) AS m(milestone, sort, lo, hi, target)
         WHERE ${where.toSql()} AND p.intake_date + m.lo <= $2::date + ${WORKLIST_UPCOMING_DAYS}
       ), checked AS (
         SELECT w.*,
                EXISTS (SELECT 1 FROM measurements x WHERE x.patient_id = w.id AND x.instrument = 'SIX_MWT'
                          AND x.date BETWEEN w.window_start AND least(w.window_end, $2::date)) AS has_six_mwt,
                w.milestone <> 'BASELINE' OR EXISTS (
                  SELECT 1 FROM measurements x WHERE x.patient_id = w.id AND x.instrument IN ('CCQ', 'CAT')
                    AND x.date BETWEEN w.window_start AND least(w.window_end, $2::date)) AS has_symptoms
         FROM w
       )
       SELECT id, pseudonym, ref, agb, arm, intake_date, milestone, window_start, window_end, target,
              CASE WHEN window_start > $2::date THEN 'UPCOMING'
                   WHEN $2::date <= target THEN 'DUE'
                   WHEN $2::date <= window_end THEN 'OVERDUE'
                   ELSE 'MISSED' END AS status,
              array_remove(ARRAY[CASE WHEN NOT has_six_mwt THEN 'SIX_MWT' END,
                                 CASE WHEN NOT has_symptoms THEN 'CCQ_OR_CAT' END], NULL) AS missing
       FROM checked
       WHERE NOT (has_six_mwt AND has_symptoms)
       ORDER BY window_end, agb, pseudonym, sort`,
      where.params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      patientId: r.id as string,
      pseudonym: r.pseudonym as string,
      ref: r.ref as string,
      practice: r.agb as string,
      arm: r.arm as Arm,
      intakeDate: r.intake_date as string,
      milestone: r.milestone as WorklistRow['milestone'],
      status: r.status as WorklistRow['status'],
      windowStart: r.window_start as string,
      windowEnd: r.window_end as string,
      target: r.target as string,
      missing: r.missing as WorklistRow['missing'],
    }));
  }
}
