import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { IdParam } from '../../core/http/crud-routes';
import { NextDueDto, PatientRecordDto, PatientRecordPageDto, PatientRecordsQuery } from './dto/patient-records.dto';
import { PatientRecordsService } from './patient-records.service';

/**
 * The practice's patient list and record pages (issue 14). A practice reads its own patients; the evaluator any
 * practice's, naming it. Insurers see no clinical detail and administrators no patient data: neither may read these.
 */
@ApiTags('patient-records')
@ApiProblems()
@Controller('api/v1/patient-records')
export class PatientRecordsController {
  constructor(private readonly service: PatientRecordsService) {}

  @Get()
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiOperation({ summary: "One practice's patients with care quarters, last session, next measurement due and problems, judged on today" })
  @ApiExtraModels(NextDueDto)
  @ApiOkResponse({ type: PatientRecordPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: PatientRecordsQuery): Promise<PatientRecordPageDto> {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiOperation({ summary: "One patient's record: enrolment, timeline, care quarters with amounts, problems and windows" })
  @ApiOkResponse({ type: PatientRecordDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<PatientRecordDto> {
    return this.service.record(actor, id);
  }
}
