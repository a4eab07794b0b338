import { Injectable } from '@nestjs/common';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { PatientsService } from '../patients/patients.service';
import { PatientHistoryDto } from './dto/patient-history.dto';
import { AuditLogRepository } from './audit-log.repository';
import { HISTORY_AUDIT_ACTIONS, toHistoryItem } from './patient-history.mapper';

/**
 * A patient's history (issue 14): who created, corrected or deleted what and why, read from the audit log, for the
 * evaluator and the patient's own practice (another practice's patient answers 404). Clinical values in it are the
 * practice's own data; the administrator, who may not read them, has no access. The read is audited itself.
 */
@Injectable()
export class PatientHistoryService {
  constructor(
    private readonly patients: PatientsService,
    private readonly log: AuditLogRepository,
    private readonly audit: AuditService,
  ) {}

  async history(actor: Actor, patientId: string): Promise<PatientHistoryDto> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const rows = await this.log.history(patient.pseudonym, patient.createdAt, Object.keys(HISTORY_AUDIT_ACTIONS));
    await this.audit.record(actor, {
      action: 'patient.history',
      resourceType: 'patient',
      resourceId: patient.id,
      patientPseudonym: patient.pseudonym,
      detail: { returned: rows.length },
    });
    return { items: rows.map(toHistoryItem) };
  }
}
