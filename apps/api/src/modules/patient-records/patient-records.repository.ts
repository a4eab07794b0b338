import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  GUIDELINE_YEAR_DAYS,
  NO_RECENT_SESSION_DAYS,
  type Arm,
  type EventKind,
  type Instrument,
  type IsoDate,
  type MeasurementMilestone,
  type PatientProblem,
  type SessionKind,
  type WorklistInstrument,
} from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { escapeLike } from '../../core/database/escape-like';
import { preparedQuery } from '../../core/database/prepared-query';
import { WhereBuilder } from '../../core/database/where-builder';
import { guidelineMaximumSql } from '../indicators/facts.repository';
import { windowItemsSql } from '../insights/read-models/worklist.repository';
import type { RecordSort, RecordStatus } from './dto/patient-records.dto';

export interface PatientRecordFilter {
  experimentId: string;
  practiceId: string;
  today: IsoDate;
  q?: string;
  status?: RecordStatus;
  arm?: Arm;
  uzovi?: string;
  goldStage?: number;
  attention?: boolean;
  sort: RecordSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface PatientRecordListRow {
  id: string;
  ref: string;
  pseudonym: string;
  practice: string;
  insurer: string;
  arm: Arm;
  goldStage: number;
  intakeDate: IsoDate;
  endDate: IsoDate | null;
  endReason: string | null;
  careQuarters: number;
  lastSession: IsoDate | null;
  nextDue: {
    instrument: WorklistInstrument;
    milestone: MeasurementMilestone;
    windowStart: IsoDate;
    windowEnd: IsoDate;
    status: 'DUE' | 'CLOSING' | 'UPCOMING';
  } | null;
  problems: PatientProblem[];
}

export type TimelineRow =
  | { kind: 'SESSION'; id: string; date: IsoDate; sessionKind: SessionKind }
  | { kind: 'MEASUREMENT'; id: string; date: IsoDate; instrument: Instrument; value: number }
  | { kind: 'EVENT'; id: string; date: IsoDate; eventKind: EventKind };

/** The columns of the next window item due, as the list reads them. */
const DUE_COLUMNS = ['instrument', 'milestone', 'window_start', 'window_end', 'status'] as const;

/**
 * The whitelist of sort keys: the only text that reaches ORDER BY from a request. Every key sorts empty values
 * (no session, nothing due) last in both directions, then by id for a stable page.
 */
const SORT_COLUMNS: Record<RecordSort, string> = {
  ref: 'f.ref',
  pseudonym: 'f.pseudonym',
  intakeDate: 'f.intake_date',
  careQuarters: 'f.care_quarters',
  lastSession: 'f.last_session',
  nextDue: 'f.due_window_end',
};

/** The patient list and the record read model (issue 14), read live from the records, judged on today. */
@Injectable()
export class PatientRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One page of a practice's patients with their figures of today, filtered, sorted and paged in SQL, and the
   * total of the filter: one round trip. Per patient:
   * - care_quarters: Q1 plus the later quarters with a session dated up to today, from the care quarter stored on
   *   every session (twin of libs/domain/src/records/daily-work.ts: careQuartersSoFar);
   * - the next measurement due: the DUE, CLOSING or UPCOMING window x instrument of an active enrolment closing
   *   first (windowItemsSql; twin of daily-work.ts: nextDue);
   * - problems (twin of daily-work.ts: patientProblems): MISSING_BASELINE when a baseline item is MISSED;
   *   ABOVE_KNGF_MAXIMUM when the sessions of [intake, intake + GUIDELINE_YEAR_DAYS) exceed guidelineMaximumSql;
   *   NO_RECENT_SESSION when an active enrolment's last session (or intake) is more than NO_RECENT_SESSION_DAYS
   *   before today.
   */
  async list(f: PatientRecordFilter, scope: DataScope): Promise<{ rows: PatientRecordListRow[]; total: number }> {
    const where = new WhereBuilder([f.experimentId, f.today, f.practiceId])
      .raw('p.experiment_id = $1')
      .raw('p.practice_id = $3')
      .scope(scope, 'p');
    if (f.q) {
      const like = escapeLike(f.q);
      where.add((n) => `(p.ref ILIKE '%' || ${n} || '%' OR p.pseudonym ILIKE ${n} || '%')`, like);
    }
    if (f.status === 'active') where.raw('(p.end_date IS NULL OR p.end_date >= $2::date)');
    if (f.status === 'ended') where.raw('p.end_date < $2::date');
    where.addIf(f.arm, (n) => `p.arm = ${n}`);
    where.addIf(f.uzovi, (n) => `i.uzovi = ${n}`);
    where.addIf(f.goldStage, (n) => `p.gold_stage = ${n}`);
    const active = '(b.end_date IS NULL OR b.end_date >= $2::date)';
    // A window item that can be the next one due: open or opening soon, of an active enrolment.
    const dueItem = `it.status IN ('DUE', 'CLOSING', 'UPCOMING') AND ${active}`;
    // The one patient of the LATERAL subqueries below, as the relation windowItemsSql reads.
    const patientSql = '(SELECT b.id, b.intake_date, b.end_date)';
    const direction = f.order === 'desc' ? 'DESC' : 'ASC';
    const orderBy = `${SORT_COLUMNS[f.sort]} ${direction} NULLS LAST, f.id`;
    const limit = where.param(f.limit);
    const offset = where.param(f.offset);
    const [result] = await preparedQuery<{ total: number; items: Record<string, unknown>[] }>(
      this.dataSource.manager,
      'patient-list',
      `WITH base AS MATERIALIZED (
         SELECT p.id, p.ref, p.pseudonym, pr.agb, i.uzovi, p.arm, p.gold_stage, p.profile, p.intake_date, p.end_date, p.end_reason
         FROM patients p
         JOIN practices pr ON pr.id = p.practice_id
         JOIN insurers i ON i.id = p.insurer_id
         WHERE ${where.toSql()}
       ), filtered AS (
         SELECT b.id, b.ref, b.pseudonym, b.agb, b.uzovi, b.arm, b.gold_stage, b.intake_date, b.end_date, b.end_reason,
                CASE WHEN b.intake_date > $2::date THEN 0 ELSE 1 + s.later_quarters END AS care_quarters,
                s.last_session,
                w.instrument AS due_instrument, w.milestone AS due_milestone, w.window_start AS due_window_start,
                w.window_end AS due_window_end, w.status AS due_status,
                array_remove(ARRAY[
                  CASE WHEN w.missing_baseline THEN 'MISSING_BASELINE' END,
                  CASE WHEN s.first_year > ${guidelineMaximumSql('b.profile')} THEN 'ABOVE_KNGF_MAXIMUM' END,
                  CASE WHEN ${active} AND $2::date - greatest(b.intake_date, s.last_session) > ${NO_RECENT_SESSION_DAYS}
                       THEN 'NO_RECENT_SESSION' END
                ], NULL) AS problems
         FROM base b
         -- Per patient through its own index entries (LATERAL), so the plan stays linear in the practice's
         -- patients whatever the planner estimates.
         CROSS JOIN LATERAL (
           SELECT max(x.date) AS last_session,
                  count(DISTINCT x.care_quarter) FILTER (WHERE x.care_quarter > 1 AND x.date <= $2::date)::int AS later_quarters,
                  count(*) FILTER (WHERE x.date >= b.intake_date AND x.date < b.intake_date + ${GUIDELINE_YEAR_DAYS})::int AS first_year
           FROM therapy_sessions x
           WHERE x.patient_id = b.id
         ) s
         -- The patient's window items once (six, each an index probe of its measurements): whether the baseline was
         -- missed, and the item due next, the first by window end, milestone and instrument (a unique order, so the five
         -- arrays take the same item).
         CROSS JOIN LATERAL (
           SELECT bool_or(it.milestone = 'BASELINE' AND it.status = 'MISSED') AS missing_baseline,
                  ${DUE_COLUMNS.map((c) => `(array_agg(it.${c} ORDER BY it.window_end, it.msort, it.isort) FILTER (WHERE ${dueItem}))[1] AS ${c}`).join(',\n                  ')}
           FROM (${windowItemsSql(patientSql, '$2::date')}) it
         ) w
       ), chosen AS (
         SELECT * FROM filtered WHERE ${f.attention ? 'cardinality(problems) > 0' : 'TRUE'}
       )
       SELECT (SELECT count(*)::int FROM chosen) AS total,
              coalesce((SELECT json_agg(pg ORDER BY pg.ord) FROM (
                SELECT f.*, row_number() OVER (ORDER BY ${orderBy}) AS ord
                FROM chosen f
                ORDER BY ${orderBy}
                LIMIT ${limit} OFFSET ${offset}
              ) pg), '[]'::json) AS items`,
      where.params,
    );
    return { total: result.total, rows: result.items.map(toListRow) };
  }

