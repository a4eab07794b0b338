import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EventKind } from '@copd/domain';

/** A clinical event; its key is patient + date + kind, so it has nothing to correct but can be deleted. */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'patient_id' })
  patientId!: string;

  @Column('date')
  date!: string;

  @Column('text')
  kind!: EventKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
