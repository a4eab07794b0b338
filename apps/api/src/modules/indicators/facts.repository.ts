import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Materialises per-patient and per-care-quarter facts with set-based SQL over the whole population
 * (or over a given set of patients). The SQL follows DOMAIN.md sections 5 and 6 exactly and is checked
 * against libs/domain's priceEnrolment in the integration tests. Callers run it inside one transaction:
 * delete + insert, so a crash leaves the previous facts intact and a rerun yields the same rows.
 */
@Injectable()
export class FactsRepository {
  /** Rebuilds facts for the experiment (patientIds null) or for those patients only; returns rows written. */
  async rebuild(manager: EntityManager, experimentId: string, patientIds: string[] | null, computedAt: Date): Promise<number> {
    const scope = [experimentId, patientIds];
    await manager.query(`DROP TABLE IF EXISTS tmp_pop, tmp_quarters, tmp_session_quarters, tmp_priced, tmp_picks`);
    await manager.query(
      `DELETE FROM care_quarter_facts WHERE experiment_id = $1 AND ($2::uuid[] IS NULL OR patient_id = ANY($2::uuid[]))`,
      scope,
    );
    await manager.query(
      `DELETE FROM patient_facts WHERE experiment_id = $1 AND ($2::uuid[] IS NULL OR patient_id = ANY($2::uuid[]))`,
      scope,
    );

    // The population: patients with an intake on or before the analysis date (DOMAIN.md 5).
    // quarter_limit: quarters exist while their start is on or before both end date and analysis date.
    await manager.query(
      `CREATE TEMP TABLE tmp_pop ON COMMIT DROP AS
       SELECT p.id, p.experiment_id, p.practice_id, p.insurer_id, pr.region, p.arm, p.gold_stage, p.profile,
              extract(year FROM p.intake_date)::int - p.birth_year AS age_at_intake,
              p.intake_date, p.referral_date, p.end_date, p.end_reason,
              e.analysis_date AS ad, e.end_date AS experiment_end,
              LEAST(e.analysis_date, COALESCE(p.end_date, e.analysis_date)) AS quarter_limit
       FROM patients p
       JOIN experiments e ON e.id = p.experiment_id
       JOIN practices pr ON pr.id = p.practice_id
       WHERE p.experiment_id = $1 AND p.intake_date <= e.analysis_date
         AND ($2::uuid[] IS NULL OR p.id = ANY($2::uuid[]))`,
      scope,
    );
    await manager.query(`ANALYZE tmp_pop`);

    // Care quarter k starts at intake + 3(k-1) calendar months, added to the intake date itself;
    // PostgreSQL's date + interval clamps to the month's last day (2025-01-31 + 3 months = 2025-04-30).
    await manager.query(
      `CREATE TEMP TABLE tmp_quarters ON COMMIT DROP AS
       SELECT pop.id AS patient_id, k,
              (pop.intake_date + make_interval(months => 3 * (k - 1)))::date AS start_date,
              (pop.intake_date + make_interval(months => 3 * k))::date AS end_exclusive
       FROM tmp_pop pop
       CROSS JOIN LATERAL generate_series(1,
         ((extract(year FROM pop.quarter_limit) - extract(year FROM pop.intake_date)) * 12
           + extract(month FROM pop.quarter_limit) - extract(month FROM pop.intake_date))::int / 3 + 1) AS k
       WHERE (pop.intake_date + make_interval(months => 3 * (k - 1)))::date <= pop.quarter_limit`,
    );

    // Sessions per patient and quarter, each priced under FFS with the contract in force on its date.
    // The quarter of a session: k0 = whole months between intake and session / 3 + 1, one less when
    // the session falls before that quarter's clamped start. Nothing after the analysis date counts.
    await manager.query(
      `CREATE TEMP TABLE tmp_session_quarters ON COMMIT DROP AS
       WITH located AS (
         SELECT s.patient_id, s.date, s.kind, pop.experiment_id, pop.practice_id, pop.insurer_id, pop.intake_date,
                ((extract(year FROM s.date) - extract(year FROM pop.intake_date)) * 12
                  + extract(month FROM s.date) - extract(month FROM pop.intake_date))::int / 3 + 1 AS k0
         FROM therapy_sessions s
         JOIN tmp_pop pop ON pop.id = s.patient_id
         WHERE s.date >= pop.intake_date AND s.date <= pop.ad
       ), assigned AS (
         SELECT l.*, CASE WHEN l.date < (l.intake_date + make_interval(months => 3 * (l.k0 - 1)))::date
                          THEN l.k0 - 1 ELSE l.k0 END AS k
         FROM located l
       )
       SELECT a.patient_id, a.k, count(*)::int AS sessions, min(a.date) AS first_session,
              COALESCE(sum(CASE a.kind
                WHEN 'HOME' THEN c.ffs_session_cents + c.ffs_home_supplement_cents
                WHEN 'GROUP' THEN c.ffs_group_session_cents
                ELSE c.ffs_session_cents END), 0)::bigint AS ffs_session_cents,
              (count(*) FILTER (WHERE c.id IS NULL))::int AS unpriced_sessions,
              -- ABOVE_GUIDELINE_VOLUME counts sessions in [intake, intake + 365).
              (count(*) FILTER (WHERE a.date < a.intake_date + 365))::int AS first_year_sessions
       FROM assigned a
       LEFT JOIN contracts c ON c.experiment_id = a.experiment_id AND c.practice_id = a.practice_id
        AND c.insurer_id = a.insurer_id AND a.date BETWEEN c.valid_from AND c.valid_to
       GROUP BY a.patient_id, a.k`,
    );

    // Per quarter: bundle = intake (Q1) + quarter tariff when it has sessions (contract at the quarter's
    // start, else at its first session); FFS = intake (Q1) + the sessions. Paid is the patient's arm.
    await manager.query(
      `CREATE TEMP TABLE tmp_priced ON COMMIT DROP AS
       SELECT q.patient_id, q.k, q.start_date, q.end_exclusive, pop.experiment_id, pop.arm,
              COALESCE(sq.sessions, 0) AS sessions,
              (q.k = 1 OR COALESCE(sq.sessions, 0) > 0) AS is_care_quarter,
              (q.end_exclusive - 1 <= pop.ad) AS ended,
              COALESCE(ci.bundle_intake_cents, 0)
                + CASE WHEN COALESCE(sq.sessions, 0) > 0
                       THEN COALESCE(cs.bundle_quarter_cents, cf.bundle_quarter_cents, 0) ELSE 0 END AS bundle_cents,
              COALESCE(ci.ffs_intake_cents, 0) + COALESCE(sq.ffs_session_cents, 0) AS ffs_cents,
              (CASE WHEN q.k = 1 AND ci.id IS NULL THEN 1 ELSE 0 END)
                + (CASE WHEN COALESCE(sq.sessions, 0) > 0 AND cs.id IS NULL AND cf.id IS NULL THEN 1 ELSE 0 END)
                + COALESCE(sq.unpriced_sessions, 0) AS unpriced_items
       FROM tmp_quarters q
       JOIN tmp_pop pop ON pop.id = q.patient_id
       LEFT JOIN tmp_session_quarters sq ON sq.patient_id = q.patient_id AND sq.k = q.k
       LEFT JOIN contracts ci ON q.k = 1 AND ci.experiment_id = pop.experiment_id
        AND ci.practice_id = pop.practice_id AND ci.insurer_id = pop.insurer_id
        AND pop.intake_date BETWEEN ci.valid_from AND ci.valid_to
       LEFT JOIN contracts cs ON sq.sessions > 0 AND cs.experiment_id = pop.experiment_id
        AND cs.practice_id = pop.practice_id AND cs.insurer_id = pop.insurer_id
        AND q.start_date BETWEEN cs.valid_from AND cs.valid_to
       LEFT JOIN contracts cf ON sq.sessions > 0 AND cs.id IS NULL AND cf.experiment_id = pop.experiment_id
        AND cf.practice_id = pop.practice_id AND cf.insurer_id = pop.insurer_id
        AND sq.first_session BETWEEN cf.valid_from AND cf.valid_to`,
    );

    await manager.query(
      `INSERT INTO care_quarter_facts (patient_id, quarter_index, experiment_id, start_date, end_exclusive, sessions,
                                       is_care_quarter, ended, bundle_cents, ffs_cents, paid_cents, counterfactual_cents)
       SELECT patient_id, k, experiment_id, start_date, end_exclusive, sessions, is_care_quarter, ended,
              bundle_cents, ffs_cents,
              CASE WHEN arm = 'BUNDLE' THEN bundle_cents ELSE ffs_cents END,
              CASE WHEN arm = 'BUNDLE' THEN ffs_cents ELSE bundle_cents END
       FROM tmp_priced`,
    );

    // Baseline and follow-up values (DOMAIN.md 6): closed windows around the intake, closest to the
    // target day, ties to the earlier date; each window picked independently.
    await manager.query(
      `CREATE TEMP TABLE tmp_picks ON COMMIT DROP AS
       SELECT DISTINCT ON (m.patient_id, m.instrument, w.win) m.patient_id, m.instrument, w.win, m.value
       FROM measurements m
       JOIN tmp_pop pop ON pop.id = m.patient_id
       JOIN (VALUES ('BASE', -30, 14, 0), ('3M', 70, 112, 91), ('12M', 320, 410, 365)) AS w (win, lo, hi, target)
         ON m.date BETWEEN pop.intake_date + w.lo AND pop.intake_date + w.hi
       WHERE m.instrument IN ('SIX_MWT', 'CCQ', 'CAT') AND m.date <= pop.ad
       ORDER BY m.patient_id, m.instrument, w.win, abs(m.date - (pop.intake_date + w.target)), m.date`,
    );

    await manager.query(
      `INSERT INTO patient_facts (
         patient_id, experiment_id, practice_id, insurer_id, region, arm, gold_stage, profile, age_at_intake,
         intake_date, wait_days, care_quarters, sessions, paid_cents, counterfactual_cents, unpriced_items,
         judged_quarters, low_intensity_quarters, guideline_eligible, above_guideline,
         baseline_eligible, baseline_complete, followup_3m_eligible, followup_12m_eligible,
         six_mwt_base, six_mwt_3m, six_mwt_12m, ccq_base_tenths, ccq_3m_tenths, ccq_12m_tenths,
         cat_base, cat_3m, cat_12m, followup_days, exacerbations, admissions, analysis_date, computed_at)
       WITH quarter_totals AS (
         SELECT patient_id,
                (count(*) FILTER (WHERE is_care_quarter))::int AS care_quarters,
                sum(sessions)::int AS sessions,
                sum(CASE WHEN arm = 'BUNDLE' THEN bundle_cents ELSE ffs_cents END)::bigint AS paid_cents,
                sum(CASE WHEN arm = 'BUNDLE' THEN ffs_cents ELSE bundle_cents END)::bigint AS counterfactual_cents,
                sum(unpriced_items)::int AS unpriced_items,
                -- LOW_INTENSITY_QUARTERS judges care quarters after Q1 whose last day is on or before the analysis date.
                (count(*) FILTER (WHERE k > 1 AND sessions > 0 AND ended))::int AS judged_quarters,
                (count(*) FILTER (WHERE k > 1 AND sessions = 1 AND ended))::int AS low_intensity_quarters
         FROM tmp_priced GROUP BY patient_id
       ), first_year AS (
         SELECT patient_id, sum(first_year_sessions)::int AS sessions FROM tmp_session_quarters GROUP BY patient_id
       ), picks AS (
         SELECT patient_id,
                max(value) FILTER (WHERE instrument = 'SIX_MWT' AND win = 'BASE') AS six_mwt_base,
                max(value) FILTER (WHERE instrument = 'SIX_MWT' AND win = '3M') AS six_mwt_3m,
                max(value) FILTER (WHERE instrument = 'SIX_MWT' AND win = '12M') AS six_mwt_12m,
                max(value) FILTER (WHERE instrument = 'CCQ' AND win = 'BASE') AS ccq_base,
                max(value) FILTER (WHERE instrument = 'CCQ' AND win = '3M') AS ccq_3m,
                max(value) FILTER (WHERE instrument = 'CCQ' AND win = '12M') AS ccq_12m,
                max(value) FILTER (WHERE instrument = 'CAT' AND win = 'BASE') AS cat_base,
                max(value) FILTER (WHERE instrument = 'CAT' AND win = '3M') AS cat_3m,
                max(value) FILTER (WHERE instrument = 'CAT' AND win = '12M') AS cat_12m
         FROM tmp_picks GROUP BY patient_id
       ), followup AS (
         -- Follow-up ends at the earliest of end date, analysis date and experiment end (no +1 day).
         SELECT id AS patient_id, LEAST(COALESCE(end_date, ad), ad, experiment_end) AS followup_end FROM tmp_pop
       ), event_counts AS (
         -- Rates count events dated in [intake, follow-up end]; DEATH counts in neither.
         SELECT ev.patient_id,
                (count(*) FILTER (WHERE ev.kind IN ('EXACERBATION_MODERATE', 'EXACERBATION_SEVERE')))::int AS exacerbations,
                (count(*) FILTER (WHERE ev.kind = 'HOSPITAL_ADMISSION'))::int AS admissions
         FROM events ev
         JOIN tmp_pop pop ON pop.id = ev.patient_id
         JOIN followup f ON f.patient_id = ev.patient_id
         WHERE ev.date BETWEEN pop.intake_date AND f.followup_end
         GROUP BY ev.patient_id
       )
       SELECT pop.id, pop.experiment_id, pop.practice_id, pop.insurer_id, pop.region, pop.arm, pop.gold_stage,
              pop.profile, pop.age_at_intake, pop.intake_date, pop.intake_date - pop.referral_date,
              q.care_quarters, q.sessions, q.paid_cents, q.counterfactual_cents, q.unpriced_items,
              q.judged_quarters, q.low_intensity_quarters,
              g.eligible,
              CASE WHEN g.eligible THEN COALESCE(fy.sessions, 0) >
                CASE pop.profile WHEN 1 THEN 0 WHEN 2 THEN 6 WHEN 3 THEN 42 WHEN 4 THEN 62 WHEN 5 THEN 70 END END,
              pop.ad - pop.intake_date >= 14,
              (pk.six_mwt_base IS NOT NULL AND (pk.ccq_base IS NOT NULL OR pk.cat_base IS NOT NULL)),
              -- Deaths before the follow-up day leave the denominator; other drop-outs stay in it.
              pop.ad - pop.intake_date >= 112
                AND NOT (pop.end_reason IS NOT DISTINCT FROM 'DECEASED' AND pop.end_date < pop.intake_date + 112),
              pop.ad - pop.intake_date >= 410
                AND NOT (pop.end_reason IS NOT DISTINCT FROM 'DECEASED' AND pop.end_date < pop.intake_date + 410),
              pk.six_mwt_base, pk.six_mwt_3m, pk.six_mwt_12m, pk.ccq_base, pk.ccq_3m, pk.ccq_12m,
              pk.cat_base, pk.cat_3m, pk.cat_12m,
              GREATEST(f.followup_end - pop.intake_date, 0),
              COALESCE(ec.exacerbations, 0), COALESCE(ec.admissions, 0),
              pop.ad, $1
       FROM tmp_pop pop
       JOIN quarter_totals q ON q.patient_id = pop.id
       JOIN followup f ON f.patient_id = pop.id
       CROSS JOIN LATERAL (SELECT pop.ad - pop.intake_date >= 365 AND pop.profile BETWEEN 1 AND 5 AS eligible) g
       LEFT JOIN first_year fy ON fy.patient_id = pop.id
       LEFT JOIN picks pk ON pk.patient_id = pop.id
       LEFT JOIN event_counts ec ON ec.patient_id = pop.id`,
      [computedAt],
    );
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM tmp_pop`);
    return n;
  }
}
