import { Injectable } from '@nestjs/common';
import Papa from 'papaparse';
import { escapeCsvFormula } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { REDACTED, redactClinical } from '../../core/actor/field-visibility';
import { AuditService } from '../../core/audit/audit.service';
import { ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { AuditEntryDto, AuditLogQuery, MyPatientsAuditQuery, PatientAccessDto } from './dto/audit-log.dto';
import { AuditLogRepository, AuditRow } from './audit-log.repository';

/**
 * Searching the audit trail (NEN 7513): evaluators and administrators search all of it; a practice sees who
 * accessed its own patients. A search is itself audited: the results name patients.
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly audit: AuditService,
  ) {}

  async search(actor: Actor, query: AuditLogQuery): Promise<Page<AuditEntryDto>> {
    const filter = definedOnly({ patient: query.patient, user: query.user, action: query.action, outcome: query.outcome, from: query.from, to: query.to });
    const [rows, total] = await this.log.search(filter, query.limit, query.offset);
    await this.audit.record(actor, { action: 'audit-log.search', resourceType: 'audit-log', patientPseudonym: query.patient ?? null, detail: { filters: filter, total } });
    return page(rows.map((row) => toAuditEntryDto(actor, row)), total, query);
  }

  /**
   * The search's rows as CSV (issue 16) with the same filters and the same redaction as the search, audited as
   * `audit-log.export`. At most AUDIT_EXPORT_MAX rows: a larger result is refused with the count, to be narrowed
   * by period, rather than cut off silently.
   */
  async exportCsv(actor: Actor, query: AuditLogQuery): Promise<string> {
    const filter = definedOnly({ patient: query.patient, user: query.user, action: query.action, outcome: query.outcome, from: query.from, to: query.to });
    const [rows, total] = await this.log.all(filter, AUDIT_EXPORT_MAX);
    if (total > AUDIT_EXPORT_MAX) {
      throw ruleViolation('AUDIT.EXPORT_TOO_LARGE', `De zoekopdracht geeft ${total} regels; een export heeft er hoogstens ${AUDIT_EXPORT_MAX}. Kies een kortere periode.`, []);
    }
    await this.audit.record(actor, { action: 'audit-log.export', resourceType: 'audit-log', patientPseudonym: query.patient ?? null, detail: { filters: filter, total } });
    return auditCsv(rows.map((row) => toAuditEntryDto(actor, row)));
  }

  async accessesToMyPatients(actor: Actor, query: MyPatientsAuditQuery): Promise<Page<PatientAccessDto>> {
    const filter = definedOnly({ patient: query.patient, user: query.user, from: query.from, to: query.to });
    const [rows, total] = await this.log.accessesToPatientsOf(actor.scope, filter, query.limit, query.offset);
    await this.audit.record(actor, { action: 'audit-log.my-patients', resourceType: 'audit-log', patientPseudonym: query.patient ?? null, detail: { filters: filter, total } });
    return page(rows.map(toPatientAccessDto), total, query);
  }
}

function toPatientAccessDto(r: AuditRow): PatientAccessDto {
  return {
    id: r.id,
    occurredAt: new Date(r.occurredAt).toISOString(),
    actor: r.actor,
    role: r.role,
    organisation: r.organisation,
    action: r.action,
    patientPseudonym: r.patientPseudonym,
    patientPseudonyms: r.patientPseudonyms,
    outcome: r.outcome,
  };
}

/** The largest audit export (a quarter of a busy experiment is well under it). */
export const AUDIT_EXPORT_MAX = 100_000;

export const AUDIT_CSV_COLUMNS = [
  'occurredAt', 'actor', 'role', 'organisation', 'action', 'resourceType', 'resourceId', 'patientPseudonym',
  'patientPseudonyms', 'source', 'outcome', 'reason', 'detail',
] as const;

/**
 * RFC 4180 with CRLF, a header of the API's field names; a list of pseudonyms separated by spaces, the detail as JSON.
 * Fields that start like a formula (= + - @, tab, CR and their full-width forms; libs/domain escapeCsvFormula) get a
 * leading apostrophe: a username typed at a failed sign-in must not run as a formula in a spreadsheet.
 */
export function auditCsv(entries: AuditEntryDto[]): string {
  const rows = entries.map((e) =>
    AUDIT_CSV_COLUMNS.map((column) => {
      if (column === 'patientPseudonyms') return e.patientPseudonyms.join(' ');
      if (column === 'detail') return e.detail === null ? '' : JSON.stringify(e.detail);
      return escapeCsvFormula(String(e[column] ?? ''));
    }),
  );
  return Papa.unparse({ fields: [...AUDIT_CSV_COLUMNS], data: rows }, { newline: '\r\n' }) + '\r\n';
}

/**
 * Only an evaluator reads clinical values in details (a patient update's before/after, a correction's from/to) and
 * the free-text reason of a correction, which may name them; an administrator gets them redacted.
 */
function toAuditEntryDto(actor: Actor, r: AuditRow): AuditEntryDto {
  const evaluator = actor.role === 'EVALUATOR';
  const detail = evaluator ? r.detail : (redactClinical(r.detail) as Record<string, unknown> | null);
  const reason = evaluator || r.reason === null ? r.reason : REDACTED;
  return { ...toPatientAccessDto(r), resourceType: r.resourceType, resourceId: r.resourceId, source: r.source, detail, reason };
}

function definedOnly<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
