import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  DAYS_PER_YEAR,
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOWS,
  WORKLIST_UPCOMING_DAYS,
  type Arm,
  type ComparisonFilters,
} from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';

/** One arm x calendar quarter of the cost series (cents stay integers). */
export interface CostRow {
  arm: Arm;
  quarterStart: string;
  careQuarters: number;
  patients: number;
  paidCents: number;
  counterfactualCents: number;
}

export interface CompletenessRow {
  agb: string;
  name: string;
  region: string;
  arms: Arm[];
  patients: number;
  baselineEligible: number;
  baselineComplete: number;
  followup3mEligible: number;
  followup3mComplete: number;
  followup12mEligible: number;
  followup12mComplete: number;
}

export interface WaitDaysRow {
  arm: Arm;
  n: number;
  median: number | null;
  p90: number | null;
  counts: { days: number; patients: number }[];
}

/** Sufficient statistics of the peer indicators for one practice in one arm. */
export interface PracticeArmStats {
  practiceId: string;
  arm: Arm;
  values: Record<string, { n: number; value: number | null }>;
}

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

export interface PracticeCostRow {
  agb: string;
  name: string;
  region: string;
  arm: Arm;
  patients: number;
  careQuarters: number;
  paidCents: number;
  counterfactualCents: number;
}

/**
 * Set-based reads over the materialised facts (patient_facts, care_quarter_facts) and, for the worklist,
 * the patients and measurements themselves. Every query takes the actor's data scope (AND-ed in) besides
 * the population filters, exactly as the comparison does.
 */
@Injectable()
export class InsightsRepository {
  async practicesByIds(
    manager: EntityManager,
    ids: string[],
  ): Promise<{ id: string; code: string; name: string; region: string }[]> {
    return manager.query(
      `SELECT id, agb AS code, name, region FROM practices WHERE id = ANY($1::uuid[]) ORDER BY agb`,
      [ids],
    );
  }

  async insurersByIds(
    manager: EntityManager,
    ids: string[] | undefined,
  ): Promise<{ uzovi: string; name: string }[]> {
    const rows = await manager.query(
      `SELECT uzovi, name FROM insurers WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) ORDER BY uzovi`,
      [ids ?? null],
    );
    return rows;
  }

