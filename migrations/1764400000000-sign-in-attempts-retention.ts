import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in attempts are deleted after their retention period on every sign-in: index the age they are found by. */
export class SignInAttemptsRetention1764400000000 implements MigrationInterface {
  name = 'SignInAttemptsRetention1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sign_in_attempts_attempted_at_idx ON sign_in_attempts (attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sign_in_attempts_attempted_at_idx`);
  }
}
