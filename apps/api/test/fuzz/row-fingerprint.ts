import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Tables left out of "no row changed by a refused request", each because a refusal is meant to write it:
 *  - audit_log: a denied request and a failed sign-in are audited (checked separately: no SUCCESS row);
 *  - sign_in_attempts: a failed sign-in is counted for the lockout;
 *  - user_sessions: every authenticated request, refused or not, moves its session's idle clock.
 */
export const FINGERPRINT_EXCLUDED = ['audit_log', 'sign_in_attempts', 'user_sessions'] as const;

export interface Fingerprint {
  /** Rows inserted, updated or deleted so far, per table (committed work only). */
  tables: Record<string, string>;
  /** Highest audit_log id, to find the audit rows a request wrote. */
  auditMax: string;
}

/**
 * Test-only instrumentation of the throw-away fuzz database: a row trigger on every data table counts each
 * inserted, updated or deleted row in fuzz_row_changes, in the writer's own transaction, so a rolled-back
 * write counts nothing and a committed one (even an UPDATE to the same values) counts. Reading the counters
 * is one small query per request, where hashing every row took longer than the request itself on 2 cores.
 * Partitions attached later (the facts) inherit the trigger from their parent.
 */
export async function installRowCounters(asOwner: <T>(work: (client: Client) => Promise<T>) => Promise<T>): Promise<void> {
  await asOwner(async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> ALL($1::text[])
       ORDER BY c.relname`,
      [FINGERPRINT_EXCLUDED],
    );
    await client.query(`
      CREATE TABLE fuzz_row_changes (table_name text PRIMARY KEY, n bigint NOT NULL);
      GRANT SELECT ON fuzz_row_changes TO PUBLIC;
      CREATE FUNCTION fuzz_count_row_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        INSERT INTO fuzz_row_changes AS c (table_name, n) VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (table_name) DO UPDATE SET n = c.n + 1;
        RETURN NULL;
      END $$;`);
    for (const { name } of rows) {
      if (name === 'fuzz_row_changes') continue;
      await client.query(`CREATE TRIGGER fuzz_count_row_change AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION fuzz_count_row_change()`);
      await client.query(`CREATE TRIGGER fuzz_count_truncate AFTER TRUNCATE ON "${name}" FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count_row_change()`);
    }
  });
}

/** The row counters and the audit log's high-water mark, in one query. */
export async function fingerprint(db: DataSource): Promise<Fingerprint> {
  const [row] = await db.query(
    `SELECT (SELECT coalesce(json_object_agg(table_name, n::text), '{}') FROM fuzz_row_changes) AS tables,
            (SELECT coalesce(max(id), 0)::text FROM audit_log) AS "auditMax"`,
  );
  return { tables: row.tables, auditMax: row.auditMax };
}

/** The tables with rows changed between two fingerprints. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(after.tables).filter((table) => before.tables[table] !== after.tables[table]);
}
