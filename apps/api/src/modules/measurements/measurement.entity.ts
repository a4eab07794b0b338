import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Instrument } from '@copd/domain';

/** value is in the instrument's stored integer unit (CCQ in tenths: 1.6 is stored as 16). */
@Entity({ name: 'measurements' })
export class MeasurementEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'patient_id' })
  patientId!: string;

  @Column('date')
  date!: string;

  @Column('text')
  instrument!: Instrument;

  @Column('integer')
  value!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
