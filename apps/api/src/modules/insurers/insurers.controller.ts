import { Body, Controller, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ANY_ROLE } from '../../core/auth/route-policy';
import { ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, GetRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { CreateInsurerDto, InsurerDto, InsurerQuery, UpdateInsurerDto } from './dto/insurer.dto';
import { InsurersService } from './insurers.service';

@ApiTags('insurers')
@ApiProblems()
@ApiConflictResponse({ description: 'UZOVI code taken, or the insurer is still in use', type: ProblemDto })
@Controller('api/v1/insurers')
export class InsurersController {
  constructor(private readonly service: InsurersService) {}

  @ListRoute({ roles: ANY_ROLE, item: InsurerDto })
  list(@CurrentActor() actor: Actor, @Query() query: InsurerQuery) {
    return this.service.list(actor, query);
  }

  @GetRoute({ roles: ANY_ROLE, type: InsurerDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<InsurerDto> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['ADMIN'], type: InsurerDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateInsurerDto): Promise<InsurerDto> {
    return this.service.create(actor, dto);
  }

  @UpdateRoute({ roles: ['ADMIN'], type: InsurerDto })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateInsurerDto): Promise<InsurerDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['ADMIN'], description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
