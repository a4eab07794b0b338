import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Arm, IsoDate } from '@copd/domain';

/** One practice x insurer, by ids, inside an experiment the caller names. */
export interface PairIds {
  practiceId: string;
  insurerId: string;
}

export interface PatientArmRow extends PairIds {
  id: string;
  pseudonym: string;
  ref: string;
  intakeDate: IsoDate;
  arm: Arm;
}

/** The SQL behind re-deriving patients' arms: read the pairs' patients, write the arms that changed. */
@Injectable()
export class PatientArmsRepository {
  async patientsOfPairs(
    manager: EntityManager,
    experimentId: string,
    pairs: readonly PairIds[],
  ): Promise<PatientArmRow[]> {
    if (pairs.length === 0) return [];
    return manager.query(
      `SELECT p.id, p.practice_id AS "practiceId", p.insurer_id AS "insurerId", p.pseudonym, p.ref,
              p.intake_date AS "intakeDate", p.arm
       FROM patients p
       JOIN unnest($2::uuid[], $3::uuid[]) AS u(practice_id, insurer_id)
         ON u.practice_id = p.practice_id AND u.insurer_id = p.insurer_id
       WHERE p.experiment_id = $1
       ORDER BY p.intake_date, p.pseudonym`,
      [experimentId, pairs.map((p) => p.practiceId), pairs.map((p) => p.insurerId)],
    );
  }

  async setArms(manager: EntityManager, changes: readonly { id: string; arm: Arm }[]): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `UPDATE patients p SET arm = u.arm, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS u(id, arm)
       WHERE p.id = u.id AND p.arm IS DISTINCT FROM u.arm`,
      [changes.map((c) => c.id), changes.map((c) => c.arm)],
    );
  }
}
