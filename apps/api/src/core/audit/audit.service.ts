import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../actor/actor';
import { AuditTrailRepository } from './audit-trail.repository';

/** NOT_FOUND: the requested object does not exist or lies outside the actor's scope (which answers the same). */
export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED' | 'NOT_FOUND';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  /** The one patient the action concerned. */
  patientPseudonym?: string | null;
  /**
   * Every patient a read returned (list reads, exports): kept in one array per row, GIN-indexed, so a practice's
   * "who accessed my patients" finds the row without one row per patient.
   */
  patientPseudonyms?: string[] | null;
  outcome?: AuditOutcome;
  detail?: Record<string, unknown>;
  /** Why a record was corrected or deleted, as the user gave it (see correction-reason.ts); its own column. */
  reason?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Appends to audit_log. Writes pass their transaction's EntityManager so the audit row commits or
 * rolls back with the data it describes; reads and failures use the default connection.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trail: AuditTrailRepository,
  ) {}

  async record(actor: Actor, entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.recordMany(actor, [entry], manager);
  }

  async recordMany(actor: Actor, entries: AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (entries.length === 0) return;
    await this.trail.insert(
      manager,
      { actor: actor.id, actorRole: actor.role, organisation: actor.organisation ?? null, source: actor.source },
      entries.map((e) => ({
        action: e.action,
        resource_type: e.resourceType,
        resource_id: e.resourceId ?? null,
        patient_pseudonym: e.patientPseudonym ?? null,
        patient_pseudonyms: e.patientPseudonyms && e.patientPseudonyms.length > 0 ? e.patientPseudonyms : null,
        outcome: e.outcome ?? 'SUCCESS',
        detail: e.detail ?? null,
        reason: e.reason ?? null,
      })),
    );
  }

  /**
   * A request for an object that does not exist or lies outside the actor's scope. When one of the requested
   * ids is a patient's (or one of its sessions, measurements or events), the row carries that patient's
   * pseudonym, so the owning practice sees the attempt among the accesses to its patients; the requester still
   * got the same 404 as for a missing object.
   */
  async recordNotFound(actor: Actor, route: string, requested: Record<string, string>, code: string): Promise<void> {
    const ids = Object.values(requested).filter((v) => UUID.test(v));
    const owner = await this.trail.ownerPseudonym(ids);
    await this.record(actor, {
      action: 'access.not-found',
      resourceType: 'route',
      resourceId: [route, ...Object.entries(requested).map(([k, v]) => `${k}=${v}`)].join(' '),
      patientPseudonym: owner,
      outcome: 'NOT_FOUND',
      detail: { code, requested },
    });
  }
}
