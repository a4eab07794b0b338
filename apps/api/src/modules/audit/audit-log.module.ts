import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { PatientHistoryController } from './patient-history.controller';
import { PatientHistoryService } from './patient-history.service';

/**
 * Reading the audit trail: search (evaluators, administrators, a practice's accesses to its patients) and a
 * patient's history of writes; writing it is core/audit's (every module writes through AuditService).
 */
@Module({
  imports: [PatientsModule],
  controllers: [AuditLogController, PatientHistoryController],
  providers: [AuditLogRepository, AuditLogService, PatientHistoryService],
})
export class AuditLogModule {}
