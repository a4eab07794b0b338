import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxRepository } from './outbox.repository';

export type ChangeReason =
  | 'patient'
  | 'session'
  | 'measurement'
  | 'event'
  | 'contract'
  | 'practice'
  | 'import'
  | 'experiment'
  | 'recompute';

/**
 * The channel the outbox trigger notifies at the commit of every transaction that announced changes (payload:
 * the experiment id; migration 1765100000000); the worker's relay LISTENs to it.
 */
export const OUTBOX_CHANNEL = 'copd_outbox';

/**
 * The transactional outbox of indicator recomputes: every write that affects indicators calls announce()
 * with its own transaction's EntityManager, so the change row commits with the write or not at all.
 * The worker's relay, woken by the commit, turns pending rows into queue jobs; a write therefore never needs Redis to succeed,
 * and never succeeds without its recompute eventually happening.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly outbox: OutboxRepository) {}

  /** patientIds null means the whole experiment (contracts, imports, the analysis date). */
  async announce(
    manager: EntityManager,
    experimentId: string,
    patientIds: readonly string[] | null,
    reason: ChangeReason,
  ): Promise<void> {
    if (patientIds === null) return this.outbox.insertExperimentWide(manager, experimentId, reason);
    if (patientIds.length === 0) return;
    await this.outbox.insertPatients(manager, experimentId, patientIds, reason);
  }
}
