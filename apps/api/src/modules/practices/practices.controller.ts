import { Body, Controller, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ANY_ROLE } from '../../core/auth/route-policy';
import { ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, GetRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { CreatePracticeDto, PracticeDto, PracticeQuery, UpdatePracticeDto } from './dto/practice.dto';
import { PracticesService } from './practices.service';

@ApiTags('practices')
@ApiProblems()
@ApiConflictResponse({ description: 'AGB code taken, or the practice is still in use', type: ProblemDto })
@Controller('api/v1/practices')
export class PracticesController {
  constructor(private readonly service: PracticesService) {}

  @ListRoute({ roles: ANY_ROLE, item: PracticeDto })
  list(@CurrentActor() actor: Actor, @Query() query: PracticeQuery) {
    return this.service.list(actor, query);
  }

  @GetRoute({ roles: ANY_ROLE, type: PracticeDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<PracticeDto> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['ADMIN'], type: PracticeDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePracticeDto): Promise<PracticeDto> {
    return this.service.create(actor, dto);
  }

  @UpdateRoute({ roles: ['ADMIN'], type: PracticeDto })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdatePracticeDto): Promise<PracticeDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['ADMIN'], description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
