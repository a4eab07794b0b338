import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type ChangeReason =
  | 'patient'
  | 'session'
  | 'measurement'
  | 'event'
  | 'contract'
  | 'import'
  | 'experiment'
  | 'recompute';

/**
 * The transactional outbox of indicator recomputes: every write that affects indicators calls announce()
 * with its own transaction's EntityManager, so the change row commits with the write or not at all.
 * The worker's relay turns pending rows into queue jobs; a write therefore never needs Redis to succeed,
 * and never succeeds without its recompute eventually happening.
 */
@Injectable()
export class OutboxService {
  /** patientIds null means the whole experiment (contracts, imports, the analysis date). */
  async announce(
    manager: EntityManager,
    experimentId: string,
    patientIds: readonly string[] | null,
    reason: ChangeReason,
  ): Promise<void> {
    if (patientIds === null) {
      await manager.query(`INSERT INTO indicator_outbox (experiment_id, patient_id, reason) VALUES ($1, NULL, $2)`, [
        experimentId,
        reason,
      ]);
      return;
    }
    if (patientIds.length === 0) return;
    await manager.query(
      `INSERT INTO indicator_outbox (experiment_id, patient_id, reason)
       SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id`,
      [experimentId, [...new Set(patientIds)], reason],
    );
  }
}
