import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ApiProblems } from '../../core/http/api-docs';
import { GetRoute, IdParam } from '../../core/http/crud-routes';
import { PatientHistoryDto } from './dto/patient-history.dto';
import { PatientHistoryService } from './patient-history.service';

@ApiTags('patients')
@ApiProblems()
@Controller('api/v1/patients')
export class PatientHistoryController {
  constructor(private readonly service: PatientHistoryService) {}

  @GetRoute({ roles: ['EVALUATOR', 'PRACTICE'], type: PatientHistoryDto, description: 'Newest first', path: ':id/history' })
  history(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<PatientHistoryDto> {
    return this.service.history(actor, id);
  }
}
