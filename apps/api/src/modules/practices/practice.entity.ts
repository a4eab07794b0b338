import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'practices' })
export class PracticeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** AGB code: exactly 8 digits, a string because leading zeros matter. */
  @Column('text')
  agb!: string;

  @Column('text')
  name!: string;

  @Column('text')
  region!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
