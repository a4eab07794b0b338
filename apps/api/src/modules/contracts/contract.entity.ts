import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Arm } from '@copd/domain';

/** A contract of one practice x insurer in one experiment; both tariff sets in integer cents, validTo inclusive. */
@Entity({ name: 'contracts' })
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'experiment_id' })
  experimentId!: string;

  @Column('uuid', { name: 'practice_id' })
  practiceId!: string;

  @Column('uuid', { name: 'insurer_id' })
  insurerId!: string;

  @Column('text')
  arm!: Arm;

  @Column('date', { name: 'valid_from' })
  validFrom!: string;

  @Column('date', { name: 'valid_to' })
  validTo!: string;

  @Column('integer', { name: 'bundle_intake_cents' })
  bundleIntakeCents!: number;

  @Column('integer', { name: 'bundle_quarter_cents' })
  bundleQuarterCents!: number;

  @Column('integer', { name: 'ffs_intake_cents' })
  ffsIntakeCents!: number;

  @Column('integer', { name: 'ffs_session_cents' })
  ffsSessionCents!: number;

  @Column('integer', { name: 'ffs_home_supplement_cents' })
  ffsHomeSupplementCents!: number;

  @Column('integer', { name: 'ffs_group_session_cents' })
  ffsGroupSessionCents!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A contract with the codes of what it refers to, as read for responses and the domain. */
export interface ContractRow {
  id: string;
  experimentId: string;
  experimentCode: string;
  practiceId: string;
  agb: string;
  insurerId: string;
  uzovi: string;
  arm: Arm;
  validFrom: string;
  validTo: string;
  bundleIntakeCents: number;
  bundleQuarterCents: number;
  ffsIntakeCents: number;
  ffsSessionCents: number;
  ffsHomeSupplementCents: number;
  ffsGroupSessionCents: number;
  createdAt: Date;
  updatedAt: Date;
}
