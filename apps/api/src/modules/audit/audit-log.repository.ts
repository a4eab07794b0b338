import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DataScope } from '../../core/actor/actor';
import { scopeSql } from '../../core/actor/scope';

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
         a.source, a.outcome, a.detail`;

/** Reads of the append-only audit log (core/audit writes it). Newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  search(filter: AuditFilter, limit: number, offset: number): Promise<[AuditRow[], number]> {
    const params: unknown[] = [];
    return this.page(this.where(filter, params), params, `coalesce(a.patient_pseudonyms, '{}') AS "patientPseudonyms"`, limit, offset);
  }

  /**
   * Accesses to patients of the scope's practices: audit rows whose pseudonym, or one of whose list of
   * returned pseudonyms, belongs to one of them (the array through its GIN index). Of a list, only the
   * practice's own patients are returned. Rows of patients since deleted no longer match a practice.
   */
  accessesToPatientsOf(scope: DataScope, filter: AuditFilter, limit: number, offset: number): Promise<[AuditRow[], number]> {
    const params: unknown[] = [];
    const where = this.where(filter, params);
    const own = `ARRAY(SELECT p.pseudonym FROM patients p WHERE ${scopeSql(scope, 'p', params)})`;
    where.push(`(a.patient_pseudonym = ANY(${own}) OR a.patient_pseudonyms && ${own})`);
    const mine = `ARRAY(SELECT x FROM unnest(a.patient_pseudonyms) x WHERE x = ANY(${own}) ORDER BY x) AS "patientPseudonyms"`;
    return this.page(where, params, mine, limit, offset);
  }

  private where(filter: AuditFilter, params: unknown[]): string[] {
    const where: string[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.patient) add((n) => `(a.patient_pseudonym = ${n} OR a.patient_pseudonyms @> ARRAY[${n}::text])`, filter.patient);
    if (filter.user) add((n) => `a.actor = ${n}`, filter.user);
    if (filter.action) add((n) => `a.action = ${n}`, filter.action);
    if (filter.outcome) add((n) => `a.outcome = ${n}`, filter.outcome);
    if (filter.from) add((n) => `a.occurred_at >= ${n}::timestamptz`, filter.from);
    if (filter.to) add((n) => `a.occurred_at < ${n}::timestamptz`, filter.to);
    return where;
  }

  private async page(where: string[], params: unknown[], pseudonyms: string, limit: number, offset: number): Promise<[AuditRow[], number]> {
    const whereSql = where.length > 0 ? where.join(' AND ') : 'TRUE';
    const count: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM audit_log a WHERE ${whereSql}`, params);
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${pseudonyms} FROM audit_log a
       WHERE ${whereSql} ORDER BY a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, count[0].n];
  }
}
