import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { EventKind, IsoDate } from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';
import { EventEntity } from './event.entity';

export interface EventFilter {
  from?: IsoDate;
  to?: IsoDate;
  kind?: EventKind;
}

const COLUMNS = `ev.id, ev.patient_id AS "patientId", ev.date, ev.kind, ev.created_at AS "createdAt"`;

@Injectable()
export class EventsRepository {
  constructor(@InjectRepository(EventEntity) private readonly repo: Repository<EventEntity>) {}

  /** Joined to its patient so the scope applies to the record as to the patient. */
  async list(
    patientId: string,
    filter: EventFilter,
    scope: DataScope,
    limit: number,
    offset: number,
  ): Promise<[EventEntity[], number]> {
    const params: unknown[] = [patientId];
    const where = ['ev.patient_id = $1', scopeSql(scope, 'p', params)];
    if (filter.from) where.push(`ev.date >= $${params.push(filter.from)}::date`);
    if (filter.to) where.push(`ev.date <= $${params.push(filter.to)}::date`);
    if (filter.kind) where.push(`ev.kind = $${params.push(filter.kind)}`);
    const from = `FROM events ev JOIN patients p ON p.id = ev.patient_id WHERE ${where.join(' AND ')}`;
    const count: { n: number }[] = await this.repo.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows: EventEntity[] = await this.repo.query(
      `SELECT ${COLUMNS} ${from} ORDER BY ev.date, ev.kind LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  /** Inside the scope or null; `forUpdate` locks the row until the transaction ends (a correction reads, then writes it). */
  async findById(id: string, scope: DataScope, manager: EntityManager, forUpdate = false): Promise<EventEntity | null> {
    const params: unknown[] = [id];
    const rows: EventEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM events ev JOIN patients p ON p.id = ev.patient_id
       WHERE ev.id = $1 AND ${scopeSql(scope, 'p', params)}${forUpdate ? ' FOR UPDATE OF ev' : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** A correction: date and kind replaced. */
  async update(id: string, fields: { date: IsoDate; kind: EventKind }, manager: EntityManager): Promise<EventEntity> {
    const [rows]: [EventEntity[], number] = await manager.query(
      `UPDATE events AS ev SET date = $2, kind = $3 WHERE ev.id = $1 RETURNING ${COLUMNS}`,
      [id, fields.date, fields.kind],
    );
    return rows[0];
  }

  findByKey(
    patientId: string,
    date: IsoDate,
    kind: EventKind,
    manager: EntityManager,
  ): Promise<EventEntity | null> {
    return manager.getRepository(EventEntity).findOneBy({ patientId, date, kind });
  }

  /**
   * Inserts the event unless its key (patient + date + kind) is stored; null when it was. ON CONFLICT DO NOTHING
   * waits for a concurrent transaction inserting the same key and then skips it, so identical requests at the same
   * moment insert one row and none fails on the unique key (issue 10 L5).
   */
  async insertIfAbsent(
    fields: Pick<EventEntity, 'patientId' | 'date' | 'kind'>,
    manager: EntityManager,
  ): Promise<EventEntity | null> {
    const rows: EventEntity[] = await manager.query(
      `INSERT INTO events AS ev (patient_id, date, kind) VALUES ($1, $2, $3)
       ON CONFLICT (patient_id, date, kind) DO NOTHING
       RETURNING ${COLUMNS}`,
      [fields.patientId, fields.date, fields.kind],
    );
    return rows[0] ?? null;
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(EventEntity, { id });
  }
}
