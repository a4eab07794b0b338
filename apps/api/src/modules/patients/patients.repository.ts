import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Arm, IsoDate } from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';
import { preparedQuery } from '../../core/database/prepared-query';
import { PATIENTS_POPULATION, populationWhere, WhereBuilder } from '../../core/database/where-builder';
import { PatientEntity, PatientRow } from './patient.entity';

export interface PatientFilter {
  experimentCode?: string;
  agb?: string;
  uzovi?: string;
  arm?: Arm;
  goldStage?: number;
  profile?: number;
  intakeFrom?: IsoDate;
  intakeTo?: IsoDate;
  ref?: string;
}

// bsn_hmac is deliberately absent: it is written once and never read back through the API.
const SELECT_PATIENT = `
  SELECT p.id, p.experiment_id AS "experimentId", e.code AS "experimentCode", e.analysis_date AS "analysisDate",
         p.practice_id AS "practiceId", pr.agb, p.insurer_id AS "insurerId", i.uzovi,
         p.ref, p.pseudonym, p.arm, p.birth_year AS "birthYear", p.sex, p.gold_stage AS "goldStage", p.profile,
         p.referral_date AS "referralDate", p.intake_date AS "intakeDate", p.end_date AS "endDate",
         p.end_reason AS "endReason", p.created_at AS "createdAt", p.updated_at AS "updatedAt"
  FROM patients p
  JOIN experiments e ON e.id = p.experiment_id
  JOIN practices pr ON pr.id = p.practice_id
  JOIN insurers i ON i.id = p.insurer_id`;

@Injectable()
export class PatientsRepository {
  constructor(@InjectRepository(PatientEntity) private readonly repo: Repository<PatientEntity>) {}

  /** The patient if it exists inside the scope; outside it the answer is the same as for a missing one. */
  async findById(id: string, scope: DataScope, manager?: EntityManager): Promise<PatientRow | null> {
    const params: unknown[] = [id];
    const rows = await preparedQuery<PatientRow>(
      manager ?? this.repo.manager,
      'patient-by-id',
      `${SELECT_PATIENT} WHERE p.id = $1 AND ${scopeSql(scope, 'p', params)}`,
      params,
    );
    return rows[0] ?? null;
  }

  async list(
    filter: PatientFilter,
    scope: DataScope,
    limit: number,
    offset: number,
  ): Promise<[PatientRow[], number]> {
    const where = new WhereBuilder().scope(scope, 'p');
    where.addIf(filter.experimentCode || undefined, (n) => `e.code = ${n}`);
    where.addIf(filter.agb || undefined, (n) => `pr.agb = ${n}`);
    where.addIf(filter.uzovi || undefined, (n) => `i.uzovi = ${n}`);
    where.addIf(filter.arm || undefined, (n) => `p.arm = ${n}`);
    // GOLD stage, profile and intake window: the population filter the comparison and the insights apply.
    populationWhere(
      where,
      {
        goldStages: filter.goldStage !== undefined ? [filter.goldStage] : undefined,
        profiles: filter.profile !== undefined ? [filter.profile] : undefined,
        intakeFrom: filter.intakeFrom,
        intakeTo: filter.intakeTo,
      },
      PATIENTS_POPULATION,
    );
    where.addIf(filter.ref || undefined, (n) => `p.ref = ${n}`);
    const { params } = where;
    const whereSql = where.toSql();
    const count: { n: number }[] = await this.repo.query(
      `SELECT count(*)::int AS n FROM (${SELECT_PATIENT} WHERE ${whereSql}) AS matching`,
      params,
    );
    const rows: PatientRow[] = await this.repo.query(
      `${SELECT_PATIENT} WHERE ${whereSql}
       ORDER BY p.intake_date, pr.agb, p.ref, p.id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  async existsRef(
    experimentId: string,
    practiceId: string,
    ref: string,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows: { found: boolean }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM patients WHERE experiment_id = $1 AND practice_id = $2 AND ref = $3) AS found`,
      [experimentId, practiceId, ref],
    );
    return rows[0].found;
  }

  /** Dates of the patient's recorded sessions (must stay within [intake, end] on a change). */
  async sessionDates(patientId: string, manager: EntityManager): Promise<IsoDate[]> {
    const rows: { date: IsoDate }[] = await manager.query(
      `SELECT date FROM therapy_sessions WHERE patient_id = $1`,
      [patientId],
    );
    return rows.map((r) => r.date);
  }

  /** Dates of the patient's measurements and events (must stay within [referral, end] on a change). */
  async observationDates(patientId: string, manager: EntityManager): Promise<IsoDate[]> {
    const rows: { date: IsoDate }[] = await manager.query(
      `SELECT date FROM measurements WHERE patient_id = $1 UNION SELECT date FROM events WHERE patient_id = $1`,
      [patientId],
    );
    return rows.map((r) => r.date);
  }

  /** How many records a delete takes with it (ON DELETE CASCADE), for the audit row. */
  async recordCounts(
    patientId: string,
    manager: EntityManager,
  ): Promise<{ sessions: number; measurements: number; events: number }> {
    const rows: { sessions: number; measurements: number; events: number }[] = await manager.query(
      `SELECT (SELECT count(*)::int FROM therapy_sessions WHERE patient_id = $1) AS sessions,
              (SELECT count(*)::int FROM measurements WHERE patient_id = $1) AS measurements,
              (SELECT count(*)::int FROM events WHERE patient_id = $1) AS events`,
      [patientId],
    );
    return rows[0];
  }

  async insert(fields: Partial<PatientEntity>, manager: EntityManager): Promise<string> {
    const repo = manager.getRepository(PatientEntity);
    const saved = await repo.save(repo.create(fields));
    return saved.id;
  }

  async update(id: string, fields: Partial<PatientEntity>, manager: EntityManager): Promise<void> {
    await manager.getRepository(PatientEntity).update({ id }, fields);
  }

  /** Sessions, measurements, events (and derived facts) go with it through ON DELETE CASCADE. */
  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(PatientEntity, { id });
  }
}
