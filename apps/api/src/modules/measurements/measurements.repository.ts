import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Instrument, IsoDate } from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';
import { MeasurementEntity } from './measurement.entity';

export interface MeasurementFilter {
  from?: IsoDate;
  to?: IsoDate;
  instrument?: Instrument;
}

const COLUMNS = `m.id, m.patient_id AS "patientId", m.date, m.instrument, m.value,
                 m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

@Injectable()
export class MeasurementsRepository {
  constructor(@InjectRepository(MeasurementEntity) private readonly repo: Repository<MeasurementEntity>) {}

  /** Joined to its patient so the scope applies to the record as to the patient. */
  async list(
    patientId: string,
    filter: MeasurementFilter,
    scope: DataScope,
    limit: number,
    offset: number,
  ): Promise<[MeasurementEntity[], number]> {
    const params: unknown[] = [patientId];
    const where = ['m.patient_id = $1', scopeSql(scope, 'p', params)];
    if (filter.from) where.push(`m.date >= $${params.push(filter.from)}::date`);
    if (filter.to) where.push(`m.date <= $${params.push(filter.to)}::date`);
    if (filter.instrument) where.push(`m.instrument = $${params.push(filter.instrument)}`);
    const from = `FROM measurements m JOIN patients p ON p.id = m.patient_id WHERE ${where.join(' AND ')}`;
    const count: { n: number }[] = await this.repo.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows: MeasurementEntity[] = await this.repo.query(
      `SELECT ${COLUMNS} ${from} ORDER BY m.date, m.instrument LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  /** Inside the scope or null; `forUpdate` locks the row until the transaction ends (a correction reads, then writes it). */
  async findById(id: string, scope: DataScope, manager: EntityManager, forUpdate = false): Promise<MeasurementEntity | null> {
    const params: unknown[] = [id];
    const rows: MeasurementEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM measurements m JOIN patients p ON p.id = m.patient_id
       WHERE m.id = $1 AND ${scopeSql(scope, 'p', params)}${forUpdate ? ' FOR UPDATE OF m' : ''}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** Another measurement of the patient with this key, if any (a correction may not take a key that is stored). */
  async findOtherWithKey(
    patientId: string,
    instrument: Instrument,
    date: IsoDate,
    exceptId: string,
    manager: EntityManager,
  ): Promise<MeasurementEntity | null> {
    const rows: MeasurementEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM measurements m WHERE m.patient_id = $1 AND m.instrument = $2 AND m.date = $3 AND m.id <> $4`,
      [patientId, instrument, date, exceptId],
    );
    return rows[0] ?? null;
  }

  /** The stored measurement of the key, locked until the transaction ends (a correction reads and writes it). */
  async findByKeyForUpdate(
    patientId: string,
    instrument: Instrument,
    date: IsoDate,
    manager: EntityManager,
  ): Promise<MeasurementEntity | null> {
    const rows: MeasurementEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM measurements m WHERE m.patient_id = $1 AND m.instrument = $2 AND m.date = $3 FOR UPDATE`,
      [patientId, instrument, date],
    );
    return rows[0] ?? null;
  }

  /**
   * Inserts the measurement unless its key (patient + instrument + date) is stored; null when it was. ON CONFLICT
   * DO NOTHING waits for a concurrent transaction inserting the same key and then skips it, so identical requests
   * at the same moment insert one row and none fails on the unique key (issue 10 L5).
   */
  async insertIfAbsent(
    fields: Pick<MeasurementEntity, 'patientId' | 'date' | 'instrument' | 'value'>,
    manager: EntityManager,
  ): Promise<MeasurementEntity | null> {
    const rows: MeasurementEntity[] = await manager.query(
      `INSERT INTO measurements AS m (patient_id, date, instrument, value) VALUES ($1, $2, $3, $4)
       ON CONFLICT (patient_id, instrument, date) DO NOTHING
       RETURNING ${COLUMNS}`,
      [fields.patientId, fields.date, fields.instrument, fields.value],
    );
    return rows[0] ?? null;
  }

  /** A correction: date, instrument and stored value (instrument's stored unit) replaced. */
  async update(
    id: string,
    fields: Pick<MeasurementEntity, 'date' | 'instrument' | 'value'>,
    manager: EntityManager,
  ): Promise<MeasurementEntity> {
    const [rows]: [MeasurementEntity[], number] = await manager.query(
      `UPDATE measurements AS m SET date = $2, instrument = $3, value = $4, updated_at = now() WHERE m.id = $1 RETURNING ${COLUMNS}`,
      [id, fields.date, fields.instrument, fields.value],
    );
    return rows[0];
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(MeasurementEntity, { id });
  }
}