  /**
   * Everything recorded for the patient, date ascending; on one day sessions, then measurements, then events, each
   * by its kind or instrument and id. One query.
   */
  async timeline(patientId: string): Promise<TimelineRow[]> {
    const rows = await preparedQuery<{ kind: TimelineRow['kind']; id: string; date: IsoDate; sub: string; value: number | null }>(
        this.dataSource.manager,
        'patient-timeline',
        `SELECT kind, id, date, sub, value FROM (
           SELECT 'SESSION' AS kind, 1 AS o, id, date, kind AS sub, NULL::int AS value FROM therapy_sessions WHERE patient_id = $1
           UNION ALL
           SELECT 'MEASUREMENT', 2, id, date, instrument, value FROM measurements WHERE patient_id = $1
           UNION ALL
           SELECT 'EVENT', 3, id, date, kind, NULL FROM events WHERE patient_id = $1
         ) t
         ORDER BY date, o, sub, id`,
        [patientId],
      );
    return rows.map((r): TimelineRow => {
      switch (r.kind) {
        case 'SESSION':
          return { kind: 'SESSION', id: r.id, date: r.date, sessionKind: r.sub as SessionKind };
        case 'MEASUREMENT':
          return { kind: 'MEASUREMENT', id: r.id, date: r.date, instrument: r.sub as Instrument, value: r.value as number };
        case 'EVENT':
          return { kind: 'EVENT', id: r.id, date: r.date, eventKind: r.sub as EventKind };
      }
    });
  }

