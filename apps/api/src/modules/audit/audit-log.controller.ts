import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
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

  @Get('my-patients')
  @Allow('PRACTICE')
  @ApiPage(PatientAccessDto)
  myPatients(@CurrentActor() actor: Actor, @Query() query: MyPatientsAuditQuery) {
    return this.service.accessesToMyPatients(actor, query);
  }
}
