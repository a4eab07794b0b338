import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 4: accounts, server-side sessions, per-organisation API tokens and sign-in attempts (rate limit and
 * lock-out). Secrets are never stored: passwords as argon2id hashes, session and API tokens as SHA-256 of
 * the random value the client holds.
 */
export class Accounts1764200000000 implements MigrationInterface {
  name = 'Accounts1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // An INSURER user is bound to exactly one insurer; PRACTICE users to one or more practices
    // (user_practices; "at least one" is checked by the service). password_hash NULL: OIDC sign-in only.
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('ADMIN', 'EVALUATOR', 'PRACTICE', 'INSURER')),
        insurer_id uuid REFERENCES insurers (id) ON DELETE RESTRICT,
        password_hash text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'INSURER') = (insurer_id IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE user_practices (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        practice_id uuid NOT NULL REFERENCES practices (id) ON DELETE RESTRICT,
        PRIMARY KEY (user_id, practice_id)
      )`);
    await q.query(`CREATE INDEX user_practices_practice_idx ON user_practices (practice_id)`);

    // A dashboard session: the cookie holds the random token, we keep its SHA-256. Sign-out deletes the row.
    await q.query(`
      CREATE TABLE user_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX user_sessions_user_idx ON user_sessions (user_id)`);

    // Practice software and insurer systems authenticate as their organisation, scoped like its users.
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        prefix text NOT NULL,
        role text NOT NULL CHECK (role IN ('PRACTICE', 'INSURER')),
        practice_id uuid REFERENCES practices (id) ON DELETE RESTRICT,
        insurer_id uuid REFERENCES insurers (id) ON DELETE RESTRICT,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        CHECK ((role = 'PRACTICE') = (practice_id IS NOT NULL)),
        CHECK ((role = 'INSURER') = (insurer_id IS NOT NULL))
      )`);

    // Every sign-in attempt (username as typed, lower-cased): the per-address rate limit counts all of them,
    // the lock-out counts FAILURE rows since the last SUCCESS (a LOCKED attempt does not extend the lock).
    // Who signed in is also in the audit log; this table may be pruned.
    await q.query(`
      CREATE TABLE sign_in_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL,
        source text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'LOCKED', 'THROTTLED')),
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sign_in_attempts_username_idx ON sign_in_attempts (username, attempted_at)`);
    await q.query(`CREATE INDEX sign_in_attempts_source_idx ON sign_in_attempts (source, attempted_at)`);

    // Audit searches by user and time ("who accessed my patients" joins on the pseudonym, indexed already).
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_action_idx`);
    await q.query(`DROP TABLE sign_in_attempts`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE user_sessions`);
    await q.query(`DROP TABLE user_practices`);
    await q.query(`DROP TABLE users`);
  }
}
