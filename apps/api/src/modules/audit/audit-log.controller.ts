import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems } from '../../core/http/api-docs';
import { AuditEntryDto, AuditLogQuery, MyPatientsAuditQuery, PatientAccessDto } from './dto/audit-log.dto';
import { AuditLogService } from './audit-log.service';

@ApiTags('audit-log')
@ApiProblems()
@Controller('api/v1/audit-log')
export class AuditLogController {
  constructor(private readonly service: AuditLogService) {}

  @Get()
  @Allow('EVALUATOR', 'ADMIN')
  @ApiPage(AuditEntryDto)
  search(@CurrentActor() actor: Actor, @Query() query: AuditLogQuery) {
    return this.service.search(actor, query);
  }

  @Get('export')
  @Allow('EVALUATOR', 'ADMIN')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The search as CSV (same filters, same redaction; paging ignored), audited as audit-log.export' })
  async exportCsv(@CurrentActor() actor: Actor, @Query() query: AuditLogQuery, @Res() res: Response): Promise<void> {
    const csv = await this.service.exportCsv(actor, query);
    res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="auditlog.csv"');
    res.send(csv);
  }

  @Get('my-patients')
  @Allow('PRACTICE')
  @ApiPage(PatientAccessDto)
  myPatients(@CurrentActor() actor: Actor, @Query() query: MyPatientsAuditQuery) {
    return this.service.accessesToMyPatients(actor, query);
  }
}
