import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';

/**
 * Materialises per-patient and per-care-quarter facts with set-based SQL over the whole population
 * (or over a given set of patients), following DOMAIN.md sections 5 and 6; an integration test checks
 * every care quarter against libs/domain's priceEnrolment. Callers run rebuild() inside one transaction:
 * delete + insert, so a crash leaves the previous facts intact and a rerun yields the same rows.
 *
 * Speed: sessions are the only large input (millions of rows). They are read once, in a pass that
 * PostgreSQL can run in parallel: each session is placed in its care quarter by comparing its date with
 * the quarter's bounds, and priced with the (at most two) contracts that quarter overlaps, resolved once
 * per quarter. Quarters overlapping three or more contracts, which real contracts hardly produce, are
 * priced session by session afterwards. Intermediate results live in unlogged work tables created
 * inside the transaction (temporary tables cannot be read by parallel workers).
 */
@Injectable()
export class FactsRepository {
  /** Rebuilds facts for the experiment (patientIds null) or for those patients only; returns patients written. */
  async rebuild(manager: EntityManager, experimentId: string, patientIds: string[] | null, computedAt: Date): Promise<number> {
    const [experiment] = await manager.query(`SELECT analysis_date, end_date FROM experiments WHERE id = $1`, [experimentId]);
    if (!experiment) return 0;
    // $1 experiment, $2 patient ids or NULL, $3 analysis date: the population is every patient with an
    // intake on or before the analysis date; nothing dated after it counts (DOMAIN.md 5).
    const scope = [experimentId, patientIds, experiment.analysis_date];
    const work = `facts_work_${randomBytes(6).toString('hex')}`;
    const population = `p.experiment_id = $1 AND p.intake_date <= $3::date AND ($2::uuid[] IS NULL OR p.id = ANY($2::uuid[]))`;

    await manager.query(
      `DELETE FROM care_quarter_facts WHERE experiment_id = $1 AND ($2::uuid[] IS NULL OR patient_id = ANY($2::uuid[]))`,
      scope.slice(0, 2),
    );
    await manager.query(
      `DELETE FROM patient_facts WHERE experiment_id = $1 AND ($2::uuid[] IS NULL OR patient_id = ANY($2::uuid[]))`,
      scope.slice(0, 2),
    );

    // 1. Care quarters. Quarter k covers [intake + 3(k-1) months, intake + 3k months), months added to the
    //    intake date itself; PostgreSQL's date + interval clamps to the month's last day. Quarters exist
    //    while their start is on or before both the end date and the analysis date. Each quarter carries
    //    the first and last contract (by validFrom) of its practice x insurer that overlap it, as arrays
    //    [valid_from, valid_to (days since 2000-01-01), six tariffs], and how many overlap.
    await manager.query(
      `CREATE UNLOGGED TABLE ${work}_q AS
       WITH q AS (
         SELECT p.id AS patient_id, p.experiment_id, p.practice_id, p.insurer_id, p.arm, p.intake_date, k,
                (p.intake_date + make_interval(months => 3 * (k - 1)))::date AS qs,
                (p.intake_date + make_interval(months => 3 * k))::date AS qe
         FROM patients p
         CROSS JOIN LATERAL (SELECT LEAST($3::date, COALESCE(p.end_date, $3::date)) AS quarter_limit) l
         CROSS JOIN LATERAL generate_series(1,
           ((extract(year FROM l.quarter_limit) - extract(year FROM p.intake_date)) * 12
             + extract(month FROM l.quarter_limit) - extract(month FROM p.intake_date))::int / 3 + 1) AS k
         WHERE ${population} AND (p.intake_date + make_interval(months => 3 * (k - 1)))::date <= l.quarter_limit
       ), spans AS (
         -- The contracts of the practice x insurer that overlap the quarter: how many, first and last start.
         SELECT q.patient_id, q.k, count(c.id)::int AS contracts, min(c.valid_from) AS first_start, max(c.valid_from) AS last_start
         FROM q LEFT JOIN contracts c ON c.experiment_id = q.experiment_id AND c.practice_id = q.practice_id
          AND c.insurer_id = q.insurer_id AND c.valid_from < q.qe AND c.valid_to >= q.qs
         GROUP BY q.patient_id, q.k
       )
       SELECT q.patient_id, q.arm, q.intake_date, q.k, q.qs, q.qe, sp.contracts,
              ${contractColumns('a')}, ${contractColumns('b')}
       FROM q JOIN spans sp ON sp.patient_id = q.patient_id AND sp.k = q.k
       LEFT JOIN contracts a ON a.experiment_id = q.experiment_id AND a.practice_id = q.practice_id
        AND a.insurer_id = q.insurer_id AND a.valid_from = sp.first_start
       LEFT JOIN contracts b ON sp.contracts = 2 AND b.experiment_id = q.experiment_id AND b.practice_id = q.practice_id
        AND b.insurer_id = q.insurer_id AND b.valid_from = sp.last_start`,
      scope,
    );
    await manager.query(`ANALYZE ${work}_q`);

    // 2. One pass over the sessions: count and price them per care quarter (FFS: session for INDIVIDUAL
    //    and REMOTE, session + home supplement for HOME, group session for GROUP, each with the contract
    //    in force on the session's date). A date in no contract is unpriced (priced 0 and counted).
    const tariff = (c: 'a' | 'b') =>
      `CASE s.kind WHEN 'HOME' THEN q.${c}_home WHEN 'GROUP' THEN q.${c}_group ELSE q.${c}_session END`;
    await manager.query(
      `CREATE UNLOGGED TABLE ${work}_s AS
       SELECT patient_id, k, count(*)::int AS sessions, min(date) AS first_session,
              COALESCE(sum(price), 0)::bigint AS ffs_session_cents,
              (count(*) FILTER (WHERE price IS NULL))::int AS unpriced_sessions,
              -- ABOVE_GUIDELINE_VOLUME counts the sessions in [intake, intake + 365).
              (count(*) FILTER (WHERE date < intake_date + 365))::int AS first_year_sessions
       FROM (
         SELECT q.patient_id, q.k, s.date, q.intake_date,
                CASE WHEN q.contracts > 2 THEN 0
                     WHEN q.contracts = 2 AND s.date >= q.b_from THEN CASE WHEN s.date <= q.b_to THEN ${tariff('b')} END
                     WHEN s.date BETWEEN q.a_from AND q.a_to THEN ${tariff('a')} END AS price
         FROM therapy_sessions s
         JOIN ${work}_q q ON q.patient_id = s.patient_id AND s.date >= q.qs AND s.date < q.qe
         WHERE s.date <= $1::date
       ) priced
       GROUP BY patient_id, k`,
      [experiment.analysis_date],
    );

    // 2b. Quarters overlapping three or more contracts: price their sessions one by one.
    const [{ complex }] = await manager.query(`SELECT count(*)::int AS complex FROM ${work}_q WHERE contracts > 2`);
    if (complex > 0) {
      await manager.query(
        `UPDATE ${work}_s w SET ffs_session_cents = x.cents, unpriced_sessions = x.unpriced
         FROM (
           SELECT q.patient_id, q.k,
                  COALESCE(sum(CASE s.kind WHEN 'HOME' THEN c.ffs_session_cents + c.ffs_home_supplement_cents
                                           WHEN 'GROUP' THEN c.ffs_group_session_cents ELSE c.ffs_session_cents END), 0) AS cents,
                  (count(*) FILTER (WHERE c.id IS NULL))::int AS unpriced
           FROM ${work}_q q
           JOIN patients p ON p.id = q.patient_id
           JOIN therapy_sessions s ON s.patient_id = q.patient_id AND s.date >= q.qs AND s.date < q.qe AND s.date <= $1::date
           LEFT JOIN contracts c ON c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id
            AND c.insurer_id = p.insurer_id AND s.date BETWEEN c.valid_from AND c.valid_to
           WHERE q.contracts > 2
           GROUP BY q.patient_id, q.k
         ) x
         WHERE w.patient_id = x.patient_id AND w.k = x.k`,
        [experiment.analysis_date],
      );
    }

    // 3. Care quarters (Q1, or a quarter with at least one session) priced both ways. Bundle: Q1 adds the
    //    intake (contract on the intake date = Q1's start), a quarter with sessions adds the quarter tariff
    //    of the contract in force on its start date, else on its first session's date. FFS: Q1 adds the
    //    intake, plus the sessions. Paid is the patient's arm, counterfactual the other.
    await manager.query(
      `CREATE UNLOGGED TABLE ${work}_c AS
       SELECT q.patient_id, q.k, q.qs, q.qe, q.arm, COALESCE(s.sessions, 0) AS sessions,
              (q.qe - 1 <= $1::date) AS ended,
              COALESCE(CASE WHEN q.k = 1 THEN start_contract[1] END, 0)
                + CASE WHEN COALESCE(s.sessions, 0) = 0 THEN 0
                       ELSE COALESCE(start_contract[2], session_contract[2], 0) END AS bundle_cents,
              COALESCE(CASE WHEN q.k = 1 THEN start_contract[3] END, 0) + COALESCE(s.ffs_session_cents, 0) AS ffs_cents,
              (CASE WHEN q.k = 1 AND start_contract IS NULL THEN 1 ELSE 0 END)
                + (CASE WHEN COALESCE(s.sessions, 0) > 0 AND start_contract IS NULL AND session_contract IS NULL THEN 1 ELSE 0 END)
                + COALESCE(s.unpriced_sessions, 0) AS unpriced_items,
              COALESCE(s.first_year_sessions, 0) AS first_year_sessions
       FROM ${work}_q q
       LEFT JOIN ${work}_s s ON s.patient_id = q.patient_id AND s.k = q.k
       CROSS JOIN LATERAL (
         -- [bundle intake, bundle quarter, FFS intake] of the contract in force on the quarter's start,
         -- and of the one in force on its first session (the fallback for the quarter tariff).
         SELECT CASE WHEN q.contracts > 2 THEN (
                  SELECT ARRAY[c.bundle_intake_cents, c.bundle_quarter_cents, c.ffs_intake_cents]
                  FROM contracts c JOIN patients p ON p.id = q.patient_id
                  WHERE c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id AND c.insurer_id = p.insurer_id
                    AND q.qs BETWEEN c.valid_from AND c.valid_to)
                WHEN q.qs BETWEEN q.a_from AND q.a_to THEN ARRAY[q.a_bundle_intake, q.a_bundle_quarter, q.a_ffs_intake]
                WHEN q.qs BETWEEN q.b_from AND q.b_to THEN ARRAY[q.b_bundle_intake, q.b_bundle_quarter, q.b_ffs_intake] END
                  AS start_contract,
                CASE WHEN q.contracts > 2 THEN (
                  SELECT ARRAY[c.bundle_intake_cents, c.bundle_quarter_cents, c.ffs_intake_cents]
                  FROM contracts c JOIN patients p ON p.id = q.patient_id
                  WHERE c.experiment_id = p.experiment_id AND c.practice_id = p.practice_id AND c.insurer_id = p.insurer_id
                    AND s.first_session BETWEEN c.valid_from AND c.valid_to)
                WHEN s.first_session BETWEEN q.b_from AND q.b_to THEN ARRAY[q.b_bundle_intake, q.b_bundle_quarter, q.b_ffs_intake]
                WHEN s.first_session BETWEEN q.a_from AND q.a_to THEN ARRAY[q.a_bundle_intake, q.a_bundle_quarter, q.a_ffs_intake] END
                  AS session_contract
       ) pricing
       WHERE q.k = 1 OR s.sessions > 0`,
      [experiment.analysis_date],
    );
    await manager.query(
      `INSERT INTO care_quarter_facts (patient_id, quarter_index, experiment_id, start_date, end_exclusive, sessions,
                                       is_care_quarter, ended, bundle_cents, ffs_cents, paid_cents, counterfactual_cents)
       SELECT patient_id, k, $1, qs, qe, sessions, TRUE, ended, bundle_cents, ffs_cents,
              CASE WHEN arm = 'BUNDLE' THEN bundle_cents ELSE ffs_cents END,
              CASE WHEN arm = 'BUNDLE' THEN ffs_cents ELSE bundle_cents END
       FROM ${work}_c`,
      [experimentId],
    );

    // 4. Baseline and follow-up values (DOMAIN.md 6): closed windows [intake-30, intake+14], [+70, +112],
    //    [+320, +410], the value closest to the target day (0, 91, 365), ties to the earlier date, each
    //    picked independently; only measurements on or before the analysis date. One pass: the minimum of
    //    |day - target| * 10^8 + (day + 500) * 10^5 + value is the winning value (value < 10^5, day + 500 < 1000).
    const pick = (instrument: string, lo: number, hi: number, target: number, column: string) =>
      `min(abs(off - ${target})::bigint * 100000000 + (off + 500) * 100000 + value)
         FILTER (WHERE instrument = '${instrument}' AND off BETWEEN ${lo} AND ${hi}) % 100000 AS ${column}`;
    await manager.query(
      `CREATE UNLOGGED TABLE ${work}_m AS
       SELECT patient_id,
              ${pick('SIX_MWT', -30, 14, 0, 'six_mwt_base')}, ${pick('SIX_MWT', 70, 112, 91, 'six_mwt_3m')},
              ${pick('SIX_MWT', 320, 410, 365, 'six_mwt_12m')},
              ${pick('CCQ', -30, 14, 0, 'ccq_base')}, ${pick('CCQ', 70, 112, 91, 'ccq_3m')},
              ${pick('CCQ', 320, 410, 365, 'ccq_12m')},
              ${pick('CAT', -30, 14, 0, 'cat_base')}, ${pick('CAT', 70, 112, 91, 'cat_3m')},
              ${pick('CAT', 320, 410, 365, 'cat_12m')}
       FROM (
         SELECT m.patient_id, m.instrument, m.value, m.date - p.intake_date AS off
         FROM measurements m JOIN patients p ON p.id = m.patient_id
         WHERE ${population} AND m.date <= $3::date AND m.instrument IN ('SIX_MWT', 'CCQ', 'CAT')
           AND m.date BETWEEN p.intake_date - 30 AND p.intake_date + 410
       ) x
       GROUP BY patient_id`,
      scope,
    );

    // 5. Patient facts, assembled in a work table (a CREATE TABLE AS may run in parallel, an INSERT may not).
    const columns = `patient_id, experiment_id, practice_id, insurer_id, region, arm, gold_stage, profile, age_at_intake,
         intake_date, wait_days, care_quarters, sessions, paid_cents, counterfactual_cents, unpriced_items,
         judged_quarters, low_intensity_quarters, guideline_eligible, above_guideline,
         baseline_eligible, baseline_complete, followup_3m_eligible, followup_12m_eligible,
         six_mwt_base, six_mwt_3m, six_mwt_12m, ccq_base_tenths, ccq_3m_tenths, ccq_12m_tenths,
         cat_base, cat_3m, cat_12m, followup_days, exacerbations, admissions, analysis_date, computed_at`;
    await manager.query(
      `CREATE UNLOGGED TABLE ${work}_p (${columns}) AS
       WITH quarter_totals AS (
         SELECT patient_id, count(*)::int AS care_quarters, sum(sessions)::int AS sessions,
                sum(CASE WHEN arm = 'BUNDLE' THEN bundle_cents ELSE ffs_cents END)::bigint AS paid_cents,
                sum(CASE WHEN arm = 'BUNDLE' THEN ffs_cents ELSE bundle_cents END)::bigint AS counterfactual_cents,
                sum(unpriced_items)::int AS unpriced_items,
                sum(first_year_sessions)::int AS first_year_sessions,
                -- LOW_INTENSITY_QUARTERS judges care quarters after Q1 whose last day is on or before the analysis date.
                (count(*) FILTER (WHERE k > 1 AND ended))::int AS judged_quarters,
                (count(*) FILTER (WHERE k > 1 AND ended AND sessions = 1))::int AS low_intensity_quarters
         FROM ${work}_c GROUP BY patient_id
       ), event_counts AS (
         -- Rates count events dated in [intake, follow-up end]; DEATH counts in neither.
         SELECT ev.patient_id,
                (count(*) FILTER (WHERE ev.kind IN ('EXACERBATION_MODERATE', 'EXACERBATION_SEVERE')))::int AS exacerbations,
                (count(*) FILTER (WHERE ev.kind = 'HOSPITAL_ADMISSION'))::int AS admissions
         FROM events ev JOIN patients p ON p.id = ev.patient_id
         WHERE ${population}
           AND ev.date BETWEEN p.intake_date AND LEAST(COALESCE(p.end_date, $3::date), $3::date, $4::date)
         GROUP BY ev.patient_id
       )
       SELECT p.id, p.experiment_id, p.practice_id, p.insurer_id, pr.region, p.arm, p.gold_stage, p.profile,
              extract(year FROM p.intake_date)::int - p.birth_year, p.intake_date, p.intake_date - p.referral_date,
              q.care_quarters, q.sessions, q.paid_cents, q.counterfactual_cents, q.unpriced_items,
              q.judged_quarters, q.low_intensity_quarters,
              -- ABOVE_GUIDELINE_VOLUME: intake at least 365 days ago, profile 1-5, strictly more than the KNGF maximum.
              $3::date - p.intake_date >= 365 AND p.profile BETWEEN 1 AND 5,
              CASE WHEN $3::date - p.intake_date >= 365 AND p.profile BETWEEN 1 AND 5 THEN q.first_year_sessions >
                CASE p.profile WHEN 1 THEN 0 WHEN 2 THEN 6 WHEN 3 THEN 42 WHEN 4 THEN 62 WHEN 5 THEN 70 END END,
              $3::date - p.intake_date >= 14,
              (m.six_mwt_base IS NOT NULL AND (m.ccq_base IS NOT NULL OR m.cat_base IS NOT NULL)),
              -- Deaths before the follow-up day leave the denominator; other drop-outs stay in it.
              $3::date - p.intake_date >= 112
                AND NOT (p.end_reason IS NOT DISTINCT FROM 'DECEASED' AND p.end_date < p.intake_date + 112),
              $3::date - p.intake_date >= 410
                AND NOT (p.end_reason IS NOT DISTINCT FROM 'DECEASED' AND p.end_date < p.intake_date + 410),
              m.six_mwt_base, m.six_mwt_3m, m.six_mwt_12m, m.ccq_base, m.ccq_3m, m.ccq_12m, m.cat_base, m.cat_3m, m.cat_12m,
              -- Follow-up ends at the earliest of end date, analysis date and experiment end (no +1 day).
              GREATEST(LEAST(COALESCE(p.end_date, $3::date), $3::date, $4::date) - p.intake_date, 0),
              COALESCE(ec.exacerbations, 0), COALESCE(ec.admissions, 0), $3::date, $5::timestamptz
       FROM patients p
       JOIN practices pr ON pr.id = p.practice_id
       JOIN quarter_totals q ON q.patient_id = p.id
       LEFT JOIN ${work}_m m ON m.patient_id = p.id
       LEFT JOIN event_counts ec ON ec.patient_id = p.id
       WHERE ${population}`,
      [...scope, experiment.end_date, computedAt],
    );
    await manager.query(`INSERT INTO patient_facts (${columns}) SELECT ${columns} FROM ${work}_p`);
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM ${work}_p`);
    await manager.query(`DROP TABLE ${work}_q, ${work}_s, ${work}_c, ${work}_m, ${work}_p`);
    return n;
  }
}

/** The columns of one of a quarter's (at most two) contracts: validity and every tariff. */
function contractColumns(alias: 'a' | 'b'): string {
  return [
    `${alias}.valid_from AS ${alias}_from`,
    `${alias}.valid_to AS ${alias}_to`,
    `${alias}.bundle_intake_cents AS ${alias}_bundle_intake`,
    `${alias}.bundle_quarter_cents AS ${alias}_bundle_quarter`,
    `${alias}.ffs_intake_cents AS ${alias}_ffs_intake`,
    `${alias}.ffs_session_cents AS ${alias}_session`,
    `${alias}.ffs_session_cents + ${alias}.ffs_home_supplement_cents AS ${alias}_home`,
    `${alias}.ffs_group_session_cents AS ${alias}_group`,
  ].join(', ');
}
