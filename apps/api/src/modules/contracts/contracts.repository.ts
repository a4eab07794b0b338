import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Arm, EnrolledIntake, IsoDate, RecordedSession } from '@copd/domain';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';
import { preparedQuery } from '../../core/database/prepared-query';
import { WhereBuilder } from '../../core/database/where-builder';
import { ContractEntity, ContractRow } from './contract.entity';

export interface ContractFilter {
  experimentCode?: string;
  agb?: string;
  uzovi?: string;
  arm?: Arm;
  inForceOn?: IsoDate;
}

/** A contract period, both ends inclusive. */
export interface Period {
  validFrom: IsoDate;
  validTo: IsoDate;
}

/** One practice x insurer in one experiment: the unit within which contracts must not overlap. */
export interface ContractPair {
  experimentId: string;
  practiceId: string;
  insurerId: string;
}

const SELECT_CONTRACT = `
  SELECT c.id, c.experiment_id AS "experimentId", e.code AS "experimentCode",
         c.practice_id AS "practiceId", pr.agb, c.insurer_id AS "insurerId", i.uzovi,
         c.arm, c.valid_from AS "validFrom", c.valid_to AS "validTo",
         c.bundle_intake_cents AS "bundleIntakeCents", c.bundle_quarter_cents AS "bundleQuarterCents",
         c.ffs_intake_cents AS "ffsIntakeCents", c.ffs_session_cents AS "ffsSessionCents",
         c.ffs_home_supplement_cents AS "ffsHomeSupplementCents", c.ffs_group_session_cents AS "ffsGroupSessionCents",
         c.created_at AS "createdAt", c.updated_at AS "updatedAt"
  FROM contracts c
  JOIN experiments e ON e.id = c.experiment_id
  JOIN practices pr ON pr.id = c.practice_id
  JOIN insurers i ON i.id = c.insurer_id`;

@Injectable()
export class ContractsRepository {
  constructor(@InjectRepository(ContractEntity) private readonly repo: Repository<ContractEntity>) {}

  /** The contract if it exists inside the scope (a practice or insurer sees only its own contracts). */
  async findById(id: string, scope: DataScope, manager?: EntityManager): Promise<ContractRow | null> {
    const params: unknown[] = [id];
    const rows = await preparedQuery<ContractRow>(
      manager ?? this.repo.manager,
      'contract-by-id',
      `${SELECT_CONTRACT} WHERE c.id = $1 AND ${scopeSql(scope, 'c', params)}`,
      params,
    );
    return rows[0] ?? null;
  }

