import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';
import { WhereBuilder } from '../../core/database/where-builder';
import { HistoryRow } from './patient-history.mapper';

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actor: string;
  role: string;
  organisation: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientPseudonym: string | null;
  /** The patients a list read or export returned (for a practice's view: only its own). */
  patientPseudonyms: string[];
  source: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
  /** Why a record was corrected or deleted (issue 14). */
  reason: string | null;
}

export interface AuditFilter {
  patient?: string;
  user?: string;
  action?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

const COLUMNS = `a.id::text AS id, a.occurred_at AS "occurredAt", a.actor, a.actor_role AS role, a.organisation, a.action,
         a.resource_type AS "resourceType", a.resource_id AS "resourceId", a.patient_pseudonym AS "patientPseudonym",
         a.source, a.outcome, a.detail, a.reason`;

/** Reads of the append-only audit log (core/audit writes it). Newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  search(filter: AuditFilter, limit: number, offset: number): Promise<[AuditRow[], number]> {
    return this.page(this.where(filter), `coalesce(a.patient_pseudonyms, '{}') AS "patientPseudonyms"`, limit, offset);
  }

  /** Every row of a search for the CSV export, newest first; at most `max` of them and the count of all. */
  all(filter: AuditFilter, max: number): Promise<[AuditRow[], number]> {
    return this.page(this.where(filter), `coalesce(a.patient_pseudonyms, '{}') AS "patientPseudonyms"`, max, 0);
  }

  /**
   * Accesses to patients of the scope's practices: audit rows whose pseudonym, or one of whose list of
   * returned pseudonyms, belongs to one of them (the array through its GIN index). Of a list, only the
   * practice's own patients are returned. Rows of patients since deleted no longer match a practice.
   */
  accessesToPatientsOf(scope: DataScope, filter: AuditFilter, limit: number, offset: number): Promise<[AuditRow[], number]> {
    const where = this.where(filter);
    const own = `ARRAY(SELECT p.pseudonym FROM patients p WHERE ${scopeSql(scope, 'p', where.params)})`;
    where.raw(`(a.patient_pseudonym = ANY(${own}) OR a.patient_pseudonyms && ${own})`);
    const mine = `ARRAY(SELECT x FROM unnest(a.patient_pseudonyms) x WHERE x = ANY(${own}) ORDER BY x) AS "patientPseudonyms"`;
    return this.page(where, mine, limit, offset);
  }

  /**
   * The writes to one patient and its records since its enrolment was created (a patient deleted and enrolled again
   * keeps its pseudonym; the earlier enrolment's rows stay out), newest first, with the user's display name.
   */
  history(pseudonym: string, since: Date, actions: readonly string[]): Promise<HistoryRow[]> {
    return this.dataSource.query(
      `SELECT a.occurred_at AS at, coalesce(u.display_name, a.actor) AS actor, a.action, a.resource_type AS "resourceType",
              a.resource_id AS "resourceId", a.detail, a.reason
       FROM audit_log a LEFT JOIN users u ON u.username = a.actor
       WHERE a.patient_pseudonym = $1 AND a.occurred_at >= $2 AND a.outcome = 'SUCCESS' AND a.action = ANY($3::text[])
       ORDER BY a.id DESC`,
      [pseudonym, since, actions],
    );
  }

  private where(filter: AuditFilter): WhereBuilder {
    return new WhereBuilder()
      .addIf(filter.patient || undefined, (n) => `(a.patient_pseudonym = ${n} OR a.patient_pseudonyms @> ARRAY[${n}::text])`)
      .addIf(filter.user || undefined, (n) => `a.actor = ${n}`)
      .addIf(filter.action || undefined, (n) => `a.action = ${n}`)
      .addIf(filter.outcome || undefined, (n) => `a.outcome = ${n}`)
      .addIf(filter.from || undefined, (n) => `a.occurred_at >= ${n}::timestamptz`)
      .addIf(filter.to || undefined, (n) => `a.occurred_at < ${n}::timestamptz`);
  }

  private async page(where: WhereBuilder, pseudonyms: string, limit: number, offset: number): Promise<[AuditRow[], number]> {
    const { params } = where;
    const whereSql = where.toSql();
    const count: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM audit_log a WHERE ${whereSql}`, params);
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${pseudonyms} FROM audit_log a
       WHERE ${whereSql} ORDER BY a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }
}