  /** Paid and counterfactual per care quarter, placed in the calendar quarter of the care quarter's start (DOMAIN.md 5). */
  async costSeries(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<CostRow[]> {
    const params: unknown[] = [experimentId];
    const where = factsWhere(filters, scope, params);
    const rows = await manager.query(
      `SELECT f.arm, date_trunc('quarter', q.start_date)::date AS quarter_start,
              count(*)::int AS care_quarters, count(DISTINCT q.patient_id)::int AS patients,
              sum(q.paid_cents)::bigint AS paid, sum(q.counterfactual_cents)::bigint AS counterfactual
       FROM care_quarter_facts q
       JOIN patient_facts f ON f.patient_id = q.patient_id AND f.experiment_id = q.experiment_id
       WHERE ${where} AND q.is_care_quarter
       GROUP BY 1, 2
       ORDER BY 2, 1`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      arm: r.arm as Arm,
      quarterStart: r.quarter_start as string,
      careQuarters: r.care_quarters as number,
      patients: r.patients as number,
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }

  /** Totals per arm over the same care quarters (patients counted once per arm). */
  async costTotals(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<Omit<CostRow, 'quarterStart'>[]> {
    const params: unknown[] = [experimentId];
    const where = factsWhere(filters, scope, params);
    const rows = await manager.query(
      `SELECT f.arm, count(*)::int AS patients, sum(f.care_quarters)::bigint AS care_quarters,
              sum(f.paid_cents)::bigint AS paid, sum(f.counterfactual_cents)::bigint AS counterfactual
       FROM patient_facts f WHERE ${where} GROUP BY f.arm ORDER BY f.arm`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      arm: r.arm as Arm,
      patients: r.patients as number,
      careQuarters: Number(r.care_quarters),
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }

  async costByPractice(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<PracticeCostRow[]> {
    const params: unknown[] = [experimentId];
    const where = factsWhere(filters, scope, params);
    const rows = await manager.query(
      `SELECT pr.agb, pr.name, pr.region, f.arm, count(*)::int AS patients, sum(f.care_quarters)::bigint AS care_quarters,
              sum(f.paid_cents)::bigint AS paid, sum(f.counterfactual_cents)::bigint AS counterfactual
       FROM patient_facts f JOIN practices pr ON pr.id = f.practice_id
       WHERE ${where}
       GROUP BY pr.agb, pr.name, pr.region, f.arm
       ORDER BY pr.name, pr.agb, f.arm`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      agb: r.agb as string,
      name: r.name as string,
      region: r.region as string,
      arm: r.arm as Arm,
      patients: r.patients as number,
      careQuarters: Number(r.care_quarters),
      paidCents: Number(r.paid),
      counterfactualCents: Number(r.counterfactual),
    }));
  }

  /** Baseline and follow-up completeness per practice, with the eligibility of BASELINE_COMPLETE and FOLLOWUP_*_COMPLETE. */
  async completeness(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<CompletenessRow[]> {
    const params: unknown[] = [experimentId];
    const where = factsWhere(filters, scope, params);
    const rows = await manager.query(
      `SELECT pr.agb, pr.name, pr.region, array_agg(DISTINCT f.arm ORDER BY f.arm) AS arms, count(*)::int AS patients,
              (count(*) FILTER (WHERE f.baseline_eligible))::int AS base_n,
              (count(*) FILTER (WHERE f.baseline_eligible AND f.baseline_complete))::int AS base_x,
              (count(*) FILTER (WHERE f.followup_3m_eligible))::int AS fu3_n,
              (count(*) FILTER (WHERE f.followup_3m_eligible AND f.six_mwt_3m IS NOT NULL))::int AS fu3_x,
              (count(*) FILTER (WHERE f.followup_12m_eligible))::int AS fu12_n,
              (count(*) FILTER (WHERE f.followup_12m_eligible AND f.six_mwt_12m IS NOT NULL))::int AS fu12_x
       FROM patient_facts f JOIN practices pr ON pr.id = f.practice_id
       WHERE ${where}
       GROUP BY pr.agb, pr.name, pr.region`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      agb: r.agb as string,
      name: r.name as string,
      region: r.region as string,
      arms: r.arms as Arm[],
      patients: r.patients as number,
      baselineEligible: r.base_n as number,
      baselineComplete: r.base_x as number,
      followup3mEligible: r.fu3_n as number,
      followup3mComplete: r.fu3_x as number,
      followup12mEligible: r.fu12_n as number,
      followup12mComplete: r.fu12_x as number,
    }));
  }

  /** Wait days (intake - referral) per arm: every value with its count, the median and the nearest-rank p90. */
  async waitDays(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    scope: DataScope,
  ): Promise<WaitDaysRow[]> {
    const params: unknown[] = [experimentId];
    const where = factsWhere(filters, scope, params);
    const rows = await manager.query(
      `WITH f AS (SELECT f.arm, f.wait_days FROM patient_facts f WHERE ${where}),
            stats AS (
              SELECT arm, count(*)::int AS n,
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_days)::float8 AS median,
                     percentile_disc(0.9) WITHIN GROUP (ORDER BY wait_days)::int AS p90
              FROM f GROUP BY arm),
            counts AS (
              SELECT arm, jsonb_agg(jsonb_build_object('days', wait_days, 'patients', n) ORDER BY wait_days) AS counts
              FROM (SELECT arm, wait_days, count(*)::int AS n FROM f GROUP BY arm, wait_days) c GROUP BY arm)
       SELECT s.arm, s.n, s.median, s.p90, c.counts FROM stats s JOIN counts c USING (arm) ORDER BY s.arm`,
      params,
    );
    return rows.map((r: Record<string, unknown>) => ({
      arm: r.arm as Arm,
      n: r.n as number,
      median: r.median as number | null,
      p90: r.p90 as number | null,
      counts: r.counts as { days: number; patients: number }[],
    }));
  }

  /**
   * The peer indicators per practice and arm, by the same estimators as the comparison (unweighted means
   * over patients, shares of the eligible, pooled rates). Not scoped by the actor: the caller exposes other
   * practices only as anonymous values.
   */
  async practiceArmStats(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
  ): Promise<PracticeArmStats[]> {
    const params: unknown[] = [experimentId];
    const where = factsWhere(filters, {}, params);
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT f.practice_id, f.arm, count(*)::int AS enrolled,
              avg(f.paid_cents::numeric / f.care_quarters / 100)::float8 AS paid_per_cq,
              avg((f.paid_cents - f.counterfactual_cents)::numeric / 100)::float8 AS paid_minus_cf,
              avg(f.sessions::numeric / f.care_quarters)::float8 AS sessions_per_cq,
              sum(f.judged_quarters)::int AS low_n, sum(f.low_intensity_quarters)::int AS low_x,
              (count(*) FILTER (WHERE f.baseline_eligible))::int AS base_n,
              (count(*) FILTER (WHERE f.baseline_eligible AND f.baseline_complete))::int AS base_x,
              (count(*) FILTER (WHERE f.followup_3m_eligible))::int AS fu3_n,
              (count(*) FILTER (WHERE f.followup_3m_eligible AND f.six_mwt_3m IS NOT NULL))::int AS fu3_x,
              (count(*) FILTER (WHERE f.followup_12m_eligible))::int AS fu12_n,
              (count(*) FILTER (WHERE f.followup_12m_eligible AND f.six_mwt_12m IS NOT NULL))::int AS fu12_x,
              count(f.six_mwt_3m - f.six_mwt_base)::int AS d3_n, avg(f.six_mwt_3m - f.six_mwt_base)::float8 AS d3,
              count(f.six_mwt_12m - f.six_mwt_base)::int AS d12_n, avg(f.six_mwt_12m - f.six_mwt_base)::float8 AS d12,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY f.wait_days)::float8 AS wait_median,
              sum(f.exacerbations)::int AS exacerbations, sum(f.followup_days)::bigint AS followup_days
       FROM patient_facts f WHERE ${where}
       GROUP BY f.practice_id, f.arm`,
      params,
    );
    const share = (x: unknown, n: unknown) => ({
      n: n as number,
      value: (n as number) > 0 ? (x as number) / (n as number) : null,
    });
    return rows.map((r) => {
      const years = Number(r.followup_days) / DAYS_PER_YEAR;
      const enrolled = r.enrolled as number;
      return {
        practiceId: r.practice_id as string,
        arm: r.arm as Arm,
        values: {
          ENROLLED: { n: enrolled, value: enrolled },
          PAID_PER_CARE_QUARTER: { n: enrolled, value: r.paid_per_cq as number },
          PAID_MINUS_COUNTERFACTUAL_PER_PATIENT: { n: enrolled, value: r.paid_minus_cf as number },
          SESSIONS_PER_CARE_QUARTER: { n: enrolled, value: r.sessions_per_cq as number },
          LOW_INTENSITY_QUARTERS: share(r.low_x, r.low_n),
          BASELINE_COMPLETE: share(r.base_x, r.base_n),
          FOLLOWUP_3M_COMPLETE: share(r.fu3_x, r.fu3_n),
          FOLLOWUP_12M_COMPLETE: share(r.fu12_x, r.fu12_n),
          SIX_MWT_CHANGE_3M: { n: r.d3_n as number, value: (r.d3 as number | null) ?? null },
          SIX_MWT_CHANGE_12M: { n: r.d12_n as number, value: (r.d12 as number | null) ?? null },
          WAIT_DAYS: { n: enrolled, value: r.wait_median as number },
          EXACERBATION_RATE: { n: enrolled, value: years > 0 ? (r.exacerbations as number) / years : null },
        },
      };
    });
  }

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
    const params: unknown[] = [experimentId, asOf];
    const where = [
      'p.experiment_id = $1',
      'p.intake_date <= $2::date',
      '(p.end_date IS NULL OR p.end_date >= $2::date)',
    ];
    where.push(scopeSql(scope, 'p', params));
    where.push(
      ...populationSql(filters, params, {
        practice: 'p.practice_id',
        insurer: 'p.insurer_id',
        region: 'pr.region',
        gold: 'p.gold_stage',
        profile: 'p.profile',
        intake: 'p.intake_date',
      }),
    );
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
         WHERE ${where.join(' AND ')} AND p.intake_date + m.lo <= $2::date + ${WORKLIST_UPCOMING_DAYS}
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
      params,
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

/** WHERE over patient_facts f: the experiment ($1), the actor's scope and the population filters. */
function factsWhere(filters: ComparisonFilters, scope: DataScope, params: unknown[]): string {
  const where = ['f.experiment_id = $1', scopeSql(scope, 'f', params)];
  where.push(
    ...populationSql(filters, params, {
      practice: 'f.practice_id',
      insurer: 'f.insurer_id',
      region: 'f.region',
      gold: 'f.gold_stage',
      profile: 'f.profile',
      intake: 'f.intake_date',
    }),
  );
  return where.join(' AND ');
}

interface PopulationColumns {
  practice: string;
  insurer: string;
  region: string;
  gold: string;
  profile: string;
  intake: string;
}

/** The filters of DOMAIN.md section 6, the same clauses the comparison applies (intake window inclusive). */
function populationSql(filters: ComparisonFilters, params: unknown[], c: PopulationColumns): string[] {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filters.practiceIds) add(`${c.practice} = ANY(?::uuid[])`, filters.practiceIds);
  if (filters.insurerIds) add(`${c.insurer} = ANY(?::uuid[])`, filters.insurerIds);
  if (filters.regions?.length) add(`${c.region} = ANY(?::text[])`, filters.regions);
  if (filters.goldStages?.length) add(`${c.gold} = ANY(?::smallint[])`, filters.goldStages);
  if (filters.profiles?.length) add(`${c.profile} = ANY(?::smallint[])`, filters.profiles);
  if (filters.intakeFrom) add(`${c.intake} >= ?::date`, filters.intakeFrom);
  if (filters.intakeTo) add(`${c.intake} <= ?::date`, filters.intakeTo);
  return where;
}
