import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { FACTS_POPULATION } from '../../core/database/where-builder';
import {
  CARE_QUARTER_MONTHS,
  DEATH_LEAVES_DENOMINATOR,
  DECEASED,
  ELIGIBLE_AFTER_DAYS,
  GUIDELINE_YEAR_DAYS,
  KNGF_MAX_SESSIONS_FIRST_YEAR,
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOWS,
  PICKED_INSTRUMENTS,
  type MeasurementMilestone,
  type PickedInstrument,
  type TimedIndicator,
} from '@copd/domain';

/**
 * Materialises per-patient and per-care-quarter facts with set-based SQL over the whole population
 * (or over a given set of patients), following DOMAIN.md sections 5 and 6; an integration test checks
 * every care quarter against libs/domain's priceEnrolment. Every threshold and window in the SQL comes from
 * libs/domain's constants (a spec beside this file fails on a number typed into the SQL), and each SQL twin of
 * a domain rule names its twin. Callers run rebuild() inside one transaction,
 * so a crash leaves the previous facts intact and a rerun yields the same rows.
 *
 * Speed: sessions are the only large input (millions of rows). Each session row carries its care quarter
 * and the contract in force on its date, derived by PostgreSQL when it is written (migration
 * 1764300000000), so all sessions are priced in one grouped scan that PostgreSQL runs in parallel.
 *
 * A full rebuild writes the experiment's facts into fresh tables, indexes them and swaps them in as the
 * experiment's partitions of patient_facts and care_quarter_facts (the old ones are dropped): no
 * row-by-row delete and index maintenance. A rebuild for some patients deletes and re-inserts their rows.
 * Work tables are UNLOGGED tables created inside the transaction (temporary tables cannot be read by
 * parallel workers); a CREATE TABLE AS may run in parallel, an INSERT ... SELECT may not.
 */
