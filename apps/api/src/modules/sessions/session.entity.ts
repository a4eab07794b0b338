import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SessionKind } from '@copd/domain';

/** A therapy session; its key is patient + date + kind. A correction (PATCH, with a reason) may move it to a free key. */
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
