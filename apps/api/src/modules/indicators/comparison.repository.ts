import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  DAYS_PER_YEAR,
  MCID_STORED,
  WAIT_DAYS_PERCENTILE,
  type ArmStratumSummary,
  type ComparisonFilters,
  type PickedInstrument,
} from '@copd/domain';
import { completenessCounts } from '../../core/database/facts-fragments';
import { factsWhere } from '../../core/database/where-builder';

/**
 * Sufficient statistics of every indicator per arm and GOLD stage, in one pass over patient_facts.
 * GROUPING SETS give the crude (all stages) row, the per-stage rows the case-mix adjustment needs, and one row
 * per practice of the arm: the clusters of the practice-clustered intervals (DOMAIN.md 7a), whose totals T_g and
 * D_g are the same expressions as the arm's, so an arm's value is exactly sum T / sum D of its practices.
 * Means and variances are computed in numeric (exact), so large cent sums lose nothing to floating point.
 */
@Injectable()
export class ComparisonRepository {
  /** Practices or insurers by code (within ids, when given); codes that match nothing are in `unknown`. */
  async resolveCodes(
    manager: EntityManager,
    table: 'practices' | 'insurers',
    codes: string[],
    within?: string[],
  ) {
    const column = table === 'practices' ? 'agb' : 'uzovi';
    const rows: { id: string; code: string; name: string; region?: string }[] = await manager.query(
      `SELECT id, ${column} AS code, name${table === 'practices' ? ', region' : ''} FROM ${table}
       WHERE ${column} = ANY($1::text[]) AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))`,
      [codes, within ?? null],
    );
    const found = new Set(rows.map((r) => r.code));
    return { rows, unknown: codes.filter((c) => !found.has(c)) };
  }

  /** The materialised facts of one patient: totals and every care quarter. */
  async patientFacts(
    manager: EntityManager,
    patientId: string,
  ): Promise<{ patient: Record<string, unknown> | null; quarters: Record<string, unknown>[] }> {
    const [patient] = await manager.query(`SELECT * FROM patient_facts WHERE patient_id = $1`, [patientId]);
    const quarters = await manager.query(
      `SELECT * FROM care_quarter_facts WHERE patient_id = $1 ORDER BY quarter_index`,
      [patientId],
    );
    return { patient: patient ?? null, quarters };
  }

  async summarise(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
  ): Promise<ArmStratumSummary[]> {
    return (await this.summariseBy(manager, experimentId, filters, null)).get('') ?? [];
  }

  /**
   * The same statistics for every value of a grouping column at once (insurer, region or profile), in one pass: what
   * a snapshot freezes per insurer and per region, and what a full recompute caches per insurer and per profile.
   * Keyed by the group's value as text ('' when ungrouped).
   */
  async summariseBy(
    manager: EntityManager,
    experimentId: string,
    filters: ComparisonFilters,
    group: 'insurer_id' | 'region' | 'profile' | null,
  ): Promise<Map<string, ArmStratumSummary[]>> {
    // The actor's scope is already intersected into the filters' practice and insurer ids (ComparisonContextService).
    const where = factsWhere(experimentId, filters, {});
    const by = group === null ? '' : `${group}, `;
    const rows: Record<string, unknown>[] = await manager.query(
      `WITH f AS (${factsWithDerived(where.toSql())})
       SELECT ${group === null ? `''` : `${group}::text`} AS grp, arm, gold_stage, GROUPING(gold_stage) = 1 AS all_stages,
              practice_id, GROUPING(practice_id) = 0 AS per_practice,
              count(DISTINCT practice_id)::int AS practices,
              avg(age_at_intake)::float8 AS mean_age,
              jsonb_build_object(${PROFILES.map((p) => `'${p}', count(*) FILTER (WHERE profile = ${p})`).join(', ')}) AS profiles,
              ${MEANS.map(
                (m) => `count(${m})::int AS ${m}_n, avg(${m})::float8 AS ${m}_mean, var_samp(${m})::float8 AS ${m}_var`,
              ).join(',\n              ')},
              ${ADDITIVE.map(([name, sql]) => `(${sql})::int AS ${name}`).join(',\n              ')},
              ${completenessCounts('f')},
              percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_days)::float8 AS wait_median,
              percentile_disc(${WAIT_DAYS_PERCENTILE}) WITHIN GROUP (ORDER BY wait_days)::int AS wait_p90
       FROM f
       GROUP BY ${summaryGroupingSets(by)}
       ORDER BY ${SUMMARY_ORDER}`,
      where.params,
    );
    const groups = new Map<string, ArmStratumSummary[]>();
    for (const row of rows) {
      const key = row.grp as string;
      groups.set(key, [...(groups.get(key) ?? []), toSummary(row)]);
    }
    return groups;
  }
}

