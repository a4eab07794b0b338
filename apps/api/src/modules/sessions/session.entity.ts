import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SessionKind } from '@copd/domain';

/** A therapy session; its key is patient + date + kind, so it has nothing to correct but can be deleted. */
@Entity({ name: 'therapy_sessions' })
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'patient_id' })
  patientId!: string;

  @Column('date')
  date!: string;

  @Column('text')
  kind!: SessionKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
