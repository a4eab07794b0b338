import { MigrationInterface, QueryRunner } from 'typeorm';
import { CARE_QUARTER_OF } from './1765000000000-bulk-session-load';

/**
 * Issue 17, target 1 (bulk load at 100,000 rows/s). care_quarter_of read the dates' parts with extract(), which
 * returns numeric since PostgreSQL 14: eight numeric values made and cast to integer for every session a load
 * derives. date_part() returns double precision, exact for a date's year, month and day, so the casts give the same
 * integers. Over the 6.1 M sessions of the national benchmark, summing care_quarter_of took 7.2-7.6 s with extract and
 * 3.3-3.4 s with date_part (the same sum, 14,019,576; README "Bulk loads").
 *
 * The rule is unchanged (DOMAIN.md 5, as migration 1764300000000 wrote it): whole months from intake to day, a month
 * complete when the day's day-of-month reaches the intake's or the day is its month's last (the clamped month end),
 * then three months a quarter. The last-day test is now "the next day is a 1st" instead of "the next day is in
 * another month": the same days. Twin: libs/domain careQuarterOf (definition-parity.int-spec.ts; every day of 487
 * intakes in session-pricing-keys.int-spec.ts).
 */
export class CareQuarterDatePart1765400000000 implements MigrationInterface {
  name = 'CareQuarterDatePart1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION care_quarter_of(intake date, day date) RETURNS integer
      LANGUAGE sql IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE AS $$
        SELECT CASE WHEN day < intake THEN NULL ELSE
          ((date_part('year', day)::int - date_part('year', intake)::int) * 12
            + date_part('month', day)::int - date_part('month', intake)::int
            - CASE WHEN date_part('day', day) >= date_part('day', intake)
                     OR date_part('day', day + 1) = 1 THEN 0 ELSE 1 END) / 3 + 1
        END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(CARE_QUARTER_OF('CALLED ON NULL INPUT'));
  }
}
