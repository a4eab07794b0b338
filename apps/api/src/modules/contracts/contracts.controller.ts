import { Body, Controller, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, GetRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { ContractDto, ContractQuery, CreateContractDto, UpdateContractDto } from './dto/contract.dto';
import { ContractsService } from './contracts.service';

@ApiTags('contracts')
@ApiProblems()
@ApiConflictResponse({
  description: 'Conflicting concurrent change of the same practice x insurer',
  type: ProblemDto,
})
@Controller('api/v1/contracts')
export class ContractsController {
  constructor(private readonly service: ContractsService) {}

  @ListRoute({ roles: ['EVALUATOR', 'PRACTICE', 'INSURER'], item: ContractDto })
  list(@CurrentActor() actor: Actor, @Query() query: ContractQuery) {
    return this.service.list(actor, query);
  }

  @GetRoute({ roles: ['EVALUATOR', 'PRACTICE', 'INSURER'], type: ContractDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<ContractDto> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['EVALUATOR'], type: ContractDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateContractDto): Promise<ContractDto> {
    return this.service.create(actor, dto);
  }

  @UpdateRoute({ roles: ['EVALUATOR'], type: ContractDto })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateContractDto): Promise<ContractDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['EVALUATOR'], description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
