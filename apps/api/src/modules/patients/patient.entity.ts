import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Arm, EndReason, Sex } from '@copd/domain';

/**
 * One enrolment. There is no BSN column: bsn_hmac holds the keyed HMAC made on entry (Pseudonymizer.bsnToken),
 * and neither it nor anything derived from it is ever mapped into a response.
 */
@Entity({ name: 'patients' })
export class PatientEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'experiment_id' })
  experimentId!: string;

  @Column('uuid', { name: 'practice_id' })
  practiceId!: string;

  @Column('uuid', { name: 'insurer_id' })
  insurerId!: string;

  @Column('text')
  ref!: string;

  @Column('text')
  pseudonym!: string;

  @Column('text', { name: 'bsn_hmac', nullable: true, select: false })
  bsnHmac!: string | null;

  /** The arm of the contract in force on the intake date, fixed for the enrolment. */
  @Column('text')
  arm!: Arm;

  @Column('smallint', { name: 'birth_year' })
  birthYear!: number;

  @Column('text')
  sex!: Sex;

  @Column('smallint', { name: 'gold_stage' })
  goldStage!: number;

  @Column('smallint')
  profile!: number;

  @Column('date', { name: 'referral_date' })
  referralDate!: string;

  @Column('date', { name: 'intake_date' })
  intakeDate!: string;

  @Column('date', { name: 'end_date', nullable: true })
  endDate!: string | null;

  @Column('text', { name: 'end_reason', nullable: true })
  endReason!: EndReason | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A patient with the codes it refers to and its experiment's analysis date, as read (never with bsn_hmac). */
export interface PatientRow {
  id: string;
  experimentId: string;
  experimentCode: string;
  analysisDate: string;
  practiceId: string;
  agb: string;
  insurerId: string;
  uzovi: string;
  ref: string;
  pseudonym: string;
  arm: Arm;
  birthYear: number;
  sex: Sex;
  goldStage: number;
  profile: number;
  referralDate: string;
  intakeDate: string;
  endDate: string | null;
  endReason: EndReason | null;
  createdAt: Date;
  updatedAt: Date;
}
