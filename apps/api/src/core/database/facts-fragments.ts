/**
 * SQL fragments over patient_facts that more than one read model selects, written once so the comparison, the
 * completeness view and the peer benchmarks count the same patients.
 */

/**
 * The eligible (n) and complete (x) counts of BASELINE_COMPLETE, FOLLOWUP_3M_COMPLETE and FOLLOWUP_12M_COMPLETE
 * over patient_facts aliased `alias`, as select-list columns base_n, base_x, fu3_n, fu3_x, fu12_n, fu12_x.
 * Eligibility is materialised by the facts (DOMAIN.md 6; twin of libs/domain/src/indicators/definitions.ts);
 * a follow-up is complete when its 6MWT was recorded in the window.
 */
export function completenessCounts(alias: string): string {
  const f = alias;
  return [
    `(count(*) FILTER (WHERE ${f}.baseline_eligible))::int AS base_n`,
    `(count(*) FILTER (WHERE ${f}.baseline_eligible AND ${f}.baseline_complete))::int AS base_x`,
    `(count(*) FILTER (WHERE ${f}.followup_3m_eligible))::int AS fu3_n`,
    `(count(*) FILTER (WHERE ${f}.followup_3m_eligible AND ${f}.six_mwt_3m IS NOT NULL))::int AS fu3_x`,
    `(count(*) FILTER (WHERE ${f}.followup_12m_eligible))::int AS fu12_n`,
    `(count(*) FILTER (WHERE ${f}.followup_12m_eligible AND ${f}.six_mwt_12m IS NOT NULL))::int AS fu12_x`,
  ].join(',\n              ');
}

/** The column names completenessCounts selects (additive: a sum over groups is the count of their union). */
export const COMPLETENESS_COLUMNS = ['base_n', 'base_x', 'fu3_n', 'fu3_x', 'fu12_n', 'fu12_x'] as const;

/** The six counts of completenessCounts as read from a result row. */
export interface CompletenessCounts {
  baselineEligible: number;
  baselineComplete: number;
  followup3mEligible: number;
  followup3mComplete: number;
  followup12mEligible: number;
  followup12mComplete: number;
}

export function readCompletenessCounts(row: Record<string, unknown>): CompletenessCounts {
  return {
    baselineEligible: row.base_n as number,
    baselineComplete: row.base_x as number,
    followup3mEligible: row.fu3_n as number,
    followup3mComplete: row.fu3_x as number,
    followup12mEligible: row.fu12_n as number,
    followup12mComplete: row.fu12_x as number,
  };
}
