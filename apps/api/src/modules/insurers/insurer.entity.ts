import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'insurers' })
export class InsurerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** UZOVI code: exactly 4 digits, kept as a string. */
  @Column('text')
  uzovi!: string;

  @Column('text')
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
