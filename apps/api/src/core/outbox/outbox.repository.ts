import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The SQL of the indicator outbox's write side (OutboxService); the relay reads it through IndicatorRunsRepository. */
@Injectable()
export class OutboxRepository {
  /** One row for the whole experiment (patient_id NULL). */
  async insertExperimentWide(manager: EntityManager, experimentId: string, reason: string): Promise<void> {
    await manager.query(`INSERT INTO indicator_outbox (experiment_id, patient_id, reason) VALUES ($1, NULL, $2)`, [
      experimentId,
      reason,
    ]);
  }

  /** One row per distinct patient. */
  async insertPatients(manager: EntityManager, experimentId: string, patientIds: readonly string[], reason: string): Promise<void> {
    await manager.query(
      `INSERT INTO indicator_outbox (experiment_id, patient_id, reason)
       SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id`,
      [experimentId, [...new Set(patientIds)], reason],
    );
  }
}
