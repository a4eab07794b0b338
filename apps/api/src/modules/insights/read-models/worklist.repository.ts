import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOWS,
  WORKLIST_CLOSING_DAYS,
  WORKLIST_INSTRUMENT_MEMBERS,
  WORKLIST_INSTRUMENTS,
  WORKLIST_UPCOMING_DAYS,
  type Arm,
  type ComparisonFilters,
  type MeasurementMilestone,
  type WorklistInstrument,
  type WorklistStatus,
} from '@copd/domain';
import { DataScope } from '../../../core/actor/actor';
import { preparedQuery } from '../../../core/database/prepared-query';
import { PATIENTS_POPULATION, populationWhere, WhereBuilder } from '../../../core/database/where-builder';

export interface WorklistRow {
  patientId: string;
  pseudonym: string;
  ref: string;
  practice: string;
  arm: Arm;
  intakeDate: string;
  milestone: MeasurementMilestone;
  instrument: WorklistInstrument;
  status: WorklistStatus;
  windowStart: string;
  windowEnd: string;
  target: string;
  suggestedDate: string;
}

/** The SQL expressions windowStatusSql reads. */
export interface WindowStatusColumns {
  windowStart: string;
  windowEnd: string;
  today: string;
  hasValue: string;
  endDate: string;
}

/**
 * The status of a window x instrument on today, NULL when it has none (a value recorded, opening more than
 * WORKLIST_UPCOMING_DAYS ahead, or after the end date). A text SQL expression.
 * Twin of libs/domain/src/records/daily-work.ts: worklistStatus.
 */
export function windowStatusSql(c: WindowStatusColumns): string {
  return `CASE WHEN ${c.hasValue} THEN NULL
            WHEN ${c.endDate} IS NOT NULL AND ${c.windowStart} > ${c.endDate} THEN NULL
            WHEN ${c.windowStart} > ${c.today}
              THEN CASE WHEN ${c.windowStart} <= ${c.today} + ${WORKLIST_UPCOMING_DAYS} THEN 'UPCOMING' END
            WHEN ${c.windowEnd} < ${c.today} THEN 'MISSED'
            WHEN ${c.windowEnd} <= ${c.today} + ${WORKLIST_CLOSING_DAYS} THEN 'CLOSING'
            ELSE 'DUE' END`;
}

/**
 * Every measurement window x worklist instrument of the patients of `patients` (a relation with at least id,
 * intake_date and end_date, whose columns are passed through), with its dates, whether a value of the instrument
 * (6MWT; CCQ or CAT) is recorded in it up to `today`, and its status (windowStatusSql): the columns of `patients`
 * and milestone, msort, instrument, isort, window_start, window_end, target, has_value, suggested_date, status.
 * Windows and instruments come from libs/domain (MEASUREMENT_WINDOWS, WORKLIST_INSTRUMENT_MEMBERS). Shared by the
 * worklist and the patient list's next measurement due; one index probe per row, no join back to the patients.
 * The OFFSET 0 keeps the rows a subquery of their own (the planner may not pull it up), so has_value is probed once
 * per row however often the caller refers to status: without it the patient list, whose six aggregates each read
 * status, probed every window six times (7,213 buffers and 16.9 ms for a practice of 67 patients at 100,000; with it
 * 1,904 and 7 ms).
 * Twin of libs/domain/src/records/daily-work.ts: worklistEntries.
 */
export function windowItemsSql(patients: string, today: string): string {
  const milestones = MEASUREMENT_MILESTONES.map((milestone, i) => {
    const { from, to, target } = MEASUREMENT_WINDOWS[milestone];
    return `('${milestone}', ${i + 1}, ${from}, ${to}, ${target})`;
  }).join(', ');
  const instruments = WORKLIST_INSTRUMENTS.map(
    (instrument, i) => `('${instrument}', ${i + 1}, ARRAY[${WORKLIST_INSTRUMENT_MEMBERS[instrument].map((m) => `'${m}'`).join(', ')}]::text[])`,
  ).join(', ');
  return `SELECT w.*,
                 CASE WHEN w.window_start <= ${today} AND ${today} <= w.window_end THEN ${today} ELSE w.window_start END
                   AS suggested_date,
                 ${windowStatusSql({ windowStart: 'w.window_start', windowEnd: 'w.window_end', today, hasValue: 'w.has_value', endDate: 'w.end_date' })}
                   AS status
          FROM (
            SELECT b.*, m.milestone, m.msort, ins.instrument, ins.isort,
                   b.intake_date + m.lo AS window_start, b.intake_date + m.hi AS window_end,
                   b.intake_date + m.target AS target,
                   EXISTS (SELECT 1 FROM measurements x
                           WHERE x.patient_id = b.id AND x.instrument = ANY(ins.members)
                             AND x.date BETWEEN b.intake_date + m.lo AND least(b.intake_date + m.hi, ${today})) AS has_value
            FROM ${patients} b
            CROSS JOIN (VALUES ${milestones}) AS m(milestone, msort, lo, hi, target)
            CROSS JOIN (VALUES ${instruments}) AS ins(instrument, isort, members)
            OFFSET 0
          ) w`;
}

/** The measurement worklist, read from the patients and their measurements themselves (live, not the facts). */
@Injectable()
export class WorklistRepository {
  /**
   * Per patient enrolled on `today` (intake on or before it, no end before it) and per window (DOMAIN.md 6:
   * [intake-30, intake+14], [intake+70, intake+112], [intake+320, intake+410]) and instrument (6MWT; CCQ or CAT)
   * without a recorded value: DUE, CLOSING, MISSED or UPCOMING on today (windowStatusSql). Ordered by the
   * window's last day, then practice, pseudonym, milestone and instrument.
   */
  async worklist(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
    today: string,
  ): Promise<WorklistRow[]> {
    const where = new WhereBuilder([experimentId, today])
      .raw('p.experiment_id = $1')
      .raw('p.intake_date <= $2::date')
      .raw('(p.end_date IS NULL OR p.end_date >= $2::date)')
      .scope(scope, 'p');
    populationWhere(where, filters, PATIENTS_POPULATION);
    const rows = await preparedQuery<Record<string, unknown>>(
      manager,
      'worklist',
      `WITH enrolled AS MATERIALIZED (
         SELECT p.id, p.pseudonym, p.ref, pr.agb, p.arm, p.intake_date, p.end_date
         FROM patients p
         JOIN practices pr ON pr.id = p.practice_id
         WHERE ${where.toSql()}
       )
       SELECT i.id, i.pseudonym, i.ref, i.agb, i.arm, i.intake_date, i.milestone, i.instrument, i.status,
              i.window_start, i.window_end, i.target, i.suggested_date
       FROM (${windowItemsSql('enrolled', '$2::date')}) i
       WHERE i.status IS NOT NULL
       ORDER BY i.window_end, i.agb, i.pseudonym, i.msort, i.isort`,
      where.params,
    );
    return rows.map((r) => ({
      patientId: r.id as string,
      pseudonym: r.pseudonym as string,
      ref: r.ref as string,
      practice: r.agb as string,
      arm: r.arm as Arm,
      intakeDate: r.intake_date as string,
      milestone: r.milestone as MeasurementMilestone,
      instrument: r.instrument as WorklistInstrument,
      status: r.status as WorklistStatus,
      windowStart: r.window_start as string,
      windowEnd: r.window_end as string,
      target: r.target as string,
      suggestedDate: r.suggested_date as string,
    }));
  }
}
