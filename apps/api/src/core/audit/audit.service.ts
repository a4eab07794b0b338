import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../actor/actor';

export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  patientPseudonym?: string | null;
  outcome?: AuditOutcome;
  detail?: Record<string, unknown>;
}

/**
 * Appends to audit_log. Writes pass their transaction's EntityManager so the audit row commits or
 * rolls back with the data it describes; reads and failures use the default connection.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(actor: Actor, entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.recordMany(actor, [entry], manager);
  }

  async recordMany(actor: Actor, entries: AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO audit_log (actor, actor_role, organisation, action, resource_type, resource_id,
                              patient_pseudonym, source, outcome, detail)
       SELECT $1, $2, $3, e.action, e.resource_type, e.resource_id, e.patient_pseudonym, $4, e.outcome, e.detail
       FROM jsonb_to_recordset($5::jsonb) AS e(action text, resource_type text, resource_id text,
                                               patient_pseudonym text, outcome text, detail jsonb)`,
      [
        actor.id,
        actor.role,
        actor.organisation ?? null,
        actor.source,
        JSON.stringify(
          entries.map((e) => ({
            action: e.action,
            resource_type: e.resourceType,
            resource_id: e.resourceId ?? null,
            patient_pseudonym: e.patientPseudonym ?? null,
            outcome: e.outcome ?? 'SUCCESS',
            detail: e.detail ?? null,
          })),
        ),
      ],
    );
  }
}
