import { Body, Controller, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ApiProblems } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, GetRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { AccountDto, CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiProblems()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @ListRoute({ roles: ['ADMIN'], item: AccountDto })
  list(@CurrentActor() actor: Actor, @Query() query: UserQuery) {
    return this.service.list(actor, query);
  }

  @GetRoute({ roles: ['ADMIN'], type: AccountDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<AccountDto> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['ADMIN'], type: AccountDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<AccountDto> {
    return this.service.create(actor, dto);
  }

  @UpdateRoute({
    roles: ['ADMIN'],
    type: AccountDto,
    description: 'A change of role, organisation, password or disabling ends the user\'s sessions',
  })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateUserDto): Promise<AccountDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['ADMIN'], description: 'Deleted, with its sessions' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
