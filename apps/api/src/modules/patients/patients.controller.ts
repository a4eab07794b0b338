import { Body, Controller, Get, Query } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ReasonDto } from '../../core/audit/correction-reason';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, IdParam, UpdateRoute } from '../../core/http/crud-routes';
import { CreatePatientDto, InsurerPatientDto, PatientDto, PatientQuery, PatientView, UpdatePatientDto } from './dto/patient.dto';
import { PatientsService } from './patients.service';

/**
 * The answer of a read depends on the role; there is no field to discriminate on, so the description says which.
 * The two reads therefore keep their decorators written out; the writes use the shared CRUD shape.
 */
const VIEW_BY_ROLE = 'An INSURER receives InsurerPatientDto (no practice reference, no clinical detail); the EVALUATOR and a PRACTICE receive PatientDto.';

@ApiTags('patients')
@ApiProblems()
@ApiConflictResponse({
  description: 'The practice already has a patient with this ref in the experiment',
  type: ProblemDto,
})
@Controller('api/v1/patients')
export class PatientsController {
  constructor(private readonly service: PatientsService) {}

  @Get()
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOperation({ description: `The items depend on the role. ${VIEW_BY_ROLE}` })
  @ApiPage(PatientDto, InsurerPatientDto)
  list(@CurrentActor() actor: Actor, @Query() query: PatientQuery) {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiExtraModels(PatientDto, InsurerPatientDto)
  @ApiOkResponse({
    description: VIEW_BY_ROLE,
    schema: { oneOf: [{ $ref: getSchemaPath(PatientDto) }, { $ref: getSchemaPath(InsurerPatientDto) }] },
  })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<PatientView> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['PRACTICE'], type: PatientDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePatientDto): Promise<PatientDto> {
    return this.service.create(actor, dto);
  }

  @UpdateRoute({ roles: ['PRACTICE'], type: PatientDto })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdatePatientDto): Promise<PatientDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['PRACTICE'], description: 'Deleted with its records (the reason is kept in the audit log)' })
  @ApiBody({ type: ReasonDto })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ReasonDto): Promise<void> {
    return this.service.remove(actor, id, body.reason);
  }
}