@Injectable()
export class FactsRepository {
  /** Rebuilds facts for the experiment (patientIds null) or for those patients only; returns patients written. */
  async rebuild(manager: EntityManager, experimentId: string, patientIds: string[] | null, computedAt: Date): Promise<number> {
    const [experiment] = await manager.query(`SELECT analysis_date, end_date FROM experiments WHERE id = $1`, [experimentId]);
    if (!experiment) return 0;
    const previous = await this.partitions(manager, experimentId);
    // Without partitions (never computed, or emptied by a PostgreSQL crash) only a full rebuild can write.
    const full = patientIds === null || !previous;
    const tag = randomBytes(6).toString('hex');
    const work = `facts_work_${tag}`;
    const quarters = full ? `care_quarter_facts_${tag}` : `${work}_c`;
    const patients = full ? `patient_facts_${tag}` : `${work}_p`;
    // $1 experiment, $2 patient ids (NULL: everyone), $3 analysis date. The population is every patient with
    // an intake on or before the analysis date; nothing dated after it counts (DOMAIN.md 5).
    const scope = [experimentId, full ? null : patientIds, experiment.analysis_date];
    const population = `p.experiment_id = $1 AND p.intake_date <= $3::date AND ($2::uuid[] IS NULL OR p.id = ANY($2::uuid[]))`;
    await allowLargeParallelAggregates(manager);

    // Steps 1 to 2b: twin of libs/domain/src/pricing/pricing.ts: priceEnrolment (indicators-facts-consistency
    // checks every care quarter of 1,500 patients against it).
    // 1. One pass over the sessions: count and price them per (patient, care quarter). FFS: session for
    //    INDIVIDUAL and REMOTE, session + home supplement for HOME, group session for GROUP, each with the
    //    contract in force on the session's date; a session in no contract is unpriced (priced 0, counted).
    await manager.query(
      `CREATE UNLOGGED TABLE ${work}_s AS
       SELECT s.patient_id, s.care_quarter AS k, count(*)::int AS sessions,
              COALESCE(sum(CASE s.kind WHEN 'HOME' THEN c.ffs_session_cents + c.ffs_home_supplement_cents
                                       WHEN 'GROUP' THEN c.ffs_group_session_cents ELSE c.ffs_session_cents END), 0)::bigint
                AS ffs_session_cents,
              (count(*) - count(c.id))::int AS unpriced_sessions
       FROM therapy_sessions s LEFT JOIN contracts c ON c.id = s.contract_id
       WHERE s.date <= $1::date AND s.care_quarter >= 1 ${full ? '' : 'AND s.patient_id = ANY($2::uuid[])'}
       GROUP BY 1, 2`,
      full ? [experiment.analysis_date] : [experiment.analysis_date, patientIds],
    );

    // Q1 is a care quarter also without sessions: add it for patients who have none in it.
    await manager.query(
      `INSERT INTO ${work}_s (patient_id, k, sessions, ffs_session_cents, unpriced_sessions)
       SELECT p.id, 1, 0, 0, 0 FROM patients p
       WHERE ${population} AND NOT EXISTS (SELECT 1 FROM ${work}_s w WHERE w.patient_id = p.id AND w.k = 1)`,
      scope,
    );

    // 2. Care quarters: Q1 (the intake falls in it) and every quarter with a session, while the quarter's
    //    start is on or before both the end date and the analysis date. Quarter k covers [intake + 3(k-1)
    //    months, intake + 3k months), months added to the intake date itself (PostgreSQL's date + interval
    //    clamps to the month's last day). Priced both ways: bundle: Q1 adds the intake, a quarter with
    //    sessions the quarter tariff, both of the contract in force on the quarter's start (Q1's start is
    //    the intake date); FFS: Q1 adds the intake, plus the sessions. Paid is the patient's arm. The quarter
    //    bounds are the twin of libs/domain/src/pricing/care-quarters.ts: careQuarters.
    await manager.query(
      `CREATE UNLOGGED TABLE ${quarters} AS
       SELECT q.patient_id, q.k::int AS quarter_index, $1::uuid AS experiment_id, q.qs AS start_date, q.qe AS end_exclusive,
              q.sessions::int AS sessions, TRUE AS is_care_quarter, (q.qe - 1 <= $3::date) AS ended,
              price.bundle_cents::bigint AS bundle_cents, price.ffs_cents::bigint AS ffs_cents,
              (CASE WHEN q.arm = 'BUNDLE' THEN price.bundle_cents ELSE price.ffs_cents END)::bigint AS paid_cents,
              (CASE WHEN q.arm = 'BUNDLE' THEN price.ffs_cents ELSE price.bundle_cents END)::bigint AS counterfactual_cents,
              ((CASE WHEN q.k = 1 AND c.id IS NULL THEN 1 ELSE 0 END)
                + (CASE WHEN q.sessions > 0 AND c.id IS NULL THEN 1 ELSE 0 END) + q.unpriced_sessions)::int AS unpriced_items
       FROM (
         SELECT p.id AS patient_id, p.practice_id, p.insurer_id, p.arm, s.k, s.sessions, s.ffs_session_cents, s.unpriced_sessions,
                (p.intake_date + make_interval(months => ${CARE_QUARTER_MONTHS} * (s.k - 1)))::date AS qs,
                (p.intake_date + make_interval(months => ${CARE_QUARTER_MONTHS} * s.k))::date AS qe,
                LEAST($3::date, COALESCE(p.end_date, $3::date)) AS quarter_limit
         FROM ${work}_s s
         JOIN patients p ON p.id = s.patient_id
         WHERE ${population}
         -- OFFSET 0 keeps this subquery apart, so qs is computed once per row rather than again inside the
         -- contract join's range test (a quarter less time for this statement at 375,000 quarters).
         OFFSET 0
       ) q
       LEFT JOIN contracts c ON c.experiment_id = $1 AND c.practice_id = q.practice_id AND c.insurer_id = q.insurer_id
        AND q.qs BETWEEN c.valid_from AND c.valid_to
       CROSS JOIN LATERAL (
         SELECT (CASE WHEN q.k = 1 THEN COALESCE(c.bundle_intake_cents, 0) ELSE 0 END)
                  + (CASE WHEN q.sessions > 0 THEN COALESCE(c.bundle_quarter_cents, 0) ELSE 0 END) AS bundle_cents,
                (CASE WHEN q.k = 1 THEN COALESCE(c.ffs_intake_cents, 0) ELSE 0 END) + q.ffs_session_cents AS ffs_cents
       ) price
       WHERE q.qs <= q.quarter_limit`,
      scope,
    );

    // 2b. A quarter with sessions but no contract in force on its start takes the quarter tariff of the
    //     contract in force on its first session (DOMAIN.md 5). Rare: only quarters with an unpriced item.
    await manager.query(
      `UPDATE ${quarters} q
       SET bundle_cents = q.bundle_cents + x.quarter_cents, unpriced_items = q.unpriced_items - 1,
           paid_cents = CASE WHEN x.arm = 'BUNDLE' THEN q.bundle_cents + x.quarter_cents ELSE q.paid_cents END,
           counterfactual_cents = CASE WHEN x.arm = 'BUNDLE' THEN q.counterfactual_cents ELSE q.bundle_cents + x.quarter_cents END
       FROM (
         SELECT q.patient_id, q.quarter_index, p.arm, c.bundle_quarter_cents AS quarter_cents
         FROM ${quarters} q
         JOIN patients p ON p.id = q.patient_id
         CROSS JOIN LATERAL (
           SELECT s.contract_id FROM therapy_sessions s
           WHERE s.patient_id = q.patient_id AND s.date >= q.start_date AND s.date < q.end_exclusive AND s.date <= $1::date
           ORDER BY s.date LIMIT 1
         ) first_session
         JOIN contracts c ON c.id = first_session.contract_id
         WHERE q.sessions > 0 AND q.unpriced_items > 0
           AND NOT EXISTS (SELECT 1 FROM contracts cs WHERE cs.experiment_id = p.experiment_id AND cs.practice_id = p.practice_id
                           AND cs.insurer_id = p.insurer_id AND q.start_date BETWEEN cs.valid_from AND cs.valid_to)
       ) x
       WHERE q.patient_id = x.patient_id AND q.quarter_index = x.quarter_index`,
      [experiment.analysis_date],
    );

    // A fresh table has no statistics; without them the planner guesses and may pick nested loops (once
    // 50 s instead of 1). A full rebuild reads every row of every input, so it forbids nested loops for the
    // patient-facts statement instead of paying for ANALYZE; a partial one reads few rows and analyzes.
    const nestloop = full ? await setLocal(manager, 'enable_nestloop', 'off') : null;
    if (!full) await manager.query(`ANALYZE ${quarters}`);

    // 3. Patient facts: quarter totals, baseline and follow-up values (measurementPickSql), event counts.
    const picks = PICKED_INSTRUMENTS.flatMap((instrument) =>
      MEASUREMENT_MILESTONES.map((milestone) => `${measurementPickSql(instrument, milestone)} AS ${pickColumn(instrument, milestone)}`),
    );
    const eligible = (indicator: TimedIndicator) =>
      eligibleSql(indicator, { analysisDate: '$3::date', intake: 'p.intake_date', profile: 'p.profile', endReason: 'p.end_reason', endDate: 'p.end_date' });
    await manager.query(
      `CREATE UNLOGGED TABLE ${patients} AS
       WITH quarter_totals AS (
         -- A care quarter's amount is below 2^31 cents (tariffs are capped, MAX_TARIFF_CENTS), so it is summed
         -- as an integer into a bigint: sum(bigint) accumulates in numeric, which costs a third of this step.
         SELECT patient_id, count(*)::int AS care_quarters, sum(sessions)::int AS sessions,
                sum(paid_cents::int)::bigint AS paid_cents, sum(counterfactual_cents::int)::bigint AS counterfactual_cents,
                sum(unpriced_items)::int AS unpriced_items,
                -- ABOVE_GUIDELINE_VOLUME counts the sessions in [intake, intake + 365): those of Q1-Q4, less
                -- any on day intake + 365 when Q4 (intake + 12 months) runs one day longer (a leap day in it).
                (sum(sessions) FILTER (WHERE quarter_index <= ${GUIDELINE_YEAR_QUARTERS}))::int AS first_four_quarter_sessions,
                bool_or(quarter_index = ${GUIDELINE_YEAR_QUARTERS}) AS has_q4,
                -- LOW_INTENSITY_QUARTERS judges care quarters after Q1 whose last day is on or before the analysis date.
                (count(*) FILTER (WHERE quarter_index > 1 AND ended))::int AS judged_quarters,
                (count(*) FILTER (WHERE quarter_index > 1 AND ended AND sessions = 1))::int AS low_intensity_quarters
         FROM ${quarters} GROUP BY patient_id
       ), measured AS (
         SELECT patient_id,
                ${picks.join(',\n                ')}
         FROM (
           SELECT m.patient_id, m.instrument, m.value, m.date - p.intake_date AS off
           FROM measurements m JOIN patients p ON p.id = m.patient_id
           WHERE ${population} AND m.date <= $3::date AND m.instrument IN (${PICKED_INSTRUMENTS.map((i) => `'${i}'`).join(', ')})
             AND ${anyWindowSql('m.date', 'p.intake_date')}
         ) x
         GROUP BY patient_id
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
       SELECT p.id AS patient_id, p.experiment_id, p.practice_id, p.insurer_id, pr.region, p.arm, p.gold_stage, p.profile,
              (extract(year FROM p.intake_date)::int - p.birth_year)::smallint AS age_at_intake, p.intake_date,
              (p.intake_date - p.referral_date)::int AS wait_days,
              q.care_quarters, q.sessions, q.paid_cents, q.counterfactual_cents, q.unpriced_items,
              q.judged_quarters, q.low_intensity_quarters,
              -- ABOVE_GUIDELINE_VOLUME: eligible (eligibleSql), strictly more sessions in the guideline year than the
              -- KNGF maximum of the profile (twin of libs/domain/src/indicators/definitions.ts: isAboveGuideline).
              ${eligible('ABOVE_GUIDELINE_VOLUME')} AS guideline_eligible,
              CASE WHEN ${eligible('ABOVE_GUIDELINE_VOLUME')} THEN
                COALESCE(q.first_four_quarter_sessions, 0)
                  - CASE WHEN q.has_q4 AND (p.intake_date + interval '${GUIDELINE_YEAR_QUARTERS * CARE_QUARTER_MONTHS} months')::date
                                            > p.intake_date + ${GUIDELINE_YEAR_DAYS}
                         THEN (SELECT count(*)::int FROM therapy_sessions s
                               WHERE s.patient_id = p.id AND s.date = p.intake_date + ${GUIDELINE_YEAR_DAYS})
                         ELSE 0 END
                > ${guidelineMaximumSql('p.profile')}
              END AS above_guideline,
              ${eligible('BASELINE_COMPLETE')} AS baseline_eligible,
              (m.six_mwt_base IS NOT NULL AND (m.ccq_base IS NOT NULL OR m.cat_base IS NOT NULL)) AS baseline_complete,
              -- Deaths before the follow-up day leave the denominator; other drop-outs stay in it.
              ${eligible('FOLLOWUP_3M_COMPLETE')} AS followup_3m_eligible,
              ${eligible('FOLLOWUP_12M_COMPLETE')} AS followup_12m_eligible,
              m.six_mwt_base::int AS six_mwt_base, m.six_mwt_3m::int AS six_mwt_3m, m.six_mwt_12m::int AS six_mwt_12m,
              m.ccq_base::int AS ccq_base_tenths, m.ccq_3m::int AS ccq_3m_tenths, m.ccq_12m::int AS ccq_12m_tenths,
              m.cat_base::int AS cat_base, m.cat_3m::int AS cat_3m, m.cat_12m::int AS cat_12m,
              -- Follow-up ends at the earliest of end date, analysis date and experiment end (no +1 day).
              GREATEST(LEAST(COALESCE(p.end_date, $3::date), $3::date, $4::date) - p.intake_date, 0)::int AS followup_days,
              COALESCE(ec.exacerbations, 0)::int AS exacerbations, COALESCE(ec.admissions, 0)::int AS admissions,
              $3::date AS analysis_date, $5::timestamptz AS computed_at
       FROM patients p
       JOIN practices pr ON pr.id = p.practice_id
       JOIN quarter_totals q ON q.patient_id = p.id
       LEFT JOIN measured m ON m.patient_id = p.id
       LEFT JOIN event_counts ec ON ec.patient_id = p.id
       WHERE ${population}`,
      [...scope, experiment.end_date, computedAt],
    );
    await manager.query(`DROP TABLE ${work}_s`);
    if (nestloop !== null) await setLocal(manager, 'enable_nestloop', nestloop);

    if (full) {
      await this.swapIn(manager, experimentId, previous, { patients, quarters, tag });
    } else {
      for (const [parent, source] of [['care_quarter_facts', quarters], ['patient_facts', patients]]) {
        await manager.query(`DELETE FROM ${parent} WHERE experiment_id = $1 AND patient_id = ANY($2::uuid[])`, [experimentId, patientIds]);
        const columns = (await this.parentColumns(manager, parent)).map((c) => c.name).join(', ');
        await manager.query(`INSERT INTO ${parent} (${columns}) SELECT ${columns} FROM ${source}`);
      }
    }
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM ${patients}`);
    if (!full) await manager.query(`DROP TABLE ${quarters}, ${patients}`);
    return n;
  }

  /** The experiment's current partitions of patient_facts and care_quarter_facts, or null when it has none. */
  private async partitions(manager: EntityManager, experimentId: string): Promise<{ patients: string; quarters: string } | null> {
    const rows: { parent: string; name: string }[] = await manager.query(
      `SELECT i.inhparent::regclass::text AS parent, c.oid::regclass::text AS name
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent IN ('patient_facts'::regclass, 'care_quarter_facts'::regclass)
         AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', $1::text)`,
      [experimentId],
    );
    const patients = rows.find((r) => r.parent === 'patient_facts')?.name;
    const quarters = rows.find((r) => r.parent === 'care_quarter_facts')?.name;
    return patients && quarters ? { patients, quarters } : null;
  }

  /**
   * Indexes the freshly built tables and makes them the experiment's partitions, dropping the previous ones.
   * Both parents are locked first, always in the same order, so two experiments swapping at once wait for
   * each other instead of deadlocking; readers wait only for the rest of this transaction (milliseconds).
   */
  private async swapIn(
    manager: EntityManager,
    experimentId: string,
    previous: { patients: string; quarters: string } | null,
    built: { patients: string; quarters: string; tag: string },
  ): Promise<void> {
    for (const [parent, table] of [['patient_facts', built.patients], ['care_quarter_facts', built.quarters]]) {
      // A partition needs the parent's NOT NULL columns marked so (CREATE TABLE AS does not carry them).
      const notNull = (await this.parentColumns(manager, parent)).filter((c) => c.notNull);
      await manager.query(`ALTER TABLE ${table} ${notNull.map((c) => `ALTER COLUMN ${c.name} SET NOT NULL`).join(', ')}`);
    }
    await manager.query(`ALTER TABLE ${built.quarters} ADD CONSTRAINT ${built.quarters}_pkey PRIMARY KEY (patient_id, quarter_index)`);
    await manager.query(`ALTER TABLE ${built.patients} ADD CONSTRAINT ${built.patients}_pkey PRIMARY KEY (patient_id)`);
    await manager.query(`CREATE INDEX ${built.patients}_practice_idx ON ${built.patients} (practice_id)`);
    await manager.query(`LOCK TABLE patient_facts, care_quarter_facts IN ACCESS EXCLUSIVE MODE`);
    if (previous) {
      await manager.query(`ALTER TABLE patient_facts DETACH PARTITION ${previous.patients}`);
      await manager.query(`ALTER TABLE care_quarter_facts DETACH PARTITION ${previous.quarters}`);
      await manager.query(`DROP TABLE ${previous.patients}, ${previous.quarters}`);
    }
    const values = `FOR VALUES IN ('${experimentId.replace(/'/g, "''")}')`;
    await manager.query(`ALTER TABLE patient_facts ATTACH PARTITION ${built.patients} ${values}`);
    await manager.query(`ALTER TABLE care_quarter_facts ATTACH PARTITION ${built.quarters} ${values}`);
    // Planner statistics: a fresh partition has none until autovacuum gets to it, and a partitioned parent none
    // at all (autovacuum never analyzes one). Reads go through the parents: a filter's rows are estimated from the
    // partition's statistics, but a join's and a grouping's from the parent's; with only the partition's, the cost
    // read models' join of the two tables was estimated 100 times too large and run as 74,899 index lookups
    // (490 ms instead of 190 ms at 20,000 patients). ANALYZE of a parent gathers both, the parent's and every
    // partition's, so it runs once the new partitions are attached (readers already wait for this transaction).
    // Only of the columns the reads filter, join and group on (STATISTICS_COLUMNS, about a quarter of them: a
    // third of the cost of all); autovacuum adds the others to the partitions later. ANALYZE samples at most
    // 30,000 rows of a table, so beyond that its cost stops growing.
    await manager.query(
      `ANALYZE patient_facts (${STATISTICS_COLUMNS.patient_facts.join(', ')}), ` +
        `care_quarter_facts (${STATISTICS_COLUMNS.care_quarter_facts.join(', ')})`,
    );
  }

  /** A facts parent's columns in order, and whether each is NOT NULL (work tables are copied and attached by name). */
  private parentColumns(manager: EntityManager, parent: string): Promise<{ name: string; notNull: boolean }[]> {
    return manager.query(
      `SELECT attname AS name, attnotnull AS "notNull" FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [parent],
    );
  }
}

/** Sets a setting for the rest of the transaction; returns its previous value. */
async function setLocal(manager: EntityManager, name: string, value: string): Promise<string> {
  const [{ previous }] = await manager.query(`SELECT current_setting($1) AS previous`, [name]);
  await manager.query(`SELECT set_config($1, $2, true)`, [name, value]);
  return previous;
}

/**
 * The recompute's grouped passes hold one hash entry per patient x care quarter (hundreds of thousands at
 * national scale): give this transaction enough memory to keep them in memory, and let the planner choose
 * parallel plans for them (its default costs favour a single process for a wide GROUP BY).
 */
async function allowLargeParallelAggregates(manager: EntityManager): Promise<void> {
  await manager.query(
    `SELECT set_config('work_mem', '256MB', true) WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('256MB')`,
  );
  await manager.query(`SELECT set_config('parallel_setup_cost', '100', true), set_config('parallel_tuple_cost', '0.01', true)`);
}

/**
 * The facts columns whose planner statistics a full rebuild gathers before the swap: the keys, the columns of the
 * population filter (FACTS_POPULATION, read by the comparison and every insights read model), the arm the comparison
 * groups by, and the care quarter columns the cost read models join and filter on.
 */
const STATISTICS_COLUMNS = {
  patient_facts: ['patient_id', 'experiment_id', 'arm', ...Object.values(FACTS_POPULATION).map((column) => column.replace(/^f\./, ''))],
  care_quarter_facts: ['patient_id', 'experiment_id', 'quarter_index', 'start_date', 'is_care_quarter'],
};

/**
 * The care quarters that cover the guideline year: Q1-Q4 span [intake, intake + 12 months), which holds the
 * 365 days [intake, intake + GUIDELINE_YEAR_DAYS) and at most one day more (a leap day in it).
 */
const GUIDELINE_YEAR_QUARTERS = 12 / CARE_QUARTER_MONTHS;

/** The patient_facts column of an instrument's pick: six_mwt_base, ccq_3m, cat_12m, ... */
function pickColumn(instrument: PickedInstrument, milestone: MeasurementMilestone): string {
  const suffix = { BASELINE: 'base', FOLLOWUP_3M: '3m', FOLLOWUP_12M: '12m' }[milestone];
  return `${instrument.toLowerCase()}_${suffix}`;
}

/** `date + n` in SQL with the sign written out (`intake - 30`, `intake + 410`). */
function plusDays(date: string, days: number): string {
  return days < 0 ? `${date} - ${-days}` : `${date} + ${days}`;
}

/**
 * The baseline or follow-up value of one instrument (DOMAIN.md 6), as an aggregate over rows with the columns
 * instrument, value and off (measurement date - intake date), dated on or before the analysis date: the value
 * closest to the window's target day, ties to the earlier date. One pass: the minimum of
 * |off - target| * 10^8 + (off + 500) * 10^5 + value carries the winning value in its last five digits
 * (value < 10^5, and every window lies within 500 days of the intake, so off + 500 < 1000).
 * Twin of libs/domain/src/indicators/definitions.ts: pickMeasurement.
 */
export function measurementPickSql(instrument: PickedInstrument, milestone: MeasurementMilestone): string {
  const { from, to, target } = MEASUREMENT_WINDOWS[milestone];
  return `min(abs(off - ${target})::bigint * 100000000 + (off + 500) * 100000 + value)
         FILTER (WHERE instrument = '${instrument}' AND off BETWEEN ${from} AND ${to}) % 100000`;
}

/** The date is inside one of the measurement windows of the intake (their hull: [intake - 30, intake + 410]). */
export function anyWindowSql(date: string, intake: string): string {
  const windows = Object.values(MEASUREMENT_WINDOWS);
  const from = Math.min(...windows.map((w) => w.from));
  const to = Math.max(...windows.map((w) => w.to));
  return `${date} BETWEEN ${plusDays(intake, from)} AND ${plusDays(intake, to)}`;
}

/** The SQL expressions eligibleSql reads: a date for the analysis date and the patient's columns. */
export interface EligibilityColumns {
  analysisDate: string;
  intake: string;
  profile: string;
  endReason: string;
  endDate: string;
}

/**
 * Whether the patient is in the denominator of a timed indicator as of the analysis date (DOMAIN.md 6):
 * intake at least ELIGIBLE_AFTER_DAYS ago; ABOVE_GUIDELINE_VOLUME only for profiles with a KNGF maximum;
 * the follow-ups without the deaths before their day. A boolean SQL expression, parenthesised.
 * Twin of libs/domain/src/indicators/definitions.ts: isEligibleFor.
 */
export function eligibleSql(indicator: TimedIndicator, c: EligibilityColumns): string {
  const days = ELIGIBLE_AFTER_DAYS[indicator];
  const conditions = [`${c.analysisDate} - ${c.intake} >= ${days}`];
  if (indicator === 'ABOVE_GUIDELINE_VOLUME') {
    conditions.push(`${c.profile} IN (${Object.keys(KNGF_MAX_SESSIONS_FIRST_YEAR).join(', ')})`);
  }
  if (DEATH_LEAVES_DENOMINATOR.includes(indicator)) {
    conditions.push(`NOT (${c.endReason} IS NOT DISTINCT FROM '${DECEASED}' AND ${c.endDate} < ${plusDays(c.intake, days)})`);
  }
  return `(${conditions.join('\n                AND ')})`;
}

/**
 * The KNGF maximum of sessions in the first year for the profile (KNGF guideline COPD 2020), NULL for a profile
 * without one. Twin of libs/domain/src/indicators/definitions.ts: isAboveGuideline (with the comparison `>`).
 */
export function guidelineMaximumSql(profile: string): string {
  const cases = Object.entries(KNGF_MAX_SESSIONS_FIRST_YEAR).map(([p, max]) => `WHEN ${p} THEN ${max}`);
  return `CASE ${profile} ${cases.join(' ')} END`;
}
