import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** One audit row as stored (snake_case columns); AuditService fills in the defaults. */
export interface AuditRowInput {
  action: string;
  resource_type: string;
  resource_id: string | null;
  patient_pseudonym: string | null;
  patient_pseudonyms: string[] | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  reason: string | null;
}

export interface AuditActorColumns {
  actor: string;
  actorRole: string;
  organisation: string | null;
  source: string;
}

/**
 * The SQL of the audit trail's write side (AuditService). The audit-log module reads the same table for search;
 * PostgreSQL keeps it append-only, and the application role may only INSERT and SELECT.
 */
@Injectable()
export class AuditTrailRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, actor: AuditActorColumns, rows: AuditRowInput[]): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor, actor_role, organisation, action, resource_type, resource_id,
                              patient_pseudonym, patient_pseudonyms, source, outcome, detail, reason)
       SELECT $1, $2, $3, e.action, e.resource_type, e.resource_id, e.patient_pseudonym, e.patient_pseudonyms, $4, e.outcome, e.detail, e.reason
       FROM jsonb_to_recordset($5::jsonb) AS e(action text, resource_type text, resource_id text,
                                               patient_pseudonym text, patient_pseudonyms text[], outcome text, detail jsonb,
                                               reason text)`,
      [actor.actor, actor.actorRole, actor.organisation, actor.source, JSON.stringify(rows)],
    );
  }

  /** The pseudonym of the patient that owns one of these ids (a patient, or one of its sessions, measurements, events). */
  async ownerPseudonym(ids: string[]): Promise<string | null> {
    if (ids.length === 0) return null;
    const [owner]: { pseudonym: string }[] = await this.dataSource.query(
      `SELECT p.pseudonym FROM patients p WHERE p.id = ANY($1::uuid[])
       UNION ALL SELECT p.pseudonym FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id WHERE s.id = ANY($1::uuid[])
       UNION ALL SELECT p.pseudonym FROM measurements m JOIN patients p ON p.id = m.patient_id WHERE m.id = ANY($1::uuid[])
       UNION ALL SELECT p.pseudonym FROM events v JOIN patients p ON p.id = v.patient_id WHERE v.id = ANY($1::uuid[])
       LIMIT 1`,
      [ids],
    );
    return owner?.pseudonym ?? null;
  }
}
