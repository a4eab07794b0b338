import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { IsoDate, SessionKind } from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';
import { SessionEntity } from './session.entity';

export interface SessionFilter {
  from?: IsoDate;
  to?: IsoDate;
  kind?: SessionKind;
}

const COLUMNS = `s.id, s.patient_id AS "patientId", s.date, s.kind, s.created_at AS "createdAt"`;

@Injectable()
export class SessionsRepository {
  constructor(@InjectRepository(SessionEntity) private readonly repo: Repository<SessionEntity>) {}

  /** Joined to its patient so the scope applies to the record as to the patient. */
  async list(
    patientId: string,
    filter: SessionFilter,
    scope: DataScope,
    limit: number,
    offset: number,
  ): Promise<[SessionEntity[], number]> {
    const params: unknown[] = [patientId];
    const where = ['s.patient_id = $1', scopeSql(scope, 'p', params)];
    if (filter.from) where.push(`s.date >= $${params.push(filter.from)}::date`);
    if (filter.to) where.push(`s.date <= $${params.push(filter.to)}::date`);
    if (filter.kind) where.push(`s.kind = $${params.push(filter.kind)}`);
    const from = `FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id WHERE ${where.join(' AND ')}`;
    const count: { n: number }[] = await this.repo.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows: SessionEntity[] = await this.repo.query(
      `SELECT ${COLUMNS} ${from} ORDER BY s.date, s.kind LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  /** Every session of a patient (pricing needs them all). */
  allOf(patientId: string, manager?: EntityManager): Promise<SessionEntity[]> {
    return (manager ?? this.repo.manager).query(
      `SELECT ${COLUMNS} FROM therapy_sessions s WHERE s.patient_id = $1 ORDER BY s.date, s.kind`,
      [patientId],
    );
  }

  async findById(id: string, scope: DataScope, manager: EntityManager): Promise<SessionEntity | null> {
    const params: unknown[] = [id];
    const rows: SessionEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id
       WHERE s.id = $1 AND ${scopeSql(scope, 'p', params)}`,
      params,
    );
    return rows[0] ?? null;
  }

  findByKey(
    patientId: string,
    date: IsoDate,
    kind: SessionKind,
    manager: EntityManager,
  ): Promise<SessionEntity | null> {
    return manager.getRepository(SessionEntity).findOneBy({ patientId, date, kind });
  }

  async insert(
    patientId: string,
    items: { date: IsoDate; kind: SessionKind }[],
    manager: EntityManager,
  ): Promise<SessionEntity[]> {
    if (items.length === 0) return [];
    const repo = manager.getRepository(SessionEntity);
    return repo.save(items.map((i) => repo.create({ patientId, date: i.date, kind: i.kind })));
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(SessionEntity, { id });
  }
}