/**
 * The rows the comparison aggregates: every patient_facts row f matching `where`, with the per-patient values whose
 * means are compared (MEANS), in numeric (exact). Shared by the direct aggregation and the comparison cells
 * (comparison-cells.repository.ts), so both read the same values.
 */
export function factsWithDerived(where: string): string {
  return `SELECT f.*,
                f.paid_cents::numeric / f.care_quarters / 100 AS paid_per_cq,
                f.counterfactual_cents::numeric / f.care_quarters / 100 AS cf_per_cq,
                (f.paid_cents - f.counterfactual_cents)::numeric / 100 AS paid_minus_cf,
                f.sessions::numeric / f.care_quarters AS sessions_per_cq,
                (f.six_mwt_3m - f.six_mwt_base)::numeric AS six_mwt_d3, (f.six_mwt_12m - f.six_mwt_base)::numeric AS six_mwt_d12,
                (f.ccq_3m_tenths - f.ccq_base_tenths)::numeric / 10 AS ccq_d3, (f.ccq_12m_tenths - f.ccq_base_tenths)::numeric / 10 AS ccq_d12,
                (f.cat_3m - f.cat_base)::numeric AS cat_d3, (f.cat_12m - f.cat_base)::numeric AS cat_d12
         FROM patient_facts f
         WHERE ${where}`;
}

/** The per-patient values of factsWithDerived whose mean and sample variance every summary carries. */
export const MEANS = [
  'paid_per_cq',
  'cf_per_cq',
  'paid_minus_cf',
  'sessions_per_cq',
  'six_mwt_d3',
  'six_mwt_d12',
  'ccq_d3',
  'ccq_d12',
  'cat_d3',
  'cat_d12',
] as const;

/** The patient profiles (DOMAIN.md 3) counted per summary. */
export const PROFILES = [1, 2, 3, 4, 5, 6] as const;

/**
 * The counts and sums of a summary that add up over any partition of its patients (name, aggregate over the rows
 * of factsWithDerived); the completeness counts (completenessCounts) are the others.
 */
export const ADDITIVE: readonly (readonly [string, string])[] = [
  ['patients', 'count(*)'],
  ['low_n', 'sum(judged_quarters)'],
  ['low_x', 'sum(low_intensity_quarters)'],
  ['low_patients', 'count(*) FILTER (WHERE judged_quarters > 0)'],
  ['above_n', 'count(*) FILTER (WHERE guideline_eligible)'],
  ['above_x', 'count(*) FILTER (WHERE above_guideline)'],
  ['six_mwt_r3_x', `count(*) FILTER (WHERE ${responderSql('SIX_MWT', 'six_mwt_d3')})`],
  ['six_mwt_r12_x', `count(*) FILTER (WHERE ${responderSql('SIX_MWT', 'six_mwt_d12')})`],
  ['ccq_r3_x', `count(*) FILTER (WHERE ${responderSql('CCQ', 'ccq_3m_tenths - ccq_base_tenths')})`],
  ['ccq_r12_x', `count(*) FILTER (WHERE ${responderSql('CCQ', 'ccq_12m_tenths - ccq_base_tenths')})`],
  ['cat_r3_x', `count(*) FILTER (WHERE ${responderSql('CAT', 'cat_d3')})`],
  ['cat_r12_x', `count(*) FILTER (WHERE ${responderSql('CAT', 'cat_d12')})`],
  ['exacerbations', 'sum(exacerbations)'],
  ['admissions', 'sum(admissions)'],
  ['followup_days', 'sum(followup_days)'],
];

/** The grouping sets of every summary: per arm and GOLD stage (strata), per arm (crude), per arm and practice (clusters). */
export function summaryGroupingSets(by: string): string {
  return `GROUPING SETS ((${by}arm, gold_stage), (${by}arm), (${by}arm, practice_id))`;
}

