import { Body, Controller, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ApiProblems } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, IdParam, ListRoute } from '../../core/http/crud-routes';
import { ApiTokenDto, ApiTokenQuery, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';
import { ApiTokensService } from './api-tokens.service';

@ApiTags('api-tokens')
@ApiProblems()
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(private readonly service: ApiTokensService) {}

  @ListRoute({ roles: ['ADMIN', 'PRACTICE', 'INSURER'], item: ApiTokenDto })
  list(@CurrentActor() actor: Actor, @Query() query: ApiTokenQuery) {
    return this.service.list(actor, query);
  }

  @CreateRoute({ roles: ['ADMIN', 'PRACTICE', 'INSURER'], type: CreatedApiTokenDto, description: 'The token is in this response only' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.service.create(actor, dto);
  }

  @DeleteRoute({ roles: ['ADMIN', 'PRACTICE', 'INSURER'], description: 'Revoked (also when it already was)' })
  revoke(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.revoke(actor, id);
  }
}
