import { Body, Controller, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ApiProblems } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, IdParam, ListRoute } from '../../core/http/crud-routes';
import { ApiTokenDto, ApiTokenQuery, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';
import { CheckedForm, UserFormPipe } from '../users/user-form.pipe';
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
  @ApiBody({ type: CreateApiTokenDto, description: 'Every field error at once: malformed fields with the rules of the others' })
  create(@CurrentActor() actor: Actor, @Body(new UserFormPipe(CreateApiTokenDto)) form: CheckedForm<CreateApiTokenDto>): Promise<CreatedApiTokenDto> {
    return this.service.create(actor, form.value, form.shape);
  }

  @DeleteRoute({ roles: ['ADMIN', 'PRACTICE', 'INSURER'], description: 'Revoked (also when it already was)' })
  revoke(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.revoke(actor, id);
  }
}
