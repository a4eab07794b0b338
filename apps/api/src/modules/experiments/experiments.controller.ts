import { Body, Controller, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow, ANY_ROLE } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, GetRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { PageQuery } from '../../core/http/paging';
import { CreateExperimentDto, ExperimentDto, SetAnalysisDateDto, UpdateExperimentDto } from './dto/experiment.dto';
import { ExperimentsService } from './experiments.service';

// The single-object routes document no response body, as they did before the shared shape: adding one
// would change the OpenAPI document and the dashboard's generated types.
@ApiTags('experiments')
@ApiProblems()
@Controller('api/v1/experiments')
export class ExperimentsController {
  constructor(private readonly service: ExperimentsService) {}

  @ListRoute({ roles: ANY_ROLE, item: ExperimentDto })
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.service.list(actor, query);
  }

  @GetRoute({ roles: ANY_ROLE })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<ExperimentDto> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['EVALUATOR'] })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateExperimentDto): Promise<ExperimentDto> {
    return this.service.create(actor, dto);
  }

  @UpdateRoute({ roles: ['EVALUATOR'] })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateExperimentDto): Promise<ExperimentDto> {
    return this.service.update(actor, id, dto);
  }

  // A PUT of one field rather than the PATCH above: the change needs a reason, and it is audited as its own action.
  @Put(':id/analysis-date')
  @Allow('EVALUATOR')
  @ApiOkResponse({ type: ExperimentDto, description: 'The experiment with its new analysis date; every indicator is recomputed' })
  setAnalysisDate(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: SetAnalysisDateDto): Promise<ExperimentDto> {
    return this.service.setAnalysisDate(actor, id, dto);
  }

  @DeleteRoute({ roles: ['EVALUATOR'] })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
