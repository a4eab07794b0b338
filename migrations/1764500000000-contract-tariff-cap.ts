import { MigrationInterface, QueryRunner } from 'typeorm';

const TARIFF_COLUMNS = [
  'bundle_intake_cents',
  'bundle_quarter_cents',
  'ffs_intake_cents',
  'ffs_session_cents',
  'ffs_home_supplement_cents',
  'ffs_group_session_cents',
];

/**
 * Tariffs are at most 2,500,000 cents (EUR 25,000), as validateContract in libs/domain requires
 * (MAX_TARIFF_CENTS). The recompute sums care-quarter amounts as integers and relies on this bound to
 * keep each below 2^31 cents. A database holding a larger tariff stops here with the constraint named.
 */
export class ContractTariffCap1764500000000 implements MigrationInterface {
  name = 'ContractTariffCap1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const checks = TARIFF_COLUMNS.map((c) => `ADD CONSTRAINT contracts_${c}_cap CHECK (${c} <= 2500000)`);
    await q.query(`ALTER TABLE contracts ${checks.join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE contracts ${TARIFF_COLUMNS.map((c) => `DROP CONSTRAINT contracts_${c}_cap`).join(', ')}`,
    );
  }
}