  /** The insurer's name, for the record's heading (the patient row carries its UZOVI code only). */
  async insurerName(insurerId: string): Promise<string | null> {
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM insurers WHERE id = $1`, [insurerId]);
    return rows[0]?.name ?? null;
  }
}

/** A json_agg row (dates already 'YYYY-MM-DD' text) as the list's row. */
function toListRow(r: Record<string, unknown>): PatientRecordListRow {
  return {
    id: r.id as string,
    ref: r.ref as string,
    pseudonym: r.pseudonym as string,
    practice: r.agb as string,
    insurer: r.uzovi as string,
    arm: r.arm as Arm,
    goldStage: r.gold_stage as number,
    intakeDate: r.intake_date as IsoDate,
    endDate: (r.end_date as IsoDate | null) ?? null,
    endReason: (r.end_reason as string | null) ?? null,
    careQuarters: r.care_quarters as number,
    lastSession: (r.last_session as IsoDate | null) ?? null,
    nextDue: r.due_status
      ? {
          instrument: r.due_instrument as WorklistInstrument,
          milestone: r.due_milestone as MeasurementMilestone,
          windowStart: r.due_window_start as IsoDate,
          windowEnd: r.due_window_end as IsoDate,
          status: r.due_status as 'DUE' | 'CLOSING' | 'UPCOMING',
        }
      : null,
    problems: r.problems as PatientProblem[],
  };
}
