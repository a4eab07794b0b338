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

  /** Inside the scope or null; `forUpdate` locks the row until the transaction ends (a correction reads, then writes it). */
  async findById(id: string, scope: DataScope, manager: EntityManager, forUpdate = false): Promise<SessionEntity | null> {
    const params: unknown[] = [id];
    const rows: SessionEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id
       WHERE s.id = $1 AND ${scopeSql(scope, 'p', params)}${forUpdate ? ' FOR UPDATE OF s' : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** A correction: date and kind replaced (the trigger re-derives the care quarter and contract of the new date). */
  async update(id: string, fields: { date: IsoDate; kind: SessionKind }, manager: EntityManager): Promise<SessionEntity> {
    const [rows]: [SessionEntity[], number] = await manager.query(
      `UPDATE therapy_sessions AS s SET date = $2, kind = $3 WHERE s.id = $1 RETURNING ${COLUMNS}`,
      [id, fields.date, fields.kind],
    );
    return rows[0];
  }

  /** The stored sessions with these keys (date + kind) of a patient, in the transaction's latest snapshot. */
  findByKeys(
    patientId: string,
    keys: { date: IsoDate; kind: SessionKind }[],
    manager: EntityManager,
  ): Promise<SessionEntity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT ${COLUMNS} FROM therapy_sessions s
       JOIN unnest($2::date[], $3::text[]) AS k(date, kind) ON k.date = s.date AND k.kind = s.kind
       WHERE s.patient_id = $1`,
      [patientId, keys.map((k) => k.date), keys.map((k) => k.kind)],
    );
  }

  /**
   * Inserts the sessions whose key (patient + date + kind) is not stored yet and returns only those. ON CONFLICT DO
   * NOTHING waits for a concurrent transaction inserting the same key and then skips it, so twenty identical
   * requests at once insert one row and none fails on the unique key (issue 10 L5).
   */
  insertIfAbsent(
    patientId: string,
    items: { date: IsoDate; kind: SessionKind }[],
    manager: EntityManager,
  ): Promise<SessionEntity[]> {
    if (items.length === 0) return Promise.resolve([]);
    return manager.query(
      `INSERT INTO therapy_sessions AS s (patient_id, date, kind)
       SELECT $1, k.date, k.kind FROM unnest($2::date[], $3::text[]) WITH ORDINALITY AS k(date, kind, n) ORDER BY k.n
       ON CONFLICT (patient_id, date, kind) DO NOTHING
       RETURNING ${COLUMNS}`,
      [patientId, items.map((i) => i.date), items.map((i) => i.kind)],
    );
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(SessionEntity, { id });
  }
}
