import { createHash } from 'node:crypto';
import { DatabaseError, type ClientBase } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * A query run as a named prepared statement on its connection, for the hot reads of every page (the session
 * lookup of each request, the patient list, the worklist, a patient's record). TypeORM sends every query unnamed,
 * so PostgreSQL parses and plans it again on every call: the patient list, a 200-line query, spent 4.6 ms planning
 * for 6.8 ms executing (100,000 patients, idle), and planning was 13% of PostgreSQL's time in the 200-user load run.
 * A named statement is parsed once per connection; after five executions PostgreSQL plans it generically when the
 * generic plan costs no more than the custom ones (plan_cache_mode auto), and from then on it is not planned at all.
 *
 * The name is the caller's label and a hash of the text, so a query built from filters is one statement per text,
 * and the pg driver's rule (one text per name on a connection) holds. The texts are the callers' SQL with $n
 * parameters, never values, so the statements per connection stay as many as the callers' filter combinations.
 * Note for a deployment behind a transaction-pooling PgBouncer: it must forward prepared statements (PgBouncer
 * 1.21+ with max_prepared_statements), or these queries fail.
 */
export async function preparedQuery<T>(manager: EntityManager, label: string, sql: string, params: unknown[]): Promise<T[]> {
  const name = `${label}-${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
  const run = async (client: ClientBase) => (await asQueryError(sql, params, () => client.query({ name, text: sql, values: params }))).rows as T[];
  // Inside a transaction (or on a runner the caller holds): that runner's connection.
  if (manager.queryRunner && !manager.queryRunner.isReleased) return run((await manager.queryRunner.connect()) as ClientBase);
  const runner = manager.connection.createQueryRunner();
  try {
    return await run((await runner.connect()) as ClientBase);
  } finally {
    await runner.release();
  }
}

/**
 * The driver's errors as TypeORM's QueryFailedError, which the API translates into problem+json (a foreign key or
 * unique violation is the client's 409, not our 500), as it does for the statements TypeORM runs itself.
 */
export async function asQueryError<T>(sql: string, params: unknown[] | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatabaseError) throw new QueryFailedError(sql, params, error);
    throw error;
  }
}