/** The order of the summaries: as buildComparison receives them. */
export const SUMMARY_ORDER = 'grp, arm, all_stages, gold_stage, practice_id';

/**
 * The change (follow-up - baseline, in the instrument's stored unit: CCQ in tenths) reaches the MCID
 * (DOMAIN.md 6: 6MWT >= +30 m, CCQ <= -0.4, CAT <= -2; lower CCQ and CAT is better). A boolean SQL expression.
 * Twin of libs/domain/src/indicators/definitions.ts: isResponder.
 */
export function responderSql(instrument: PickedInstrument, storedChange: string): string {
  return `${storedChange} ${instrument === 'SIX_MWT' ? '>=' : '<='} ${MCID_STORED[instrument]}`;
}

function mean(row: Record<string, unknown>, alias: string) {
  return {
    n: row[`${alias}_n`] as number,
    mean: row[`${alias}_mean`] as number | null,
    variance: row[`${alias}_var`] as number | null,
  };
}

function share(row: Record<string, unknown>, successes: string, n: string) {
  return { successes: row[successes] as number, n: row[n] as number };
}

export function toSummary(row: Record<string, unknown>): ArmStratumSummary {
  const personYears = (row.followup_days as number) / DAYS_PER_YEAR;
  return {
    arm: row.arm as 'BUNDLE' | 'FFS',
    goldStage: row.all_stages ? null : (row.gold_stage as number),
    ...(row.per_practice ? { practice: row.practice_id as string } : {}),
    patients: row.patients as number,
    practices: row.practices as number,
    meanAge: row.mean_age as number,
    profiles: row.profiles as Record<string, number>,
    means: {
      PAID_PER_CARE_QUARTER: mean(row, 'paid_per_cq'),
      COUNTERFACTUAL_PER_CARE_QUARTER: mean(row, 'cf_per_cq'),
      PAID_MINUS_COUNTERFACTUAL_PER_PATIENT: mean(row, 'paid_minus_cf'),
      SESSIONS_PER_CARE_QUARTER: mean(row, 'sessions_per_cq'),
      SIX_MWT_CHANGE_3M: mean(row, 'six_mwt_d3'),
      SIX_MWT_CHANGE_12M: mean(row, 'six_mwt_d12'),
      CCQ_CHANGE_3M: mean(row, 'ccq_d3'),
      CCQ_CHANGE_12M: mean(row, 'ccq_d12'),
      CAT_CHANGE_3M: mean(row, 'cat_d3'),
      CAT_CHANGE_12M: mean(row, 'cat_d12'),
    },
    proportions: {
      LOW_INTENSITY_QUARTERS: { ...share(row, 'low_x', 'low_n'), patients: row.low_patients as number },
      ABOVE_GUIDELINE_VOLUME: share(row, 'above_x', 'above_n'),
      BASELINE_COMPLETE: share(row, 'base_x', 'base_n'),
      FOLLOWUP_3M_COMPLETE: share(row, 'fu3_x', 'fu3_n'),
      FOLLOWUP_12M_COMPLETE: share(row, 'fu12_x', 'fu12_n'),
      SIX_MWT_RESPONDER_3M: share(row, 'six_mwt_r3_x', 'six_mwt_d3_n'),
      SIX_MWT_RESPONDER_12M: share(row, 'six_mwt_r12_x', 'six_mwt_d12_n'),
      CCQ_RESPONDER_3M: share(row, 'ccq_r3_x', 'ccq_d3_n'),
      CCQ_RESPONDER_12M: share(row, 'ccq_r12_x', 'ccq_d12_n'),
      CAT_RESPONDER_3M: share(row, 'cat_r3_x', 'cat_d3_n'),
      CAT_RESPONDER_12M: share(row, 'cat_r12_x', 'cat_d12_n'),
    },
    rates: {
      EXACERBATION_RATE: { events: row.exacerbations as number, personYears, n: row.patients as number },
      ADMISSION_RATE: { events: row.admissions as number, personYears, n: row.patients as number },
    },
    waitDays: {
      n: row.patients as number,
      median: row.wait_median as number | null,
      p90: row.wait_p90 as number | null,
    },
  };
}