  async list(
    filter: ContractFilter,
    scope: DataScope,
    limit: number,
    offset: number,
  ): Promise<[ContractRow[], number]> {
    const where = new WhereBuilder()
      .scope(scope, 'c')
      .addIf(filter.experimentCode || undefined, (n) => `e.code = ${n}`)
      .addIf(filter.agb || undefined, (n) => `pr.agb = ${n}`)
      .addIf(filter.uzovi || undefined, (n) => `i.uzovi = ${n}`)
      .addIf(filter.arm || undefined, (n) => `c.arm = ${n}`)
      .addIf(filter.inForceOn || undefined, (n) => `${n}::date BETWEEN c.valid_from AND c.valid_to`);
    const { params } = where;
    const whereSql = where.toSql();
    const count: { n: number }[] = await this.repo.query(
      `SELECT count(*)::int AS n FROM (${SELECT_CONTRACT} WHERE ${whereSql}) AS matching`,
      params,
    );
    const rows: ContractRow[] = await this.repo.query(
      `${SELECT_CONTRACT} WHERE ${whereSql}
       ORDER BY pr.agb, i.uzovi, c.valid_from, c.id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }

  /** Every contract of one practice x insurer in the experiment, oldest first (pricing and validation need them all). */
  forPair(pair: ContractPair, manager?: EntityManager): Promise<ContractRow[]> {
    return preparedQuery<ContractRow>(
      manager ?? this.repo.manager,
      'contracts-of-pair',
      `${SELECT_CONTRACT}
       WHERE c.experiment_id = $1 AND c.practice_id = $2 AND c.insurer_id = $3
       ORDER BY c.valid_from`,
      [pair.experimentId, pair.practiceId, pair.insurerId],
    );
  }

  /**
   * Recorded sessions of the pair's patients dated inside a period (the one a change or removal could leave without
   * a contract), with the patient's pseudonym and the practice's number for naming them.
   */
  recordedSessions(pair: ContractPair, within: Period, manager?: EntityManager): Promise<RecordedSession[]> {
    return (manager ?? this.repo.manager).query(
      `SELECT p.pseudonym, p.ref, s.date, s.kind
       FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id
       WHERE p.experiment_id = $1 AND p.practice_id = $2 AND p.insurer_id = $3 AND s.date BETWEEN $4 AND $5`,
      [pair.experimentId, pair.practiceId, pair.insurerId, within.validFrom, within.validTo],
    );
  }

  /** Intakes of the pair's enrolled patients inside a period: each gives its patient's arm, so it must stay covered. */
  enrolledIntakes(pair: ContractPair, within: Period, manager?: EntityManager): Promise<EnrolledIntake[]> {
    return (manager ?? this.repo.manager).query(
      `SELECT p.pseudonym, p.ref, p.intake_date AS "intakeDate"
       FROM patients p
       WHERE p.experiment_id = $1 AND p.practice_id = $2 AND p.insurer_id = $3 AND p.intake_date BETWEEN $4 AND $5`,
      [pair.experimentId, pair.practiceId, pair.insurerId, within.validFrom, within.validTo],
    );
  }

  /**
   * Serialises writes that depend on the contracts of one pair (contract changes, enrolments, sessions), so a
   * session cannot slip in while a contract that would cover it is being shortened. Held until the transaction ends.
   */
  async lockPair(pair: ContractPair, manager: EntityManager): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtext('contract-pair:' || $1::text || ':' || $2::text || ':' || $3::text))`,
      [pair.experimentId, pair.practiceId, pair.insurerId],
    );
  }

  /**
   * lockPair, in one statement and a fixed order, for every given pair ([agb, uzovi]) that exists and for the pair
   * of every given stored patient ([agb, ref]). An import holds them while it validates, writes and re-derives
   * arms, so no contract change, enrolment or session of those pairs slips in between.
   */
  async lockPairsByCode(
    experimentId: string,
    pairs: readonly [string, string][],
    patients: readonly [string, string][],
    manager: EntityManager,
  ): Promise<void> {
    if (pairs.length === 0 && patients.length === 0) return;
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtext('contract-pair:' || $1::text || ':' || x.practice_id::text || ':' || x.insurer_id::text))
       FROM (SELECT pr.id AS practice_id, i.id AS insurer_id
             FROM unnest($2::text[], $3::text[]) AS u(agb, uzovi)
             JOIN practices pr ON pr.agb = u.agb JOIN insurers i ON i.uzovi = u.uzovi
             UNION
             SELECT p.practice_id, p.insurer_id
             FROM unnest($4::text[], $5::text[]) AS r(agb, ref)
             JOIN practices pr ON pr.agb = r.agb
             JOIN patients p ON p.experiment_id = $1 AND p.practice_id = pr.id AND p.ref = r.ref
             ORDER BY 1, 2) AS x`,
      [
        experimentId,
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
        patients.map((p) => p[0]),
        patients.map((p) => p[1]),
      ],
    );
  }

  create(fields: Partial<ContractEntity>): ContractEntity {
    return this.repo.create(fields);
  }

  async save(entity: ContractEntity, manager: EntityManager): Promise<string> {
    const saved = await manager.getRepository(ContractEntity).save(entity);
    return saved.id;
  }

  async update(id: string, fields: Partial<ContractEntity>, manager: EntityManager): Promise<void> {
    await manager.getRepository(ContractEntity).update({ id }, fields);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(ContractEntity, { id });
  }
}
