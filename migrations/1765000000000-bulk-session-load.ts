import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17 (bulk load at 100,000 rows/s). A session's care quarter and contract were derived by a row trigger for
 * every insert; a bulk load now derives them for the whole statement in one join (SESSION_KEYS_FROM_STAGING in
 * apps/api/src/modules/exchange/session-bulk-load.ts) and tells the trigger so for that statement only, through the
 * transaction-local setting copd.session_keys = 'derived'. Single writes and every UPDATE keep the row trigger.
 *
 * Three more per-row costs go:
 * - care_quarter_of was STRICT, which keeps PostgreSQL from inlining a SQL function: it ran as a function call per
 *   row. Without STRICT it is inlined; its result is the same for every input (a NULL argument still gives NULL:
 *   the comparison with NULL is NULL, so the CASE takes its ELSE branch, whose arithmetic on NULL is NULL).
 * - A random (version 4) primary key puts every new row on a random leaf of the primary-key index: at six million
 *   rows that is a cache miss and a full-page image in the WAL per row. Session ids become version 7 (RFC 9562:
 *   48 bits of Unix milliseconds, then random bits), so new rows go to the right edge of the index. They stay
 *   unguessable in their 74 random bits; they reveal when the row was written, which created_at holds anyway.
 * - The foreign key from therapy_sessions.contract_id to contracts checked every row against a column that only
 *   derivation writes. The contract triggers of migration 1764300000000 already re-derive the sessions of a
 *   deleted or changed contract (to another contract, or to none), which is what ON DELETE SET NULL did.
 */
export class BulkSessionLoad1765000000000 implements MigrationInterface {
  name = 'BulkSessionLoad1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(CARE_QUARTER_OF('CALLED ON NULL INPUT'));

    await q.query(`
      CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(
          set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),
          'hex')::uuid
      $$`);
    await q.query(`ALTER TABLE therapy_sessions ALTER COLUMN id SET DEFAULT uuid_v7()`);

    await q.query(`ALTER TABLE therapy_sessions DROP CONSTRAINT therapy_sessions_contract_id_fkey`);

    await q.query(`DROP TRIGGER therapy_sessions_derive ON therapy_sessions`);
    await q.query(`
      CREATE TRIGGER therapy_sessions_derive BEFORE INSERT ON therapy_sessions
      FOR EACH ROW WHEN (current_setting('copd.session_keys', true) IS DISTINCT FROM 'derived')
      EXECUTE FUNCTION therapy_sessions_derive()`);
    await q.query(`
      CREATE TRIGGER therapy_sessions_derive_on_update BEFORE UPDATE OF patient_id, date, care_quarter, contract_id
      ON therapy_sessions FOR EACH ROW EXECUTE FUNCTION therapy_sessions_derive()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER therapy_sessions_derive_on_update ON therapy_sessions`);
    await q.query(`DROP TRIGGER therapy_sessions_derive ON therapy_sessions`);
    await q.query(`
      CREATE TRIGGER therapy_sessions_derive BEFORE INSERT OR UPDATE OF patient_id, date, care_quarter, contract_id
      ON therapy_sessions FOR EACH ROW EXECUTE FUNCTION therapy_sessions_derive()`);
    await q.query(`UPDATE therapy_sessions s SET contract_id = NULL WHERE NOT EXISTS (SELECT 1 FROM contracts c WHERE c.id = s.contract_id)`);
    await q.query(`
      ALTER TABLE therapy_sessions ADD CONSTRAINT therapy_sessions_contract_id_fkey
      FOREIGN KEY (contract_id) REFERENCES contracts (id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE therapy_sessions ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION uuid_v7()`);
    await q.query(CARE_QUARTER_OF('STRICT'));
  }
}

/** care_quarter_of as migration 1764300000000 defined it, with the given null-input behaviour. */
export const CARE_QUARTER_OF = (nullInput: 'STRICT' | 'CALLED ON NULL INPUT') => `
  CREATE OR REPLACE FUNCTION care_quarter_of(intake date, day date) RETURNS integer
  LANGUAGE sql IMMUTABLE ${nullInput} PARALLEL SAFE AS $$
    SELECT CASE WHEN day < intake THEN NULL ELSE
      ((extract(year FROM day)::int - extract(year FROM intake)::int) * 12
        + extract(month FROM day)::int - extract(month FROM intake)::int
        - CASE WHEN extract(day FROM day) >= extract(day FROM intake)
                 OR extract(month FROM day + 1) <> extract(month FROM day) THEN 0 ELSE 1 END) / 3 + 1
    END
  $$`;
